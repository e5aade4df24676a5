#!/usr/bin/env bash
# Process-level crash-safety checks that need a real launcher, real signals or a real file system:
#  1. signal chaining: ./gdchaos under -Xcheck:jni with OpenCL present prints no "handler modified"
#     (libjsig preloaded); the same jar run by plain java does print it, so the check can fail;
#  2. Ctrl-C (SIGINT) during a sweep on a terminal ends the progress line and says to --resume;
#     the resumed sweep then completes;
#  3. disk full on a real 200 KB tmpfs: one line, exit 4, no stack trace; after the file system
#     grows, --resume finishes with files byte-identical to an uninterrupted run.
# OpenCL (for 1) and mounting a tmpfs (for 3, needs root) are required under CI=true and skipped
# with a message otherwise. Last line: "robust: N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gdchaos-robust.XXXXXX")"
passed=0; failed=0; skipped=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
skip() {
  if [ "${CI:-}" = true ]; then bad "$* (required under CI=true)"; else echo "skip: $*"; skipped=$((skipped + 1)); fi
}
mounted=""
cleanup() { [ -n "$mounted" ] && umount "$mounted" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
"$ROOT/gdchaos" --version >/dev/null 2>&1 || { echo "robust: ./gdchaos does not start" >&2; exit 1; }
JAR="$ROOT/target/gdchaos.jar"
JAVA="$(command -v java)"; [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && JAVA="$JAVA_HOME/bin/java"

# 1. signal chaining ------------------------------------------------------------------------------
"$ROOT/gdchaos" backends >"$WORK/backends.txt" 2>&1
if grep -Eq '^opencl +[0-9]+ +available' "$WORK/backends.txt"; then
  with=$("$ROOT/gdchaos" -Xcheck:jni backends 2>&1 | grep -c "handler modified")
  without=$(env -u LD_PRELOAD "$JAVA" -Xcheck:jni --add-modules jdk.incubator.vector -jar "$JAR" backends 2>&1 \
    | grep -c "handler modified")
  if [ "$with" -eq 0 ]; then ok "launcher under -Xcheck:jni: no signal handler replaced"
  else bad "launcher under -Xcheck:jni: $with 'handler modified' warnings"; fi
  if [ "$without" -gt 0 ]; then ok "without libjsig the same run reports $without replaced handlers (the check can fail)"
  else bad "without libjsig no 'handler modified' appeared: this check could not fail"; fi
else
  skip "no OpenCL device (install pocl-opencl-icd): signal-chaining check"
fi

# a small sweep used by 2 and 3: 6 x 4 = 24 cells, ~40 KB of curves per batch
BASE=(sweep --data "teacher:in=4,hidden=5,out=1,n=40,seed=3" --layers 4,6,1 --loss mse --lr lin:0.05:2:6
      --inits 4 --replicas 2 --eval-every 5 --backend java --max-batch 6)
SWEEP=("${BASE[@]}" --steps 300)
"$ROOT/gdchaos" "${SWEEP[@]}" --quiet --out "$WORK/reference" >/dev/null 2>&1 || bad "reference sweep failed"

# 2. Ctrl-C -----------------------------------------------------------------------------------------
# `script` gives the sweep a terminal (the updating progress bar); SIGINT goes to the java process.
# Job control (set -m): a background job of a script otherwise starts with SIGINT ignored, and a
# JVM that inherits an ignored SIGINT keeps ignoring it.
: >"$WORK/int.txt"
set -m
script -qfec "$ROOT/gdchaos ${BASE[*]} --steps 1500 --out $WORK/int" "$WORK/int.txt" >/dev/null 2>&1 &
spid=$!
set +m
java_pid=""
for _ in $(seq 600); do
  java_pid=$(pgrep -f -n "gdchaos.jar sweep .*--out $WORK/int( |\$)" || true)
  if [ -n "$java_pid" ] && grep -q "ETA" "$WORK/int.txt" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -n "$java_pid" ]; then
  kill -INT "$java_pid"; wait "$spid" 2>/dev/null
  tr -d '\r' <"$WORK/int.txt" >"$WORK/int.clean"
  # the hint starts its own line: the progress bar's line was ended first
  if grep -q "ETA" "$WORK/int.clean" && grep -q "^gdchaos: interrupted; the finished cells are saved in $WORK/int: rerun the same command with --resume" "$WORK/int.clean"; then
    ok "Ctrl-C: the progress line is ended and the hint to --resume printed on its own line"
  else bad "Ctrl-C output: $(tail -c 400 "$WORK/int.clean")"; fi
  if "$ROOT/gdchaos" "${BASE[@]}" --steps 1500 --quiet --out "$WORK/int" --resume >"$WORK/int-resume.txt" 2>&1; then
    ok "the interrupted sweep resumes to completion"
  else bad "resume after Ctrl-C: $(tail -3 "$WORK/int-resume.txt")"; fi
else
  bad "Ctrl-C: the sweep's java process was not found"
fi

# 3. disk full on a real small file system ----------------------------------------------------------
mkdir -p "$WORK/tiny"
if mount -t tmpfs -o size=200k tmpfs "$WORK/tiny" 2>/dev/null; then
  mounted="$WORK/tiny"
  "$ROOT/gdchaos" "${SWEEP[@]}" --quiet --out "$WORK/tiny/out" >"$WORK/full.out" 2>"$WORK/full.err"; rc=$?
  grep -v "^WARNING: Using incubator modules" "$WORK/full.err" >"$WORK/full.err1"; mv "$WORK/full.err1" "$WORK/full.err"
  if [ "$rc" -eq 4 ] && [ "$(wc -l <"$WORK/full.err")" -eq 1 ] && grep -q "No space left on device.*--resume" "$WORK/full.err" \
      && ! grep -q $'\tat ' "$WORK/full.err"; then
    ok "disk full: exit 4 and one line: $(cut -c1-110 "$WORK/full.err")…"
  else bad "disk full: exit $rc, stderr: $(head -c 600 "$WORK/full.err")"; fi
  mount -o remount,size=20m "$WORK/tiny"
  if "$ROOT/gdchaos" "${SWEEP[@]}" --quiet --out "$WORK/tiny/out" --resume >"$WORK/full-resume.txt" 2>&1 \
      && cmp -s "$WORK/reference/results.csv" "$WORK/tiny/out/results.csv" \
      && cmp -s "$WORK/reference/curves.csv" "$WORK/tiny/out/curves.csv"; then
    ok "after freeing space, --resume gives the uninterrupted run's results.csv and curves.csv byte for byte"
  else bad "resume after disk full: $(tail -3 "$WORK/full-resume.txt")"; fi
else
  skip "cannot mount a tmpfs (needs root): real disk-full check"
fi

echo "robust: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
