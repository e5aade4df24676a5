#!/usr/bin/env python3
"""Compares a sweep on a device backend with the same sweep on the Java backend (the GPU check's
"CUDA against Java" step; the rule of src/test/.../SweepEquivalenceTest, on losses).

  compare_sweeps.py JAVA_DIR DEVICE_DIR --rel 1e-9 [--calm 0.1] [--label TEXT] [--json FILE]

Both folders hold results.csv and curves.csv of one sweep command run with --backend java and
--backend DEVICE. Cells whose Java λ1 < --calm are calm: their losses must agree,
|x − y| ≤ rel·max(|x|, |y|) + 1e-15, for results.csv's final_loss and test_loss and curves.csv's
loss at every step; non-finite values must be identical strings. Chaotic cells (λ1 ≥ --calm)
amplify rounding differences, so only the sign of λ1 must match. Accuracies are reported (how
many cells differ), not checked. Exit code 0 when everything agrees, 1 on a disagreement, 2 when
the folders cannot be compared (missing files, different cells or headers).
"""
import argparse
import csv
import math
import os
import sys

from checklib import finish, report

FLOOR = 1e-15
LOSS_COLUMNS = ("final_loss", "test_loss")


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path} is empty")
    return rows[0], rows[1:]


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


class Check:
    def __init__(self, rel):
        self.rel = rel
        self.compared = 0
        self.worst = 0.0          # largest relative difference of finite pairs
        self.worst_where = ""
        self.bad = []

    def value(self, where, a, b):
        self.compared += 1
        x, y = num(a), num(b)
        if x is None or y is None or not math.isfinite(x) or not math.isfinite(y):
            if a != b:
                self.bad.append(f"{where}: '{a}' vs '{b}'")
            return
        m = max(abs(x), abs(y))
        d = abs(x - y)
        r = d / m if m > 0 else 0.0
        if r > self.worst:
            self.worst, self.worst_where = r, f"{where}: {a} vs {b}"
        if d > self.rel * m + FLOOR:
            self.bad.append(f"{where}: {a} vs {b} (relative {r:.3g}, allowed {self.rel:.3g})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("java")
    ap.add_argument("device")
    ap.add_argument("--rel", type=float, required=True)
    ap.add_argument("--calm", type=float, default=0.1)
    ap.add_argument("--label", default="")
    ap.add_argument("--json")
    a = ap.parse_args()
    out = {"label": a.label, "java": a.java, "device": a.device, "rel": a.rel, "calm_below": a.calm}
    try:
        hj, rj = read(os.path.join(a.java, "results.csv"))
        hd, rd = read(os.path.join(a.device, "results.csv"))
        cj, curves_j = read(os.path.join(a.java, "curves.csv"))
        cd, curves_d = read(os.path.join(a.device, "curves.csv"))
        if hj != hd or cj != cd:
            raise ValueError("different columns in results.csv or curves.csv")
        col = {n: i for i, n in enumerate(hj)}
        ccol = {n: i for i, n in enumerate(cj)}
        key = lambda r: (r[col["lr_index"]], r[col["init"]])
        dev = {key(r): r for r in rd}
        if sorted(dev) != sorted(key(r) for r in rj):
            raise ValueError(f"different cells: java {len(rj)} rows, device {len(rd)} rows")
        ckey = lambda r: (r[ccol["lr_index"]], r[ccol["init"]], r[ccol["step"]])
        dev_curves = {ckey(r): r for r in curves_d}
        if sorted(dev_curves) != sorted(ckey(r) for r in curves_j):
            raise ValueError("different cells or steps in curves.csv")
    except (OSError, ValueError, KeyError) as e:
        out.update(status="error", detail=str(e))
        print(f"ERROR {a.label}: cannot compare: {e}")
        finish(a, out)
        sys.exit(2)

    chk = Check(a.rel)
    calm, chaotic, sign_bad, acc_diff = [], [], [], 0
    for r in rj:
        d = dev[key(r)]
        cell = f"{r[col['lr_index']]}/{r[col['init']]} (lr {r[col['lr']]})"
        lam_j, lam_d = num(r[col["lambda_1"]]), num(d[col["lambda_1"]])
        for acc in ("train_acc", "test_acc"):
            if acc in col and r[col[acc]] != d[col[acc]]:
                acc_diff += 1
        if lam_j is not None and math.isfinite(lam_j) and lam_j >= a.calm:
            chaotic.append(cell)
            if not (lam_d is not None and lam_d > 0):
                sign_bad.append(f"cell {cell}: λ1 java {lam_j:.4g}, device {d[col['lambda_1']]}")
            continue
        calm.append(cell)
        for c in LOSS_COLUMNS:
            if c in col:
                chk.value(f"results.csv cell {cell} {c}", r[col[c]], d[col[c]])
        for cr in curves_j:
            if (cr[ccol["lr_index"]], cr[ccol["init"]]) == key(r):
                chk.value(f"curves.csv cell {cell} step {cr[ccol['step']]} loss", cr[ccol["loss"]],
                          dev_curves[ckey(cr)][ccol["loss"]])
    bad = chk.bad + sign_bad
    ok = not bad and calm
    out.update(status="pass" if ok else "fail", calm_cells=len(calm), chaotic_cells=len(chaotic),
               losses_compared=chk.compared, max_rel_diff=chk.worst, worst=chk.worst_where,
               accuracy_differences=acc_diff, disagreements=bad[:50])
    line = (f"{'PASS' if ok else 'FAIL'} {a.label}: {len(calm)} calm cells, {chk.compared} losses, max relative "
            f"difference {chk.worst:.2e} (allowed {a.rel:g}); {len(chaotic)} chaotic cells, λ1 sign "
            f"{'same' if not sign_bad else 'DIFFERENT in ' + str(len(sign_bad))}; {acc_diff} accuracy values differ")
    if not calm:
        line += "; no calm cell to compare"
    report(a, out, bad, line, ok)


if __name__ == "__main__":
    main()
