"""Shared ending of the GPU check's comparison helpers (compare_sweeps.py, linear_oracles.py)."""
import json
import sys


def finish(a, out):
    """Writes `out` to the --json file named in the parsed arguments `a`, if any."""
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


def report(a, out, bad, line, ok):
    """Prints up to 20 offending values and the verdict line, writes the JSON, exits 0 (ok) or 1."""
    for b in bad[:20]:
        print("  " + b)
    print(line)
    finish(a, out)
    sys.exit(0 if ok else 1)
