"""Seconds per training epoch of a 784-100-10 MLP (batch 200, Fashion-MNIST): plain torch vs in situ.

Usage: ``python benchmarks/insitu_epoch.py [--device cpu|cuda] [--epochs N] [--preset NAME]``. Both
networks run the same loop (shuffle, forward, cross-entropy, backward, optimiser step) on the same
machine in the same run: plain torch is ``nn.Linear`` + ``torch.optim.SGD``; in situ is
:class:`~memristive.nn.MemristiveLinear` on the preset + :class:`~memristive.nn.PulseSGD`. The
first epoch of each is a warm-up; the figure is the mean of the rest.
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from memristive.data import load_dataset
from memristive.devices import get_preset
from memristive.nn import PulseSGD, convert_to_memristive, init_devices


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 100), nn.Sigmoid(), nn.Linear(100, 10))


def epochs(net: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor, count: int,
           generator: torch.Generator) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        order = torch.randperm(len(x), generator=generator, device=generator.device)
        for i in range(0, len(x), 200):
            idx = order[i:i + 200]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
        if x.is_cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--preset", default="tpt-ram-110")
    args = parser.parse_args()
    data = load_dataset("fashion-mnist")
    x, y = data.x_train.flatten(1).to(args.device), data.y_train.to(args.device)
    results = {}
    for label in ("torch", "in situ"):
        torch.manual_seed(0)
        net = mlp().to(args.device)
        gen = torch.Generator(device=args.device).manual_seed(0)
        if label == "torch":
            opt = torch.optim.SGD(net.parameters(), lr=1.0)
        else:
            convert_to_memristive(net, get_preset(args.preset))
            init_devices(net, gen)
            opt = PulseSGD(net.parameters(), lr=1.0, generator=gen)
        times = epochs(net, opt, x, y, args.epochs, gen)
        results[label] = sum(times[1:]) / max(len(times) - 1, 1)
        print(f"{label:8} {results[label]:.2f} s per epoch ({', '.join(f'{t:.2f}' for t in times)})", flush=True)
    print(f"in situ / torch: {results['in situ'] / results['torch']:.1f}x  ({len(x)} images, batch 200, "
          f"{args.device}, torch {torch.__version__}, {torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
