;; The example shop UDFs in WebAssembly text, with no SDK: every ABI detail is spelled out.
;; Three of the five functions: bayes_rating (host reads), tiered_total (batch columns) and
;; slug (a string in, a string out); string_distance and is_spam are in C, AssemblyScript
;; and Rust. Signatures: shop.signatures. Build: ./build.sh (Debian wabt), or register this
;; file as it is (the node assembles .wat itself).
(module
  ;; Host functions, module "strata" (docs/wasm-udf-abi.md).
  (import "strata" "field" (func $field (param i32 i32) (result i32)))
  (import "strata" "get_i64" (func $get_i64 (param i32 i64) (result i64)))
  (import "strata" "get_f64" (func $get_f64 (param i32 f64) (result f64)))

  (memory (export "memory") 1)
  (data (i32.const 16) "rating")   ;; field paths, UTF-8
  (data (i32.const 24) "reviews")

  ;; Field handles, asked for once (-1 until then) and kept: they never change.
  (global $rating (mut i32) (i32.const -1))
  (global $reviews (mut i32) (i32.const -1))

  ;; alloc/free: a bump allocator from 1 KiB up that remembers its newest block. free gives
  ;; back only that block (whatever size it is called with: the host passes a string
  ;; result's length, which may be less than what was allocated), which is enough here: the
  ;; host keeps one scratch block per instance, and frees slug's result right after the call.
  (global $top (mut i32) (i32.const 1024))
  (global $newest (mut i32) (i32.const -1))
  (func $alloc (export "alloc") (param $size i32) (result i32) (local $p i32) (local $end i32)
    (local.set $p (global.get $top))
    (local.set $end (i32.add (local.get $p) (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const -8))))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
                                                     (i32.const 65535)) (i32.const 16)))
                    (i32.const -1))
          (then unreachable))))
    (global.set $top (local.get $end))
    (global.set $newest (local.get $p))
    (local.get $p))
  (func (export "free") (param $ptr i32) (param $size i32)
    (if (i32.eq (local.get $ptr) (global.get $newest))
      (then
        (global.set $top (local.get $ptr))
        (global.set $newest (i32.const -1)))))

  ;; bayes_rating (f64, f64) -> f64, inferred: the mean rating shrunk towards prior_mean as
  ;; if prior_weight reviews had given it.
  (func (export "bayes_rating") (param $prior_mean f64) (param $prior_weight f64) (result f64)
    (local $r f64) (local $count f64) (local $weight f64) (local $n i64)
    (if (i32.lt_s (global.get $rating) (i32.const 0))
      (then
        (global.set $rating (call $field (i32.const 16) (i32.const 6)))
        (global.set $reviews (call $field (i32.const 24) (i32.const 7)))))
    (local.set $r (call $get_f64 (global.get $rating) (local.get $prior_mean)))
    (local.set $n (call $get_i64 (global.get $reviews) (i64.const 0)))
    (if (i64.lt_s (local.get $n) (i64.const 0)) (then (local.set $n (i64.const 0))))
    (local.set $count (f64.convert_i64_s (local.get $n)))
    (local.set $weight (f64.add (local.get $count) (local.get $prior_weight)))
    (if (f64.le (local.get $weight) (f64.const 0)) (then (return (local.get $prior_mean))))
    (f64.div (f64.add (f64.mul (local.get $r) (local.get $count))
                      (f64.mul (local.get $prior_mean) (local.get $prior_weight)))
             (local.get $weight)))

  ;; tiered_total, declared batch (f64, i64) -> f64: (count, price column, quantity column,
  ;; out column); out[i] = price[i] * quantity[i], less 5% from 10 items and 15% from 100.
  (func (export "tiered_total") (param $count i32) (param $price i32) (param $quantity i32) (param $out i32)
    (local $i i32) (local $q i64) (local $factor f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $q (i64.load (i32.add (local.get $quantity) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $factor
          (select (f64.const 0.85)
                  (select (f64.const 0.95) (f64.const 1.0) (i64.ge_s (local.get $q) (i64.const 10)))
                  (i64.ge_s (local.get $q) (i64.const 100))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.mul (f64.mul (f64.load (i32.add (local.get $price) (i32.shl (local.get $i) (i32.const 3))))
                            (f64.convert_i64_s (local.get $q)))
                   (local.get $factor)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; slug, declared (string) -> string: ASCII letters and digits lowercased, every other run
  ;; of bytes one '-', none at either end. The result is a block from alloc, returned as
  ;; ptr << 32 | len; the host copies it and calls free.
  (func (export "slug") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32) (local $n i32) (local $i i32) (local $c i32) (local $dash i32)
    (local.set $out (call $alloc (select (local.get $len) (i32.const 1) (local.get $len))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.le_u (i32.sub (local.get $c) (i32.const 65)) (i32.const 25))   ;; A-Z
          (then (local.set $c (i32.add (local.get $c) (i32.const 32)))))
        (if (i32.or (i32.le_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 25))   ;; a-z
                    (i32.le_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)))   ;; 0-9
          (then
            (if (i32.and (local.get $dash) (i32.gt_s (local.get $n) (i32.const 0)))
              (then
                (i32.store8 (i32.add (local.get $out) (local.get $n)) (i32.const 45))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))
            (local.set $dash (i32.const 0))
            (i32.store8 (i32.add (local.get $out) (local.get $n)) (local.get $c))
            (local.set $n (i32.add (local.get $n) (i32.const 1))))
          (else (local.set $dash (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (local.get $n))))
)
