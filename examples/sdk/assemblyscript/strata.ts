// strata.ts — the AssemblyScript side of Strata's WASM UDF ABI, version 1
// (docs/wasm-udf-abi.md). Build with `asc ... --runtime stub --use abort=`, and re-export the
// allocator from the entry file:
//
//   export { alloc, free } from "../sdk/assemblyscript/strata";
//   const price = new Field("price");              // a handle, resolved on first use
//   export function with_tax(rate: f64): f64 { return price.getF64(0.0) * (1.0 + rate); }
//
// The stub runtime never collects garbage, so code called per document should not create
// objects or strings: read fields into a Buffer, work on bytes, return results with
// returnBytes/resultBuffer. Objects made once at start (fields, buffers) are fine.

// ---- host functions (module "strata"); prefer Field and the helpers below ----
@external("strata", "abi_version") export declare function hostAbiVersion(): i32;
@external("strata", "field") export declare function hostField(path: usize, len: i32): i32;
@external("strata", "kind") export declare function hostKind(handle: i32): i32;
@external("strata", "count") export declare function hostCount(handle: i32): i32;
@external("strata", "get_i64") export declare function hostGetI64(handle: i32, dflt: i64): i64;
@external("strata", "get_f64") export declare function hostGetF64(handle: i32, dflt: f64): f64;
@external("strata", "get_bool") export declare function hostGetBool(handle: i32, dflt: i32): i32;
@external("strata", "get_str") export declare function hostGetStr(handle: i32, buf: usize, cap: i32): i32;
@external("strata", "doc_id") export declare function hostDocId(buf: usize, cap: i32): i32;
@external("strata", "score") export declare function hostScore(): f64;

// Kinds returned by Field.kind().
export const MISSING = 0, NULL = 1, BOOL = 2, INT = 3, FLOAT = 4, STRING = 5, DATE = 6, TIMESTAMP = 7, OBJECT = 8;

// ---- memory: a size-class allocator on top of the runtime's heap ----
// Blocks are powers of two from 16 bytes with an 8-byte header holding the class; freed
// blocks go on a list per class and are reused (the stub runtime's own free cannot reuse).
const MIN_CLASS: u32 = 4;
const MAX_CLASS: u32 = 31;
const freeLists = memory.data(8 * 32); // one head pointer per class (usize, padded to 8)

export function strataAlloc(size: usize): usize {
  if (size > (<usize>1 << MAX_CLASS) - 8) unreachable(); // size + 8 would wrap
  const need = size + 8;
  let cls = MIN_CLASS;
  while ((<usize>1 << cls) < need) {
    cls++;
    if (cls > MAX_CLASS) unreachable();
  }
  const head = freeLists + (<usize>cls << 3);
  let block = load<usize>(head);
  if (block != 0) {
    store<usize>(head, load<usize>(block + 8));
  } else {
    block = heap.alloc(<usize>1 << cls);
  }
  store<u32>(block, cls);
  return block + 8;
}

export function strataFree(ptr: usize): void {
  if (ptr == 0) return;
  const block = ptr - 8;
  const head = freeLists + (<usize>load<u32>(block) << 3);
  store<usize>(ptr, load<usize>(head));
  store<usize>(head, block);
}

// The pair the host calls: a block for string arguments and batch columns, and the return
// of string results.
export function alloc(size: i32): i32 { return <i32>strataAlloc(<usize>size); }
export function free(ptr: i32, size: i32): void { strataFree(<usize>ptr); }

// ---- strings ----

// A growable block for field reads; keep one per value you need at the same time.
export class Buffer {
  ptr: usize = 0;
  cap: i32 = 0;

  ensure(n: i32): void {
    if (n <= this.cap) return;
    let cap = this.cap < 64 ? 64 : this.cap;
    while (cap < n) cap <<= 1;
    if (this.ptr != 0) strataFree(this.ptr);
    this.ptr = strataAlloc(<usize>cap);
    this.cap = cap;
  }
}

// Allocates LEN bytes for a string result; fill them, then return result(ptr, len).
export function resultBuffer(len: i32): usize { return strataAlloc(len > 0 ? <usize>len : 1); }

// What a function declared `-> string` returns: pointer << 32 | length.
export function result(ptr: usize, len: i32): i64 {
  return <i64>((<u64>ptr << 32) | <u64><u32>len);
}

// Copies LEN bytes at PTR into a new block and returns them as the result (the host frees it).
export function returnBytes(ptr: usize, len: i32): i64 {
  const out = resultBuffer(len);
  memory.copy(out, ptr, <usize>len);
  return result(out, len);
}

// ---- fields ----

// A field path whose handle is resolved on first use and cached (handles stay valid across
// calls, instances and queries).
export class Field {
  private handle: i32 = -2;
  constructor(public readonly path: string) {}

  get id(): i32 {
    if (this.handle == -2) {
      const utf8 = String.UTF8.encode(this.path);
      this.handle = hostField(changetype<usize>(utf8), utf8.byteLength);
    }
    return this.handle;
  }
  // Kind of the first value in the current document (MISSING, NULL, ... above).
  kind(): i32 { return hostKind(this.id); }
  // Number of values: 0 missing, 1 a scalar, n for an array.
  count(): i32 { return hostCount(this.id); }
  getI64(dflt: i64): i64 { return hostGetI64(this.id, dflt); }
  // Floats, or ints widened; dflt otherwise.
  getF64(dflt: f64): f64 { return hostGetF64(this.id, dflt); }
  getBool(dflt: bool): bool { return hostGetBool(this.id, dflt ? 1 : 0) != 0; }
  // Reads a string value into buf (growing it); returns its UTF-8 length, or -1 when the
  // first value is not a string. The bytes stay at buf.ptr until buf is used again.
  getStr(buf: Buffer): i32 {
    let n = hostGetStr(this.id, buf.ptr, buf.cap);
    if (n > buf.cap) {
      buf.ensure(n);
      n = hostGetStr(this.id, buf.ptr, buf.cap);
    }
    return n;
  }
}

// The current document's id, read into buf; returns its UTF-8 length.
export function docId(buf: Buffer): i32 {
  let n = hostDocId(buf.ptr, buf.cap);
  if (n > buf.cap) {
    buf.ensure(n);
    n = hostDocId(buf.ptr, buf.cap);
  }
  return n;
}

// The document's score: 1.0 in filters, the set score in ORDER BY.
export function score(): f64 { return hostScore(); }
