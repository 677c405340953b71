//! The Rust side of Strata's WASM UDF ABI, version 1 (`docs/wasm-udf-abi.md`).
//!
//! `no_std`, no dependencies, for `wasm32-unknown-unknown` with Debian's rustc 1.63. A UDF
//! crate is a `cdylib` that depends on this crate, calls [`export_allocator!`] once, and
//! exports its functions with `#[no_mangle] pub extern "C"`:
//!
//! ```ignore
//! #![no_std]
//! use strata_udf::Field;
//! strata_udf::export_allocator!();
//! static PRICE: Field = Field::new("price"); // a handle, resolved on first use
//! #[no_mangle]
//! pub extern "C" fn with_tax(rate: f64) -> f64 { PRICE.get_f64(0.0) * (1.0 + rate) }
//! ```
//!
//! A panic traps, which fails the query with the module, function and document named.
#![no_std]

use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

/// The host functions (module `strata`); prefer [`Field`] and the helpers below.
pub mod host {
    #[link(wasm_import_module = "strata")]
    extern "C" {
        pub fn abi_version() -> i32;
        pub fn field(path: *const u8, len: i32) -> i32;
        pub fn kind(handle: i32) -> i32;
        pub fn count(handle: i32) -> i32;
        pub fn get_i64(handle: i32, default: i64) -> i64;
        pub fn get_f64(handle: i32, default: f64) -> f64;
        pub fn get_bool(handle: i32, default: i32) -> i32;
        pub fn get_str(handle: i32, buf: *mut u8, cap: i32) -> i32;
        pub fn doc_id(buf: *mut u8, cap: i32) -> i32;
        pub fn score() -> f64;
    }
}

/// The kind of a field's first value in the current document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind { Missing, Null, Bool, Int, Float, String, Date, Timestamp, Object }

impl Kind {
    fn from_code(code: i32) -> Kind {
        match code {
            1 => Kind::Null, 2 => Kind::Bool, 3 => Kind::Int, 4 => Kind::Float, 5 => Kind::String,
            6 => Kind::Date, 7 => Kind::Timestamp, 8 => Kind::Object, _ => Kind::Missing,
        }
    }
}

// ---- memory: a size-class allocator over the module's own memory ----
// Blocks are powers of two from 16 bytes with an 8-byte header holding the class; freed
// blocks go on a list per class and are reused. Memory only grows, up to the node's cap;
// running out traps. Atomics compile to plain loads and stores on wasm32 without threads.

const MIN_CLASS: u32 = 4;
const MAX_CLASS: u32 = 31;
static HEAP_TOP: AtomicUsize = AtomicUsize::new(0);
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: AtomicUsize = AtomicUsize::new(0);
static FREE_LISTS: [AtomicUsize; 32] = [EMPTY; 32];

extern "C" {
    static __heap_base: u8;
}

/// A block of at least `size` bytes; traps when memory cannot grow.
pub fn alloc(size: usize) -> *mut u8 {
    if size > (1usize << MAX_CLASS) - 8 { core::arch::wasm32::unreachable() } // size + 8 would wrap
    let need = size + 8;
    let mut class = MIN_CLASS;
    while (1usize << class) < need {
        class += 1;
        if class > MAX_CLASS { core::arch::wasm32::unreachable() }
    }
    let head = &FREE_LISTS[class as usize];
    let mut block = head.load(Ordering::Relaxed);
    if block != 0 {
        head.store(unsafe { *((block + 8) as *const usize) }, Ordering::Relaxed);
    } else {
        let mut top = HEAP_TOP.load(Ordering::Relaxed);
        if top == 0 { top = (unsafe { &__heap_base as *const u8 as usize } + 7) & !7; }
        let end = top.checked_add(1usize << class).unwrap_or_else(|| core::arch::wasm32::unreachable());
        let have = core::arch::wasm32::memory_size(0) * 65536;
        if end > have {
            let pages = (end - have + 65535) / 65536;
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX { core::arch::wasm32::unreachable() }
        }
        block = top;
        HEAP_TOP.store(end, Ordering::Relaxed);
    }
    unsafe { *(block as *mut u32) = class; }
    (block + 8) as *mut u8
}

/// Gives back a block from [`alloc`].
///
/// # Safety
/// `ptr` must come from [`alloc`] and not have been freed.
pub unsafe fn free(ptr: *mut u8) {
    if ptr.is_null() { return; }
    let block = ptr as usize - 8;
    let head = &FREE_LISTS[*(block as *const u32) as usize];
    *(ptr as *mut usize) = head.load(Ordering::Relaxed);
    head.store(block, Ordering::Relaxed);
}

/// Defines the `alloc` and `free` exports the host calls (a block for string arguments and
/// batch columns, and the return of string results). Call it once, in the UDF crate.
#[macro_export]
macro_rules! export_allocator {
    () => {
        #[no_mangle]
        pub extern "C" fn alloc(size: i32) -> i32 { $crate::alloc(size as u32 as usize) as i32 }
        #[no_mangle]
        pub unsafe extern "C" fn free(ptr: i32, _size: i32) { $crate::free(ptr as usize as *mut u8) }
    };
}

