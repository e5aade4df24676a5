#!/usr/bin/env bash
# gdchaos launcher of the portable bundle (bin/gdchaos): runs lib/gdchaos.jar on the bundle's own
# Java runtime (runtime/), so the machine needs no Java. Works from any folder and through symlinks.
#   bin/gdchaos backends
#   bin/gdchaos sweep --preset quick --out run1
#   JAVA_OPTS="-Xmx8g" bin/gdchaos sweep ...
# Leading -D... and -X... arguments (before the command) go to the JVM, like JAVA_OPTS (as ./gdchaos):
#   bin/gdchaos -Dgdchaos.cuda.device=1 -Xmx64g sweep ...
# GDCHAOS_MAIN=CLASS runs another main class of lib/*.jar instead of the CLI (the GPU check uses
# GDCHAOS_MAIN=org.gdchaos.bench.PeerRun). LD_PRELOAD gets the runtime's libjsig.so prepended (OpenCL
# and CUDA drivers install their own signal handlers; libjsig chains them with the JVM's).
set -euo pipefail
self="${BASH_SOURCE[0]}"
# resolve symlinks (readlink -f is GNU/busybox; fall back to a loop for other systems)
if real=$(readlink -f -- "$self" 2>/dev/null) && [ -n "$real" ]; then
  self="$real"
else
  while [ -L "$self" ]; do
    link=$(readlink -- "$self")
    case "$link" in /*) self="$link" ;; *) self="$(dirname -- "$self")/$link" ;; esac
  done
fi
root="$(cd "$(dirname -- "$self")/.." && pwd -P)"
java="$root/runtime/bin/java"
jar="$root/lib/gdchaos.jar"
if [ ! -x "$java" ] || [ ! -f "$jar" ]; then
  echo "gdchaos: incomplete bundle at $root: runtime/bin/java or lib/gdchaos.jar is missing (fix: unpack the whole tarball again)" >&2
  exit 1
fi

# The runtime's native code needs a minimum glibc, recorded at build time: say so in one line.
need_glibc=""
[ -f "$root/runtime/GLIBC_REQUIRED" ] && need_glibc=$(head -n1 "$root/runtime/GLIBC_REQUIRED")
if [ -n "$need_glibc" ] && have=$(getconf GNU_LIBC_VERSION 2>/dev/null); then
  have=${have##* }
  if [ "$(printf '%s\n%s\n' "$need_glibc" "$have" | sort -V | head -n1)" != "$need_glibc" ]; then
    echo "gdchaos: this bundle's Java runtime needs glibc >= $need_glibc, this machine has $have (fix: build the bundle with an older-glibc JDK, e.g. packaging/bundle.sh --jdk /path/to/temurin, see README)" >&2
    exit 1
  fi
fi

jsig="$root/runtime/lib/libjsig.so"
if [ -f "$jsig" ]; then
  case " ${LD_PRELOAD:-} " in
    *"$jsig"*) ;;
    *) export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}" ;;
  esac
fi

jvm_args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    -D?*|-X?*) jvm_args+=("$1"); shift ;;
    *) break ;;
  esac
done

# The JVM prints "WARNING: Using incubator modules: jdk.incubator.vector" to stderr at boot whenever
# the module is resolved (jdk.internal.module.ModuleBootstrap; no JDK option turns it off). The JVM's
# stderr goes through a filter that drops exactly that line and passes every other one (other JVM
# warnings, crash reports); the filter ignores SIGINT/SIGTERM so it outlives the JVM's last words.
# When stderr is a terminal, gdchaos writes its own messages straight to it (fd 3,
# -Dgdchaos.stderr=/dev/fd/3), in order with stdout. exec keeps the JVM's exit code.
incubator_warning='WARNING: Using incubator modules: jdk.incubator.vector'
exec 3>&2
err_args=()
if [ -t 2 ]; then err_args=(-Dgdchaos.stderr=/dev/fd/3); fi

# --enable-native-access: JOCL and JCuda load JNI libraries, which Java 24+ warns about without it
common=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC
  ${err_args[@]+"${err_args[@]}"})
if [ -n "${GDCHAOS_MAIN:-}" ]; then
  cp="$jar"
  for extra in "$root"/lib/*.jar; do [ "$extra" = "$jar" ] || cp="$cp:$extra"; done
  # shellcheck disable=SC2086
  exec "$java" "${common[@]}" --add-opens java.base/java.lang=ALL-UNNAMED ${JAVA_OPTS:-} \
    ${jvm_args[@]+"${jvm_args[@]}"} -cp "$cp" "$GDCHAOS_MAIN" "$@" \
    2> >(trap '' INT TERM; exec grep -v -x -F --line-buffered -e "$incubator_warning" >&3)
fi
# shellcheck disable=SC2086
exec "$java" "${common[@]}" ${JAVA_OPTS:-} ${jvm_args[@]+"${jvm_args[@]}"} -jar "$jar" "$@" \
  2> >(trap '' INT TERM; exec grep -v -x -F --line-buffered -e "$incubator_warning" >&3)
