#!/usr/bin/env bash
# Builds the portable bundle: target/gdchaos-<version>-linux-x86_64.tar.gz, which runs gdchaos on a
# Linux x86-64 machine with no Java (GPU boxes, cluster nodes):
#
#   gdchaos-<version>-linux-x86_64/
#     bin/gdchaos            launcher (any cwd, symlinks; -D/-X args to the JVM; preloads libjsig)
#     runtime/               jlink'd Java runtime (java.base, java.desktop, java.sql, jdk.incubator.vector,
#                            jdk.random up to Java 22 + whatever jdeps finds), --strip-debug --no-man-pages
#                            --no-header-files, native symbol tables stripped
#     lib/gdchaos.jar        the fat jar without the natives gdchaos never loads (see SLIM below)
#     lib/gdchaos-bench.jar  PeerRun + Workloads (benchmarks/src), for the throughput step of the GPU check
#     check/                 benchmarks/gpu/* and the torch peer: the one command that proves a GPU
#     BUILD-INFO             version, commit, JDK, modules, glibc needed, sizes
#
# Usage: packaging/bundle.sh [--jdk DIR] [--skip-build] [--format gz|xz]
#   --jdk DIR      the JDK whose runtime is linked, 17 or newer (default: GDCHAOS_BUNDLE_JDK, else JAVA_HOME,
#                  else the JDK of `javac` on PATH; it needs jmods/, or Java 24+ built with a linkable runtime,
#                  as Temurin 25 is). Its natives set the glibc the bundle needs (Debian's JDK 17: 2.34;
#                  Temurin builds: 2.17), recorded in runtime/GLIBC_REQUIRED and checked by bin/gdchaos.
#   --skip-build   reuse target/gdchaos.jar (default: mvn -DskipTests package first; MVN_ARGS adds flags, e.g. -o)
#   --format       gz (default, needs only gzip to unpack) or xz (smaller)
# Prints the sizes; exit code 0 only when every step worked.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

jdk="${GDCHAOS_BUNDLE_JDK:-}"
skip_build=0
format=gz
while [ "$#" -gt 0 ]; do
  case "$1" in
    --jdk) jdk="${2:?--jdk needs a folder}"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --format) format="${2:?--format needs gz or xz}"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bundle.sh: unknown option '$1' (use --jdk DIR, --skip-build, --format gz|xz)" >&2; exit 2 ;;
  esac
done
case "$format" in gz|xz) ;; *) echo "bundle.sh: --format must be gz or xz, got '$format'" >&2; exit 2 ;; esac
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "bundle.sh: builds a Linux x86-64 bundle and must run on Linux x86-64 (this is $(uname -s)-$(uname -m))" >&2
  exit 2
fi
if [ -z "$jdk" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ]; then
    jdk="$JAVA_HOME"
  elif command -v javac >/dev/null 2>&1; then
    jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
fi
for tool in jlink jdeps javac jar; do
  if [ -z "$jdk" ] || [ ! -x "$jdk/bin/$tool" ]; then
    echo "bundle.sh: no JDK with $tool found (fix: --jdk DIR or JAVA_HOME pointing to a JDK 17+)" >&2
    exit 2
  fi
done
jdk_version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
jdk_major=${jdk_version%%[.+-]*}
if [ "${jdk_major:-0}" -lt 17 ]; then
  echo "bundle.sh: $jdk is Java $jdk_version; gdchaos needs 17 or newer" >&2
  exit 2
fi

if [ "$skip_build" = 0 ] || [ ! -f target/gdchaos.jar ]; then
  echo "== building target/gdchaos.jar"
  # shellcheck disable=SC2086
  mvn -q -B ${MVN_ARGS:-} -DskipTests package
fi
version=$(unzip -p target/gdchaos.jar META-INF/maven/org.gdchaos/gdchaos/pom.properties | sed -n 's/^version=//p' | tr -d '\r')
[ -n "$version" ] || { echo "bundle.sh: cannot read the version from target/gdchaos.jar" >&2; exit 1; }
name="gdchaos-$version-linux-x86_64"
work="target/bundle"
stage="$work/$name"
rm -rf "$work"
mkdir -p "$stage/bin" "$stage/lib" "$stage/check"

