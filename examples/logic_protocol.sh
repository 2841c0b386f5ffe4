#!/usr/bin/env bash
# difflogic's protocol on Fashion-MNIST (docs/logic.md): its MNIST recipes, 6 layers of 8 000 gates (48K) at
# tau 10 and 6 layers of 64 000 gates (384K) at tau 30, Adam at 0.01, batches of 100, 200 000 steps, on the
# images binarised at 0.5. Resumable: each run lives in OUT_FOLDER/<gates>; a finished run is skipped, an
# unfinished one continues from its checkpoint. Spread it over sittings with MAX_MINUTES (per run; Ctrl-C also
# checkpoints).
# Usage (from the repository root):
#   [MAX_MINUTES=60] [STEPS=200000] [THREADS=0] examples/logic_protocol.sh PENUMBRA_BINARY OUT_FOLDER [48k|384k]...
set -euo pipefail
penumbra=${1:?path to the penumbra binary}
out=${2:?output folder}
shift 2
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(48k 384k)
sitting=(--max-minutes "${MAX_MINUTES:-0}" --threads "${THREADS:-0}")
mkdir -p "$out"

for size in "${sizes[@]}"; do
  case $size in
    48k) shape=(--layers 6 --width 8000 --tau 10) ;;
    384k) shape=(--layers 6 --width 64000 --tau 30) ;;
    *) echo "unknown size $size; use 48k or 384k" >&2; exit 2 ;;
  esac
  run=$out/$size
  if [ -f "$run/metrics.json" ] && grep -q '"status": "done"' "$run/metrics.json"; then
    echo "$run: finished"
  elif [ -f "$run/checkpoint.bin" ]; then
    "$penumbra" logic-train --resume "$run" "${sitting[@]}"
  else
    "$penumbra" logic-train --dataset fashion-mnist "${shape[@]}" --lr 0.01 --batch 100 \
      --steps "${STEPS:-200000}" --eval-every 2000 --out "$run" "${sitting[@]}"
  fi
done
