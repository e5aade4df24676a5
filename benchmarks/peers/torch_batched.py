#!/usr/bin/env python3
"""PyTorch peer (a): the batched workload, written the way a PyTorch user would batch it.

T trajectories as stacked tensors W1 [T, 64, 784], b1 [T, 64], W2 [T, 10, 64], b2 [T, 10];
the shared input X [N, 784] enters the first layer as ONE GEMM  X · [W1_1 … W1_T]ᵀ
(N × 784 times 784 × 64·T, the same shared-operand trick gdchaos uses), the second layer is a
batched matmul. Loss = Σ_t mean_i CE_t(i) (trajectories are independent, so autograd gives each
its own mean-loss gradient); update W_t -= η_t · ∇W_t with per-trajectory learning rates.
Full batch, one step = one epoch. See workload.py for data, init and learning rates.

  /usr/bin/python3 torch_batched.py --dtype f64 --n 10000 --t 64 --steps 3
"""
from workload import learning_rates, mnist, parse_args, run, setup_torch


def main():
    args = parse_args(__doc__.splitlines()[0])
    torch = setup_torch(args)
    dt = torch.float32 if args.dtype == "f32" else torch.float64
    x, labels = mnist(args.n, torch, dt)
    t = args.t
    w1 = torch.randn(t, 64, 784, dtype=dt).requires_grad_()
    b1 = torch.zeros(t, 64, dtype=dt).requires_grad_()
    w2 = torch.randn(t, 10, 64, dtype=dt).requires_grad_()
    b2 = torch.zeros(t, 10, dtype=dt).requires_grad_()
    params = [w1, b1, w2, b2]
    lr = torch.tensor(learning_rates(t), dtype=dt)
    lr_views = [lr.view(t, 1, 1), lr.view(t, 1), lr.view(t, 1, 1), lr.view(t, 1)]
    target = labels.repeat(t)  # [T·N], trajectory-major

    def step():
        for p in params:
            p.grad = None
        z1 = x @ w1.reshape(t * 64, 784).T                       # [N, T·64], one shared-operand GEMM
        h = torch.tanh(z1.reshape(args.n, t, 64).transpose(0, 1) + b1[:, None, :])   # [T, N, 64]
        z2 = torch.baddbmm(b2[:, None, :], h, w2.transpose(1, 2))                     # [T, N, 10]
        ce = torch.nn.functional.cross_entropy(z2.reshape(t * args.n, 10), target, reduction="none")
        loss_t = ce.view(t, args.n).mean(dim=1)                 # per-trajectory mean loss
        loss_t.sum().backward()
        with torch.no_grad():
            for p, l in zip(params, lr_views):
                p.sub_(l * p.grad)
        return loss_t[0].item()

    run("torch-batched", args, step)


if __name__ == "__main__":
    main()
