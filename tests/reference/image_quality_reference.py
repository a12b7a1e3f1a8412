#!/usr/bin/env python3
"""Expected values of tests/image_quality_test.cpp's MS-SSIM, APD and Y-PSNR
cases, computed independently of the library: plain NumPy in float64, written
from the definitions (Wang, Simoncelli, Bovik 2003 for MS-SSIM; MATLAB's
rgb2ycbcr for studio-range luma), sharing no code with stegolab.

  /usr/bin/python3 tests/reference/image_quality_reference.py

The test images are integer formulas (0-255), so the C++ test rebuilds them
exactly; the printed numbers are pasted into the test.
"""
import numpy as np

WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]


def pattern(height, width):
    """1x3xHxW images a, b on 0-255 (the same formulas as the C++ test)."""
    c, i, j = np.meshgrid(np.arange(3), np.arange(height), np.arange(width), indexing="ij")
    a = (i * 7 + j * 13 + c * 29 + (i * j) % 17) % 256
    b = np.clip(a + (i * 3 + j * 5 + c) % 41 - 20, 0, 255)
    return a.astype(np.float64), b.astype(np.float64)


def gaussian_window():
    g = np.exp(-((np.arange(11) - 5.0) ** 2) / (2 * 1.5 ** 2))
    g /= g.sum()
    return np.outer(g, g)


def filter_valid(channel, window):
    views = np.lib.stride_tricks.sliding_window_view(channel, (11, 11))
    return np.einsum("ijkl,kl->ij", views, window)


def ssim_and_cs(x, y, data_range):
    """Means over channels and valid positions of the SSIM map and of c*s."""
    w = gaussian_window()
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    ssim_maps, cs_maps = [], []
    for cx, cy in zip(x, y):
        mx, my = filter_valid(cx, w), filter_valid(cy, w)
        sxx = filter_valid(cx * cx, w) - mx * mx
        syy = filter_valid(cy * cy, w) - my * my
        sxy = filter_valid(cx * cy, w) - mx * my
        cs = (2 * sxy + c2) / (sxx + syy + c2)
        ssim_maps.append((2 * mx * my + c1) / (mx * mx + my * my + c1) * cs)
        cs_maps.append(cs)
    return np.mean(ssim_maps), np.mean(cs_maps)


def halve(x):
    h, w = x.shape[1] // 2 * 2, x.shape[2] // 2 * 2
    x = x[:, :h, :w]
    return (x[:, 0::2, 0::2] + x[:, 1::2, 0::2] + x[:, 0::2, 1::2] + x[:, 1::2, 1::2]) / 4


def ms_ssim(x, y, data_range):
    scales, h, w = 0, x.shape[1], x.shape[2]
    while scales < 5 and h >= 11 and w >= 11:
        scales, h, w = scales + 1, h // 2, w // 2
    weights = np.array(WEIGHTS[:scales]) / sum(WEIGHTS[:scales])
    value = 1.0
    for s in range(scales):
        full, cs = ssim_and_cs(x, y, data_range)
        value *= max(full if s == scales - 1 else cs, 0.0) ** weights[s]
        x, y = halve(x), halve(y)
    return value, scales


def psnr(a, b, peak=255.0):
    return 10 * np.log10(peak ** 2 / np.mean((a - b) ** 2))


def luma_studio(x):
    return 16 + (65.481 * x[0] + 128.553 * x[1] + 24.966 * x[2]) / 255


def luma_full(x):
    return 0.299 * x[0] + 0.587 * x[1] + 0.114 * x[2]


for height, width in [(48, 40), (176, 176)]:
    a, b = pattern(height, width)
    value, scales = ms_ssim(a, b, 255.0)
    print(f"{height}x{width}: ms_ssim {value:.10f} ({scales} scales), ssim "
          f"{ssim_and_cs(a, b, 255.0)[0]:.10f}, apd {np.mean(np.abs(a - b)):.10f}, "
          f"psnr {psnr(a, b):.10f}, psnr_y_studio {psnr(luma_studio(a), luma_studio(b)):.10f}, "
          f"psnr_y_full {psnr(luma_full(a), luma_full(b)):.10f}")
