"""Throughput of the tunnel-junction model (issue 6): exact steps over many devices, and a protocol."""

import pytest
import torch

from memristive.devices.presets import OTJ_STO
from memristive.spiking import drive, pulse_train


@pytest.mark.parametrize("devices", [1_000, 1_000_000])
def test_step_many_devices(benchmark, devices):
    state = OTJ_STO.sample((devices,), w=0.1, dtype=torch.float64)
    v = torch.linspace(-2.5, 2.5, devices, dtype=torch.float64)
    benchmark(OTJ_STO.apply_voltage, state, v, 50e-9)


def test_read_current_many_devices(benchmark):
    state = OTJ_STO.sample((1_000_000,), w=0.1, dtype=torch.float64)
    benchmark(OTJ_STO.conductance, state)


def test_ppf_protocol_eight_intervals(benchmark):
    trains = torch.stack([pulse_train(0.6, 50e-9, i * 50e-9, 10, 10e-9, 30e-6) for i in range(1, 9)])
    benchmark(lambda: drive(OTJ_STO, OTJ_STO.sample((8,), dtype=torch.float64), trains, 10e-9))
