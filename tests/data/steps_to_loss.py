#!/usr/bin/env python3
"""Steps to a training-loss threshold per learning rate, for sweeps where accuracy is undefined (regression).

    python3 tests/data/steps_to_loss.py SWEEP_DIR THRESHOLD

Reads SWEEP_DIR/curves.csv (the reference trajectory's loss at every step) and summary.csv; per cell, the first
step whose training loss is <= THRESHOLD (never: not counted as reached); per learning rate, the median over the
cells that reached it, how many did, mean lambda_1 and the mean final test loss. Standard library only.
"""
import csv
import math
import os
import statistics
import sys


def main(argv):
    if len(argv) != 3:
        print(__doc__)
        return 2
    d, thr = argv[1], float(argv[2])
    first = {}
    with open(os.path.join(d, "curves.csv"), newline="") as f:
        for r in csv.DictReader(f):
            key = (int(r["lr_index"]), int(r.get("wd_index", 0) or 0), int(r["init"]))
            loss = float(r["loss"])
            first.setdefault(key, None)
            if first[key] is None and math.isfinite(loss) and loss <= thr:
                first[key] = int(r["step"])
    with open(os.path.join(d, "summary.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    print("%10s %10s %16s %10s %12s" % ("lr", "lambda_1", "steps->loss<=%g" % thr, "reached", "test_loss"))
    for r in rows:
        i, w = int(r["lr_index"]), int(r.get("wd_index", 0) or 0)
        steps = [s for (a, b, _), s in first.items() if a == i and b == w]
        hit = [s for s in steps if s is not None]
        med = "%g" % statistics.median(hit) if hit else "never"
        print("%10.4g %10.4f %16s %7d/%-2d %12.4g" % (float(r["lr"]), float(r["lambda_1_mean"]), med, len(hit),
                                                     len(steps), float(r["test_loss_mean"])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
