#!/usr/bin/env python3
"""Tests of the GPU check's helpers (compare_sweeps.py, linear_oracles.py, summarize.py) on small
synthetic folders: each check must pass on agreeing data and fail on the disagreement it exists
to catch. Run: python3 benchmarks/gpu/test_helpers.py (tests/bundle/run.sh runs it in CI)."""
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))

RESULTS = ["lr_index", "lr", "init", "lambda_1", "final_loss", "train_acc", "test_loss", "test_acc"]
CURVES = ["lr_index", "lr", "init", "step", "loss", "test_acc", "ln_d_l1"]


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def sweep(d, loss_scale=1.0, chaotic_lambda=0.5):
    """Two cells: lr 0.1 calm (λ1 0.001), lr 2.5 chaotic; three curve steps each."""
    rows = [[0, 0.1, 0, 0.001, 0.5 * loss_scale, 0.8, 0.6, 0.7],
            [1, 2.5, 0, chaotic_lambda, 2.0, 0.1, 2.1, 0.1]]
    curves = []
    for i, lr in ((0, 0.1), (1, 2.5)):
        for s in range(3):
            curves.append([i, lr, 0, s, (1.0 - 0.1 * s) * (loss_scale if i == 0 else 1.0), "NaN", -18 + s])
    write(os.path.join(d, "results.csv"), RESULTS, rows)
    write(os.path.join(d, "curves.csv"), CURVES, curves)


def run(script, *args):
    p = subprocess.run([sys.executable, os.path.join(HERE, script), *args], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


class CompareSweepsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.java = os.path.join(self.tmp, "java")
        sweep(self.java)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_identical_sweeps_pass(self):
        dev = os.path.join(self.tmp, "dev")
        sweep(dev)
        rc, out = run("compare_sweeps.py", self.java, dev, "--rel", "1e-9", "--json", os.path.join(self.tmp, "c.json"))
        self.assertEqual(0, rc, out)
        with open(os.path.join(self.tmp, "c.json")) as f:
            j = json.load(f)
        self.assertEqual(("pass", 1, 1), (j["status"], j["calm_cells"], j["chaotic_cells"]))
        self.assertEqual(5, j["losses_compared"])       # 2 results.csv losses + 3 curve steps of the calm cell

    def test_a_calm_loss_off_by_1e8_fails_at_1e9_and_passes_at_1e4(self):
        dev = os.path.join(self.tmp, "dev")
        sweep(dev, loss_scale=1 + 1e-8)
        rc, out = run("compare_sweeps.py", self.java, dev, "--rel", "1e-9")
        self.assertEqual(1, rc, out)
        self.assertIn("FAIL", out)
        rc, out = run("compare_sweeps.py", self.java, dev, "--rel", "1e-4")
        self.assertEqual(0, rc, out)

    def test_chaotic_cells_only_need_the_sign_of_lambda(self):
        dev = os.path.join(self.tmp, "dev")
        sweep(dev, chaotic_lambda=0.9)
        self.assertEqual(0, run("compare_sweeps.py", self.java, dev, "--rel", "1e-9")[0])
        sweep(dev, chaotic_lambda=-0.01)
        rc, out = run("compare_sweeps.py", self.java, dev, "--rel", "1e-9")
        self.assertEqual(1, rc, out)
        self.assertIn("λ1 java", out)

    def test_missing_folder_is_exit_2(self):
        self.assertEqual(2, run("compare_sweeps.py", self.java, os.path.join(self.tmp, "none"), "--rel", "1e-9")[0])


LIN = ["lr_index", "lr", "init"] + [f"lambda_{i}" for i in range(1, 9)] + [
    "diverged", "converged", "sharpness", "gf_sharpness", "gf_final_loss"]


def linear_row(i, eta, s, gf, lam8=None, diverged=False, converged=True):
    lam8 = math.log(abs(1 - eta * s)) if lam8 is None else lam8
    return [i, eta, 0] + [0.0] * 7 + [lam8, str(diverged).lower(), str(converged).lower(), s, gf, 1e-20]


class LinearOraclesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self, rows, *extra):
        write(os.path.join(self.tmp, "d", "results.csv"), LIN, rows)
        return run("linear_oracles.py", os.path.join(self.tmp, "d"), *extra)

    def test_cells_obeying_the_oracles_pass(self):
        rc, out = self.check([linear_row(0, 0.5, 2.5, 2.9), linear_row(1, 0.9, 2.1, 2.2),
                              linear_row(2, 1.2, float("nan"), 3.0, diverged=True, converged=False)])
        self.assertEqual(0, rc, out)
        self.assertIn("2 converged, 1 diverged", out)

    def test_sharper_than_gradient_flow_fails(self):
        self.assertEqual(1, self.check([linear_row(0, 0.5, 3.0, 2.9)])[0])

    def test_eta_times_sharpness_above_two_fails(self):
        self.assertEqual(1, self.check([linear_row(0, 0.9, 2.3, 2.4)])[0])

    def test_lambda8_off_the_tail_rate_fails(self):
        self.assertEqual(1, self.check([linear_row(0, 0.5, 2.5, 2.9, lam8=math.log(0.25) + 0.01)])[0])

    def test_no_converged_cell_fails(self):
        self.assertEqual(1, self.check([linear_row(0, 0.5, 2.5, 2.9, converged=False)])[0])


class SummarizeTest(unittest.TestCase):
    def test_table_rates_ratio_and_peak(self):
        d = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(d, "logs"))
            steps = [("verify", "ok", "20.0", "all available backends agree"),
                     ("tp-gdchaos-cuda-f32-T1024", "ok", "9.0", ""),
                     ("tp-torch-cuda-f32-T1024", "ok", "8.0", ""),
                     ("tp-gdchaos-cuda-f64-T1024", "timeout", "120.0", "killed")]
            with open(os.path.join(d, "steps.tsv"), "w") as f:
                f.write("step\tstatus\tseconds\tdetail\n")
                for s in steps:
                    f.write("\t".join(s) + "\n")
            for name, rate, gflops in (("tp-gdchaos-cuda-f32-T1024", 3000.0, 6150.0), ("tp-torch-cuda-f32-T1024", 2000.0, 4100.0)):
                with open(os.path.join(d, "logs", name + ".log"), "w") as f:
                    f.write("$ cmd\n" + json.dumps({"traj_steps_per_s": rate, "gflops": gflops, "device": "NVIDIA H200"}) + "\n")
            p = subprocess.run([sys.executable, os.path.join(HERE, "summarize.py"), d, "--gpu", "NVIDIA H200", "--n", "10000"],
                               capture_output=True, text=True)
            self.assertEqual(0, p.returncode, p.stderr)
            with open(os.path.join(d, "summary.md")) as f:
                md = f.read()
            self.assertIn("| gdchaos cuda | f32 | 1024 | ok | 3,000.0 | 6,150.0 | 9.2% | 1.50 |", md)
            self.assertIn("FAILED: tp-gdchaos-cuda-f64-T1024", md)
            with open(os.path.join(d, "summary.json")) as f:
                j = json.load(f)
            self.assertEqual(["tp-gdchaos-cuda-f64-T1024"], j["failed"])
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main(verbosity=1)
