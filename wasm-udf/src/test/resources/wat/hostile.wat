;; Each function misbehaves in its own way; "ok" is the control.
(module
  (memory 1 2)
  (func (export "ok") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
  (func (export "spin") (param i64) (result i64) (loop $l (br $l)) i64.const 0)
  (func (export "grow") (param i64) (result i64)
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (i64.extend_i32_u (memory.size)))
  (func (export "boom") (param i64) (result i64) unreachable)
  (func (export "divide") (param i64) (result i64) i64.const 1 local.get 0 i64.div_s)
  (func (export "peek") (param i64) (result i64) local.get 0 i32.wrap_i64 i64.load)
  (func $down (export "down") (param i64) (result i64) local.get 0 i64.const 1 i64.add call $down))