# ---- the jar, without natives gdchaos never loads --------------------------------------------
# gdchaos loads libJCudaDriver (driver API), libJNvrtc, libJCublas2 and JOCL's Linux x86-64 native.
# Removed: libJNvPTXCompiler (8.9 MB compressed, never used), libJCudaRuntime (runtime API: JCudaDriver,
# JCublas2 and JNvrtc load only their own library), libJCublas (cuBLAS v1 API), JOCL natives of other
# platforms. Guard: if gdchaos's own classes ever reference the Java side of a removed native, stop.
echo "== slimming the jar"
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
unzip -q target/gdchaos.jar 'org/gdchaos/*' -d "$classes"
guard() { # $1 = regex of class names (in the constant pool), $2 = native that would be needed
  if grep -rlaE "$1" "$classes" >/dev/null 2>&1; then
    echo "bundle.sh: gdchaos classes reference $(grep -rlaE "$1" "$classes" | head -1 | sed "s|$classes/||"): they need $2, which the bundle removes (fix: keep it in packaging/bundle.sh)" >&2
    exit 1
  fi
}
guard 'jcuda/runtime/JCuda([^A-Za-z0-9_$]|$)' libJCudaRuntime
guard 'jcuda/jcublas/JCublas([^2A-Za-z0-9_$]|$)' libJCublas
guard 'jcuda/nvptxcompiler/' libJNvPTXCompiler
cp target/gdchaos.jar "$stage/lib/gdchaos.jar"
mapfile -t drop < <(unzip -Z1 target/gdchaos.jar | grep -E '^lib/.*\.(so|dll|dylib|jnilib)$' |
  grep -vE '^lib/(libJCudaDriver|libJNvrtc|libJCublas2)-[0-9.]+-linux-x86_64\.so$|^lib/libJOCL_[0-9_]+-linux-x86_64\.so$' || true)
if [ "${#drop[@]}" -gt 0 ]; then
  zip -q -d "$stage/lib/gdchaos.jar" "${drop[@]}"
fi
kept=$(unzip -Z1 "$stage/lib/gdchaos.jar")
for keep in 'lib/libJCudaDriver-.*-linux-x86_64\.so' 'lib/libJNvrtc-.*-linux-x86_64\.so' \
            'lib/libJCublas2-.*-linux-x86_64\.so' 'lib/libJOCL_.*-linux-x86_64\.so'; do
  grep -qE "^$keep\$" <<< "$kept" || {
    echo "bundle.sh: the jar lacks $keep (JCuda/JOCL natives for Linux x86-64; built on another platform?)" >&2
    exit 1
  }
done
printf '  removed %s\n' "${drop[@]}"

# ---- the benchmark classes the GPU check runs (PeerRun, StepProfile and what they use: no JMH) ----
echo "== compiling lib/gdchaos-bench.jar"
bench_classes="$classes/bench"
mkdir -p "$bench_classes"
"$jdk/bin/javac" -nowarn --release 17 --add-modules jdk.incubator.vector -cp target/gdchaos.jar -d "$bench_classes" \
  benchmarks/src/main/java/org/gdchaos/bench/PeerRun.java benchmarks/src/main/java/org/gdchaos/bench/Workloads.java \
  benchmarks/src/main/java/org/gdchaos/bench/StepArgs.java benchmarks/src/main/java/org/gdchaos/bench/StepProfile.java \
  2> >(grep -v 'incubator' >&2)
"$jdk/bin/jar" --create --file "$stage/lib/gdchaos-bench.jar" -C "$bench_classes" .

# ---- the Java runtime ----------------------------------------------------------------------------
# jdeps misses jdk.random (L64X128MixRandom is found through ServiceLoader) and jdk.incubator.vector
# (added at run time by --add-modules); add whatever else jdeps finds in the jar.
echo "== jdeps + jlink ($jdk, Java $jdk_version)"
jdk_modules=$("$jdk/bin/java" --list-modules 2>/dev/null | sed 's/@.*//')
base_modules=""
for m in java.base java.desktop java.sql jdk.incubator.vector jdk.random; do
  if grep -qx "$m" <<< "$jdk_modules"; then
    base_modules="$base_modules,$m"
  elif [ "$m" = jdk.random ] && [ "$jdk_major" -ge 23 ]; then
    echo "  (no jdk.random module: Java $jdk_major keeps the random generators in java.base)"
  else
    echo "bundle.sh: $jdk has no module $m" >&2; exit 1
  fi
