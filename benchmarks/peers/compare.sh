#!/usr/bin/env bash
# Peer comparison, one command: gdchaos (Java backend) vs a batched PyTorch implementation vs
# the paper's per-network PyTorch loop, same workload, same data, same machine, 2 threads each.
#
#   benchmarks/peers/compare.sh                        # N=10000, T=64, 3 timed steps, f32 and f64
#   N=2000 T=16 STEPS=5 DTYPES=f64 benchmarks/peers/compare.sh
#
# Environment: N, T, STEPS (timed steps), WARMUP (untimed steps first), DTYPES, BACKEND (gdchaos
# backend, default java), PYTHON (default /usr/bin/python3, Debian's torch), SKIP_BUILD=1,
# MVN_ARGS (e.g. -o), NO_README=1. Installs python3-torch and libopenblas0-pthread with apt-get
# when torch is missing. Writes benchmarks/results/peers-<timestamp>.json and updates the
# peers table in benchmarks/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
root=$(dirname "$bench")
N=${N:-10000}; T=${T:-64}; STEPS=${STEPS:-3}; WARMUP=${WARMUP:-1}
DTYPES=${DTYPES:-"f32 f64"}; BACKEND=${BACKEND:-java}; PYTHON=${PYTHON:-/usr/bin/python3}

# --- PyTorch (Debian packages; OpenBLAS pthread build as the BLAS) ---
if ! "$PYTHON" -c 'import torch' 2>/dev/null || ! ls /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 >/dev/null 2>&1; then
  echo "== installing python3-torch and libopenblas0-pthread"
  sudo_cmd=""; [[ $(id -u) != 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi

# --- gdchaos jar ---
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$bench/target/benchmarks.jar" ]]; then
  echo "== building gdchaos and benchmarks/target/benchmarks.jar"
  # shellcheck disable=SC2086
  mvn -q ${MVN_ARGS:-} -f "$root/pom.xml" -Dgdchaos.buildDir="$bench/target/gdchaos-main" -DskipTests install
  # shellcheck disable=SC2086
  mvn -q ${MVN_ARGS:-} -f "$bench/pom.xml" package
fi

load_before=$(uptime | sed 's/.*load average: //')
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "== $(nproc) cores ($cpu), load average $load_before; N=$N T=$T steps=$STEPS warmup=$WARMUP"
mkdir -p "$bench/results"
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
common=(--n "$N" --t "$T" --steps "$STEPS" --warmup "$WARMUP")
for dt in $DTYPES; do
  echo "-- $dt: gdchaos ($BACKEND)"
  java --add-modules jdk.incubator.vector -Xmx6g -cp "$bench/target/benchmarks.jar" org.gdchaos.bench.PeerRun \
    --backend "$BACKEND" --dtype "$dt" "${common[@]}" 2> >(grep -v 'WARNING: Using incubator' >&2) | tee -a "$lines"
  echo "-- $dt: torch batched"
  (cd "$here" && "$PYTHON" torch_batched.py --dtype "$dt" "${common[@]}") | tee -a "$lines"
  echo "-- $dt: torch per-network loop"
  (cd "$here" && "$PYTHON" torch_per_network.py --dtype "$dt" "${common[@]}") | tee -a "$lines"
done
load_after=$(uptime | sed 's/.*load average: //')
stamp=$(date +%Y%m%d-%H%M%S)
out="$bench/results/peers-$stamp.json"
info="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu); load average before: $load_before, after: $load_after. Command: \`N=$N T=$T STEPS=$STEPS WARMUP=$WARMUP DTYPES=\"$DTYPES\" benchmarks/peers/compare.sh\`; raw: \`benchmarks/results/peers-$stamp.json\`. Rate = T·steps / wall time of the timed steps."
"$PYTHON" - "$lines" "$out" "$info" <<'PY'
import json, sys
lines, out, info = sys.argv[1:4]
runs = [json.loads(l) for l in open(lines) if l.startswith("{")]
rows = {}
for r in runs:
    key = (r["dtype"], r["n"], r["t"], r["steps"])
    impl = "gdchaos" if r["impl"].startswith("gdchaos") else r["impl"].replace("-", "_")
    rows.setdefault(key, {"dtype": key[0], "n": key[1], "t": key[2], "steps": key[3]})[impl] = r["traj_steps_per_s"]
json.dump({"info": info, "runs": runs, "rows": list(rows.values())}, open(out, "w"), indent=1)
print()
print(f"{'dtype':5} {'gdchaos':>10} {'torch-batched':>14} {'per-network':>12} {'gd/batched':>11} {'gd/per-net':>11}   (trajectory-steps/s)")
for r in rows.values():
    g, b, p = r.get("gdchaos"), r.get("torch_batched"), r.get("torch_per_network")
    ratio = lambda a, c: f"{a / c:11.2f}" if a and c else f"{'-':>11}"
    print(f"{r['dtype']:5} {g or 0:10.2f} {b or 0:14.2f} {p or 0:12.2f} {ratio(g, b)} {ratio(g, p)}")
PY
echo "== results: $out"
if [[ "${NO_README:-0}" != 1 ]]; then
  "$PYTHON" "$bench/report.py" --peers "$out" --readme "$bench/README.md" --block peers >/dev/null
  echo "== updated the peers table in benchmarks/README.md"
fi
