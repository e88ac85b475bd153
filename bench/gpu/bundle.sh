#!/bin/sh
# Bundles bench/gpu/tfjsStep.ts into one ES module for a machine with a GPU but no npm:
# bench-results/gpu/tfjsStep.mjs, with dawn.node copied beside it (the bundle loads it from there
# when the `webgpu` package is absent). Carry that folder and a node binary (>= 20) there.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/bench-results/gpu"
mkdir -p "$out"
"$root/node_modules/esbuild/bin/esbuild" "$root/bench/gpu/tfjsStep.ts" --bundle --platform=node \
  --format=esm --target=node20 --external:webgpu --outfile="$out/tfjsStep.mjs" \
  --banner:js="import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" \
  --log-level=warning
cp "$root/node_modules/webgpu/dist/linux-x64/dawn.node" "$out/dawn.node"
ls -l "$out"
