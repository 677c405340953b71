;; Reads price and qty through host functions; handles are asked for once and kept in globals.
(module
  (import "strata" "field" (func $field (param i32 i32) (result i32)))
  (import "strata" "get_f64" (func $f64 (param i32 f64) (result f64)))
  (import "strata" "get_i64" (func $i64 (param i32 i64) (result i64)))
  (import "strata" "kind" (func $kind (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "priceqty")
  (global $hp (mut i32) (i32.const -1))
  (global $hq (mut i32) (i32.const -1))
  (func $handles
    (if (i32.lt_s (global.get $hp) (i32.const 0)) (then
      (global.set $hp (call $field (i32.const 16) (i32.const 5)))
      (global.set $hq (call $field (i32.const 21) (i32.const 3))))))
  (func $value (result f64)
    (call $handles)
    (f64.mul (call $f64 (global.get $hp) (f64.const 0))
             (f64.convert_i64_s (call $i64 (global.get $hq) (i64.const 0)))))
  ;; declared () -> bool: price * qty > 500
  (func (export "pricey") (result i32) (f64.gt (call $value) (f64.const 500)))
  (func (export "value") (result f64) (call $value))
  (func (export "price_kind") (result i32) (call $handles) (call $kind (global.get $hp))))
