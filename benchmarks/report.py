#!/usr/bin/env python3
"""Turn JMH JSON results (and optionally the peer comparison JSON) into markdown tables.

Usage:
  python3 report.py RESULTS.json [--peers PEERS.json] [--readme README.md] [--note TEXT]

Prints the markdown; with --readme, also replaces the text between
<!-- NAME:begin --> and <!-- NAME:end --> in that file (NAME from --block, default bench;
the block is appended if absent).
Standard library only.
"""
import argparse
import json
import re
import sys



def short(name):
    cls, meth = name.rsplit(".", 2)[-2:]
    return cls, meth


def metric(entry, key):
    m = entry.get("secondaryMetrics", {}).get(key)
    return None if m is None else m["score"]


def fmt(x, digits=3):
    if x is None:
        return "–"
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def pct(x):
    return "–" if x is None else f"{100 * x:.0f}%"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def peaks(results):
    """Best GFLOP/s of the FMA loops: {(dtype, threads): gflops}."""
    out = {}
    for e in results:
        cls, meth = short(e["benchmark"])
        if cls != "PeakBench":
            continue
        g = metric(e, "gflops")
        dtype = "f32" if "F32" in meth else "f64"
        kind = "scalar" if meth.startswith("scalar") else "vector"
        out[(kind, dtype, e.get("threads", 1))] = g
    return out


def machine_peak(pk, dtype):
    """All-core Vector API FMA peak for dtype, or None."""
    cands = [v for (k, d, t), v in pk.items() if k == "vector" and d == dtype]
    return max(cands) if cands else None


def peak_section(results, pk):
    rows = []
    for e in results:
        cls, meth = short(e["benchmark"])
        if cls == "PeakBench":
            rows.append([meth, e.get("threads", 1), fmt(metric(e, "gflops"))])
    if not rows:
        return None
    return "### Peak (register-only FMA loops)\n\n" + table(["loop", "threads", "GFLOP/s"], rows)


def gemm_section(results, pk):
    rows, by = [], {}
    for e in results:
        cls, _ = short(e["benchmark"])
        if cls != "GemmBench":
            continue
        p = e["params"]
        by[(p["backend"], p["dtype"], p["shape"])] = metric(e, "gflops")
    if not by:
        return None
    for (be, dt, shape), g in sorted(by.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])):
        peak = machine_peak(pk, dt)
        java = by.get(("java", dt, shape))
        rows.append([shape, dt, be, fmt(g), pct(g / peak) if peak and g else "–",
                     fmt(g / java, 2) if java and g and be != "java" else "–"])
    return ("### Batched GEMM (`GemmBench`)\n\n"
            + table(["shape", "dtype", "backend", "GFLOP/s", "of FMA peak", "vs java"], rows))


def train_section(results, pk):
    rows = []
    for e in results:
        cls, _ = short(e["benchmark"])
        if cls != "TrainStepBench":
            continue
        p = e["params"]
        t = int(p["lrs"]) * int(p["inits"]) * (1 + int(p["replicas"]))
        g = metric(e, "gflops")
        peak = machine_peak(pk, p["dtype"])
        rows.append([p["backend"], p["dtype"], p["n"], p["lrs"], p["inits"], p["replicas"], t,
                     fmt(e["primaryMetric"]["score"]), fmt(metric(e, "trajSteps")), fmt(g),
                     pct(g / peak) if peak and g else "–"])
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1], int(r[2]), r[6]))
    return ("### Training step of the paper MLP (`TrainStepBench`)\n\n"
            + table(["backend", "dtype", "N", "lrs", "inits", "replicas", "T", "steps/s",
                     "trajectory-steps/s", "GFLOP/s", "of FMA peak"], rows))


def cnn_section(results, pk):
    rows = []
    for e in results:
        cls, _ = short(e["benchmark"])
        if cls != "CnnStepBench":
            continue
        p = e["params"]
        g = metric(e, "gflops")
        peak = machine_peak(pk, p["dtype"])
        pm = e["primaryMetric"]
        rows.append([p["backend"], p["dtype"], p["n"], p["t"], fmt(pm["score"]) + " ± " + fmt(pm.get("scoreError")),
                     fmt(metric(e, "trajSteps")), fmt(g), pct(g / peak) if peak and g else "–"])
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1], int(r[2]), int(r[3])))
    return ("### Training step of the small CNN (`CnnStepBench`)\n\n"
            + table(["backend", "dtype", "N", "T", "steps/s (± 99.9% CI)", "trajectory-steps/s", "GFLOP/s",
                     "of FMA peak"], rows))


def lyapunov_section(results):
    by = {}
    for e in results:
        cls, meth = short(e["benchmark"])
        if cls != "LyapunovOverheadBench":
            continue
        p = e["params"]
        key = (p["backend"], p["dtype"], p["cells"], p["n"])
        by.setdefault(key, {})[(p["method"], meth)] = e["primaryMetric"]["score"]
    if not by:
        return None
    rows = []
    for key, d in sorted(by.items()):
        base = d.get(("none", "step"))
        for m in ("paper", "benettin", "spectrum"):
            step, track = d.get((m, "step")), d.get((m, "track"))
            if step is None:
                continue
            rows.append([key[0], key[1], int(key[2]) * 6, key[3], m, fmt(base), fmt(step), fmt(track),
                         pct(track / base) if base and track is not None else "–",
                         pct(step / base - 1) if base else "–"])
    return ("### Lyapunov bookkeeping overhead (`LyapunovOverheadBench`, ms per step)\n\n"
            + table(["backend", "dtype", "T", "N", "method", "train only", "train + track", "track only",
                     "track / train", "(train+track) / train − 1"], rows))


