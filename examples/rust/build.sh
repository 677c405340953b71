#!/usr/bin/env bash
# Builds shop.wasm from src/lib.rs with Debian's rustc 1.63 and cargo: wasm32-unknown-unknown,
# no_std, cdylib, offline (no dependencies but the SDK next door).
#   ./build.sh [OUT_DIR]    (default: this directory)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here}
mkdir -p "$out"
cd "$here"
examples=$(cd .. && pwd)
# Debian's toolchain, not a rustup one that lacks the wasm32 standard library. The module must
# be the same bytes wherever the repository is cloned: paths are remapped, and the symbol names
# are stripped, since their hashes depend on the crates' paths (exports keep their names). The
# small stack keeps the module's memory small.
env PATH=/usr/bin:/bin RUSTC=/usr/bin/rustc CARGO_HOME="$here/target/cargo-home" \
  RUSTFLAGS="--remap-path-prefix=$examples=examples -C link-arg=-zstack-size=65536 -C link-arg=--strip-all" \
  /usr/bin/cargo build --offline --locked --quiet --release --target wasm32-unknown-unknown \
  --target-dir "$here/target"
cp target/wasm32-unknown-unknown/release/shop.wasm "$out/shop.wasm"
