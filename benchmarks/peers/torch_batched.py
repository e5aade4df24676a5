#!/usr/bin/env python3
"""PyTorch peer (a): the batched workload, written the way a PyTorch user would batch it.

T trajectories as stacked tensors W1 [T, 64, 784], b1 [T, 64], W2 [T, 10, 64], b2 [T, 10];
the shared input X [N, 784] enters the first layer as ONE GEMM  X · [W1_1 … W1_T]ᵀ
(N × 784 times 784 × 64·T, the same shared-operand trick gdchaos uses), the second layer is a
batched matmul. Loss = Σ_t mean_i CE_t(i) (trajectories are independent, so autograd gives each
its own mean-loss gradient); update W_t -= η_t · ∇W_t with per-trajectory learning rates.
Full batch, one step = one epoch. See workload.py for data, init and learning rates.

  /usr/bin/python3 torch_batched.py --dtype f64 --n 10000 --t 64 --steps 3
  python3 torch_batched.py --device cuda --dtype f32 --t 1024      # on the GPU, TF32 off

--chunk C accumulates the gradient over row blocks of C samples (what a PyTorch user does when the
[N, T·64] activations do not fit in memory; gdchaos works in blocks of 2048 rows too); default:
all N rows at once.
"""
from workload import learning_rates, mnist, parse_args, run, setup_torch


def main():
    args = parse_args(__doc__.splitlines()[0], extra=lambda ap: ap.add_argument(
        "--chunk", type=int, default=0, help="rows per gradient-accumulation block (0 = all N)"))
    torch = setup_torch(args)
    dt = torch.float32 if args.dtype == "f32" else torch.float64
    dev = args.device
    x_all, labels_all = mnist(args.n, torch, dt, dev)
    t = args.t
    w1 = torch.randn(t, 64, 784, dtype=dt, device=dev).requires_grad_()
    b1 = torch.zeros(t, 64, dtype=dt, device=dev).requires_grad_()
    w2 = torch.randn(t, 10, 64, dtype=dt, device=dev).requires_grad_()
    b2 = torch.zeros(t, 10, dtype=dt, device=dev).requires_grad_()
    params = [w1, b1, w2, b2]
    lr = torch.tensor(learning_rates(t), dtype=dt, device=dev)
    lr_views = [lr.view(t, 1, 1), lr.view(t, 1), lr.view(t, 1, 1), lr.view(t, 1)]
    chunk = args.chunk if 0 < args.chunk < args.n else args.n
    blocks = [(s, min(s + chunk, args.n)) for s in range(0, args.n, chunk)]

    def block_loss(x, labels):
        """Σ_t (sum over this block's rows of CE_t) / N: the blocks add up to Σ_t mean-CE_t."""
        rows = x.shape[0]
        z1 = x @ w1.reshape(t * 64, 784).T                       # [rows, T·64], one shared-operand GEMM
        h = torch.tanh(z1.reshape(rows, t, 64).transpose(0, 1) + b1[:, None, :])   # [T, rows, 64]
        z2 = torch.baddbmm(b2[:, None, :], h, w2.transpose(1, 2))                   # [T, rows, 10]
        ce = torch.nn.functional.cross_entropy(z2.reshape(t * rows, 10), labels.repeat(t), reduction="none")
        return ce.view(t, rows).sum(dim=1) / args.n            # per-trajectory share of the mean loss

    def step():
        for p in params:
            p.grad = None
        loss_0 = 0.0
        for s, e in blocks:
            loss_t = block_loss(x_all[s:e], labels_all[s:e])
            loss_t.sum().backward()                            # gradients accumulate over the blocks
            loss_0 = loss_0 + loss_t[0].detach()
        with torch.no_grad():
            for p, l in zip(params, lr_views):
                p.sub_(l * p.grad)
        return float(loss_0)

    run("torch-batched" if chunk == args.n else f"torch-batched-chunk{chunk}", args, step)


if __name__ == "__main__":
    main()
