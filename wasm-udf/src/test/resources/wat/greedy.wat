;; Functions that push the per-module caps: a string result larger than any limit, a result of a
;; chosen size (for memory budgets), and a field handle asked for by whatever name it is given.
(module
  (import "strata" "field" (func $field (param i32 i32) (result i32)))
  (memory (export "memory") 16)
  (global $top (mut i32) (i32.const 65536))
  (func (export "alloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $top))
    (global.set $top (i32.add (global.get $top) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (if (i32.gt_u (global.get $top) (i32.const 1048576)) (then
      (global.set $top (i32.add (i32.const 65536) (local.get $n)))
      (local.set $p (i32.const 65536))))
    (local.get $p))
  (func (export "free") (param i32 i32))
  ;; declared (string) -> string: claims 16,711,680 bytes at address 0
  (func (export "big") (param i32 i32) (result i64) (i64.const 16711680))
  ;; declared (i64) -> string: the first n bytes of memory
  (func (export "sized") (param $n i64) (result i64) (local.get $n))
  ;; declared (string) -> i32: the handle of the field path it is given
  (func (export "name") (param $p i32) (param $n i32) (result i32) (call $field (local.get $p) (local.get $n))))
