#!/usr/bin/env python3
"""PyTorch peer (CNN): T small CNNs trained in lockstep, batched the way a PyTorch user would.

The network (gdchaos --arch conv:4@5x5,tanh,avgpool:2,conv:8@5x5,tanh,avgpool:2,dense:10 on
28x28x1 MNIST, cross-entropy mean over the N samples, full batch):

  conv1  all T trajectories' 4 filters as ONE convolution of the shared input with T·4 output
         channels (weights [T·4, 1, 5, 5]): [N, 1, 28, 28] -> [N, T·4, 24, 24], + bias, tanh
  pool   avg_pool2d 2x2                                   -> [N, T·4, 12, 12]
  conv2  one grouped convolution, groups = T (weights [T·8, 4, 5, 5]): trajectory t's 8 filters see
         only its own 4 channels                          -> [N, T·8, 8, 8], + bias, tanh
  pool   avg_pool2d 2x2                                   -> [N, T·8, 4, 4]
  dense  flattened per trajectory in gdchaos's NHWC order (y, x, c) -> [T, N, 128], batched matmul
         with W3 [T, 10, 128] (baddbmm) + bias            -> [T, N, 10] logits
  loss   Σ_t mean_i CE_t(i); autograd; W_t -= η_t·∇W_t with per-trajectory learning rates.

Init: Glorot/Xavier normal as gdchaos's `--init xavier` (std sqrt(2/(fan_in + fan_out)), conv
fan_in = k·k·c_in, fan_out = k·k·c_out; biases 0): the paper's N(0, 1) would saturate every tanh
of this net. Data and learning rates as the MLP peers (workload.py).

  /usr/bin/python3 torch_cnn_batched.py --dtype f32 --n 1000 --t 64 --steps 3
  /usr/bin/python3 torch_cnn_batched.py --check          # gradients vs T unbatched nn.Conv2d models

--conv2 unfold replaces the grouped convolution by unfold (im2col) + one batched matmul over the
trajectories (what a user might try when grouped convolutions are slow, e.g. in float64 where
oneDNN does not apply). --chunk C accumulates the gradient over row blocks of C samples.
"""
from workload import CNN_ARCH, cnn_flops_per_sample, learning_rates, mnist, parse_args, run, setup_torch

C1, C2, K, OUT = 4, 8, 5, 10          # filters of conv1 and conv2, kernel size, classes
FLAT = 4 * 4 * C2                     # dense fan-in: 4x4 pixels x 8 channels


def extra_args(ap):
    ap.add_argument("--chunk", type=int, default=0, help="rows per gradient-accumulation block (0 = all N)")
    ap.add_argument("--conv2", default="grouped", choices=["grouped", "unfold"],
                    help="second convolution as a grouped conv (default) or unfold + bmm")
    ap.add_argument("--profile", action="store_true",
                    help="after the run, profile two more steps with torch.profiler and print the ops table (stderr)")
    ap.add_argument("--check", action="store_true",
                    help="compare the batched gradient (f64, small N and T) with T unbatched nn.Conv2d models, then exit")


def init_params(torch, t, dt, dev):
    """Xavier-normal weights (gdchaos InitSpec XAVIER), zero biases, as leaf tensors."""
    def xavier(shape, fan_in, fan_out):
        return (torch.randn(*shape, dtype=dt, device=dev) * (2.0 / (fan_in + fan_out)) ** 0.5).requires_grad_()

    def zeros(*shape):
        return torch.zeros(*shape, dtype=dt, device=dev).requires_grad_()

    w1 = xavier((t * C1, 1, K, K), K * K * 1, K * K * C1)
    w2 = xavier((t * C2, C1, K, K), K * K * C1, K * K * C2)
    w3 = xavier((t, OUT, FLAT), FLAT, OUT)
    return [w1, zeros(t * C1), w2, zeros(t * C2), w3, zeros(t, OUT)]


def batched_loss(torch, params, t, x, labels, n_total, conv2="grouped"):
    """Per-trajectory Σ over these rows of CE / n_total, shape [T] (the blocks add up to the mean loss)."""
    F = torch.nn.functional
    w1, b1, w2, b2, w3, b3 = params
    rows = x.shape[0]
    a1 = torch.tanh(F.conv2d(x, w1, b1))                                   # [rows, T·4, 24, 24]
    p1 = F.avg_pool2d(a1, 2)                                               # [rows, T·4, 12, 12]
    if conv2 == "grouped":
        z2 = F.conv2d(p1, w2, b2, groups=t)                               # [rows, T·8, 8, 8]
    else:
        cols = F.unfold(p1, K)                                             # [rows, T·4·25, 64]
        cols = cols.view(rows, t, C1 * K * K, 64).permute(1, 2, 0, 3).reshape(t, C1 * K * K, rows * 64)
        z2 = torch.bmm(w2.view(t, C2, C1 * K * K), cols)                   # [T, 8, rows·64]
        z2 = z2.view(t, C2, rows, 8, 8).permute(2, 0, 1, 3, 4).reshape(rows, t * C2, 8, 8) + b2.view(1, -1, 1, 1)
    p2 = F.avg_pool2d(torch.tanh(z2), 2)                                   # [rows, T·8, 4, 4]
    h = p2.view(rows, t, C2, 4, 4).permute(1, 0, 3, 4, 2).reshape(t, rows, FLAT)   # NHWC flatten per trajectory
    z3 = torch.baddbmm(b3[:, None, :], h, w3.transpose(1, 2))              # [T, rows, 10]
    ce = F.cross_entropy(z3.reshape(t * rows, OUT), labels.repeat(t), reduction="none")
    return ce.view(t, rows).sum(dim=1) / n_total


