#!/usr/bin/env python3
"""The usual PyTorch training data pipeline, as a yardstick for `stegolab bench data`.

torchvision's ImageFolder (the folder holds class sub-folders) + RandomCrop +
RandomHorizontalFlip + ToTensor, batched by a DataLoader with worker processes:
what a researcher writes to train on random crops of a folder of photographs.
Every crop is a decode (no cache), as with stegolab's `crops_per_image: 1` and
`cache: false`. Prints crops/s in all and per worker, in `bench data`'s form.
Run by hand, never by the tests. Needs Debian's python3-torch and
python3-torchvision (scripts/install-dependencies --bench); run it with
/usr/bin/python3:

  /usr/bin/python3 scripts/reference_data_pipeline.py FOLDER --crop 224 \\
      --batch 16 --workers 2 --crops 768
"""
import argparse
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", help="an ImageFolder root: one sub-folder per class")
    parser.add_argument("--crop", type=int, default=224)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--crops", type=int, default=768, help="crops in all (whole batches)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.manual_seed(args.seed)

    started = time.perf_counter()
    dataset = datasets.ImageFolder(
        args.folder,
        transform=transforms.Compose([
            transforms.RandomCrop(args.crop, pad_if_needed=True),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
        ]))
    listed = time.perf_counter() - started
    batches = max(1, args.crops // args.batch)
    crops, first_batch = 0, None
    begin = time.perf_counter()
    # Workers kept across epochs: the pipeline's best case (no re-spawn per epoch).
    loader = DataLoader(dataset, batch_size=args.batch, shuffle=True, drop_last=True,
                        num_workers=args.workers, persistent_workers=args.workers > 0)
    while crops < batches * args.batch:  # epochs until enough batches
        for images, _ in loader:
            if first_batch is None:
                first_batch = time.perf_counter() - begin
            crops += images.shape[0]
            print("\r  batch %d/%d" % (crops // args.batch, batches), end="", flush=True)
            if crops >= batches * args.batch:
                break
    seconds = time.perf_counter() - begin
    rate = crops / seconds
    print("\nreference data pipeline: torchvision ImageFolder + RandomCrop(%d) + "
          "RandomHorizontalFlip + ToTensor, DataLoader(batch_size=%d, num_workers=%d)"
          % (args.crop, args.batch, args.workers))
    print("  source        %d images in %s (listed in %.2f s)" % (len(dataset), args.folder, listed))
    print("  start-up      first batch %.2f s after the loader started" % first_batch)
    print("  all           %d crops in %.2f s: %.1f crops/s, %.1f per worker"
          % (crops, seconds, rate, rate / max(1, args.workers)))


if __name__ == "__main__":
    main()
