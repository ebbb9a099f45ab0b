"""Reservoir of volatile devices (issue 17): fading memory of past pulses, the second-order system, bad input, and
the quick experiment beating its no-memory baselines."""

import json

import numpy as np
import pytest
import torch

from memristive.algorithms.reservoir import DeviceReservoir, PulseEncoding, second_order_system
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment

ENCODING = PulseEncoding(1.2, 50e-9, 0.5e-6)


def test_features_remember_earlier_pulses_and_forget_them_with_time():
    reservoir = DeviceReservoir(get_preset("otj-sto"), ENCODING)
    gaps = []
    for steps in (2, 4, 8):
        with_first = torch.zeros(1, 1, steps, dtype=torch.float64)
        with_first[..., 0] = 1.0
        with_first[..., -1] = 1.0
        without = with_first.clone()
        without[..., 0] = 0.0
        gaps.append(float(reservoir.run(with_first) - reservoir.run(without)))
    assert gaps[0] > gaps[1] > gaps[2] > 0  # the first pulse still counts, less the longer ago it came


def test_every_read_matches_the_last_read():
    reservoir = DeviceReservoir(get_preset("otj-sto"), ENCODING)
    x = torch.rand(3, 2, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    torch.testing.assert_close(reservoir.run(x, reads="every")[..., -1], reservoir.run(x))


def test_second_order_system_follows_its_recursion():
    u = torch.rand(50, generator=torch.Generator().manual_seed(1), dtype=torch.float64) * 0.5
    y = second_order_system(u).numpy()
    expected = np.zeros(50)
    for k in range(2, 50):
        expected[k] = 0.4 * expected[k - 1] + 0.4 * expected[k - 1] * expected[k - 2] + 0.6 * float(u[k]) ** 3 + 0.1
    np.testing.assert_allclose(y, expected, rtol=1e-12)


def test_bad_input_is_refused():
    with pytest.raises(MemristiveError, match="not voltage-driven"):
        DeviceReservoir(get_preset("taox-hfox"), ENCODING)
    reservoir = DeviceReservoir(get_preset("otj-sto"), ENCODING)
    with pytest.raises(MemristiveError, match=r"\[0, 1\]"):
        reservoir.run(torch.full((1, 1, 3), 2.0, dtype=torch.float64))
    with pytest.raises(MemristiveError, match="batch, channels, steps"):
        reservoir.run(torch.zeros(4, 3, dtype=torch.float64))
    with pytest.raises(MemristiveError, match="width_s <= interval_s"):
        PulseEncoding(1.0, 2e-6, 1e-6)


def test_reservoir_quick_beats_no_memory(tmp_path):
    m = json.loads(run_experiment("reservoir", tmp_path, quick=True).read_text())["metrics"]
    assert m["digit_accuracy"] >= m["digit_accuracy_no_memory"] + 0.1  # 0.65 vs 0.42 at seed 0
    assert m["digits8x8_accuracy"] >= m["digits8x8_accuracy_no_memory"] + 0.3
    assert m["nmse_2nd_order"] <= 0.7 * m["nmse_2nd_order_no_memory"]
    assert m["digit_accuracy"] <= m["digit_accuracy_all_pixels"]  # 5 device reads hold less than 20 pixels
