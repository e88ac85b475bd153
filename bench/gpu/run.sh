#!/bin/sh
# The GPU benchmark in one command, on a machine with a GPU, python3 with torch+CUDA, and a node
# binary with the bundled tfjs bench (bench/gpu/bundle.sh):
#   GANVAS_NODE=/path/to/node GANVAS_BENCH_BUNDLE=/path/to/tfjsStep.mjs bench/gpu/run.sh
# Options (defaults: the reference config): --size 256 --ngf 64 --ndf 64 --blocks 9 --steps 5
# Prints one table (and the raw figures as a JSON line). See bench/gpu/report.py.
exec "${PYTHON:-python3}" "$(dirname "$0")/report.py" "$@"
