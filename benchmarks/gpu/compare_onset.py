#!/usr/bin/env python3
"""Compares an onset search on a device backend with the same search on the Java backend (the GPU
check's "onset search" step).

  compare_onset.py JAVA_DIR DEVICE_DIR [--label TEXT] [--json FILE]

Both folders hold the onset.json of one `gdchaos onset` command run with --backend java and
--backend DEVICE. The searches must make the same decisions: the same rounds with the same new
points, the same verdict for every visited learning rate after every round, and the same onset
bracket and fastest η. Exit code 0 when they agree, 1 on a disagreement, 2 when the folders cannot
be compared (a missing or unfinished onset.json).
"""
import argparse
import json
import os
import sys

from checklib import report


def load(d):
    with open(os.path.join(d, "onset.json")) as f:
        o = json.load(f)
    if o.get("status") != "complete":
        raise ValueError(f"{d}/onset.json is not complete")
    return o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("java")
    ap.add_argument("device")
    ap.add_argument("--label", default="onset search")
    ap.add_argument("--json")
    a = ap.parse_args()
    try:
        ref, dev = load(a.java), load(a.device)
    except (OSError, ValueError) as e:
        print(f"compare_onset: {e}", file=sys.stderr)
        return 2
    problems = []
    if len(ref["rounds"]) != len(dev["rounds"]):
        problems.append(f"{len(ref['rounds'])} rounds on java, {len(dev['rounds'])} on the device")
    for r, d in zip(ref["rounds"], dev["rounds"]):
        if r["new_points"] != d["new_points"]:
            problems.append(f"round {r['round']}: new points differ")
        rv = {p["lr"]: p["verdict"] for p in r["points"]}
        dv = {p["lr"]: p["verdict"] for p in d["points"]}
        for lr in sorted(set(rv) | set(dv)):
            if rv.get(lr) != dv.get(lr):
                problems.append(f"round {r['round']}: η = {lr} is {rv.get(lr)} on java, {dv.get(lr)} on the device")
    for k in ("onset_low", "onset_high", "fastest_low", "fastest_high"):
        if ref["answer"].get(k) != dev["answer"].get(k):
            problems.append(f"answer {k}: {ref['answer'].get(k)} on java, {dev['answer'].get(k)} on the device")
    facts = {"label": a.label, "rounds": len(ref["rounds"]), "onset": ref["answer"]["onset"],
             "device_onset": dev["answer"]["onset"], "problems": problems}
    line = f"{a.label}: {'same decisions' if not problems else str(len(problems)) + ' disagreement(s)'} " \
           f"({len(ref['rounds'])} rounds; java: {ref['answer']['onset']})"
    report(a, facts, problems, line, not problems)


if __name__ == "__main__":
    sys.exit(main())
