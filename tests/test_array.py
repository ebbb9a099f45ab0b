"""CrossbarArray: mappings, direct and write-verify programming, pulse updates, ideal and circuit reads."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar import CrossbarArray, PassiveCrossbar, Periphery, WeightMapping, Wiring, WritePulse, WriteVerify
from memristive.devices import PRESETS, NonlinearPulseDevice
from memristive.errors import MemristiveError
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
F64 = torch.float64
ON = {"dtype": F64, "device": TEST_DEVICE}
WRITE_PULSES = {"otj-sto": WritePulse(2.2, -2.5, 50e-9), "tiox-4k": WritePulse(1.6, -1.9, 1e-3)}


def _weights(rows=12, cols=5, seed=0):
    return torch.rand(rows, cols, generator=generator(seed), **ON) * 1.6 - 0.8


def _array(name, **kw):
    kw.setdefault("generator", generator(1))
    return CrossbarArray(12, 5, PRESETS[name], write_pulse=WRITE_PULSES.get(name), **ON, **kw)


@pytest.mark.parametrize("name", ["otj-sto", "tpt-ram-110-dual", "tiox-4k"])
def test_program_update_and_both_reads(name):
    pristine = name == "tpt-ram-110-dual"  # a pristine dual-mode device has only its small diffusive window
    array = _array(name, mapping=WeightMapping(scheme="one-sided" if pristine else "balanced"))
    w = _weights() * 0.1 if pristine else _weights()
    array.program(w)
    ok = torch.ones_like(w, dtype=torch.bool)
    if name == "tiox-4k":
        ok = ~(array.planes[0].stuck | array.planes[1].stuck)
    torch.testing.assert_close(array.weights()[ok], w[ok], rtol=0, atol=1e-9)

    v = torch.rand(3, 12, **ON) * 0.2
    signed = array.conductances()[0] - array.conductances()[1]
    torch.testing.assert_close(array.read(v), v @ signed)
    u = torch.rand(4, 5, **ON) * 0.2
    torch.testing.assert_close(array.read_transposed(u), u @ signed.t())

    before = array.weights()
    spent = array.update(torch.full((12, 5), 0.05, **ON), generator(2))
    assert spent > 0 and int(array.pulses_applied) == spent and float(array.write_energy_j) > 0
    assert float((array.weights() - before)[ok].mean()) > 0  # a pristine dual-mode device moves far less


@pytest.mark.parametrize("name", ["otj-sto", "tpt-ram-110-dual", "tiox-4k"])
def test_circuit_reads_agree_with_the_passive_crossbar(name):
    wiring = Wiring(r_row=2.0, r_col=1.5, r_driver=10.0, r_sense=5.0)
    array = _array(name, solver="circuit", wiring=wiring)
    array.program(_weights() * 0.1)
    g = array.conductances()
    v = torch.rand(2, 12, **ON) * 0.2
    expected = sum(sign * torch.as_tensor(PassiveCrossbar(g[p], 2.0, 1.5, 10.0, 5.0).solve(v).currents, **ON)
                   for p, sign in ((0, 1.0), (1, -1.0)))
    torch.testing.assert_close(array.read(v), expected, rtol=1e-9, atol=0.0)
    u = torch.rand(2, 5, **ON) * 0.2
    expected_t = sum(sign * torch.as_tensor(PassiveCrossbar(g[p].t(), 1.5, 2.0, 10.0, 5.0).solve(u).currents, **ON)
                     for p, sign in ((0, 1.0), (1, -1.0)))
    torch.testing.assert_close(array.read_transposed(u), expected_t, rtol=1e-9, atol=0.0)


def test_the_circuit_is_rebuilt_only_after_the_conductances_change():
    array = _array("tpt-ram-110", solver="circuit", wiring=Wiring(1.0, 1.0))
    v = torch.rand(2, 12, **ON) * 0.2
    first = array.read(v)
    cached = array._effective[False]
    assert array.read(v) is not first and array._effective[False] is cached
    array.update(torch.full((12, 5), 0.1, **ON), generator(0))
    assert False not in array._effective
    fresh = CrossbarArray(12, 5, PRESETS["tpt-ram-110"], solver="circuit", wiring=Wiring(1.0, 1.0), **ON)
    fresh.planes = array.planes
    torch.testing.assert_close(array.read(v), fresh.read(v))


def test_write_verify_through_the_threshold_model_with_v3_disturb():
    array = _array("tiox-4k")
    w = _weights().abs() * 0.8 + 0.1
    array.program(w, method="write_verify", verify=WriteVerify(scheme="v/3", cycles=3))
    g, target = array.conductances()[0], array.mapping.to_conductances(w, *array.window)[0]
    ok = ~array.planes[0].stuck
    assert float(((g - target).abs() / target)[ok].max()) <= 0.05 + 1e-9
    assert int(array.pulses_applied) > 0 and float(array.write_energy_j) > 0
    with pytest.raises(MemristiveError, match="voltage-driven"):
        _array("tpt-ram-110").program(w, method="write_verify")


def test_bit_slices_recombine_by_shift_and_add():
    model = PRESETS["tpt-ram-110"].ideal()
    mapping = WeightMapping(slices=3, slice_bits=2)
    array = CrossbarArray(12, 5, model, mapping, **ON)
    w = _weights()
    array.program(w)
    assert float((array.weights() - w).abs().max()) <= 0.5 / 63 + 1e-12
    v = torch.rand(3, 12, **ON) * 0.2
    torch.testing.assert_close(array.read(v), v @ array.weights() * (model.g_max - model.g_min))
    coarse = CrossbarArray(12, 5, model, mapping, Periphery(read_v=0.2, adc_bits=4), **ON)
    coarse.program(w)
    slices = array.conductances().reshape(3, 2, 12, 5)
    per_slice = [Periphery(read_v=0.2, adc_bits=4).sense(v @ (s[0] - s[1])) for s in slices]
    expected = sum(s * part for s, part in zip(mapping.significance(), per_slice))
    torch.testing.assert_close(coarse.read(v), expected)


def test_matvec_gives_x_w_in_weight_units_for_signed_inputs():
    model = PRESETS["tpt-ram-110"].ideal()
    array = CrossbarArray(12, 5, model, WeightMapping(w_max=0.8), **ON)
    w = _weights()
    array.program(w)
    x = torch.randn(4, 12, generator=generator(3), **ON) * 7.0
    torch.testing.assert_close(array.matvec(x), x @ w)
    y = torch.randn(4, 5, generator=generator(4), **ON)
    torch.testing.assert_close(array.matvec(y, transposed=True), y @ w.t())
    assert torch.equal(array.matvec(torch.zeros(2, 12, **ON)), torch.zeros(2, 5, **ON))
    coarse = CrossbarArray(12, 5, model, WeightMapping(w_max=0.8), Periphery(read_v=0.2, dac_bits=3), **ON)
    coarse.program(w)  # a 3-bit bipolar DAC: 3 levels per side of the largest |x|
    scale = x.abs().amax(-1, keepdim=True)
    levels = torch.round(x / scale * 3) / 3 * scale
    torch.testing.assert_close(coarse.matvec(x), levels @ w)


def test_copies_take_the_updates_in_turn():
    model = NonlinearPulseDevice(g_min=10e-6, g_max=100e-6, levels=50, nu_ltp=0.0, nu_ltd=0.0)  # linear steps
    array = CrossbarArray(4, 3, model, WeightMapping(scheme="balanced", copies=3), rounding="nearest", **ON)
    array.program(torch.zeros(4, 3, **ON))
    per_pulse = 2 / (model.levels * 3)
    for step in range(3):
        array.update(torch.full((4, 3), per_pulse, **ON))
        moved = [bool((array.planes[p].g != array.planes[(p + 1) % 3].g).any()) for p in range(3)]
        assert sum(moved) == (2 if step < 2 else 0)  # the copies differ until each has taken one update
    torch.testing.assert_close(array.weights(), torch.full((4, 3), 3 * per_pulse, **ON), rtol=1e-9, atol=0)


def test_read_energy_is_sum_of_v2_g_t():
    array = _array("tpt-ram-110", periphery=Periphery(read_v=0.2, read_pulse_s=5e-9))
    array.program(_weights())
    v = torch.rand(7, 12, **ON) * 0.2
    array.read(v)
    g = array.conductances()
    expected = float(sum((v[b, :, None] ** 2 * g.sum(0)).sum() for b in range(7)) * 5e-9)
    assert float(array.read_energy_j) == pytest.approx(expected, rel=1e-12)


def test_state_dict_restores_the_devices_exactly():
    array = _array("tpt-ram-110-dual")
    array.program(_weights() * 0.05)
    array.update(torch.full((12, 5), 0.02, **ON), generator(3))
    saved = array.state_dict()
    assert "plane0.volatile.g" in saved and "plane1.formed" in saved and "write_energy_j" in saved
    copy = _array("tpt-ram-110-dual", generator=generator(9))
    copy.load_state_dict(saved)
    v = torch.rand(3, 12, **ON) * 0.2
    assert torch.equal(copy.read(v), array.read(v))
    assert torch.equal(copy.planes[1].formed, array.planes[1].formed)


def test_bad_shapes_and_settings_are_one_line_errors():
    array = _array("tpt-ram-110")
    with pytest.raises(MemristiveError, match="weights of shape"):
        array.program(torch.zeros(3, 3, **ON))
    with pytest.raises(MemristiveError, match="row voltages"):
        array.read(torch.zeros(2, 4, **ON))
    with pytest.raises(MemristiveError, match="solver"):
        _array("tpt-ram-110", solver="spice")
    with pytest.raises(MemristiveError, match="write_pulse"):
        CrossbarArray(2, 2, PRESETS["otj-sto"], **ON).update(torch.ones(2, 2, **ON))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), r_wire=st.floats(0.1, 20.0), scale=st.floats(0.01, 0.3))
def test_circuit_reads_are_linear_and_ir_drop_only_lowers_the_currents(seed, r_wire, scale):
    """Positive row voltages on one plane: the circuit's currents scale with V (linear devices), stay
    below the ideal ``V G`` (wires only drop voltage) and approach it as the wires vanish."""
    array = CrossbarArray(8, 6, PRESETS["tpt-ram-110"], WeightMapping(scheme="balanced"), solver="circuit",
                          wiring=Wiring(r_wire, r_wire), generator=generator(seed), **ON)
    array.program(_weights(8, 6, seed))
    v = torch.rand(3, 8, generator=generator(seed + 1), **ON) * scale
    ideal = array.conductances()
    effective = array._read_matrices(ideal, False)  # every plane's I = V M
    currents, reference = v @ effective, v @ ideal
    assert bool((currents <= reference * (1 + 1e-12)).all()) and bool((currents > 0).all())
    torch.testing.assert_close(v @ (2 * effective), 2 * currents)
    assert float((currents / reference).min()) > 1 - 8 * 6 * r_wire * float(ideal.max()) * 2


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), steps=st.lists(st.floats(-0.3, 0.3), min_size=1, max_size=8))
def test_updates_keep_every_device_in_its_own_window(seed, steps):
    array = _array("tpt-ram-110", mapping=WeightMapping(scheme="balanced"), generator=generator(seed))
    array.program(_weights(seed=seed))
    gen = generator(seed + 1)
    for step in steps:
        array.update(torch.full((12, 5), step, **ON), gen)
        for state in array.planes:
            assert bool((state.g >= state.g_min).all() and (state.g <= state.g_max).all())
    assert int(array.pulses_applied) >= 0 and float(array.write_energy_j) >= 0
