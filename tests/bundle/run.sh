#!/usr/bin/env bash
# CI test of the portable bundle (README: "A Java-free bundle"). Builds it with packaging/bundle.sh,
# checks its size, unpacks it into a temp folder and runs it with NO java on PATH and no JAVA_HOME
# (env -i, PATH = a folder holding only the tools the launcher uses):
#   1. the launcher itself, with a stand-in runtime/bin/java that prints what it was given:
#      libjsig.so preloaded before an existing LD_PRELOAD, leading -D/-X to the JVM, --add-modules,
#      -jar lib/gdchaos.jar, GDCHAOS_MAIN (class path of lib/*.jar), from another folder through a symlink;
#   2. `backends` on the real runtime: exit 0, the Java backend available, -D reaches the JVM;
#   3. a tiny sweep: exit 0, results.csv with one row per cell, summary.csv, run.json and the plots
#      (java.desktop works from the linked runtime);
#   4. with a fake libcuda.so.1 (built with gcc, where gcc exists): CUDA's driver native, kept in the
#      slim jar, loads and reports the fake's "no device" instead of a missing library;
#   5. the GPU check's helpers (benchmarks/gpu/test_helpers.py), where python3 exists.
# Environment: BUNDLE_SKIP_BUILD=1 reuses target/gdchaos-*.tar.gz; BUNDLE_MAX_MB (default 36).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
t0=$(date +%s)
fail() { echo "bundle test: FAIL: $*" >&2; exit 1; }

if [ "${BUNDLE_SKIP_BUILD:-0}" != 1 ]; then
  packaging/bundle.sh
fi
tarball=$(ls -t target/gdchaos-*-linux-x86_64.tar.gz 2>/dev/null | head -n1)
[ -n "$tarball" ] || fail "packaging/bundle.sh made no target/gdchaos-*-linux-x86_64.tar.gz"
bytes=$(stat -c %s "$tarball")
max_mb=${BUNDLE_MAX_MB:-36}
echo "bundle: $tarball, $((bytes / 1000000)) MB (limit $max_mb MB)"
[ "$bytes" -le $((max_mb * 1000000)) ] || fail "$tarball is $bytes bytes, over $max_mb MB"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp"
b=$(ls -d "$tmp"/gdchaos-*-linux-x86_64)
mkdir -p "$tmp/path" "$tmp/elsewhere" "$tmp/home"
for t in bash env dirname readlink getconf sort head cat; do ln -s "$(command -v "$t")" "$tmp/path/$t"; done
ln -s "$b/bin/gdchaos" "$tmp/path/gdchaos"          # on PATH through a symlink, as users install it
clean=(env -i "PATH=$tmp/path" "HOME=$tmp/home")
"${clean[@]}" bash -c 'command -v java' >/dev/null && fail "java is on the clean PATH"
for f in runtime/bin/java runtime/lib/libjsig.so lib/gdchaos.jar lib/gdchaos-bench.jar check/check.sh BUILD-INFO; do
  [ -e "$b/$f" ] || fail "the bundle lacks $f"
done
if unzip -Z1 "$b/lib/gdchaos.jar" | grep -E '^lib/.*(NvPTXCompiler|JCudaRuntime|libJCublas-|windows|apple|arm64)' ; then
  fail "the slim jar still holds natives it never loads (listed above)"
fi

