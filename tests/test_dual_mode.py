"""Dual-mode TPT-RAM device physics."""

import math

import pytest
import torch

from memristive.devices.presets import TPT_RAM_110_DUAL

DEVICE = TPT_RAM_110_DUAL


def _pulses(state, n, gen, voltage=3.0, interval=10e-3):
    for _ in range(n):
        state = DEVICE.advance(DEVICE.apply_voltage(state, voltage, 10e-3, generator=gen), interval)
    return state


def test_volatile_conductance_relaxes_to_hrs_and_formed_state_stays():
    gen = torch.Generator().manual_seed(0)
    weak = _pulses(DEVICE.sample((32,), generator=gen, dtype=torch.float64), 20, gen)
    hrs = DEVICE.diffusive.g_min
    assert DEVICE.conductance(weak).min() > hrs
    later = DEVICE.advance(weak, 3.0)
    assert torch.allclose(DEVICE.conductance(later), torch.full((32,), hrs, dtype=torch.float64), rtol=1e-3)
    strong = _pulses(DEVICE.sample((32,), generator=gen, dtype=torch.float64), 150, gen)
    assert bool(strong.formed.all())
    assert torch.equal(DEVICE.conductance(DEVICE.advance(strong, 100.0)), DEVICE.conductance(strong))


def test_spaced_pulses_do_not_form_what_consecutive_pulses_do():
    gen = torch.Generator().manual_seed(1)
    consecutive = _pulses(DEVICE.sample((64,), generator=gen, dtype=torch.float64), 120, gen)
    spaced = _pulses(DEVICE.sample((64,), generator=gen, dtype=torch.float64), 120, gen, interval=120.0)  # formation leaks away between pulses
    assert bool(consecutive.formed.all()) and not bool(spaced.formed.any())


def test_arrhenius_retention_is_anchored_and_falls_with_temperature():
    assert DEVICE.retention_s(85.0) == pytest.approx(3000.0)
    assert DEVICE.retention_s(25.0) > DEVICE.retention_s(55.0) > DEVICE.retention_s(85.0)
    ratio = DEVICE.retention_s(25.0) / DEVICE.retention_s(85.0)
    expected = math.exp(1.8 / 8.617333262e-5 * (1 / 298.15 - 1 / 358.15))
    assert ratio == pytest.approx(expected)


def test_masked_pulses_leave_other_devices_alone():
    gen = torch.Generator().manual_seed(2)
    state = DEVICE.sample((4,), generator=gen, dtype=torch.float64)
    mask = torch.tensor([True, False, True, False])
    after = DEVICE.apply_voltage(state, torch.where(mask, 3.0, 0.0), 10e-3, generator=gen)
    assert torch.equal(DEVICE.conductance(after)[~mask], DEVICE.conductance(state)[~mask])
    assert bool((DEVICE.conductance(after)[mask] > DEVICE.conductance(state)[mask]).all())
