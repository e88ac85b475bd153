#!/bin/bash
# Trains every staged project (bench/zoo/gpu/stage.ts) at once on the one GPU, each for at most
# STEPS steps or SECONDS seconds, evaluating every EVERY steps; tars the results into OUT.
#   bash run.sh [out folder]     (STEPS, SECONDS, EVERY from the environment)
cd "$(dirname "$0")" || exit 1
out=${1:-${OUT:-.}}
mkdir -p results
for project in */; do
  project=${project%/}
  [ -f "$project/train.py" ] || continue
  python3 zoo_train.py --project "$project" --steps "${STEPS:-20000}" --every "${EVERY:-250}" \
    --seconds "${SECONDS_EACH:-170}" --out "results/$project" >"results/$project.log" 2>&1 &
done
wait
nvidia-smi --query-gpu=name,memory.used --format=csv >results/gpu.txt 2>&1
tail -n 2 results/*.log
tar czf "$out/zoo-gpu.tar.gz" results
