"""The nonlinearity label: curve shape, its inverse, and recovery from curves."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from memristive.devices import inverse_shape, label_from_curve, max_deviation, shape
from memristive.errors import MemristiveError

nus = st.floats(-20, 20, allow_nan=False)


@given(nu=nus)
def test_shape_runs_from_zero_to_one(nu):
    y = shape(torch.tensor([0.0, 1.0], dtype=torch.float64), torch.tensor(nu, dtype=torch.float64))
    assert y[0].item() == pytest.approx(0.0, abs=1e-12)
    assert y[1].item() == pytest.approx(1.0, abs=1e-9)


@given(nu=nus, x=st.floats(0, 1))
def test_inverse_shape_inverts_shape(nu, x):
    nu_t = torch.tensor(nu, dtype=torch.float64)
    y = shape(torch.tensor(x, dtype=torch.float64), nu_t)
    assert inverse_shape(y, nu_t).item() == pytest.approx(x, abs=1e-6)


@given(nu=st.floats(-10, 10, allow_nan=False))
def test_shape_is_monotonic(nu):
    y = shape(torch.linspace(0, 1, 101, dtype=torch.float64), torch.tensor(nu, dtype=torch.float64))
    assert torch.all(torch.diff(y) >= -1e-12)


def test_deviation_is_odd_and_increasing():
    grid = np.linspace(-10, 10, 201)
    d = np.array([max_deviation(nu) for nu in grid])
    assert np.all(np.diff(d) > 0)
    np.testing.assert_allclose(d, -d[::-1], atol=1e-12)
    assert max_deviation(0.0) == 0.0


@pytest.mark.parametrize("nu", [-6.76, -0.63, 0.0, 0.04, 0.2, 1.29, 2.4, 3.68])
def test_label_recovered_from_sampled_curve(nu):
    curve = shape(torch.linspace(0, 1, 51, dtype=torch.float64), torch.tensor(nu, dtype=torch.float64))
    g = 40e-6 + 120e-6 * curve.numpy()
    assert label_from_curve(g) == pytest.approx(nu, abs=0.01)
    # the same curve travelled downwards (LTD, NeuroSim's axis) gets the same label
    assert label_from_curve(g[::-1]) == pytest.approx(nu, abs=0.01)


def test_flat_curve_is_rejected():
    with pytest.raises(MemristiveError, match="no net change"):
        label_from_curve(np.ones(10))
