#!/usr/bin/env bash
# Builds shop.wasm from shop.wat with Debian wabt's wat2wasm.
#   ./build.sh [OUT_DIR]    (default: this directory)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here}
mkdir -p "$out"
wat2wasm "$here/shop.wat" -o "$out/shop.wasm"
