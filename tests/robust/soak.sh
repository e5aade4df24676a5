#!/usr/bin/env bash
# Crash-safety soak: a 240-cell sweep is killed with SIGKILL at random moments (at least
# ROUNDS times; each restart uses --resume), then finished, and its results.csv, curves.csv and
# summary.csv are compared byte for byte with an uninterrupted run of the same sweep. Then an MNIST
# sweep is run with mixed batchings (1 cell per batch, killed, resumed with 3, killed, finished with
# 2) and compared byte for byte with the same sweep in one batch (issue 22; ~30 s). Then the
# same sweep in 3 shards is merged while `merge` is killed MERGE_KILLS times (default 6).
# CI-sized: about 1-3 minutes on 2 cores.
#   tests/robust/soak.sh                 # ROUNDS=12 SEED=$RANDOM by default
#   ROUNDS=20 SEED=7 tests/robust/soak.sh
# Last line: "soak: R kills, K merge kills, N rows and M curve lines compared, D differences"; exit 0
# only when D = 0.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
ROUNDS="${ROUNDS:-12}"
SEED="${SEED:-$RANDOM}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gdchaos-soak.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
RANDOM="$SEED"
echo "soak: seed $SEED, work $WORK"

# 40 learning rates x 6 inits = 240 cells of 3 trajectories, one or two cells per device batch, so a
# kill lands in training, between batches, in a write, in run.json's update or in a resume's repair
SWEEP=(sweep --data "teacher:in=4,hidden=5,out=1,n=40,seed=3" --layers 4,6,1 --loss mse
       --lr lin:0.05:2:40 --inits 6 --replicas 2 --steps 40 --eval-every 5 --backend java)
"$ROOT/gdchaos" --help >/dev/null 2>&1 || { echo "soak: ./gdchaos does not start" >&2; exit 1; }

start=$(date +%s)
"$ROOT/gdchaos" "${SWEEP[@]}" --quiet --max-batch 6 --out "$WORK/reference" >"$WORK/reference.log" 2>&1 \
  || { cat "$WORK/reference.log"; echo "soak: the uninterrupted run failed" >&2; exit 1; }
ref_s=$(( $(date +%s) - start ))
echo "soak: uninterrupted run: ${ref_s} s"

