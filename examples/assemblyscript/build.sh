#!/usr/bin/env bash
# Builds shop.wasm from shop.ts with the AssemblyScript compiler pinned in package-lock.json
# (npm ci installs exactly that version): the stub runtime, no abort import, no WASI.
#   ./build.sh [OUT_DIR]    (default: this directory)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here}
mkdir -p "$out"
cd "$here"
[ -x node_modules/.bin/asc ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/asc shop.ts --runtime stub --use abort= -O3 --noAssert -o "$out/shop.wasm"
