"""Inference speed (issue 22 item 4): a 512 x 512 memristive layer with 8-bit DAC and ADC, batch 1000,
against plain ``nn.Linear`` on the same inputs (the issue's bound: within 2x of torch; aihwkit 4.2x).

Run: ``python -m pytest benchmarks/test_inference_speed.py --benchmark-only``; recorded in docs/benchmarks.md.
"""

import pytest
import torch
from torch import nn

from memristive.crossbar import Periphery
from memristive.devices import get_preset
from memristive.nn import MemristiveLinear, init_devices

SIZE, BATCH = 512, 1000


@pytest.fixture(scope="module")
def inputs():
    return torch.rand(BATCH, SIZE, generator=torch.Generator().manual_seed(0))


def test_plain_torch_linear(benchmark, case, inputs):
    case("inference-512-torch")
    torch.manual_seed(0)
    layer = nn.Linear(SIZE, SIZE)
    with torch.no_grad():
        out = benchmark(layer, inputs)
    assert out.shape == (BATCH, SIZE)


def test_memristive_linear_8bit_dac_adc(benchmark, case, inputs):
    case("inference-512-8bit")
    preset = get_preset("tpt-ram-110")
    layer = MemristiveLinear(SIZE, SIZE, preset, periphery=Periphery(read_v=preset.read_v, dac_bits=8, adc_bits=8))
    init_devices(layer, torch.Generator().manual_seed(0))
    assert layer.hardware
    with torch.no_grad():
        out = benchmark(layer, inputs)
    assert out.shape == (BATCH, SIZE) and torch.isfinite(out).all()
