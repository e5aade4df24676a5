#!/usr/bin/env bash
# Peer comparison, one command: gdchaos (Java backend) vs a batched PyTorch implementation vs
# the paper's per-network PyTorch loop, same workload, same data, same machine, 2 threads each.
#
#   benchmarks/peers/compare.sh                        # N=10000, T=64, 3 timed steps, f32 and f64
#   N=2000 T=16 STEPS=5 DTYPES=f64 benchmarks/peers/compare.sh
#   MODEL=cnn N=1000 T=16 benchmarks/peers/compare.sh  # the small CNN: gdchaos vs torch_cnn_batched.py
#
# Environment: MODEL (mlp, default, or cnn), N, T, STEPS (timed steps), WARMUP (untimed steps
# first), DTYPES, BACKEND (gdchaos backend, default java), PYTHON (default /usr/bin/python3,
# Debian's torch), SKIP_BUILD=1, MVN_ARGS (e.g. -o), NO_README=1, T_LIST (several T in one run,
# e.g. T_LIST="16 64"; default T), ROUNDS (repeat the whole set R times, alternating gdchaos and
# torch run by run; the table shows each implementation's median over the rounds and the median of
# the per-round ratios, which is what to read on a shared machine; default 1). Each JSON line gets
# the 1-minute load average before that run ("load1_before") and its round. Installs python3-torch and libopenblas0-pthread with apt-get when
# torch or OpenBLAS is missing. Writes benchmarks/results/peers-<timestamp>.json (MODEL=cnn:
# peers-cnn-<timestamp>.json) and updates the peers (peers-cnn) table in benchmarks/README.md.
# The CNN peer's gradient is checked against unbatched torch models first (--check).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
root=$(dirname "$bench")
MODEL=${MODEL:-mlp}
case "$MODEL" in
  mlp) N=${N:-10000} ;;
  cnn) N=${N:-1000} ;;
  *) echo "MODEL must be mlp or cnn, got '$MODEL'" >&2; exit 2 ;;
esac
T=${T:-64}; STEPS=${STEPS:-3}; WARMUP=${WARMUP:-1}; T_LIST=${T_LIST:-$T}; ROUNDS=${ROUNDS:-1}
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
echo "== $(nproc) cores ($cpu), load average $load_before; model=$MODEL N=$N T=$T_LIST steps=$STEPS warmup=$WARMUP"
mkdir -p "$bench/results"
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
if [[ "$MODEL" == cnn ]]; then
  echo "-- torch CNN peer: batched gradient vs unbatched nn.Conv2d models"
  (cd "$here" && "$PYTHON" torch_cnn_batched.py --check)
