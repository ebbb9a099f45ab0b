"""Cross-point cells: series split of device and access element, and the cells in the circuit solver."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar.cells import PASSIVE, Cell, ExponentialSelector, ThresholdSelector, Transistor
from memristive.crossbar.circuit import PassiveCrossbar, SinhIV
from memristive.errors import MemristiveError
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device

ELEMENTS = {"exponential": ExponentialSelector(), "threshold": ThresholdSelector(),
            "transistor": Transistor(), "compliant": Transistor(compliance_a=50e-6)}
CONDUCTIONS = {"ohmic": None, "sinh": SinhIV(2.0)}


def _cells(shape, seed):
    """Conductances in 10-100 uS and voltages in +-2 V, float64 on the test device."""
    gen = generator(seed)
    g = 10e-6 + 90e-6 * torch.rand(shape, generator=gen, dtype=torch.float64, device=TEST_DEVICE)
    v = 4 * torch.rand(shape, generator=gen, dtype=torch.float64, device=TEST_DEVICE) - 2
    return g, v


@pytest.mark.parametrize("element", ELEMENTS)
@pytest.mark.parametrize("conduction", CONDUCTIONS)
def test_split_carries_one_current_through_device_and_element(element, conduction):
    g, v = _cells((50, 40), seed=3)
    cell, iv = Cell(ELEMENTS[element]), CONDUCTIONS[conduction]
    v_d, i = cell.split(v, g, iv)
    device = g * v_d if iv is None else iv.current(g, v_d)
    assert torch.allclose(device, i, rtol=1e-12, atol=0)
    assert torch.allclose(cell.access.current(v - v_d), i, rtol=1e-9, atol=1e-18)
    assert bool(((v_d * v >= 0) & (v_d.abs() <= v.abs())).all())  # the device takes a share of the cell voltage


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(ELEMENTS)), st.floats(1e-7, 1e-3), st.floats(0.0, 3.0), st.floats(1e-3, 0.5))
def test_cell_current_rises_with_voltage_and_stays_below_the_device_alone(element, g, v, dv):
    cell = Cell(ELEMENTS[element])
    volts = torch.tensor([v, v + dv], dtype=torch.float64)
    i = cell.current(volts, torch.tensor(g, dtype=torch.float64))
    assert float(i[1]) >= float(i[0]) >= 0
    assert float(i[1]) <= g * (v + dv) * (1 + 1e-12)


def test_the_transistor_limits_the_current_to_its_compliance():
    cell = Cell(Transistor(r_on_ohm=1e3, compliance_a=50e-6))
    v_d, i = cell.split(torch.tensor([2.5, -2.5], dtype=torch.float64), torch.tensor(100e-6, dtype=torch.float64))
    assert torch.allclose(i.abs(), torch.full((2,), 50e-6, dtype=torch.float64), rtol=1e-9)
    assert torch.allclose(v_d.abs(), torch.full((2,), 0.5, dtype=torch.float64), rtol=1e-9)  # the set stops at I_cc / G


def test_a_gate_off_cell_takes_its_voltage_on_the_transistor():
    cell = Cell(Transistor())
    v_d, _ = cell.split(torch.tensor(2.0, dtype=torch.float64), torch.tensor(100e-6, dtype=torch.float64), on=False)
    assert float(v_d) < 1e-7


def test_a_threshold_selector_passes_almost_nothing_below_threshold_and_the_device_current_above():
    cell, g = Cell(ThresholdSelector(threshold_v=0.5)), torch.tensor(50e-6, dtype=torch.float64)
    below, above = cell.current(torch.tensor([0.4, 1.0], dtype=torch.float64), g)
    assert float(below) < 1e-9 and float(above) > 0.9 * 50e-6 * 0.5


def test_passive_cells_and_zero_conductances():
    g, v = _cells((4, 4), seed=1)
    v_d, i = PASSIVE.split(v, g)
    assert torch.equal(v_d, v) and torch.equal(i, g * v) and PASSIVE.name == "0T1R"
    g[0, 0], v[1, 1] = 0.0, 0.0
    v_d, i = Cell(ExponentialSelector()).split(v, g)
    assert float(i[0, 0]) == 0.0 and float(v_d[0, 0]) == abs(float(v[0, 0])) * (1 if v[0, 0] > 0 else -1)
    assert float(i[1, 1]) == 0.0 and float(v_d[1, 1]) == 0.0


def test_voltage_for_inverts_the_split():
    cell, g = Cell(ExponentialSelector()), torch.tensor([20e-6, 80e-6], dtype=torch.float64)
    v_cell = cell.voltage_for(torch.tensor(0.25, dtype=torch.float64), g)
    v_d, _ = cell.split(v_cell, g)
    assert torch.allclose(v_d, torch.full((2,), 0.25, dtype=torch.float64), rtol=1e-9)


def test_names_and_parameter_checks():
    assert [Cell(e).name for e in (ExponentialSelector(), Transistor())] == ["1S1R", "1T1R"]
    with pytest.raises(MemristiveError, match="r_on_ohm"):
        Transistor(r_on_ohm=0)
    with pytest.raises(MemristiveError, match="g_on_s"):
        ThresholdSelector(g_on_s=1e-12)


@pytest.mark.parametrize("element", ["exponential", "threshold", "transistor"])
def test_cells_in_the_circuit_solver_meet_kirchhoff_and_ideal_wires_give_the_cell_sum(element):
    g, _ = _cells((16, 12), seed=5)
    cell = Cell(ELEMENTS[element])
    v = torch.rand(3, 16, generator=generator(6), dtype=torch.float64, device=TEST_DEVICE)
    read = cell.voltage_for(torch.tensor(0.25, dtype=torch.float64), torch.tensor(55e-6, dtype=torch.float64))
    v = (v > 0.5) * read  # binary inputs at the cell's read voltage
    # the split solves each cell to 1e-12 of its voltage: the KCL residual cannot go far below 1e-9 relative
    solution = PassiveCrossbar(g, 0.01, 0.01, iv=cell.conduction()).solve(v, method="sweep", rtol=1e-8)
    assert solution.residual < 1e-8 * float(solution.currents.abs().max())
    ideal = cell.current(v[:, :, None], g).sum(dim=1)
    assert torch.allclose(solution.currents, ideal, rtol=1e-3)
    wired = PassiveCrossbar(g, 2.5, 2.5, iv=cell.conduction()).solve(v, method="sweep", rtol=1e-9)
    assert bool((wired.currents < solution.currents).all())  # IR drop lowers every output


def test_sneak_read_error_falls_from_0t1r_to_1s1r_to_1t1r():
    from memristive.crossbar.sneak import read_error

    g, _ = _cells((32, 32), seed=8)
    errors = {}
    for cell in (PASSIVE, Cell(ThresholdSelector()), Cell(Transistor())):
        read = cell.voltage_for(torch.tensor(0.25, dtype=torch.float64), g[3, 5])
        errors[cell.name] = float(read_error(g, 3, 5, float(read), "floating", cell))
    assert errors["0T1R"] > 1.0  # sneak paths through 32 x 32 devices of similar conductance outweigh the device
    assert 0 < errors["1S1R"] < 1e-2 and 0 < errors["1T1R"] < 1e-4
