#!/usr/bin/env python3
"""Writes summary.md and summary.json of a GPU check folder (check.sh calls it last).

  summarize.py DIR [--elapsed S] [--budget S] [--quick 0|1] [--n N] [--gpu NAME]

Reads DIR/steps.tsv (every step: name, status, seconds, detail), the JSON line each throughput step
(tp-*) printed in DIR/logs/, and the comparison / oracle JSON files in DIR/sweeps/. Throughput is
trajectory-steps/s = T·steps / wall time of the timed steps; GFLOP/s counts the dense work,
2.05e5 flops per sample per trajectory-step (ModelSpec.flopsPerSample(): forward, backward, update);
"of peak" divides by the GPU's datasheet peak of that dtype without tensor-core shortcuts that
change the arithmetic (FP64: Hopper's FP64 tensor cores compute exact IEEE double FMAs, so its FP64
tensor-core rate counts; FP32: the plain FP32 rate, since TF32 is off) — known GPUs only.
"""
import argparse
import csv
import glob
import json
import os
import re

# datasheet peaks in TFLOP/s: (f32 plain FP32, f64 incl. FP64 tensor cores), by substring of the name
PEAKS = [
    ("H200", 67.0, 67.0, "H200 SXM datasheet: FP32 67, FP64 tensor core 67 TFLOP/s"),
    ("H100 PCIe", 51.0, 51.0, "H100 PCIe datasheet: FP32 51, FP64 tensor core 51 TFLOP/s"),
    ("H100", 67.0, 67.0, "H100 SXM datasheet: FP32 67, FP64 tensor core 67 TFLOP/s"),
    ("A100", 19.5, 19.5, "A100 datasheet: FP32 19.5, FP64 tensor core 19.5 TFLOP/s"),
]


def peak_for(device):
    for key, f32, f64, note in PEAKS:
        if key.lower() in (device or "").lower():
            return {"f32": f32 * 1e3, "f64": f64 * 1e3, "note": note}
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--elapsed", type=float, default=float("nan"))
    ap.add_argument("--budget", type=float, default=float("nan"))
    ap.add_argument("--quick", default="0")
    ap.add_argument("--n", default="")
    ap.add_argument("--gpu", default="")
    a = ap.parse_args()
    d = a.dir
    with open(os.path.join(d, "steps.tsv"), newline="") as f:
        steps = list(csv.DictReader(f, delimiter="\t"))
    facts = open(os.path.join(d, "facts.txt"), errors="replace").read() if os.path.exists(os.path.join(d, "facts.txt")) else ""
    build = next((l for l in facts.splitlines() if l.startswith("gdchaos ")), "")

    tp = []
    for s in steps:
        if not s["step"].startswith("tp-"):
            continue
        m = re.match(r"tp-(gdchaos|torch)-(.*)-(f32|f64)-T(\d+)(-chunk\d+)?$", s["step"])
        row = {"step": s["step"], "status": s["status"], "detail": s["detail"],
               "impl": m.group(1) if m else "", "variant": m.group(2) if m else "",
               "dtype": m.group(3) if m else "", "t": int(m.group(4)) if m else 0}
        log = os.path.join(d, "logs", s["step"] + ".log")
        if s["status"] == "ok" and os.path.exists(log):
            for line in open(log, errors="replace"):
                if line.startswith("{"):
                    try:
                        row["result"] = json.loads(line)
                    except ValueError:
                        pass
        tp.append(row)
    # gdchaos / torch on the same device, dtype and T
    torch_rate = {}
    for r in tp:
        if r["impl"] == "torch" and "result" in r:
            key = (r["variant"].split("-")[0], r["dtype"], r["t"])
            torch_rate[key] = max(torch_rate.get(key, 0), r["result"]["traj_steps_per_s"])
    peak = peak_for(a.gpu)
    for r in tp:
        res = r.get("result")
        if not res:
            continue
        on_gpu = r["variant"].startswith("cuda") or (r["variant"].startswith("opencl") and a.gpu)
        r["gflops"] = res.get("gflops")
        r["of_peak"] = res["gflops"] / peak[r["dtype"]] if (peak and on_gpu and res.get("gflops")) else None
        if r["impl"] == "gdchaos":
            dev = "cuda" if r["variant"].startswith(("cuda", "opencl")) else "cpu"
            tr = torch_rate.get((dev, r["dtype"], r["t"]))
            r["vs_torch"] = res["traj_steps_per_s"] / tr if tr else None

    comparisons = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(d, "sweeps", "compare-*.json")))]
    oracles = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(d, "sweeps", "oracles-*.json")))]
    counts = {}
    for s in steps:
        counts[s["status"]] = counts.get(s["status"], 0) + 1

    md = []
    when = re.search(r"GPU check, ([^,\s]+)", facts)
    md.append(f"# gdchaos GPU check{' (quick)' if a.quick == '1' else ''}: {a.gpu or 'no GPU'}")
    md.append("")
    md.append(f"{when.group(1) if when else ''}; {build}; {a.elapsed:.0f} s of a {a.budget:.0f} s budget; "
              f"steps: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    md.append("")
    md.append("## Checks")
    md.append("")
    md.append("| step | status | s | detail |")
    md.append("|---|---|---|---|")
    for s in steps:
        if s["step"].startswith("tp-"):
            continue
        md.append(f"| {s['step']} | {s['status']} | {s['seconds']} | {esc(s['detail'])} |")
    md.append("")
    md.append(f"## Throughput: paper workload (784-64-10 tanh, full batch, N = {a.n} embedded digits)")
    md.append("")
    md.append("trajectory-steps/s = T·steps / time of the timed steps; GFLOP/s at 2.05e5 flops per sample and "
              "trajectory-step (dense count)" + (f"; of peak: {peak['note']}" if peak else "; of peak: GPU peak unknown"))
    md.append("")
    md.append("| implementation | dtype | T | status | trajectory-steps/s | GFLOP/s | of peak | gdchaos / torch | device |")
    md.append("|---|---|---|---|---|---|---|---|---|")
    for r in sorted(tp, key=lambda r: (r["dtype"], r["t"], r["impl"], r["variant"])):
        res = r.get("result")
        name = f"{r['impl']} {r['variant']}" + (" (chunk 2048)" if "chunk" in r["step"] else "")
        if res:
            md.append(f"| {name} | {r['dtype']} | {r['t']} | ok | {res['traj_steps_per_s']:,.1f} | {res['gflops']:,.1f} | "
                      f"{fmt_pct(r.get('of_peak'))} | {fmt_ratio(r.get('vs_torch'))} | {res.get('device', '')[:70]} |")
        else:
            md.append(f"| {name} | {r['dtype']} | {r['t']} | {r['status']} | – | – | – | – | {esc(r['detail'][:90])} |")
    md.append("")
    failed = [s["step"] for s in steps if s["status"] in ("fail", "timeout")]
    md.append("Result: " + ("no check failed" if not failed else "FAILED: " + ", ".join(failed)) + ".")
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump({"gpu": a.gpu, "build": build, "elapsed_s": a.elapsed, "budget_s": a.budget, "quick": a.quick == "1",
                   "n": a.n, "peak": peak, "steps": steps, "throughput": tp, "comparisons": comparisons,
                   "oracles": oracles, "failed": failed}, f, indent=1)


def esc(text):
    """Text for a markdown table cell."""
    return text.replace("|", "\\|")


def fmt_pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    main()