/// A scratch slice of `len` `T`s from [`alloc`], given back when dropped.
pub struct Scratch<T: Copy> { ptr: *mut T, len: usize }

impl<T: Copy> Scratch<T> {
    pub fn new(len: usize, fill: T) -> Scratch<T> {
        let ptr = alloc(len.max(1) * core::mem::size_of::<T>()) as *mut T;
        for i in 0..len { unsafe { ptr.add(i).write(fill) } }
        Scratch { ptr, len }
    }
}

impl<T: Copy> core::ops::Deref for Scratch<T> {
    type Target = [T];
    fn deref(&self) -> &[T] { unsafe { core::slice::from_raw_parts(self.ptr, self.len) } }
}

impl<T: Copy> core::ops::DerefMut for Scratch<T> {
    fn deref_mut(&mut self) -> &mut [T] { unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) } }
}

impl<T: Copy> Drop for Scratch<T> {
    fn drop(&mut self) { unsafe { free(self.ptr as *mut u8) } }
}

// ---- strings ----

/// A string argument: the `(ptr, len)` pair the host passes, borrowed for one call. The host
/// guarantees UTF-8.
///
/// # Safety
/// `ptr` and `len` must be a string argument of the current call.
pub unsafe fn str_arg<'a>(ptr: *const u8, len: i32) -> &'a str {
    core::str::from_utf8_unchecked(core::slice::from_raw_parts(ptr, len.max(0) as usize))
}

/// What a function declared `-> string` returns: the bytes in a new block (the host copies
/// them out and frees it), as `pointer << 32 | length`.
pub fn return_str(bytes: &[u8]) -> i64 {
    let p = alloc(bytes.len().max(1));
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len()) }
    result(p, bytes.len())
}

/// Packs a block from [`alloc`] holding `len` bytes as a string result.
pub fn result(ptr: *mut u8, len: usize) -> i64 {
    (((ptr as usize as u64) << 32) | (len as u32 as u64)) as i64
}

/// A growable buffer for field reads; keep one per value you need at the same time.
pub struct Buffer { ptr: AtomicUsize, cap: AtomicI32 }

impl Buffer {
    pub const fn new() -> Buffer { Buffer { ptr: AtomicUsize::new(0), cap: AtomicI32::new(0) } }

    fn read(&self, fill: impl Fn(*mut u8, i32) -> i32) -> Option<&str> {
        let mut n = fill(self.ptr.load(Ordering::Relaxed) as *mut u8, self.cap.load(Ordering::Relaxed));
        if n < 0 { return None; }
        if n > self.cap.load(Ordering::Relaxed) {
            let mut cap = self.cap.load(Ordering::Relaxed).max(64);
            while cap < n { cap *= 2; }
            unsafe { free(self.ptr.load(Ordering::Relaxed) as *mut u8) }
            self.ptr.store(alloc(cap as usize) as usize, Ordering::Relaxed);
            self.cap.store(cap, Ordering::Relaxed);
            n = fill(self.ptr.load(Ordering::Relaxed) as *mut u8, cap);
        }
        Some(unsafe { str_arg(self.ptr.load(Ordering::Relaxed) as *const u8, n) })
    }
}

impl Default for Buffer {
    fn default() -> Buffer { Buffer::new() }
}

// ---- fields ----

/// A field path whose handle is resolved on first use and cached (handles stay valid across
/// calls, instances and queries). Make them `static`.
pub struct Field { path: &'static str, handle: AtomicI32 }

impl Field {
    pub const fn new(path: &'static str) -> Field { Field { path, handle: AtomicI32::new(-2) } }

    pub fn handle(&self) -> i32 {
        let mut h = self.handle.load(Ordering::Relaxed);
        if h == -2 {
            h = unsafe { host::field(self.path.as_ptr(), self.path.len() as i32) };
            self.handle.store(h, Ordering::Relaxed);
        }
        h
    }
    /// The kind of the first value in the current document.
    pub fn kind(&self) -> Kind { Kind::from_code(unsafe { host::kind(self.handle()) }) }
    /// The number of values: 0 missing, 1 a scalar, n for an array.
    pub fn count(&self) -> i32 { unsafe { host::count(self.handle()) } }
    pub fn get_i64(&self, default: i64) -> i64 { unsafe { host::get_i64(self.handle(), default) } }
    /// Floats, or ints widened; `default` otherwise.
    pub fn get_f64(&self, default: f64) -> f64 { unsafe { host::get_f64(self.handle(), default) } }
    pub fn get_bool(&self, default: bool) -> bool { unsafe { host::get_bool(self.handle(), default as i32) != 0 } }
    /// The first value if it is a string, read into `buf` (valid until `buf` is used again).
    pub fn get_str<'b>(&self, buf: &'b Buffer) -> Option<&'b str> {
        let h = self.handle();
        buf.read(|p, cap| unsafe { host::get_str(h, p, cap) })
    }
}

/// The current document's id, read into `buf`.
pub fn doc_id(buf: &Buffer) -> &str {
    buf.read(|p, cap| unsafe { host::doc_id(p, cap) }).unwrap_or("")
}

/// The document's score: 1.0 in filters, the set score in ORDER BY.
pub fn score() -> f64 { unsafe { host::score() } }

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { core::arch::wasm32::unreachable() }
