#!/usr/bin/env bash
# Builds shop.wasm from shop.c with Debian clang + lld: wasm32, freestanding, no libc, no WASI.
#   ./build.sh [OUT_DIR]    (default: this directory)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here}
mkdir -p "$out"
cd "$here"
# -mbulk-memory turns copies and fills into memory.copy/memory.fill instead of calls to a
# memcpy/memset that does not exist here; the exports come from STRATA_EXPORT in the source.
clang --target=wasm32-unknown-unknown -O2 -nostdlib -mbulk-memory \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,-z,stack-size=65536 \
  -o "$out/shop.wasm" shop.c
