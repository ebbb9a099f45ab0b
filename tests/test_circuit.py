"""Circuit-level crossbar: agreement with ngspice, Kirchhoff residual, limits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar import circuit, vmm
from memristive.crossbar.circuit import PassiveCrossbar, SinhIV
from memristive.errors import MemristiveError

from .spice import NGSPICE, spice_column_currents

needs_spice = pytest.mark.skipif(NGSPICE is None, reason="ngspice not installed (apt-get install ngspice)")


def _array(n, m, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(10e-6, 100e-6, (n, m)), rng.uniform(0.0, 0.25, n)


@needs_spice
@pytest.mark.parametrize("method", ["sweep", "pcg"])
@pytest.mark.parametrize("shape", [(5, 7), (9, 3), (12, 12)])
@pytest.mark.parametrize("r_row, r_col, r_driver, r_sense", [(1.0, 1.0, 0.0, 0.0), (2.5, 0.5, 50.0, 20.0), (100.0, 80.0, 0.0, 0.0)])
def test_linear_crossbar_agrees_with_ngspice(shape, r_row, r_col, r_driver, r_sense, method):
    G, V = _array(*shape, seed=shape[0] * 31 + shape[1])
    ours = PassiveCrossbar(G, r_row, r_col, r_driver, r_sense).solve(V, method=method)
    spice = spice_column_currents(G, V, r_row, r_col, r_driver, r_sense)
    np.testing.assert_allclose(ours.currents[0].numpy(), spice, rtol=1e-6)
    assert ours.residual < 1e-15


@needs_spice
@pytest.mark.parametrize("method", ["sweep", "pcg"])
@pytest.mark.parametrize("shape", [(4, 6), (7, 5)])
def test_nonlinear_sinh_crossbar_agrees_with_ngspice(shape, method):
    G, V = _array(*shape, seed=7)
    iv = SinhIV.from_nonlinearity(2.0, 1.0)
    V = V * 4  # up to 1 V: strongly nonlinear
    ours = PassiveCrossbar(G, 5.0, 5.0, iv=iv).solve(V, method=method)
    spice = spice_column_currents(G, V, 5.0, 5.0, sinh_b=iv.b_per_v)
    np.testing.assert_allclose(ours.currents[0].numpy(), spice, rtol=1e-6)
    assert ours.iterations >= 1


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 12), m=st.integers(1, 12), r=st.floats(1e-3, 50.0), seed=st.integers(0, 10_000))
def test_kirchhoff_residual_and_effective_matrix(n, m, r, seed):
    G, _ = _array(n, m, seed)
    V = np.random.default_rng(seed).uniform(0, 0.25, (3, n))
    xbar = PassiveCrossbar(G, r, 2 * r, r_driver=r)
    solution = xbar.solve(V)
    assert solution.residual <= 1e-14 * max(1.0, float(solution.currents.abs().max()) * 1e6)
    np.testing.assert_allclose(V @ xbar.effective_conductance().numpy(), solution.currents.numpy(), rtol=1e-9,
                               atol=1e-18)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 10), m=st.integers(1, 10), seed=st.integers(0, 10_000))
def test_wire_resistance_only_lowers_output_currents(n, m, seed):
    G, V = _array(n, m, seed)
    ideal = vmm(V, G)
    lossy = PassiveCrossbar(G, 1.0, 1.0).solve(V).currents[0].numpy()
    assert np.all(lossy <= ideal + 1e-18) and np.all(lossy >= 0)


def test_tiny_wires_approach_ideal_vmm():
    G, V = _array(16, 8, 0)
    np.testing.assert_allclose(PassiveCrossbar(G, 1e-6, 1e-6).solve(V).currents[0].numpy(), V @ G, rtol=1e-6)


def test_ir_drop_grows_with_wire_resistance():
    G, V = _array(32, 32, 1)
    errors = [np.abs(PassiveCrossbar(G, r, r).solve(V).currents[0].numpy() / (V @ G) - 1).mean() for r in (0.1, 1.0, 10.0)]
    assert errors[0] < errors[1] < errors[2]


def test_sinh_model_has_the_requested_nonlinearity():
    iv = SinhIV.from_nonlinearity(2.0, 1.0)
    g = np.array([1e-4])
    assert 0.5 * iv.current(g, 1.0) / iv.current(g, 0.5) == pytest.approx(2.0)
    assert 0.5 * iv.current(g, 0.25) / iv.current(g, 0.125) == pytest.approx(1.055, abs=0.01)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"r_row": 0.0}, "r_row"), ({"r_col": -1.0}, "r_col"), ({"r_sense": -1.0}, "r_sense"), ({"G": np.ones(3)}, "2-D")],
)
def test_bad_circuit_parameters_are_rejected(kwargs, message):
    args = {"G": np.ones((2, 2)) * 1e-5, "r_row": 1.0, "r_col": 1.0, **kwargs}
    with pytest.raises(MemristiveError, match=message):
        PassiveCrossbar(**args)


@pytest.mark.parametrize("r", [0.1, 1.0, 10.0])
def test_pcg_and_sweep_agree_on_a_large_array_with_strong_ir_drop(r):
    G, _ = _array(96, 80, 3)
    V = np.random.default_rng(4).uniform(0, 0.25, (4, 96))
    xbar = PassiveCrossbar(G, r, r, r_driver=2.0, r_sense=1.0)
    pcg, sweep = xbar.solve(V, method="pcg"), xbar.solve(V, method="sweep")
    assert np.abs(sweep.currents.numpy() / (V @ G) - 1).mean() > 0.01  # IR drop matters here
    np.testing.assert_allclose(pcg.currents.numpy(), sweep.currents.numpy(), rtol=1e-9)
    np.testing.assert_allclose(pcg.v_row.numpy(), sweep.v_row.numpy(), rtol=0, atol=1e-12)


def test_auto_picks_cg_for_few_vectors_or_a_too_large_sweep(monkeypatch):
    G, _ = _array(6, 5, 1)
    V = np.random.default_rng(2).uniform(0, 0.25, (20, 6))
    xbar = PassiveCrossbar(G, 1.0, 1.0)
    assert xbar.solve(V[:16]).method == "pcg"
    assert xbar.solve(V).method == "sweep"
    monkeypatch.setattr(circuit, "SWEEP_MAX_BYTES", 16 * 5 * 6**2 - 1)
    assert xbar.solve(V).method == "pcg"


def test_unknown_solve_method_is_rejected():
    with pytest.raises(MemristiveError, match="method"):
        PassiveCrossbar(np.ones((3, 2)) * 1e-5, 1.0, 1.0).solve(np.ones(3), method="lu")


def test_wrong_number_of_inputs_is_rejected():
    with pytest.raises(MemristiveError, match="3 row voltages"):
        PassiveCrossbar(np.ones((3, 2)) * 1e-5, 1.0, 1.0).solve(np.ones(4))


def test_newton_on_a_batch_solves_each_vector_with_its_own_jacobian():
    G, _ = _array(9, 7, 5)
    V = np.random.default_rng(6).uniform(0, 1.0, (3, 9))  # up to 1 V: the slopes differ from vector to vector
    xbar = PassiveCrossbar(G, 2.0, 2.0, iv=SinhIV.from_nonlinearity(2.0, 1.0))
    batch = xbar.solve(V, method="pcg")
    alone = [xbar.solve(v, method="sweep").currents[0].numpy() for v in V]
    np.testing.assert_allclose(batch.currents.numpy(), np.stack(alone), rtol=1e-9)


@pytest.mark.parametrize("shape", [(1, 1), (1, 6), (6, 1)])
def test_single_line_arrays_solve_by_cg_as_by_the_sweep(shape):
    G, V = _array(*shape, seed=3)
    xbar = PassiveCrossbar(G, 1.0, 1.0)
    np.testing.assert_allclose(xbar.solve(V, method="pcg").currents.numpy(), xbar.solve(V, method="sweep").currents.numpy(),
                               rtol=1e-12)