def check(torch, args):
    """Batched gradient vs T separate nn.Sequential CNNs holding the same weights (f64)."""
    nn = torch.nn
    dt = torch.float64
    n, t = min(args.n, 200), min(args.t, 5)
    x, labels = mnist(n, torch, dt)
    x = x.view(n, 1, 28, 28)
    worst = 0.0
    for conv2 in ("grouped", "unfold"):
        params = init_params(torch, t, dt, "cpu")
        with torch.no_grad():   # non-zero biases so that their gradients' routing is checked too
            for b in params[1::2]:
                b.normal_(0, 0.1)
        loss = batched_loss(torch, params, t, x, labels, n, conv2)
        loss.sum().backward()
        w1, b1, w2, b2, w3, b3 = params
        for i in range(t):
            net = nn.Sequential(nn.Conv2d(1, C1, K), nn.Tanh(), nn.AvgPool2d(2), nn.Conv2d(C1, C2, K), nn.Tanh(),
                                nn.AvgPool2d(2)).to(dt)
            dense = nn.Linear(FLAT, OUT).to(dt)
            with torch.no_grad():
                net[0].weight.copy_(w1[i * C1:(i + 1) * C1]); net[0].bias.copy_(b1[i * C1:(i + 1) * C1])
                net[3].weight.copy_(w2[i * C2:(i + 1) * C2]); net[3].bias.copy_(b2[i * C2:(i + 1) * C2])
                dense.weight.copy_(w3[i]); dense.bias.copy_(b3[i])
            feat = net(x).permute(0, 2, 3, 1).reshape(n, FLAT)            # NHWC flatten
            li = nn.functional.cross_entropy(dense(feat), labels)
            li.backward()
            pairs = [(w1.grad[i * C1:(i + 1) * C1], net[0].weight.grad), (b1.grad[i * C1:(i + 1) * C1], net[0].bias.grad),
                     (w2.grad[i * C2:(i + 1) * C2], net[3].weight.grad), (b2.grad[i * C2:(i + 1) * C2], net[3].bias.grad),
                     (w3.grad[i], dense.weight.grad), (b3.grad[i], dense.bias.grad)]
            lerr = abs(float(loss[i]) - float(li)) / abs(float(li))
            gerr = max(float((a - b).abs().max() / b.abs().max()) for a, b in pairs)
            worst = max(worst, lerr, gerr)
            print(f"check conv2={conv2} trajectory {i}: loss {float(li):.6f} rel.err {lerr:.1e}, "
                  f"worst gradient rel.err (max-norm) {gerr:.1e}")
    ok = worst < 1e-10
    print(f"check {'passed' if ok else 'FAILED'}: worst relative error {worst:.1e} (tolerance 1e-10, f64)")
    raise SystemExit(0 if ok else 1)


def main():
    args = parse_args(__doc__.splitlines()[0], extra=extra_args)
    torch = setup_torch(args)
    if args.check:
        check(torch, args)
    dt = torch.float32 if args.dtype == "f32" else torch.float64
    dev, t = args.device, args.t
    x_all, labels_all = mnist(args.n, torch, dt, dev)
    x_all = x_all.view(args.n, 1, 28, 28)
    params = init_params(torch, t, dt, dev)
    lr = torch.tensor(learning_rates(t), dtype=dt, device=dev)
    # learning rate of each parameter's trajectory, broadcast over the parameter's other dimensions
    lr_views = [lr.repeat_interleave(C1).view(-1, 1, 1, 1), lr.repeat_interleave(C1),
                lr.repeat_interleave(C2).view(-1, 1, 1, 1), lr.repeat_interleave(C2),
                lr.view(t, 1, 1), lr.view(t, 1)]
    chunk = args.chunk if 0 < args.chunk < args.n else args.n
    blocks = [(s, min(s + chunk, args.n)) for s in range(0, args.n, chunk)]

    def step():
        for p in params:
            p.grad = None
        loss_0 = 0.0
        for s, e in blocks:
            loss_t = batched_loss(torch, params, t, x_all[s:e], labels_all[s:e], args.n, args.conv2)
            loss_t.sum().backward()
            loss_0 = loss_0 + loss_t[0].detach()
        with torch.no_grad():
            for p, l in zip(params, lr_views):
                p.sub_(l * p.grad)
        return float(loss_0)

    impl = "torch-cnn-batched" + ("" if args.conv2 == "grouped" else "-unfold") + (
        "" if chunk == args.n else f"-chunk{chunk}")
    run(impl, args, step, model="cnn", flops_per_sample=cnn_flops_per_sample())
    if args.profile:
        import sys
        from torch.profiler import ProfilerActivity, profile
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            step()
            step()
        print(f"torch.profiler, two steps, {args.dtype}, N={args.n}, T={t} (self CPU = wall time inside each op "
              "on the calling thread; ops run with the intra-op pool):", file=sys.stderr)
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=14), file=sys.stderr)


if __name__ == "__main__":
    main()
