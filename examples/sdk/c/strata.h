/*
 * strata.h — the C side of Strata's WASM UDF ABI, version 1 (docs/wasm-udf-abi.md).
 *
 * One header, no libc: include it in the single C file of a module, build with
 *   clang --target=wasm32-unknown-unknown -O2 -nostdlib -mbulk-memory -Wl,--no-entry ...
 * and the module gets the `alloc`/`free` exports the host needs, typed field reads through
 * cached handles, and helpers to take and return strings.
 *
 *   STRATA_FIELD(price, "price");                       // a handle, resolved on first use
 *   STRATA_EXPORT(with_tax) double with_tax(double rate) {
 *       return strata_get_f64(&price, 0.0) * (1.0 + rate);
 *   }
 *
 * Define STRATA_NO_ALLOCATOR before including to bring your own alloc/free exports.
 */
#ifndef STRATA_H
#define STRATA_H

typedef __INT32_TYPE__ int32_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __SIZE_TYPE__ size_t;

#define STRATA_ABI_VERSION 1

/* Exports a function under NAME; the query calls it as wasm_udf('module.NAME', ...). */
#define STRATA_EXPORT(name) __attribute__((export_name(#name), used))

/* ---- host functions (module "strata"); prefer the wrappers below ---- */
#define STRATA_IMPORT(name) __attribute__((import_module("strata"), import_name(#name)))
STRATA_IMPORT(abi_version) int32_t strata_host_abi_version(void);
STRATA_IMPORT(field) int32_t strata_host_field(const char *path, int32_t len);
STRATA_IMPORT(kind) int32_t strata_host_kind(int32_t handle);
STRATA_IMPORT(count) int32_t strata_host_count(int32_t handle);
STRATA_IMPORT(get_i64) int64_t strata_host_get_i64(int32_t handle, int64_t dflt);
STRATA_IMPORT(get_f64) double strata_host_get_f64(int32_t handle, double dflt);
STRATA_IMPORT(get_bool) int32_t strata_host_get_bool(int32_t handle, int32_t dflt);
STRATA_IMPORT(get_str) int32_t strata_host_get_str(int32_t handle, char *buf, int32_t cap);
STRATA_IMPORT(doc_id) int32_t strata_host_doc_id(char *buf, int32_t cap);
STRATA_IMPORT(score) double strata_host_score(void);

/* Kinds returned by strata_kind. */
enum strata_kind {
    STRATA_MISSING = 0, STRATA_NULL = 1, STRATA_BOOL = 2, STRATA_INT = 3, STRATA_FLOAT = 4,
    STRATA_STRING = 5, STRATA_DATE = 6, STRATA_TIMESTAMP = 7, STRATA_OBJECT = 8
};

/* ---- memory: alloc/free, a size-class allocator over the module's own memory ----
 * Blocks are powers of two from 16 bytes, with an 8-byte header holding the class; freed
 * blocks go on a list per class and are reused. The header and the list links are read and
 * written with memcpy, so the compiler cannot move a caller's last read of a block (any
 * type) past the free that links it into a list (strict aliasing). Memory only grows, up to the node's cap;
 * running out traps, which fails the query with the module and function named. */
void *strata_alloc(size_t size);
void strata_free(void *ptr);

/* ---- strings ---- */

/* A UTF-8 string borrowed for the length of one call: arguments point into the host's
 * scratch block, field reads into a strata_buf. Not NUL-terminated. */
typedef struct { const char *ptr; int32_t len; } strata_str;

/* A growable buffer for field reads; declare one per value you need at the same time. */
typedef struct { char *ptr; int32_t cap; } strata_buf;

/* What a function declared `-> string` returns: pointer << 32 | length. */
typedef int64_t strata_string_result;

/* Makes a (ptr, len) argument pair into a strata_str. */
static inline strata_str strata_arg(const char *ptr, int32_t len) { strata_str s = { ptr, len }; return s; }

/* Allocates LEN bytes for a string result; fill them, then return strata_result(p, len). */
static inline char *strata_result_buffer(int32_t len) { return (char *) strata_alloc(len > 0 ? (size_t) len : 1); }
static inline strata_string_result strata_result(const char *ptr, int32_t len) {
    return (int64_t) (((uint64_t) (uint32_t) (size_t) ptr << 32) | (uint32_t) len);
}
/* Copies LEN bytes into a new block and returns them as the result (the host frees it). */
static inline strata_string_result strata_return_str(const char *bytes, int32_t len) {
    char *p = strata_result_buffer(len);
    __builtin_memcpy(p, bytes, (size_t) len);
    return strata_result(p, len);
}

/* ---- fields ---- */

/* A field path whose handle is resolved once, on first use, and cached for the life of the
 * instance (handles stay valid across calls, instances and queries). */
typedef struct { const char *path; int32_t handle; } strata_field;
#define STRATA_FIELD(var, path) static strata_field var = { path, -2 }

