"""Sneak-path reads of a passive array."""

import numpy as np
import pytest
import torch

from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar.sneak import _line_voltages, read_current, read_error
from memristive.errors import MemristiveError
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device


def uniform(shape, low, high, seed):
    """Conductances uniform in [low, high), float64 on the test device."""
    return low + (high - low) * torch.rand(shape, generator=generator(seed), dtype=torch.float64, device=TEST_DEVICE)


def test_floating_2x2_read_adds_the_series_sneak_path():
    G = torch.tensor([[10e-6, 20e-6], [30e-6, 40e-6]], dtype=torch.float64, device=TEST_DEVICE)
    sneak = 1 / (1 / G[0, 1] + 1 / G[1, 1] + 1 / G[1, 0])  # (0,1) -> (1,1) -> (1,0)
    current = read_current(G, 0, 0, 0.2, "floating")
    assert current.device == G.device and current.dtype == torch.float64 and current.ndim == 0
    assert float(current) == pytest.approx(float(0.2 * (G[0, 0] + sneak)), rel=1e-12)


def test_arrays_and_lists_are_read_as_float64():
    G = np.array([[10e-6, 20e-6], [30e-6, 40e-6]])
    assert float(read_current(G, 0, 0, 0.2)) == float(read_current(G.tolist(), 0, 0, 0.2))
    assert read_current(G, 0, 0).dtype == torch.float64


def test_grounded_read_is_exact_and_biased_reads_follow_their_formulas():
    G = uniform((6, 5), 10e-6, 100e-6, 0)
    v = 0.25
    assert float(read_error(G, 2, 3, v, "grounded")) == pytest.approx(0.0, abs=1e-12)
    others = float(G[:, 3].sum() - G[2, 3])
    assert float(read_current(G, 2, 3, v, "v/2")) == pytest.approx(v * float(G[2, 3]) + v / 2 * others)
    assert float(read_current(G, 2, 3, v, "v/3")) == pytest.approx(v * float(G[2, 3]) + v / 3 * others)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 12), m=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_floating_lines_obey_kirchhoff_and_only_add_current(n, m, seed):
    G = uniform((n, m), 1e-6, 100e-6, seed)
    i, j = seed % n, (seed // n) % m
    rows, cols = _line_voltages(G, i, j, 0.25, "floating")
    currents = G * (rows[:, None] - cols[None, :])
    free_rows = torch.arange(n, device=TEST_DEVICE) != i
    free_cols = torch.arange(m, device=TEST_DEVICE) != j
    assert float(currents[free_rows].sum(1).abs().max()) < 1e-15
    assert float(currents[:, free_cols].sum(0).abs().max()) < 1e-15
    assert float(read_error(G, i, j, 0.25, "floating")) >= -1e-12


def test_a_line_with_no_conductance_floats_at_the_least_norm_voltage():
    G = uniform((4, 4), 10e-6, 100e-6, 1)
    G[2] = 0.0  # row 2 touches nothing: its voltage is undetermined
    rows, _ = _line_voltages(G, 0, 0, 0.25, "floating")
    assert torch.isfinite(rows).all() and float(rows[2]) == pytest.approx(0.0, abs=1e-9)


def test_sneak_error_of_a_low_device_among_high_ones_is_large_when_floating():
    G = torch.full((16, 16), 100e-6, dtype=torch.float64, device=TEST_DEVICE)
    G[0, 0] = 10e-6
    assert float(read_error(G, 0, 0, scheme="floating")) > 1.0
    assert float(read_error(G, 0, 0, scheme="grounded")) == pytest.approx(0.0, abs=1e-12)


def test_bad_read_requests_are_rejected():
    with pytest.raises(MemristiveError, match="read scheme"):
        read_current(np.ones((2, 2)), 0, 0, scheme="v/4")
    with pytest.raises(MemristiveError, match="not in an array"):
        read_current(np.ones((2, 2)), 2, 0)
