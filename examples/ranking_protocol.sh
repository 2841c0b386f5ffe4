#!/usr/bin/env bash
# diffsort's four-digit ranking protocol on Fashion-MNIST (docs/sorting.md): n = 3, 5, 7, 9, 15 with the odd-even
# and the bitonic network, cauchy relaxation, 100 sets per step, Adam at 10^-3.5, 100 000 steps, evaluation every
# 1 000 steps, the per-tile CNN at diffsort's widths (32 and 64 channels; CHANNELS=8,16 is 10x cheaper). Resumable: each run lives in OUT_FOLDER/<network>_n<n>; a finished run is skipped, an unfinished
# one continues from its checkpoint. Spread it over sittings with MAX_MINUTES (per run; Ctrl-C also checkpoints).
# Usage (from the repository root):
#   [MAX_MINUTES=60] [STEPS=100000] [CHANNELS=32,64] [THREADS=0] examples/ranking_protocol.sh PENUMBRA_BINARY OUT_FOLDER [n...]
# Steepness: diffsort's published recipe is 10 for odd-even n = 5 (and 20 for bitonic n = 16); its per-n tables
# are not known here, so every run uses 10.
set -euo pipefail
penumbra=${1:?path to the penumbra binary}
out=${2:?output folder}
shift 2
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(3 5 7 9 15)
sitting=(--max-minutes "${MAX_MINUTES:-0}" --threads "${THREADS:-0}")
mkdir -p "$out"

for n in "${sizes[@]}"; do
  for network in odd_even bitonic; do
    run=$out/${network}_n$n
    if [ -f "$run/model.bin" ]; then
      echo "$run: finished"
    elif [ -f "$run/checkpoint.bin" ]; then
      "$penumbra" rank-train --resume "$run" "${sitting[@]}"
    else
      "$penumbra" rank-train --n "$n" --network "$network" --relaxation cauchy --steepness 10 --scorer cnn \
        --channels "${CHANNELS:-32,64}" --batch 100 --lr 3.16e-4 --steps "${STEPS:-100000}" --eval-every 1000 --out "$run" "${sitting[@]}"
    fi
  done
done
