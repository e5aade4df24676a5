#!/usr/bin/env bash
# Accuracy of the --plan estimate against real runs (issue 22, item 12). For each sweep below:
# --plan three times (estimate, its fastest-slowest range, the calibration's own time), then the
# sweep itself; the real time is run.json's wall_seconds less nothing (the estimate leaves out data
# loading and writing, so the real time also includes them: a fair estimate lands a little below).
# Raw results, one line per --plan call and per run, go to benchmarks/results/plan-accuracy-STAMP.tsv:
#   case  kind(plan|run)  seconds  low  high  calibration_seconds
# Usage: benchmarks/plan-accuracy.sh [CASE...]   (default: all cases; ~5 minutes on 2 shared cores)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="$ROOT/benchmarks/results/plan-accuracy-$STAMP.tsv"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gdchaos-plan.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
declare -A CASES=(
  [mlp-small]="--train-size 200 --test-size 100 --layers 784,16,10 --lr 0.1,1,10 --inits 2 --replicas 2 --steps 300"
  [quick-1init]="--preset quick --inits 1"
  [benettin]="--train-size 300 --test-size 100 --layers 784,16,10 --lr 0.5,5 --inits 2 --method benettin --steps 300"
  [spectrum-k16]="--train-size 100 --test-size 50 --layers 784,8,10 --lr 0.5,5 --inits 1 --method spectrum --exponents 16 --steps 200"
)
names=("$@"); [ ${#names[@]} -eq 0 ] && names=(mlp-small quick-1init benettin spectrum-k16)
printf 'case\tkind\tseconds\tlow\thigh\tcalibration_seconds\n' >"$OUT"
echo "# $(date -u +%FT%TZ) $(uname -n) $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
for c in "${names[@]}"; do
  args=${CASES[$c]}
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    "$ROOT/gdchaos" sweep $args --backend java --plan >"$WORK/plan.txt" 2>&1 || { cat "$WORK/plan.txt"; exit 1; }
    est=$(sed -n 's/^estimated time: .*(\([0-9.]*\) s; \([0-9.e+]*\)–\([0-9.e+]*\) s.*/\1\t\2\t\3/p' "$WORK/plan.txt")
    cal=$(sed -n 's/.*calibration took \([0-9.]*\) s.*/\1/p' "$WORK/plan.txt")
    printf '%s\tplan\t%s\t%s\n' "$c" "$est" "$cal" | tee -a "$OUT"
  done
  rm -rf "$WORK/run"
  # shellcheck disable=SC2086
  "$ROOT/gdchaos" sweep $args --backend java --quiet --out "$WORK/run" >"$WORK/run.txt" 2>&1 || { cat "$WORK/run.txt"; exit 1; }
  wall=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['wall_seconds'])" "$WORK/run/run.json")
  printf '%s\trun\t%s\t\t\t\n' "$c" "$wall" | tee -a "$OUT"
done
echo "wrote $OUT"
