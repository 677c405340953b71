;; Strings in and out, a batch function, and the alloc/free pair (a bump allocator).
(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))
  (func $alloc (export "alloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $p))
  (func (export "free") (param i32 i32))
  ;; declared (string) -> i32
  (func (export "len") (param $p i32) (param $n i32) (result i32) (local.get $n))
  ;; declared (string) -> string
  (func (export "upper_first") (param $p i32) (param $n i32) (result i64) (local $q i32)
    (local.set $q (call $alloc (local.get $n)))
    (memory.copy (local.get $q) (local.get $p) (local.get $n))
    (if (i32.gt_u (local.get $n) (i32.const 0)) (then
      (i32.store8 (local.get $q) (i32.sub (i32.load8_u (local.get $q)) (i32.const 32)))))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $q)) (i64.const 32)) (i64.extend_i32_u (local.get $n))))
  ;; declared batch (f64, i64) -> f64: out[i] = x[i] * y[i]
  (func (export "scale") (param $n i32) (param $x i32) (param $y i32) (param $out i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (f64.mul (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
                 (f64.convert_i64_s (i64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))
