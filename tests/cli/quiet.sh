#!/usr/bin/env bash
# The launcher with the real JVM: no "Using incubator modules" line on stderr, the exit code passes
# through (3 = bad input), and under LC_ALL=C the terminal text is plain ASCII (no '?' for symbols).
#   tests/cli/quiet.sh          (builds target/gdchaos.jar through ./gdchaos when it is missing)
set -uo pipefail
cd "$(dirname "$0")/../.."
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

./gdchaos sweep --steps 0 --out "$tmp/never" >"$tmp/out" 2>"$tmp/err"; rc=$?
sleep 0.5 # the stderr filter may write just after the JVM exits
check "bad input exits 3 (got $rc)" '[ "$rc" = 3 ]'
check "no incubator warning" '! grep -q "incubator" "$tmp/err"'
check "the error is on stderr" 'grep -q -- "--steps: the number of steps must be" "$tmp/err"'
check "nothing written for bad input" '[ ! -e "$tmp/never" ]'

./gdchaos --help >"$tmp/out" 2>"$tmp/err"; rc=$?
sleep 0.5
check "--help exits 0 (got $rc)" '[ "$rc" = 0 ]'
check "--help: stderr empty" '[ ! -s "$tmp/err" ]'

LC_ALL=C ./gdchaos sweep --help >"$tmp/out" 2>"$tmp/err"
check "LC_ALL=C: help is ASCII" '! LC_ALL=C grep -q "[^[:print:][:space:]]" "$tmp/out"'
check "LC_ALL=C: no '?' for symbols" '! grep -q "(paper: U(?" "$tmp/out" && grep -q "U(-eps,eps)" "$tmp/out"'
LC_ALL=C ./gdchaos sweep --steps 0 >"$tmp/out" 2>"$tmp/err"
sleep 0.5
check "LC_ALL=C: error says >= 1" 'grep -q "must be >= 1, got 0" "$tmp/err"'
LC_ALL=C.UTF-8 ./gdchaos sweep --steps 0 >"$tmp/out" 2>"$tmp/err"
sleep 0.5
check "UTF-8 locale: error says ≥ 1" 'grep -q "must be ≥ 1, got 0" "$tmp/err"'
exit $fail
