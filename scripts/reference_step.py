#!/usr/bin/env python3
"""The StarINN training step written the way a researcher would in plain PyTorch.

A yardstick for `stegolab bench step`: the same architecture (Haar DWT, blocks of
ActNorm -> invertible 1x1 conv (LU) -> affine coupling, the same parameter count),
the same step (embed, 8-bit straight-through quantisation, extract with a zero
prior, hiding MSE + recovery MSE + recovery 1-SSIM, Adam) on synthetic batches,
timed the way `bench step` times it. Run by hand or by a benchmark, never by the
test suite. Needs PyTorch (Debian: python3-torch, run with /usr/bin/python3).

  OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/reference_step.py \\
      --size 224 --batch 2 --precision fp32 --threads 2 --steps 4 --warmup 1
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


# --- Haar DWT (orthonormal, one level): bands LL | LH | HL | HH, each C channels.
def dwt(x):
    a, b = x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2]
    c, d = x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2]
    return torch.cat([(a + b + c + d), (a + b - c - d), (a - b + c - d), (a - b - c + d)], 1) / 2


def iwt(bands):
    ll, lh, hl, hh = bands.chunk(4, 1)
    n, c, h, w = ll.shape
    x = bands.new_empty(n, c, 2 * h, 2 * w)
    x[:, :, 0::2, 0::2] = (ll + lh + hl + hh) / 2
    x[:, :, 0::2, 1::2] = (ll + lh - hl - hh) / 2
    x[:, :, 1::2, 0::2] = (ll - lh + hl - hh) / 2
    x[:, :, 1::2, 1::2] = (ll - lh - hl + hh) / 2
    return x


# --- One block: ActNorm -> invertible 1x1 conv -> affine coupling.
class ActNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.log_scale = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.register_buffer("initialized", torch.tensor(0, dtype=torch.uint8))

    def forward(self, x):
        if self.training and not self.initialized:
            with torch.no_grad():
                flat = x.detach().float().transpose(0, 1).flatten(1)
                self.bias.copy_(-flat.mean(1).view(1, -1, 1, 1))
                std = flat.std(1, unbiased=False).view(1, -1, 1, 1)
                self.log_scale.copy_(-torch.log(std.clamp_min(1e-2)))
                self.initialized.fill_(1)
        return (x + self.bias) * torch.exp(self.log_scale)

    def inverse(self, y):
        return y * torch.exp(-self.log_scale) - self.bias


class InvertibleConv1x1(nn.Module):
    """W = P L (U + diag(sign * exp(log_s))), starting at the identity."""

    def __init__(self, c):
        super().__init__()
        self.register_buffer("permutation", torch.eye(c))
        self.register_buffer("sign_s", torch.ones(c))
        self.register_buffer("lower_mask", torch.ones(c, c).tril(-1))
        self.lower = nn.Parameter(torch.zeros(c, c))
        self.upper = nn.Parameter(torch.zeros(c, c))
        self.log_s = nn.Parameter(torch.zeros(c))

    def weight(self):
        eye = torch.eye(self.lower.shape[0], dtype=self.lower.dtype)
        lower = self.lower * self.lower_mask + eye
        upper = self.upper * self.lower_mask.t() + torch.diag(self.sign_s * torch.exp(self.log_s))
        return self.permutation @ lower @ upper

    def forward(self, x):
        w = self.weight().to(x.dtype)
        return F.conv2d(x, w[:, :, None, None])

    def inverse(self, y):
        w_inv = torch.linalg.inv_ex(self.weight().double())[0].to(y.dtype)
        return F.conv2d(y, w_inv[:, :, None, None])


def subnet(channels_in, hidden, channels_out):
    last = nn.Conv2d(hidden, channels_out, 3, padding=1)
    nn.init.zeros_(last.weight)
    nn.init.zeros_(last.bias)
    return nn.Sequential(nn.Conv2d(channels_in, hidden, 3, padding=1), nn.LeakyReLU(0.2),
                         nn.Conv2d(hidden, hidden, 3, padding=1), nn.LeakyReLU(0.2), last)


class AffineCoupling(nn.Module):
    def __init__(self, channels, hidden, clamp=2.0):
        super().__init__()
        self.half, self.clamp = channels // 2, clamp
        self.phi = subnet(self.half, hidden, self.half)
        self.rho = subnet(self.half, hidden, self.half)
        self.eta = subnet(self.half, hidden, self.half)

    def forward(self, x):
        x1, x2 = x[:, :self.half], x[:, self.half:]
        y1 = x1 + self.phi(x2)
        y2 = x2 * torch.exp(self.clamp * torch.tanh(self.rho(y1))) + self.eta(y1)
        return torch.cat([y1, y2], 1)

    def inverse(self, y):
        y1, y2 = y[:, :self.half], y[:, self.half:]
        x2 = (y2 - self.eta(y1)) * torch.exp(-self.clamp * torch.tanh(self.rho(y1)))
        return torch.cat([y1 - self.phi(x2), x2], 1)


class Block(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.act_norm = ActNorm(channels)
        self.mix = InvertibleConv1x1(channels)
        self.coupling = AffineCoupling(channels, hidden)

    def forward(self, x):
        return self.coupling(self.mix(self.act_norm(x)))

    def inverse(self, y):
        return self.act_norm.inverse(self.mix.inverse(self.coupling.inverse(y)))


class StarINN(nn.Module):
    def __init__(self, blocks, hidden, image_channels=3):
        super().__init__()
        self.bands = 4 * image_channels
        self.blocks = nn.ModuleList(Block(2 * self.bands, hidden) for _ in range(blocks))

    def embed(self, cover, secret):
        z = torch.cat([dwt(cover), dwt(secret)], 1)
        for block in self.blocks:
            z = block(z)
        return iwt(z[:, :self.bands]), z[:, self.bands:]

    def extract(self, stego):
        cover_half = dwt(stego)
        x = torch.cat([cover_half, torch.zeros_like(cover_half)], 1)
        for block in reversed(self.blocks):
            x = block.inverse(x)
        return iwt(x[:, self.bands:])


# --- The loss and the training channel.
class QuantizeStraightThrough(torch.autograd.Function):
    """8-bit quantisation of [-1, 1] images as a saved PNG would do; gradient passes."""

    @staticmethod
    def forward(ctx, x):
        return ((x.float() + 1) * 127.5).round().clamp(0, 255) / 127.5 - 1

    @staticmethod
    def backward(ctx, grad):
        return grad


def gaussian_window(channels, size=11, sigma=1.5):
    g = torch.exp(-((torch.arange(size) - size // 2) ** 2) / (2 * sigma * sigma))
    g = g / g.sum()
    return (g[:, None] * g[None, :]).expand(channels, 1, size, size).contiguous()


def ssim(a, b, window):
    """Mean SSIM per image; 11x11 Gaussian (sigma 1.5), valid region, data range 1, in fp32."""
    with torch.autocast("cpu", enabled=False):
        a, b = a.float(), b.float()
        c, n = a.shape[1], a.shape[0]
        stats = F.conv2d(torch.cat([a, b, a * a, b * b, a * b], 0), window, groups=c)
        mu_a, mu_b, aa, bb, ab = stats.split(n, 0)
        c1, c2 = 0.01 ** 2, 0.03 ** 2
        map_ = ((2 * mu_a * mu_b + c1) * (2 * (ab - mu_a * mu_b) + c2)) / (
            (mu_a ** 2 + mu_b ** 2 + c1) * (aa - mu_a ** 2 + bb - mu_b ** 2 + c2))
        return map_.flatten(1).mean(1)


def loss_fn(cover, secret, stego, recovered, window, hide_weight):
    return (hide_weight * F.mse_loss(stego, cover) + 3.0 * F.mse_loss(recovered, secret) +
            5.0 * (1 - ssim((recovered + 1) / 2, (secret + 1) / 2, window).mean()))


def parse_arguments():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=224, help="square image size")
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--blocks", type=int, default=8)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: CPU autocast around the forward pass, as stegolab's strategy")
    p.add_argument("--threads", type=int, default=torch.get_num_threads())
    p.add_argument("--steps", type=int, default=4, help="timed optimiser steps")
    p.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--no-quantize", action="store_true",
                   help="skip the 8-bit channel between embed and extract")
    p.add_argument("--channels-last", action="store_true", help="NHWC inputs and weights")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def main():
    args = parse_arguments()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    model = StarINN(args.blocks, args.hidden)
    memory_format = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(memory_format=memory_format).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    window = gaussian_window(3)
    shape = (args.batch, 3, args.size, args.size)
    cover = (torch.rand(shape) * 2 - 1).contiguous(memory_format=memory_format)
    secret = (torch.rand(shape) * 2 - 1).contiguous(memory_format=memory_format)
    total = args.warmup + args.steps

    def step(index):
        hide_weight = 2.0 + 22.0 * min(1.0, index / total / 0.7)  # stego_loss's ramp
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            stego, _ = model.embed(cover, secret)
            received = stego if args.no_quantize else QuantizeStraightThrough.apply(stego)
            recovered = model.extract(received)
            loss = loss_fn(cover, secret, stego, recovered, window, hide_weight)
        loss.float().backward()
        optimizer.step()

    times = []
    for index in range(total):
        start = time.perf_counter()
        step(index)
        if index >= args.warmup:
            times.append(time.perf_counter() - start)
    report(args, model, times)


def quantile(values, q):
    values = sorted(values)
    position = q * (len(values) - 1)
    below = math.floor(position)
    above = min(below + 1, len(values) - 1)
    return values[below] * (1 - (position - below)) + values[above] * (position - below)


def stegolab_parameter_count(blocks, hidden, image_channels=3):
    """star_inn's count by its formula (docs/model.md), for comparison."""
    c = 2 * 4 * image_channels
    half = c // 2
    subnet_count = (half * hidden * 9 + hidden) + (hidden * hidden * 9 + hidden) + (
        hidden * half * 9 + half)
    return blocks * (2 * c + 2 * c * c + c + 3 * subnet_count)


def report(args, model, times):
    median = statistics.median(times)
    count = sum(p.numel() for p in model.parameters())
    print(f"reference step: plain PyTorch {torch.__version__}")
    print(f"  config        {args.size}x{args.size}x3, batch {args.batch}, {args.precision}, "
          f"{args.blocks} blocks, hidden {args.hidden}, "
          f"{'channels_last' if args.channels_last else 'contiguous'}, "
          f"{torch.get_num_threads()} threads")
    print(f"  parameters    {count} trainable (stegolab's star_inn at these settings: "
          f"{stegolab_parameter_count(args.blocks, args.hidden)})")
    print(f"  steps         {len(times)} timed after {args.warmup} warm-up (synthetic batches, "
          f"no data loading)")
    print(f"  images/s      {args.batch / median:.3f}")
    print(f"  step time     median {median * 1e3:.2f} ms, p10 {quantile(times, 0.1) * 1e3:.2f} ms, "
          f"p90 {quantile(times, 0.9) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
