"""Sneak-path reads of a passive array."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar.sneak import read_current, read_error
from memristive.errors import MemristiveError


def test_floating_2x2_read_adds_the_series_sneak_path():
    G = np.array([[10e-6, 20e-6], [30e-6, 40e-6]])
    sneak = 1 / (1 / G[0, 1] + 1 / G[1, 1] + 1 / G[1, 0])  # (0,1) -> (1,1) -> (1,0)
    assert read_current(G, 0, 0, 0.2, "floating") == pytest.approx(0.2 * (G[0, 0] + sneak), rel=1e-12)


def test_grounded_read_is_exact_and_biased_reads_follow_their_formulas():
    rng = np.random.default_rng(0)
    G = rng.uniform(10e-6, 100e-6, (6, 5))
    v = 0.25
    assert read_error(G, 2, 3, v, "grounded") == pytest.approx(0.0, abs=1e-12)
    others = G[:, 3].sum() - G[2, 3]
    assert read_current(G, 2, 3, v, "v/2") == pytest.approx(v * G[2, 3] + v / 2 * others)
    assert read_current(G, 2, 3, v, "v/3") == pytest.approx(v * G[2, 3] + v / 3 * others)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 12), m=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_floating_lines_obey_kirchhoff_and_only_add_current(n, m, seed):
    rng = np.random.default_rng(seed)
    G = rng.uniform(1e-6, 100e-6, (n, m))
    i, j = rng.integers(n), rng.integers(m)
    from memristive.crossbar.sneak import _line_voltages

    rows, cols = _line_voltages(G, i, j, 0.25, "floating")
    currents = G * (rows[:, None] - cols[None, :])
    free_rows = np.arange(n) != i
    free_cols = np.arange(m) != j
    np.testing.assert_allclose(currents[free_rows].sum(1), 0, atol=1e-15)
    np.testing.assert_allclose(currents[:, free_cols].sum(0), 0, atol=1e-15)
    assert read_error(G, i, j, 0.25, "floating") >= -1e-12


def test_sneak_error_of_a_low_device_among_high_ones_is_large_when_floating():
    G = np.full((16, 16), 100e-6)
    G[0, 0] = 10e-6
    assert read_error(G, 0, 0, scheme="floating") > 1.0
    assert read_error(G, 0, 0, scheme="grounded") == pytest.approx(0.0, abs=1e-12)


def test_bad_read_requests_are_rejected():
    with pytest.raises(MemristiveError, match="read scheme"):
        read_current(np.ones((2, 2)), 0, 0, scheme="v/4")
    with pytest.raises(MemristiveError, match="not in an array"):
        read_current(np.ones((2, 2)), 2, 0)
