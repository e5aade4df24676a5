#!/usr/bin/env bash
# Builds gdchaos and the JMH benchmarks, runs them, writes JSON and updates README.md's table.
#
#   benchmarks/run.sh                      # everything with the default (short) settings, ~10 min
#   benchmarks/run.sh TrainStepBench -p n=10000 -p lrs=64 -wi 2 -i 10   # any JMH arguments
#   benchmarks/run.sh -f 3 -i 10           # more forks / iterations for tighter error bars
#
# Environment: MVN_ARGS (extra Maven flags, e.g. -o for offline), SKIP_BUILD=1 (reuse the jar),
# NO_README=1 (do not touch README.md). Results: benchmarks/results/jmh-<timestamp>.json.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mvn_args=${MVN_ARGS:-}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== building gdchaos (into benchmarks/target/gdchaos-main) and installing it into ~/.m2"
  # shellcheck disable=SC2086
  mvn -q $mvn_args -f "$root/pom.xml" -Dgdchaos.buildDir="$here/target/gdchaos-main" -DskipTests install
  echo "== building benchmarks/target/benchmarks.jar"
  # shellcheck disable=SC2086
  mvn -q $mvn_args -f "$here/pom.xml" package
fi

load_before=$(uptime | sed 's/.*load average//')
mkdir -p "$here/results"
stamp=$(date +%Y%m%d-%H%M%S)
out="$here/results/jmh-$stamp.json"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load:$(uptime | sed 's/.*load average//')"
java -jar "$here/target/benchmarks.jar" -rf json -rff "$out" "$@"
echo "== results: $out (load after the run:$(uptime | sed 's/.*load average: //'))"
note="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)); load average before the run$load_before. Command: \`benchmarks/run.sh $*\`; raw JSON: \`benchmarks/results/jmh-$stamp.json\`."
if [[ "${NO_README:-0}" == 1 ]]; then
  python3 "$here/report.py" "$out" --note "$note"
else
  python3 "$here/report.py" "$out" --note "$note" --readme "$here/README.md"
fi