def activation_section(results):
    by = {}
    for e in results:
        cls, meth = short(e["benchmark"])
        if cls != "ActivationBench":
            continue
        p = e["params"]
        by.setdefault(p["dtype"], {})[(p["vectorBits"], meth)] = metric(e, "elements")
    if not by:
        return None
    rows = []
    for dt, d in sorted(by.items()):
        for bits in ("auto", "0"):
            tanh, copy = d.get((bits, "biasTanh")), d.get((bits, "copy"))
            if tanh is None:
                continue
            # per element: time(copy + bias + tanh) − time(copy)
            ns = (1e9 / tanh - 1e9 / copy) if copy else None
            rows.append([dt, "vector" if bits == "auto" else "scalar", fmt(tanh / 1e6), fmt(copy / 1e6 if copy else None),
                         fmt(ns)])
    return ("### Bias + tanh on the Java backend (`ActivationBench`, T = 64 × 500 × 64 elements per call)\n\n"
            + table(["dtype", "path", "copy + bias + tanh (M elements/s)", "copy only (M elements/s)",
                     "bias + tanh (ns per element, all threads)"], rows))


def peers_section(peers):
    rows = peers["rows"]
    if rows and all(r.get("model") == "cnn" for r in rows):
        return peers_cnn_section(peers)
    out = []
    for r in rows:
        out.append([r["dtype"], r["n"], r["t"], r["steps"], fmt(r.get("gdchaos")), fmt(r.get("torch_batched")),
                    fmt(r.get("torch_per_network")),
                    fmt(r.get("ratio_torch_batched", r["gdchaos"] / r["torch_batched"]), 2)
                    if r.get("gdchaos") and r.get("torch_batched") else "–",
                    fmt(r.get("ratio_torch_per_network", r["gdchaos"] / r["torch_per_network"]), 2)
                    if r.get("gdchaos") and r.get("torch_per_network") else "–"])
    head = ("### Peers: same workload, same data (`peers/compare.sh`, trajectory-steps/s)\n\n"
            + table(["dtype", "N", "T", "steps", "gdchaos (java)", "torch batched", "torch per-network",
                     "gdchaos / batched", "gdchaos / per-network"], out))
    if peers.get("info"):
        head += "\n\n" + peers["info"]
    return head


def peers_cnn_section(peers):
    """The small-CNN comparison (MODEL=cnn peers/compare.sh): gdchaos vs torch_cnn_batched.py."""
    out = []
    rounds = any("ratio_torch_batched_rounds" in r for r in peers["rows"])
    for r in peers["rows"]:
        g, b = r.get("gdchaos"), r.get("torch_batched")
        ratio = r.get("ratio_torch_batched", g / b if g and b else None)
        row = [r["dtype"], r["n"], r["t"], r["steps"], fmt(g), fmt(b), fmt(ratio, 2) if ratio else "–"]
        if rounds:
            row.append(", ".join(fmt(x, 2) for x in r.get("ratio_torch_batched_rounds", [])) or "–")
        out.append(row)
    head = ("### Peers, small CNN: same workload, same data (`MODEL=cnn peers/compare.sh`, trajectory-steps/s)\n\n"
            "conv 4@5×5, tanh, avgpool 2, conv 8@5×5, tanh, avgpool 2, dense 10, cross-entropy on 28×28 MNIST, "
            "full batch, Xavier init; torch: `torch_cnn_batched.py` (conv1 as one convolution with T·4 output "
            "channels, conv2 grouped with groups = T, dense as baddbmm, autograd).\n\n"
            + table(["dtype", "N", "T", "steps", "gdchaos (java)", "torch batched", "gdchaos / torch"]
                    + (["per-round ratios"] if rounds else []), out))
    if peers.get("info"):
        head += "\n\n" + peers["info"]
    return head


def render(results, peers=None, note=None):
    pk = peaks(results)
    parts = [s for s in (peak_section(results, pk), gemm_section(results, pk), train_section(results, pk),
                         cnn_section(results, pk), lyapunov_section(results), activation_section(results)) if s]
    if peers:
        parts.append(peers_section(peers))
    if note:
        parts.insert(0, note)
    return "\n\n".join(parts) + "\n"


def update_readme(path, text, block_name="bench"):
    begin, end = f"<!-- {block_name}:begin -->", f"<!-- {block_name}:end -->"
    try:
        with open(path) as f:
            old = f.read()
    except FileNotFoundError:
        old = "# gdchaos benchmarks\n\n"
    block = begin + "\n" + text + end
    if begin in old and end in old:
        new = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(new)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="?", help="JMH JSON (-rf json output)")
    ap.add_argument("--peers", help="JSON written by peers/compare.sh")
    ap.add_argument("--readme", help="README to update between the bench markers")
    ap.add_argument("--block", default="bench",
                    help="marker name: replaces <!-- NAME:begin --> ... <!-- NAME:end --> (default bench)")
    ap.add_argument("--note", help="text placed above the tables (machine, load, command)")
    a = ap.parse_args(argv)
    results = []
    if a.results:
        with open(a.results) as f:
            results = json.load(f)
    peers = None
    if a.peers:
        with open(a.peers) as f:
            peers = json.load(f)
    text = render(results, peers, a.note)
    sys.stdout.write(text)
    if a.readme:
        update_readme(a.readme, text, a.block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
