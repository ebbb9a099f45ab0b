"""In-situ training speed (issue 22 item 3): one epoch of a 784-100-10 MLP on Fashion-MNIST, batch 200, plain
torch (``nn.Linear`` + SGD) vs in situ (``MemristiveLinear`` on tpt-ram-110 + ``PulseSGD``), the same loop
(:mod:`insitu_epoch`, which is also a script with a ``--device`` option). Needs the Fashion-MNIST package
(``apt-get install dataset-fashion-mnist``). Run: ``python -m pytest benchmarks/test_insitu_speed.py
--benchmark-only``.
"""

import pytest
import torch

from insitu_epoch import epochs, mlp
from memristive.data import load_dataset
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.nn import PulseSGD, convert_to_memristive, init_devices


@pytest.fixture(scope="module")
def images():
    try:
        data = load_dataset("fashion-mnist")
    except MemristiveError as exc:
        pytest.skip(str(exc))
    return data.x_train.flatten(1), data.y_train


@pytest.mark.parametrize("in_situ", [False, True], ids=["torch", "in-situ"])
def test_one_epoch(benchmark, case, images, in_situ):
    case("insitu-epoch" if in_situ else "insitu-epoch-torch")
    torch.manual_seed(0)
    net, gen = mlp(), torch.Generator().manual_seed(0)
    if in_situ:
        convert_to_memristive(net, get_preset("tpt-ram-110"))
        init_devices(net, gen)
        opt = PulseSGD(net.parameters(), lr=1.0, generator=gen)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=1.0)
    x, y = images
    benchmark.pedantic(lambda: epochs(net, opt, x, y, 1, gen), rounds=3, iterations=1, warmup_rounds=1)
    with torch.no_grad():
        accuracy = float((net(x[:5000]).argmax(1) == y[:5000]).float().mean())
    assert accuracy > 0.6  # it learned
