"""LCA sparse coding on arrays (issue 17): equal to a NumPy LCA on ideal devices, converging to the Lasso, the cost
never rising on real devices, bad input refused, and the quick experiment."""

import json

import numpy as np
import pytest
import torch
from sklearn.decomposition import sparse_encode

from memristive.algorithms.lca import LCA
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
ON = {"dtype": torch.float64, "device": TEST_DEVICE}


def _problem(m=16, n=24, batch=12, seed=0):
    g = generator(seed)
    d = torch.randn(m, n, generator=g, **ON)
    d = d / d.norm(dim=0)
    codes = torch.where(torch.rand(batch, n, generator=g, **ON) < 0.15, torch.randn(batch, n, generator=g, **ON), 0.0)
    return d, codes @ d.t() + 0.05 * torch.randn(batch, m, generator=g, **ON)


def _lca(d, lam, model=None, **program):
    array = CrossbarArray(d.shape[0], d.shape[1], model or get_preset("taox-hfox").ideal(),
                          WeightMapping(w_max=float(d.abs().max())), generator=generator(9), **ON)
    lca = LCA(array, lam, eta=0.1)
    lca.store(d, **program)
    return lca


def _numpy_lca(d, x, lam, eta, steps):
    u = np.zeros((x.shape[0], d.shape[1]))
    a = np.zeros_like(u)
    for _ in range(steps):
        u = u + eta * ((x - a @ d.T) @ d + a - u)
        a = np.sign(u) * np.maximum(np.abs(u) - lam, 0)
    return a


def test_ideal_devices_code_what_numpy_lca_codes():
    d, x = _problem()
    ours = _lca(d, 0.1).encode(x, 150).a.cpu().numpy()
    reference = _numpy_lca(d.cpu().numpy(), x.cpu().numpy(), 0.1, 0.1, 150)
    assert np.linalg.norm(ours - reference) <= 1e-6 * np.linalg.norm(reference)


def test_lca_converges_to_the_lasso_solution():
    d, x = _problem(seed=1)
    ours = _lca(d, 0.1).encode(x, 3000).a.cpu().numpy()
    lasso = sparse_encode(x.cpu().numpy(), d.t().cpu().numpy(), algorithm="lasso_cd", alpha=0.1, max_iter=10000)
    assert np.linalg.norm(ours - lasso) <= 1e-3 * np.linalg.norm(lasso)


def test_the_cost_never_rises_on_real_devices():
    d, x = _problem(seed=2)
    lca = _lca(d, 0.05, get_preset("tpt-ram-110"), import_error=0.05, generator=generator(3))
    held = lca.array.weights()
    assert float((held - d).abs().max()) > 1e-3  # the devices hold another dictionary
    costs = lca.encode(x, 300).costs
    assert bool((costs[1:] <= costs[:-1] + 1e-12 * costs[0]).all())


def test_bad_input_is_refused():
    d, x = _problem()
    lca = _lca(d, 0.1)
    with pytest.raises(MemristiveError, match="does not fit an array of 16 x 24"):
        lca.store(torch.zeros(32, 24, **ON))
    with pytest.raises(MemristiveError, match="need \\[batch, 16\\]"):
        lca.encode(torch.zeros(3, 8, **ON))
    with pytest.raises(MemristiveError, match="lam"):
        LCA(lca.array, 0.0)
    with pytest.raises(MemristiveError, match="threshold"):
        LCA(lca.array, 0.1, threshold="firm")


def test_hard_threshold_keeps_potentials_above_lambda():
    lca = LCA(_lca(_problem()[0], 0.2).array, 0.2, threshold="hard", nonnegative=True)
    u = torch.tensor([[-0.5, 0.1, 0.2, 0.3]], **ON)
    torch.testing.assert_close(lca.activation(u), torch.tensor([[0.0, 0.0, 0.0, 0.3]], **ON))


@pytest.mark.slow
def test_lca_sparse_coding_quick(tmp_path):
    m = json.loads(run_experiment("lca-sparse-coding", tmp_path, quick=True).read_text())["metrics"]
    assert abs(m["rel_error_ideal"] - m["rel_error_lasso"]) < 0.01 and m["coef_rel_diff_lasso"] < 0.05
    assert 0.3 < m["sparsity"] < 0.95 and m["cost_decreasing_tpt-ram-110"] == 1.0
    assert m["rel_error_tpt-ram-110"] > m["rel_error_ideal"] and m["psnr_image_ideal_db"] > 25