done
base_modules=${base_modules#,}
found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$jdk_major" \
  --add-modules jdk.incubator.vector "$stage/lib/gdchaos.jar" "$stage/lib/gdchaos-bench.jar" 2>/dev/null | tail -n1)
[ -n "$found" ] || { echo "bundle.sh: jdeps printed no modules" >&2; exit 1; }
modules=$(printf '%s,%s' "$base_modules" "$found" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)
echo "  jdeps: $found"
echo "  modules: $modules"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=0 \
  --output "$stage/runtime"
[ -f "$stage/runtime/lib/libjsig.so" ] || { echo "bundle.sh: the linked runtime has no lib/libjsig.so" >&2; exit 1; }
# Some JDK builds (Debian's) keep the symbol tables of their natives: 4 MB of libjvm.so alone. Strip them
# (only hs_err crash reports lose native function names), then prove the runtime still starts.
if command -v strip >/dev/null 2>&1; then
  find "$stage/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec strip --strip-unneeded {} +
else
  echo "  (no strip: native symbol tables kept)"
fi
"$stage/runtime/bin/java" --add-modules jdk.incubator.vector -version >/dev/null 2>&1 ||
  { echo "bundle.sh: the linked runtime does not start: $stage/runtime/bin/java -version" >&2; exit 1; }
glibc=$(find "$stage/runtime" -name '*.so' -o -path '*/bin/*' -type f | xargs objdump -T 2>/dev/null |
  grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)
[ -n "$glibc" ] && echo "$glibc" > "$stage/runtime/GLIBC_REQUIRED"

# ---- launcher, check, info -----------------------------------------------------------------------
install -m 755 packaging/launcher.sh "$stage/bin/gdchaos"
cp benchmarks/gpu/check.sh benchmarks/gpu/*.py benchmarks/gpu/README.md "$stage/check/"
cp benchmarks/peers/workload.py benchmarks/peers/torch_batched.py "$stage/check/"
chmod 755 "$stage/check/check.sh"
# The OpenCL ICD loader (ocl-icd, BSD-2-Clause, 70 KB), used by the check only where a machine has a
# vendor OpenCL driver but no loader (the NVIDIA driver ships libnvidia-opencl.so.1 but no libOpenCL.so.1).
icd=$( (ldconfig -p 2>/dev/null || true) | awk '/libOpenCL\.so\.1 .*x86-64/ {print $NF}')
icd=${icd%%$'\n'*}
if [ -n "$icd" ] && [ -f "$icd" ]; then
  mkdir -p "$stage/check/ocl-icd"
  cp -L "$icd" "$stage/check/ocl-icd/libOpenCL.so.1"
  for c in /usr/share/doc/ocl-icd-libopencl1/copyright; do [ -f "$c" ] && cp "$c" "$stage/check/ocl-icd/"; done
fi
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""; [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null || true)" ] && dirty=" (with uncommitted changes)"
{
  echo "gdchaos $version, linux-x86_64, built $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $commit$dirty"
  echo "runtime: $("$jdk/bin/java" -version 2>&1 | head -n1) ($jdk), jlink --strip-debug --no-man-pages --no-header-files"
  echo "modules: $modules"
  echo "glibc needed: ${glibc:-unknown} (checked by bin/gdchaos)"
  echo "usage: bin/gdchaos --help; bin/gdchaos backends; check/check.sh --help (the GPU check)"
} > "$stage/BUILD-INFO"

size() { du -sb "$1" | awk '{printf "%.1f MB", $1 / 1e6}'; }
echo "sizes: runtime/ $(size "$stage/runtime"), lib/gdchaos.jar $(size "$stage/lib/gdchaos.jar") (fat jar $(size target/gdchaos.jar)), unpacked $(size "$stage")" | tee -a "$stage/BUILD-INFO"

# ---- archive -------------------------------------------------------------------------------------
out="target/$name.tar.$format"
rm -f target/"$name".tar.gz target/"$name".tar.xz
taropts=(--sort=name --owner=0 --group=0 --numeric-owner --mtime="@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
if [ "$format" = xz ]; then
  tar -C "$work" "${taropts[@]}" -cf - "$name" | xz -T0 -9 > "$out"
else
  tar -C "$work" "${taropts[@]}" -cf - "$name" | gzip -9 > "$out"
fi
echo "== $out: $(size "$out")"
