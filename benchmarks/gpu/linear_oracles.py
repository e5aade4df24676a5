#!/usr/bin/env python3
"""Checks a linear-network sweep against the README's analytic oracles (DESIGN O1–O7), the GPU
check's "linear-network oracles" step.

  linear_oracles.py DIR [--ref JAVA_DIR] [--label TEXT] [--json FILE]

DIR holds results.csv of the README's seed command (two-layer linear network 1-4-1 on
scalar:x=1,y=1, --method tangent --exponents 8 --sharpness --flow --balance). For every
converged cell (converged = true, not diverged), with η its learning rate and S its final sharpness:
  * S ≤ gf_sharpness + 1e-9        GD lands on a flatter minimum than gradient flow (O5)
  * η·S ≤ 2 + 1e-9                 a converged GD iterate is at most 2/η sharp
  * |λ8 − ln|1 − η·S|| ≤ 5e-3      the tangent spectrum's last exponent is the tail rate (O7)
  * |λ1..λ7| ≤ 5e-3                the other exponents are 0
  * gf_final_loss ≤ 1e-12          gradient flow reaches the minimum
The O7 tolerance is not rounding: λ averages steps 200–2000, which still include the slow approach
to the minimum where |1 − η·S| is close to 1; the Java backend's largest deviation is 2.0e-3
(η = 0.99, README), so 5e-3 leaves room for rounding only. At least one cell must converge.
With --ref (the same sweep on Java), the cells' outcome (converged / diverged / neither) and, for
cells converged in both, S are compared and reported (not checked: which minimum a long run
reaches may depend on rounding). Exit code 0 pass, 1 fail, 2 unreadable.
"""
import argparse
import csv
import math
import os
import sys

from checklib import finish, report

O7_TOL = 5e-3
ZERO_TOL = 5e-3


def rows(d):
    with open(os.path.join(d, "results.csv"), newline="") as f:
        return list(csv.DictReader(f))


def outcome(r):
    return "converged" if r["converged"] == "true" else "diverged" if r["diverged"] == "true" else "neither"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--ref")
    ap.add_argument("--label", default="")
    ap.add_argument("--json")
    a = ap.parse_args()
    out = {"label": a.label, "dir": a.dir}
    try:
        rs = rows(a.dir)
        ref = {(r["lr_index"], r["init"]): r for r in rows(a.ref)} if a.ref else None
        need = ["lr", "converged", "diverged", "sharpness", "gf_sharpness", "gf_final_loss", "lambda_8"]
        missing = [c for c in need if rs and c not in rs[0]]
        if not rs or missing:
            raise ValueError(f"results.csv lacks rows or columns {missing}")
    except (OSError, ValueError, KeyError) as e:
        out.update(status="error", detail=str(e))
        print(f"ERROR {a.label}: {e}")
        finish(a, out)
        sys.exit(2)
    bad, counts = [], {"converged": 0, "diverged": 0, "neither": 0}
    worst_o7 = worst_zero = 0.0
    for r in rs:
        counts[outcome(r)] += 1
        if outcome(r) != "converged":
            continue
        cell = f"cell {r['lr_index']}/{r['init']} (lr {r['lr']})"
        eta, s, gf = float(r["lr"]), float(r["sharpness"]), float(r["gf_sharpness"])
        if not s <= gf + 1e-9:
            bad.append(f"{cell}: sharpness {s} > gradient flow's {gf}")
        if not eta * s <= 2 + 1e-9:
            bad.append(f"{cell}: η·sharpness {eta * s} > 2")
        o7 = abs(float(r["lambda_8"]) - math.log(abs(1 - eta * s)))
        worst_o7 = max(worst_o7, o7)
        if not o7 <= O7_TOL:
            bad.append(f"{cell}: λ8 {r['lambda_8']} vs ln|1 − η·S| {math.log(abs(1 - eta * s))} (|Δ| {o7:.3g})")
        for i in range(1, 8):
            z = abs(float(r[f"lambda_{i}"]))
            worst_zero = max(worst_zero, z)
            if not z <= ZERO_TOL:
                bad.append(f"{cell}: λ{i} = {r[f'lambda_{i}']}, expected 0")
        if not float(r["gf_final_loss"]) <= 1e-12:
            bad.append(f"{cell}: gradient flow's final loss {r['gf_final_loss']}")
    if counts["converged"] == 0:
        bad.append("no cell converged")
    ok = not bad
    out.update(status="pass" if ok else "fail", cells=len(rs), **counts, max_o7_deviation=worst_o7,
               max_zero_exponent=worst_zero, failures=bad[:50])
    line = (f"{'PASS' if ok else 'FAIL'} {a.label}: {len(rs)} cells, {counts['converged']} converged, "
            f"{counts['diverged']} diverged, {counts['neither']} neither; on converged cells S ≤ S_GF, η·S ≤ 2, "
            f"max |λ8 − ln|1−ηS|| {worst_o7:.2e}, max |λ1..7| {worst_zero:.2e} (allowed {O7_TOL:g})")
    if ref is not None:
        same = sum(1 for r in rs if (r["lr_index"], r["init"]) in ref and outcome(ref[(r["lr_index"], r["init"])]) == outcome(r))
        both = [(r, ref[(r["lr_index"], r["init"])]) for r in rs if (r["lr_index"], r["init"]) in ref
                and outcome(r) == "converged" and outcome(ref[(r["lr_index"], r["init"])]) == "converged"]
        rel = [abs(float(x["sharpness"]) - float(y["sharpness"])) / abs(float(y["sharpness"])) for x, y in both]
        out.update(same_outcome_as_ref=same, converged_in_both=len(both), max_rel_sharpness_vs_ref=max(rel, default=0.0))
        line += (f"; vs Java: same outcome in {same} of {len(rs)} cells, sharpness of {len(both)} cells converged in "
                 f"both agrees to {max(rel, default=0.0):.1e} relative")
    report(a, out, bad, line, ok)


if __name__ == "__main__":
    main()
