#!/usr/bin/env bash
# Builds the Worker into build/: worker-build with the size profile
# (`[profile.worker]` in the workspace Cargo.toml), then binaryen's wasm-opt
# -Oz. `wrangler deploy` runs this (wrangler.toml [build]); so does
# scripts/e2e-workerd.
#
# Tools, installed when missing: worker-build (cargo); wasm-bindgen-cli must
# match Cargo.lock's wasm-bindgen (WASM_BINDGEN_BIN, else the one on PATH);
# wasm-opt from WASM_OPT_BIN, else the npm package binaryen (npx). Set
# WASM_OPT_BIN=none to skip wasm-opt.
#
#   build.sh            this crate's Worker (the assistant)
#   build.sh <crate>    another Worker crate (an embedder's; examples/triage-worker)
#   WORKER_FEATURES=test-hooks build.sh   with cargo features (the e2e's failure injection)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "${1:-$here}"

if ! worker-build --version 2>/dev/null | grep -q "0.8.7"; then
  cargo install -q worker-build --version 0.8.7 --locked
fi
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$(command -v wasm-bindgen || true)}"
[[ -n $WASM_BINDGEN_BIN ]] || unset WASM_BINDGEN_BIN
# Paths remapped: panic locations name /microcos/… and /cargo/… instead of
# this machine's folders, so the wasm is smaller and the same on every clone.
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$root=/microcos --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
if [[ -n ${WORKER_FEATURES:-} ]]; then
  worker-build --profile worker -- --features "$WORKER_FEATURES"
else
  worker-build --profile worker
fi

wasm=build/index_bg.wasm
case "${WASM_OPT_BIN:-}" in
  none) exit 0 ;;
  "") wasm_opt=(npx --yes --package binaryen@132.0.0 wasm-opt) ;;
  *) wasm_opt=("$WASM_OPT_BIN") ;;
esac
# The features worker-build would enable (what workerd supports), and
# nothing newer; names and producers sections stripped.
"${wasm_opt[@]}" -Oz \
  --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory \
  --enable-multivalue --enable-reference-types --enable-exception-handling \
  --strip-debug --strip-producers "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