static inline int32_t strata_handle(strata_field *f) {
    if (f->handle == -2) {
        int32_t n = 0;
        while (f->path[n]) n++;
        f->handle = strata_host_field(f->path, n);
    }
    return f->handle;
}
/* Kind of the field's first value in the current document (enum strata_kind). */
static inline int32_t strata_kind(strata_field *f) { return strata_host_kind(strata_handle(f)); }
/* Number of values: 0 missing, 1 a scalar, n for an array. */
static inline int32_t strata_count(strata_field *f) { return strata_host_count(strata_handle(f)); }
static inline int64_t strata_get_i64(strata_field *f, int64_t dflt) { return strata_host_get_i64(strata_handle(f), dflt); }
/* Floats, or ints widened; DFLT otherwise. */
static inline double strata_get_f64(strata_field *f, double dflt) { return strata_host_get_f64(strata_handle(f), dflt); }
static inline int strata_get_bool(strata_field *f, int dflt) { return strata_host_get_bool(strata_handle(f), dflt) != 0; }

/* Makes BUF hold at least N bytes (its old contents are dropped). */
static inline void strata_buf_reserve(strata_buf *buf, int32_t n) {
    if (n <= buf->cap) return;
    int32_t cap = buf->cap < 64 ? 64 : buf->cap;
    while (cap < n) cap *= 2;
    if (buf->ptr) strata_free(buf->ptr);
    buf->ptr = (char *) strata_alloc((size_t) cap);
    buf->cap = cap;
}

/* Reads a string field into BUF (growing it as needed). Returns len -1 when the field's
 * first value is not a string. The bytes stay valid until BUF is used again. */
static inline strata_str strata_get_str(strata_field *f, strata_buf *buf) {
    int32_t h = strata_handle(f);
    int32_t n = strata_host_get_str(h, buf->ptr, buf->cap);
    if (n > buf->cap) {
        strata_buf_reserve(buf, n);
        n = strata_host_get_str(h, buf->ptr, buf->cap);
    }
    strata_str s = { buf->ptr, n };
    return s;
}

/* The current document's id, read into BUF. */
static inline strata_str strata_doc_id(strata_buf *buf) {
    int32_t n = strata_host_doc_id(buf->ptr, buf->cap);
    if (n > buf->cap) {
        strata_buf_reserve(buf, n);
        n = strata_host_doc_id(buf->ptr, buf->cap);
    }
    strata_str s = { buf->ptr, n };
    return s;
}

/* The document's score: 1.0 in filters, the set score in ORDER BY. */
static inline double strata_score(void) { return strata_host_score(); }

/* ---- the allocator and the alloc/free exports ---- */
#ifndef STRATA_NO_ALLOCATOR
extern unsigned char __heap_base;

#define STRATA_MIN_CLASS 4   /* 16-byte blocks */
#define STRATA_MAX_CLASS 31
static size_t strata_heap_top;
static void *strata_free_lists[STRATA_MAX_CLASS + 1];

void *strata_alloc(size_t size) {
    if (size > ((size_t) 1 << STRATA_MAX_CLASS) - 8) __builtin_trap();   /* size + 8 would wrap */
    size_t need = size + 8;
    uint32_t cls = STRATA_MIN_CLASS;
    while (((size_t) 1 << cls) < need) {
        if (++cls > STRATA_MAX_CLASS) __builtin_trap();
    }
    uint8_t *block = (uint8_t *) strata_free_lists[cls];
    if (block) {
        __builtin_memcpy(&strata_free_lists[cls], block + 8, sizeof(void *));
    } else {
        if (strata_heap_top == 0) strata_heap_top = ((size_t) &__heap_base + 7) & ~(size_t) 7;
        size_t end = strata_heap_top + ((size_t) 1 << cls);
        if (end < strata_heap_top) __builtin_trap();
        size_t have = __builtin_wasm_memory_size(0) * 65536u;
        if (end > have) {
            size_t pages = (end - have + 65535u) / 65536u;
            if (__builtin_wasm_memory_grow(0, pages) == (size_t) -1) __builtin_trap();
        }
        block = (uint8_t *) strata_heap_top;
        strata_heap_top = end;
    }
    __builtin_memcpy(block, &cls, sizeof cls);
    return block + 8;
}

void strata_free(void *ptr) {
    if (!ptr) return;
    uint8_t *block = (uint8_t *) ptr - 8;
    uint32_t cls;
    __builtin_memcpy(&cls, block, sizeof cls);
    __builtin_memcpy(ptr, &strata_free_lists[cls], sizeof(void *));
    strata_free_lists[cls] = block;
}

/* The pair the host calls: a block for string arguments and batch columns, and the return
 * of string results. */
STRATA_EXPORT(alloc) int32_t strata_export_alloc(int32_t size) { return (int32_t) (size_t) strata_alloc((size_t) (uint32_t) size); }
STRATA_EXPORT(free) void strata_export_free(int32_t ptr, int32_t size) { (void) size; strata_free((void *) (size_t) ptr); }
#endif

#endif