echo "== 1. launcher (stand-in java)"
# (-Dgdchaos.stderr=/dev/fd/3 is added when stderr is a terminal: not compared below)
fake="$tmp/fake"
cp -a "$b" "$fake"
printf '#!/bin/sh\necho "LD_PRELOAD=$LD_PRELOAD"\nfor a in "$@"; do echo "ARG=$a"; done\n' > "$fake/runtime/bin/java"
chmod +x "$fake/runtime/bin/java"
other=$( (ldconfig -p 2>/dev/null || true) | awk '/libm\.so\.6 .*x86-64/ {print $NF}'); other=${other%%$'\n'*}
[ -n "$other" ] || other=/lib/x86_64-linux-gnu/libm.so.6   # any existing library: a preload the user had
out=$(cd "$tmp/elsewhere" && "${clean[@]}" LD_PRELOAD="$other" "$fake/bin/gdchaos" -Dgdchaos.x=1 -Xmx1g sweep --lr 0.1)
expect() { grep -qxF -- "$1" <<< "$out" || fail "launcher: expected line '$1' in:"$'\n'"$out"; }
expect "LD_PRELOAD=$fake/runtime/lib/libjsig.so:$other"
args=$(grep '^ARG=' <<< "$out" | sed 's/^ARG=//' | grep -vxF -- -Dgdchaos.stderr=/dev/fd/3 | paste -sd' ')
[ "$args" = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Dgdchaos.x=1 -Xmx1g -jar $fake/lib/gdchaos.jar sweep --lr 0.1" ] ||
  fail "launcher: java arguments were: $args"
ln -s "$fake/bin/gdchaos" "$tmp/elsewhere/gd-link"
out=$(cd / && "${clean[@]}" GDCHAOS_MAIN=org.gdchaos.bench.PeerRun "$tmp/elsewhere/gd-link" --t 4)
args=$(grep '^ARG=' <<< "$out" | sed 's/^ARG=//' | grep -vxF -- -Dgdchaos.stderr=/dev/fd/3 | paste -sd' ')
[ "$args" = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC --add-opens java.base/java.lang=ALL-UNNAMED -cp $fake/lib/gdchaos.jar:$fake/lib/gdchaos-bench.jar org.gdchaos.bench.PeerRun --t 4" ] ||
  fail "launcher (GDCHAOS_MAIN, through a symlink): java arguments were: $args"
expect "LD_PRELOAD=$fake/runtime/lib/libjsig.so"

echo "== 2. backends (no java on PATH)"
out=$(cd "$tmp/elsewhere" && "${clean[@]}" gdchaos -Dgdchaos.backend=java backends 2>&1) || fail "backends exited $?: $out"
echo "$out"
grep -qE '^java +[0-9]+ +available' <<< "$out" || fail "backends: the Java backend is not available"
grep -qF 'forced by -Dgdchaos.backend=java' <<< "$out" || fail "backends: -Dgdchaos.backend=java did not reach the JVM"

echo "== 3. tiny sweep (no java on PATH)"
run="$tmp/elsewhere/run"
(cd "$tmp/elsewhere" && "${clean[@]}" gdchaos sweep --data mnist-10k --train-size 100 --test-size 50 --layers 784,8,10 \
  --lr 0.1,1 --inits 2 --replicas 1 --steps 5 --backend java --quiet --out run) || fail "the sweep exited $?"
[ "$(wc -l < "$run/results.csv")" -eq 5 ] || fail "results.csv has $(wc -l < "$run/results.csv") lines, expected 1 + 4 cells"
head -n1 "$run/results.csv" | grep -q '^lr_index,lr,wd_index,weight_decay,init,lambda_1' || fail "results.csv header: $(head -n1 "$run/results.csv")"
for f in summary.csv curves.csv run.json lambda_vs_lr.png curves.png; do [ -s "$run/$f" ] || fail "the sweep wrote no $f"; done
grep -q '"status" *: *"complete"' "$run/run.json" || fail "run.json does not say the sweep is complete"

echo "== 4. CUDA driver native from the slim jar (fake libcuda.so.1)"
if command -v gcc >/dev/null 2>&1; then
  mkdir -p "$tmp/fakecuda"
  printf 'int cuInit(unsigned int flags) { (void) flags; return 100; /* CUDA_ERROR_NO_DEVICE */ }\n' > "$tmp/fakecuda/cuda.c"
  gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$tmp/fakecuda/libcuda.so.1" "$tmp/fakecuda/cuda.c"
  line=$("${clean[@]}" LD_LIBRARY_PATH="$tmp/fakecuda" gdchaos backends 2>&1 | grep -E '^cuda ' || true)
  echo "$line"
  grep -qi 'no CUDA device' <<< "$line" || fail "with a fake libcuda.so.1 the CUDA probe should reach cuInit (no device), got: $line"
else
  echo "(skipped: no gcc to build the fake libcuda.so.1)"
fi

echo "== 5. GPU check helpers"
if command -v python3 >/dev/null 2>&1; then
  python3 benchmarks/gpu/test_helpers.py
else
  echo "(skipped: no python3)"
fi
echo "bundle test: OK ($(( $(date +%s) - t0 )) s)"
