#!/usr/bin/env bash
# Builds every example UDF module (examples/<language>/shop.wasm) from its source.
#   examples/build.sh             rebuild the committed modules in place
#   examples/build.sh --check     rebuild into a temporary directory and fail unless every
#                                 module is byte-identical to the committed one and imports
#                                 nothing but Strata's host module "strata"
#   examples/build.sh --install   first install the missing toolchains (Debian packages; root or sudo)
# Options combine: CI runs `examples/build.sh --install --check`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
languages=(wat c assemblyscript rust)
check=false install=false
for arg in "$@"; do
  case "$arg" in
    --check) check=true ;;
    --install) install=true ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

# The Debian packages of the toolchains that are not installed yet.
missing_packages() {
  local pkg pkgs=()
  for pkg in wabt clang lld rustc cargo libstd-rust-dev-wasm32 lld-14; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$pkg")
  done
  command -v npm >/dev/null || pkgs+=(npm)
  echo "${pkgs[@]}"
}

pkgs=$(missing_packages)
if [ -n "$pkgs" ]; then
  if $install; then
    echo "examples: installing $pkgs" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  else
    echo "examples: missing toolchains; install them with: apt-get install -y --no-install-recommends $pkgs" >&2
    echo "          (or run examples/build.sh --install as root)" >&2
    exit 1
  fi
fi

# The versions that made the committed modules; a different compiler may emit other bytes.
versions() {
  echo "wat2wasm $(wat2wasm --version)"
  clang --version | head -1
  /usr/bin/rustc --version
  echo "assemblyscript $(cd "$here/assemblyscript" && node -p 'require("./package-lock.json").packages["node_modules/assemblyscript"].version')"
}

# Every import of a module, as "module.name" lines (wabt's objdump).
imports() { wasm-objdump -j Import -x "$1" | sed -n 's/.* <- \([^ ]*\)$/\1/p'; }

status=0
out_root=$here
if $check; then out_root=$(mktemp -d); trap 'rm -rf "$out_root"' EXIT; fi
for lang in "${languages[@]}"; do
  out="$out_root/$lang"
  $check || out="$here/$lang"
  start=$(date +%s)
  "$here/$lang/build.sh" "$out"
  built="$out/shop.wasm"
  echo "examples: built $lang/shop.wasm ($(wc -c <"$built") bytes, $(( $(date +%s) - start )) s)"
  bad=$(imports "$built" | grep -v '^strata\.' || true)
  if [ -n "$bad" ]; then
    echo "examples: $lang/shop.wasm imports from outside the host module \"strata\": $bad" >&2
    status=1
  fi
  if $check && ! cmp -s "$built" "$here/$lang/shop.wasm"; then
    echo "examples: $lang/shop.wasm rebuilt from source differs from the committed file;" >&2
    echo "          run examples/build.sh and commit the result. Toolchains here:" >&2
    versions | sed 's/^/            /' >&2
    echo "          Toolchains that built the committed files: examples/TOOLCHAINS" >&2
    status=1
  fi
done
if [ $status -eq 0 ]; then
  if $check; then echo "examples: every module is byte-identical to its committed file and imports only \"strata\""
  else versions >"$here/TOOLCHAINS"; fi
fi
exit $status
