#!/usr/bin/env python3
"""The bmshj2018-factorized training step written the way a researcher would in plain PyTorch.

A yardstick for `stegolab bench step` on a compression experiment: the same
architecture as the `factorized_prior` plugin (four 5x5 stride-2 convolutions with
GDN, the mirror with transposed convolutions and inverse GDN, a factorized entropy
bottleneck with filters (3, 3, 3)), the same step (noisy latents, lambda * 255^2 * MSE
+ bpp + auxiliary loss, Adam with the quantiles in their own parameter group) on
synthetic batches, timed the way `bench step` times it. Run by hand, never by the test
suite. Needs PyTorch (Debian: python3-torch, run with /usr/bin/python3).

  OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/reference_compression_step.py \\
      --size 64 --batch 8 --n 32 --m 48 --threads 2 --steps 8 --warmup 2
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PEDESTAL = 2.0 ** -36


class GDN(nn.Module):
    def __init__(self, channels, inverse):
        super().__init__()
        self.inverse = inverse
        self.beta = nn.Parameter(torch.sqrt(torch.ones(channels) + PEDESTAL))
        self.gamma = nn.Parameter(torch.sqrt(0.1 * torch.eye(channels) + PEDESTAL))

    def forward(self, x):
        c = self.beta.shape[0]
        beta = self.beta.clamp_min(math.sqrt(1e-6 + PEDESTAL)) ** 2 - PEDESTAL
        gamma = self.gamma.clamp_min(math.sqrt(PEDESTAL)) ** 2 - PEDESTAL
        norm = F.conv2d(x * x, gamma.view(c, c, 1, 1), beta)
        return x * torch.sqrt(norm) if self.inverse else x * torch.rsqrt(norm)


def down(i, o):
    return nn.Conv2d(i, o, 5, stride=2, padding=2)


def up(i, o):
    return nn.ConvTranspose2d(i, o, 5, stride=2, padding=2, output_padding=1)


class EntropyBottleneck(nn.Module):
    def __init__(self, channels, filters=(3, 3, 3), init_scale=10.0, tail_mass=1e-9):
        super().__init__()
        widths = (1,) + tuple(filters) + (1,)
        scale = init_scale ** (1 / (len(widths) - 1))
        self.matrices = nn.ParameterList()
        self.biases = nn.ParameterList()
        self.factors = nn.ParameterList()
        for i in range(len(widths) - 1):
            init = math.log(math.expm1(1 / scale / widths[i + 1]))
            self.matrices.append(nn.Parameter(torch.full((channels, widths[i + 1], widths[i]), init)))
            self.biases.append(nn.Parameter(torch.rand(channels, widths[i + 1], 1) - 0.5))
            if i < len(widths) - 2:
                self.factors.append(nn.Parameter(torch.zeros(channels, widths[i + 1], 1)))
        self.quantiles = nn.Parameter(
            torch.tensor([-init_scale, 0.0, init_scale]).repeat(channels, 1, 1))
        self.target = math.log(2 / tail_mass - 1)

    def logits_cumulative(self, x, stop_gradient):
        for i, matrix in enumerate(self.matrices):
            matrix = F.softplus(matrix)
            bias = self.biases[i]
            if stop_gradient:
                matrix, bias = matrix.detach(), bias.detach()
            x = torch.matmul(matrix, x) + bias
            if i < len(self.factors):
                factor = torch.tanh(self.factors[i])
                x = x + (factor.detach() if stop_gradient else factor) * torch.tanh(x)
        return x

    def aux_loss(self):
        target = torch.tensor([-self.target, 0.0, self.target]).view(1, 1, 3)
        return (self.logits_cumulative(self.quantiles, True) - target).abs().sum()

    def forward(self, y):
        values = y + torch.empty_like(y).uniform_(-0.5, 0.5)
        c = y.shape[1]
        flat = values.transpose(0, 1).reshape(c, 1, -1)
        lower = self.logits_cumulative(flat - 0.5, False)
        upper = self.logits_cumulative(flat + 0.5, False)
        sign = -torch.sign(lower + upper).detach()
        likelihood = torch.abs(torch.sigmoid(sign * upper) - torch.sigmoid(sign * lower))
        likelihood = likelihood.clamp_min(1e-9).reshape(c, y.shape[0], y.shape[2], y.shape[3])
        return values, likelihood.transpose(0, 1)


class FactorizedPrior(nn.Module):
    def __init__(self, n, m):
        super().__init__()
        self.g_a = nn.Sequential(down(3, n), GDN(n, False), down(n, n), GDN(n, False),
                                 down(n, n), GDN(n, False), down(n, m))
        self.g_s = nn.Sequential(up(m, n), GDN(n, True), up(n, n), GDN(n, True),
                                 up(n, n), GDN(n, True), up(n, 3))
        self.entropy_bottleneck = EntropyBottleneck(m)

    def forward(self, x):
        y_hat, likelihoods = self.entropy_bottleneck(self.g_a(x))
        return self.g_s(y_hat), likelihoods


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--n", type=int, default=128)
    p.add_argument("--m", type=int, default=192)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--aux-lr", type=float, default=1e-3)
    p.add_argument("--lmbda", type=float, default=0.013)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def main():
    args = parse_arguments()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = FactorizedPrior(args.n, args.m).train()
    aux = [model.entropy_bottleneck.quantiles]
    main_parameters = [p for p in model.parameters() if p is not aux[0]]
    optimizer = torch.optim.Adam([{"params": main_parameters, "lr": args.lr},
                                  {"params": aux, "lr": args.aux_lr}])
    x = torch.rand(args.batch, 3, args.size, args.size) * 2 - 1
    pixels = args.batch * args.size * args.size

    def step():
        optimizer.zero_grad()
        x_hat, likelihoods = model(x)
        bpp = -torch.log(likelihoods).sum() / math.log(2) / pixels
        mse = (x_hat - x).pow(2).mean() / 4
        loss = args.lmbda * 255 ** 2 * mse + bpp + model.entropy_bottleneck.aux_loss()
        loss.backward()
        optimizer.step()

    times = []
    for index in range(args.warmup + args.steps):
        start = time.perf_counter()
        step()
        if index >= args.warmup:
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    count = sum(p.numel() for p in model.parameters())
    print(f"reference step: plain PyTorch {torch.__version__}")
    print(f"  config        {args.size}x{args.size}x3, batch {args.batch}, fp32, N {args.n}, "
          f"M {args.m}, {torch.get_num_threads()} threads")
    print(f"  parameters    {count} trainable")
    print(f"  steps         {len(times)} timed after {args.warmup} warm-up (synthetic batches)")
    print(f"  images/s      {args.batch / median:.3f}")
    print(f"  step time     median {median * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
