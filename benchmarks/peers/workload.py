"""The workload shared by the PyTorch peers, identical to gdchaos's PeerRun / TrainStepBench:
full-batch GD of T MLPs 784-64-10 (tanh, mean cross-entropy), weights N(0, 1), biases 0,
learning rates log-spaced over the paper's range [0.0005, 20] (one rate: 0.1), on the first N
samples of gdchaos's embedded MNIST subset (pixels / 255, read straight from its gzip IDX files:
from the source tree, or — outside it, e.g. in the bundle's check/ folder — from the jar named
by GDCHAOS_JAR).

The CNN peer (torch_cnn_batched.py, gdchaos PeerRun --model cnn) uses the same data and learning
rates with CNN_ARCH on 28x28x1 images and Xavier-normal weights; run() takes its FLOP count.

--device cuda runs on the GPU with TF32 off (float32 products in full float32, as gdchaos does).
"""
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time
import zipfile

# One BLAS thread pool of 2 threads (the machine has 2 cores); set before torch loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("OMP_NUM_THREADS", "2")

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "..", "..", "src", "main", "resources", "org", "gdchaos", "data", "mnist-10k")
JAR_DATA = "org/gdchaos/data/mnist-10k/"
FLOPS_PER_SAMPLE = 4 * 784 * 64 + 6 * 64 + 4 * 64 * 10 + 2 * 64 * 10 + 6 * 10  # ModelSpec.flopsPerSample()

# The small CNN of the CNN peers (torch_cnn_batched.py, PeerRun --model cnn), gdchaos --arch syntax.
CNN_ARCH = "conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10"


def cnn_flops_per_sample():
    """ModelSpec.flopsPerSample() of CNN_ARCH on 28x28x1: per conv/dense layer with m multiply-adds
    per sample (outputs × fan-in) 2m forward, 2m weight gradient, 2m input gradient (not for the first
    layer), plus 6 per output; ≈ 5.62e5."""
    layers = [(24 * 24 * 4, 5 * 5 * 1), (8 * 8 * 8, 5 * 5 * 4), (10, 4 * 4 * 8)]   # (outputs, fan-in)
    return sum(6 * o * k - (2 * o * k if i == 0 else 0) + 6 * o for i, (o, k) in enumerate(layers))


def read_idx(name):
    """One gzip IDX file of the embedded subset, from the source tree or from $GDCHAOS_JAR."""
    path = os.path.join(DATA_DIR, name)
    if os.path.exists(path):
        with gzip.open(path, "rb") as f:
            raw = f.read()
    elif os.environ.get("GDCHAOS_JAR"):
        with zipfile.ZipFile(os.environ["GDCHAOS_JAR"]) as z:
            raw = gzip.decompress(z.read(JAR_DATA + name))
    else:
        raise FileNotFoundError(f"{path} not found; outside the source tree set GDCHAOS_JAR to gdchaos.jar")
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return dims, raw[4 + 4 * ndim:]


def mnist(n, torch, dtype, device="cpu"):
    """First n samples in file order, on `device`: X (n × 784, [0, 1]) and the labels (n)."""
    dims, pixels = read_idx("images-idx3-ubyte.gz")
    _, labels = read_idx("labels-idx1-ubyte.gz")
    if n > dims[0]:
        raise ValueError(f"only {dims[0]} samples available")
    features = dims[1] * dims[2]
    x = torch.frombuffer(bytearray(pixels[:n * features]), dtype=torch.uint8).reshape(n, features)
    x = x.to(dtype) / 255
    lab = torch.frombuffer(bytearray(labels[:n]), dtype=torch.uint8).long()
    return x.to(device), lab.to(device)


def learning_rates(count):
    if count == 1:
        return [0.1]
    lo, hi = math.log(0.0005), math.log(20)
    return [math.exp(lo + (hi - lo) * i / (count - 1)) for i in range(count)]


def parse_args(description, extra=None):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--dtype", default="f64", choices=["f32", "f64"])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--t", type=int, default=64, help="trajectories")
    ap.add_argument("--steps", type=int, default=3, help="timed GD steps")
    ap.add_argument("--warmup", type=int, default=1, help="untimed GD steps first")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--device", default="cpu", help="cpu or cuda (TF32 off)")
    if extra:
        extra(ap)
    return ap.parse_args()


def setup_torch(args):
    import torch
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise SystemExit(f"torch {torch.__version__}: no CUDA device (torch.cuda.is_available() is False)")
        torch.backends.cuda.matmul.allow_tf32 = False   # full float32 products, like gdchaos
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
    elif args.device != "cpu":
        raise SystemExit(f"--device must be cpu or cuda, got {args.device}")
    return torch


def describe(torch, args):
    if args.device.startswith("cuda"):
        return (f"torch {torch.__version__}, {torch.cuda.get_device_name()}, CUDA {torch.version.cuda}, "
                f"tf32 {'on' if torch.backends.cuda.matmul.allow_tf32 else 'off'}")
    return f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def run(impl, args, step, model="mlp", flops_per_sample=FLOPS_PER_SAMPLE):
    """Runs warmup + timed steps of `step()` (returns the loss of trajectory 0), prints one JSON line."""
    loss = None
    for _ in range(args.warmup):
        loss = step()
    times = []
    start = time.perf_counter()
    for _ in range(args.steps):
        t0 = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    times.sort()
    import torch
    out = {"impl": impl, "model": model, "device": describe(torch, args),
           "dtype": args.dtype, "n": args.n, "t": args.t, "steps": args.steps,
           "seconds": round(elapsed, 4), "median_step_s": round(times[len(times) // 2], 4),
           "traj_steps_per_s": round(args.t * args.steps / elapsed, 3),
           "gflops": round(flops_per_sample * args.n * args.t * args.steps / elapsed * 1e-9, 3),
           "loss_first_traj": float(loss)}
    print(json.dumps(out))
    sys.stdout.flush()