fi
# one JSON line per run, tagged with its round and the 1-minute load average before it
tag() { "$PYTHON" -c 'import json, sys
for l in sys.stdin:
    if l.startswith("{"):
        r = json.loads(l); r["round"] = int(sys.argv[1]); r["load1_before"] = float(sys.argv[2]); l = json.dumps(r) + "\n"
    sys.stdout.write(l)' "$1" "$(cut -d' ' -f1 /proc/loadavg)"; }
for round in $(seq 1 "$ROUNDS"); do
for t in $T_LIST; do
  common=(--n "$N" --t "$t" --steps "$STEPS" --warmup "$WARMUP")
  for dt in $DTYPES; do
    echo "-- round $round/$ROUNDS, $MODEL $dt T=$t: gdchaos ($BACKEND)"
    java --add-modules jdk.incubator.vector -Xmx6g -cp "$bench/target/benchmarks.jar" org.gdchaos.bench.PeerRun \
      --model "$MODEL" --backend "$BACKEND" --dtype "$dt" "${common[@]}" 2> >(grep -v 'WARNING: Using incubator' >&2) \
      | tag "$round" | tee -a "$lines"
    if [[ "$MODEL" == cnn ]]; then
      echo "-- round $round/$ROUNDS, cnn $dt T=$t: torch batched (shared-input conv1, grouped conv2)"
      (cd "$here" && "$PYTHON" torch_cnn_batched.py --dtype "$dt" "${common[@]}") | tag "$round" | tee -a "$lines"
    else
      echo "-- round $round/$ROUNDS, $dt: torch batched"
      (cd "$here" && "$PYTHON" torch_batched.py --dtype "$dt" "${common[@]}") | tag "$round" | tee -a "$lines"
      echo "-- round $round/$ROUNDS, $dt: torch per-network loop"
      (cd "$here" && "$PYTHON" torch_per_network.py --dtype "$dt" "${common[@]}") | tag "$round" | tee -a "$lines"
    fi
  done
done
done
load_after=$(uptime | sed 's/.*load average: //')
stamp=$(date +%Y%m%d-%H%M%S)
if [[ "$MODEL" == cnn ]]; then out="$bench/results/peers-cnn-$stamp.json"; block=peers-cnn; else out="$bench/results/peers-$stamp.json"; block=peers; fi
prefix=""; if [[ "$MODEL" != mlp ]]; then prefix="MODEL=$MODEL "; fi
tpart="T=$T"; if [[ "$T_LIST" != "$T" ]]; then tpart="T_LIST=\"$T_LIST\""; fi
medians=""
if [[ "$ROUNDS" != 1 ]]; then tpart="$tpart ROUNDS=$ROUNDS"; medians="; medians over $ROUNDS rounds, ratio = median of the per-round ratios"; fi
info="Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($cpu); load average before: $load_before, after: $load_after. Command: \`${prefix}N=$N $tpart STEPS=$STEPS WARMUP=$WARMUP DTYPES=\"$DTYPES\" benchmarks/peers/compare.sh\`; raw: \`benchmarks/results/$(basename "$out")\`. Rate = T·steps / wall time of the timed steps$medians."
"$PYTHON" - "$lines" "$out" "$info" <<'PY'
import json, sys
lines, out, info = sys.argv[1:4]
runs = [json.loads(l) for l in open(lines) if l.startswith("{")]
median = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else (sorted(v)[len(v) // 2 - 1] + sorted(v)[len(v) // 2]) / 2
per = {}   # (model, dtype, n, t, steps) -> impl -> {round: rate}
for r in runs:
    model = r.get("model", "mlp")
    key = (model, r["dtype"], r["n"], r["t"], r["steps"])
    impl = "gdchaos" if r["impl"].startswith("gdchaos") else r["impl"].replace("-cnn", "").replace("-", "_")
    per.setdefault(key, {}).setdefault(impl, {})[r.get("round", 1)] = r["traj_steps_per_s"]
rows = []
for key, impls in per.items():
    row = {"model": key[0], "dtype": key[1], "n": key[2], "t": key[3], "steps": key[4]}
    for impl, by_round in impls.items():
        row[impl] = median(list(by_round.values()))
        if len(by_round) > 1:
            row[impl + "_rounds"] = [by_round[k] for k in sorted(by_round)]
    for peer in ("torch_batched", "torch_per_network"):
        g, p = impls.get("gdchaos", {}), impls.get(peer, {})
        common = sorted(set(g) & set(p))
        if len(common) > 1:
            row["ratio_" + peer + "_rounds"] = [round(g[k] / p[k], 3) for k in common]
            row["ratio_" + peer] = median([g[k] / p[k] for k in common])
    rows.append(row)
json.dump({"info": info, "runs": runs, "rows": rows}, open(out, "w"), indent=1)
print()
print(f"{'model':5} {'dtype':5} {'T':>4} {'gdchaos':>10} {'torch-batched':>14} {'per-network':>12} {'gd/batched':>11} {'gd/per-net':>11}   (trajectory-steps/s)")
for r in rows:
    g, b, p = r.get("gdchaos"), r.get("torch_batched"), r.get("torch_per_network")
    ratio = lambda a, c, peer: f"{r['ratio_' + peer]:11.2f}" if "ratio_" + peer in r else (f"{a / c:11.2f}" if a and c else f"{'-':>11}")
    print(f"{r['model']:5} {r['dtype']:5} {r['t']:4} {g or 0:10.2f} {b or 0:14.2f} {p or 0:12.2f} {ratio(g, b, 'torch_batched')} {ratio(g, p, 'torch_per_network')}")
    if "ratio_torch_batched_rounds" in r:
        print(f"      per-round gdchaos/torch-batched: {r['ratio_torch_batched_rounds']}")
PY
echo "== results: $out"
if [[ "${NO_README:-0}" != 1 ]]; then
  "$PYTHON" "$bench/report.py" --peers "$out" --readme "$bench/README.md" --block "$block" >/dev/null
  echo "== updated the $block table in benchmarks/README.md"
fi