# Kill points: one round in four is killed 0-1.5 s after its start (JVM start-up, the folder's lock,
# the repair of torn tails). The others wait until the sweep has saved a random number of further
# cells (1 to 2 x 240/ROUNDS, so about ROUNDS rounds cover the sweep), then 0-400 ms more: kills
# land in training, in the writes of curves and rows, between batches and in run.json updates.
step_rows=$(( 2 * 240 / ROUNDS )); [ "$step_rows" -lt 1 ] && step_rows=1
kills=0
rounds=0
out="$WORK/killed"
rows_on_disk() { if [ -f "$out/results.csv" ]; then echo $(( $(wc -l <"$out/results.csv") - 1 )); else echo 0; fi; }
while :; do
  rounds=$((rounds + 1))
  batch=$(( (RANDOM % 2 + 1) * 3 ))         # resumes change the batching too: results must not depend on it
  : >"$WORK/round.log"
  "$ROOT/gdchaos" "${SWEEP[@]}" --max-batch "$batch" --out "$out" --resume >"$WORK/round.log" 2>&1 &
  pid=$!
  if [ "$kills" -lt "$ROUNDS" ]; then
    if [ $((RANDOM % 4)) -eq 0 ]; then
      delay_ms=$(( RANDOM % 1500 )); where="after its start"
    else
      target=$(( $(rows_on_disk) + 1 + RANDOM % step_rows ))
      for _ in $(seq 1200); do
        [ "$(rows_on_disk)" -ge "$target" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05
      done
      delay_ms=$(( RANDOM % 400 )); where="after row $target"
    fi
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
      kills=$((kills + 1))
      wait "$pid" 2>/dev/null
      echo "soak: kill $kills, ${delay_ms} ms $where (batches of $((batch / 3)) cells): $(rows_on_disk) rows on disk"
      continue
    fi
  fi
  wait "$pid"; rc=$?
  cat "$WORK/round.log" >>"$WORK/killed.log"
  if [ "$rc" -ne 0 ]; then tail -20 "$WORK/round.log"; echo "soak: a resumed run failed (exit $rc)" >&2; exit 1; fi
  [ "$kills" -ge "$ROUNDS" ] && break
  # it finished before enough kills: start over in a fresh folder with shorter delays
  echo "soak: the sweep finished after $kills kills; starting over with earlier kills"
  rm -rf "$out"; kills=0; step_rows=$(( step_rows / 2 + 1 ))
done

diffs=0
for f in results.csv curves.csv summary.csv; do
  if ! cmp -s "$WORK/reference/$f" "$out/$f"; then
    diffs=$((diffs + 1)); echo "soak: $f differs:"; diff "$WORK/reference/$f" "$out/$f" | head -5
  fi
done

# Mixed batchings (issue 22): an MNIST sweep (sparse data: the Java backend's shared-operand kernels)
# started with one cell per batch, killed, resumed with three cells per batch, killed again and
# finished with two, must give the bytes of the same sweep run in one batch. Before the fix a batch
# of one cell evaluated its test loss with another GEMM kernel and the loss columns differed.
mstart=$(date +%s)
MIXED=(sweep --train-size 50 --test-size 50 --layers 784,8,10 --lr 0.1,0.3,1,2,3,5,10 --inits 1 --replicas 2
       --steps 20 --eval-every 5 --backend java --quiet)
mout="$WORK/mixed"
mrows() { if [ -f "$mout/results.csv" ]; then echo $(( $(wc -l <"$mout/results.csv") - 1 )); else echo 0; fi; }
"$ROOT/gdchaos" "${MIXED[@]}" --out "$WORK/mixed-reference" >"$WORK/mixed.log" 2>&1 \
  || { cat "$WORK/mixed.log"; echo "soak: the one-batch MNIST run failed" >&2; exit 1; }
mixed_kills=0
for spec in "3 2" "9 5" "6 -"; do
  set -- $spec
  "$ROOT/gdchaos" "${MIXED[@]}" --max-batch "$1" --out "$mout" --resume >>"$WORK/mixed.log" 2>&1 &
  pid=$!
  if [ "$2" != "-" ]; then
    for _ in $(seq 600); do
      [ "$(mrows)" -ge "$2" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.05
    done
    if kill -KILL "$pid" 2>/dev/null; then mixed_kills=$((mixed_kills + 1)); fi
    wait "$pid" 2>/dev/null
    echo "soak: mixed batchings: batches of $(( $1 / 3 )) cells, stopped with $(mrows) rows on disk"
    continue
  fi
  wait "$pid" || { tail -20 "$WORK/mixed.log"; echo "soak: the mixed-batching resume failed" >&2; exit 1; }
done
for f in results.csv curves.csv summary.csv; do
  if ! cmp -s "$WORK/mixed-reference/$f" "$mout/$f"; then
    diffs=$((diffs + 1)); echo "soak: mixed batchings: $f differs:"; diff "$WORK/mixed-reference/$f" "$mout/$f" | head -5
  fi
done
echo "soak: mixed batchings (1, 3 and 2 cells per batch, $mixed_kills kills) against one batch: $(( $(date +%s) - mstart )) s"

n_rows=$(( $(wc -l <"$WORK/reference/results.csv") - 1 ))
n_curves=$(( $(wc -l <"$WORK/reference/curves.csv") - 1 ))
[ "$n_rows" -eq 240 ] || { echo "soak: expected 240 rows, the reference has $n_rows"; diffs=$((diffs + 1)); }
runs=$(grep -c '"started"' "$out/run.json")
echo "soak: run.json records $runs runs; $rounds restarts in $(( $(date +%s) - start )) s"

# Kills during `merge` (issue 22): the same sweep in 3 shards, merged into a copy of the shard
# folders without interruption (the merge reference), then merged again and again in another copy,
# each merge killed MERGE_KILLS times at a random moment 0-MERGE_MS ms after its start (default: the
# reference merge's duration). After every
# kill each of results.csv, curves.csv, summary.csv is absent or whole (equal to the reference's:
# merge writes each file atomically) and the shards are untouched; the last, uninterrupted merge
# gives the reference's bytes.
MERGE_KILLS="${MERGE_KILLS:-6}"
sharded="$WORK/sharded"
for i in 0 1 2; do
  "$ROOT/gdchaos" "${SWEEP[@]}" --quiet --max-batch 6 --shard "$i/3" --out "$sharded" >>"$WORK/shards.log" 2>&1 \
    || { tail -20 "$WORK/shards.log"; echo "soak: shard $i/3 failed" >&2; exit 1; }
done
cp -r "$sharded" "$WORK/merge-reference"
merge_start=$(date +%s%N)
"$ROOT/gdchaos" merge "$WORK/merge-reference" >"$WORK/merge-reference.log" 2>&1 \
  || { cat "$WORK/merge-reference.log"; echo "soak: the uninterrupted merge failed" >&2; exit 1; }
# kills land anywhere in a merge's duration (start-up, reading, the writes, the figures)
MERGE_MS="${MERGE_MS:-$(( ($(date +%s%N) - merge_start) / 1000000 + 1 ))}"
echo "soak: uninterrupted merge: ${MERGE_MS} ms"
shards_sum() { (cd "$sharded/shards" && find . -type f ! -name '.gdchaos.lock' -print0 | sort -z | xargs -0 cat | cksum); }
shards_before=$(shards_sum)
merge_kills=0
while [ "$merge_kills" -lt "$MERGE_KILLS" ]; do
  "$ROOT/gdchaos" merge "$sharded" >"$WORK/merge.log" 2>&1 &
  pid=$!
  delay_ms=$(( RANDOM % MERGE_MS ))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null
    merge_kills=$((merge_kills + 1))
    present=""
    for f in results.csv curves.csv summary.csv; do
      [ -f "$sharded/$f" ] || continue
      present="$present $f"
      if ! cmp -s "$WORK/merge-reference/$f" "$sharded/$f"; then
        diffs=$((diffs + 1)); echo "soak: merge killed after ${delay_ms} ms left a partial $f"
      fi
    done
    echo "soak: merge kill $merge_kills, ${delay_ms} ms after its start: whole files:${present:- none}"
  else
    wait "$pid"; rc=$?
    [ "$rc" -eq 0 ] || { cat "$WORK/merge.log"; echo "soak: an unkilled merge failed (exit $rc)" >&2; exit 1; }
    MERGE_MS=$(( MERGE_MS * 3 / 4 + 1 )) # it finished first: kill earlier
  fi
done
"$ROOT/gdchaos" merge "$sharded" >"$WORK/merge.log" 2>&1 \
  || { cat "$WORK/merge.log"; echo "soak: the merge after the kills failed" >&2; exit 1; }
for f in results.csv curves.csv summary.csv; do
  if ! cmp -s "$WORK/merge-reference/$f" "$sharded/$f"; then
    diffs=$((diffs + 1)); echo "soak: merged $f differs from the uninterrupted merge"
  fi
done
[ "$(shards_sum)" = "$shards_before" ] || { diffs=$((diffs + 1)); echo "soak: a killed merge changed the shards"; }

echo "soak: $kills kills, $merge_kills merge kills, $n_rows rows and $n_curves curve lines compared, $diffs differences"
[ "$diffs" -eq 0 ]
