#!/usr/bin/env python3
"""PyTorch peer (b): the per-network loop of the paper's published script.

One nn.Module (Linear 784→64, Tanh, Linear 64→10) and one torch.optim.SGD per trajectory; every
GD step loops over the T networks: zero_grad, forward on the full batch, mean cross-entropy,
backward, optimizer step. Same data, init (weights N(0, 1), biases 0) and learning rates as
torch_batched.py and gdchaos (workload.py).

  /usr/bin/python3 torch_per_network.py --dtype f64 --n 10000 --t 64 --steps 3
"""
from workload import learning_rates, mnist, parse_args, run, setup_torch


def main():
    args = parse_args(__doc__.splitlines()[0])
    torch = setup_torch(args)
    nn = torch.nn
    dt = torch.float32 if args.dtype == "f32" else torch.float64
    x, labels = mnist(args.n, torch, dt)
    nets, opts = [], []
    for lr in learning_rates(args.t):
        net = nn.Sequential(nn.Linear(784, 64), nn.Tanh(), nn.Linear(64, 10)).to(dt)
        for m in net:
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, 1.0)
                nn.init.zeros_(m.bias)
        nets.append(net)
        opts.append(torch.optim.SGD(net.parameters(), lr=lr))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        first = None
        for net, opt in zip(nets, opts):
            opt.zero_grad()
            loss = loss_fn(net(x), labels)
            loss.backward()
            opt.step()
            if first is None:
                first = loss.item()
        return first

    run("torch-per-network", args, step)


if __name__ == "__main__":
    main()
