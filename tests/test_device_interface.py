"""Every preset of every device family through the one interface (devices.base.DeviceModel)."""

import pytest
import torch

from memristive.devices import (
    PRESETS,
    DualModeDevice,
    MottMemristor,
    NonlinearPulseDevice,
    ThresholdSwitchingDevice,
    TunnelJunctionSynapse,
    UnsupportedDrive,
)
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device

# A potentiating and a depressing drive per voltage-driven family: (V+, V-, width s).
VOLTAGE_DRIVES = {
    ThresholdSwitchingDevice: (2.0, -2.0, 1e-3),
    TunnelJunctionSynapse: (2.2, -2.5, 50e-9),
    DualModeDevice: (3.0, -3.0, 10e-3),
    MottMemristor: (1.5, 0.0, 5e-9),  # non-polar and volatile: heat above threshold, cool undriven
}
SHAPE = (6, 40)


def _generator(seed=0):
    return generator(seed)


def _mid(model, seed=0, dtype=torch.float64):
    state = model.sample(SHAPE, generator=_generator(seed), dtype=dtype)
    target = torch.full(SHAPE, (model.g_min * model.g_max) ** 0.5, dtype=dtype, device=TEST_DEVICE)  # inside every mode's window
    return model.program(state, target, generator=_generator(seed + 1))


def _drive(model, state, sign, seed=0):
    if "pulse" in model.drives:
        return model.pulse(state, torch.full(SHAPE, sign, dtype=state_dtype(state), device=TEST_DEVICE),
                           generator=_generator(seed))
    v_up, v_down, width = VOLTAGE_DRIVES[type(model)]
    return model.apply_voltage(state, v_up if sign > 0 else v_down, width, generator=_generator(seed))


def state_dtype(state):
    return next(t for t in state.tensors().values() if t.is_floating_point()).dtype


def _cycle_noise(model) -> bool:
    parts = [model, getattr(model, "diffusive", None), getattr(model, "nonvolatile", None)]
    return any(getattr(part, name, 0) for part in parts for name in ("c2c_sigma", "sigma_g0"))


@pytest.fixture(params=sorted(PRESETS), ids=str)
def model(request):
    return PRESETS[request.param]


def test_every_preset_declares_its_drives_and_cites_its_source(model):
    assert set(model.drives) <= {"pulse", "voltage"} and model.drives
    assert model.g_max > model.g_min >= 0
    assert "(19" in model.source or "(20" in model.source  # a full reference with its year


def test_conductance_stays_physical_under_any_drive(model):
    state = _mid(model)
    for step, sign in enumerate([1.0] * 5 + [-1.0] * 12 + [1.0] * 3):
        state = _drive(model, state, sign, seed=step)
        g = model.conductance(state)
        assert g.shape == SHAPE and bool(torch.isfinite(g).all())
        assert bool((g >= 0).all()) and bool((g <= 2 * model.g_max).all())
    state = model.advance(state, 1.0)
    assert bool(torch.isfinite(model.conductance(state)).all())


def test_potentiation_raises_and_depression_lowers_the_conductance(model):
    state = _mid(model)
    g = model.conductance(state)
    up, down = model.conductance(_drive(model, state, 1.0)), model.conductance(_drive(model, state, -1.0))
    assert up.mean() > g.mean() > down.mean()
    if not _cycle_noise(model):  # with cycle-to-cycle noise one pulse is monotonic only on average
        assert bool((up >= g - 1e-15).all()) and bool((down <= g + 1e-15).all())


def test_same_seed_same_result(model):
    runs = [model.conductance(_drive(model, _mid(model, seed=3), 1.0, seed=4)) for _ in range(2)]
    assert torch.equal(*runs)
    if _cycle_noise(model):
        assert not torch.equal(runs[0], model.conductance(_drive(model, _mid(model, seed=5), 1.0, seed=6)))


def test_a_state_maps_to_another_dtype(model):
    single = _mid(model, dtype=torch.float32)
    double = single.map(lambda t: t.double() if t.is_floating_point() else t)
    assert model.conductance(double).dtype == torch.float64 and model.conductance(double).device.type == TEST_DEVICE.type
    torch.testing.assert_close(model.conductance(double).float(), model.conductance(single), rtol=1e-5, atol=1e-12)
    assert {k: t.dtype for k, t in double.tensors().items() if not t.is_floating_point()} == \
        {k: t.dtype for k, t in single.tensors().items() if not t.is_floating_point()}


def test_current_is_in_amperes_and_conductance_in_siemens(model):
    state = _mid(model)
    i = model.current(state, model.read_v)
    torch.testing.assert_close(i / model.read_v, model.conductance(state), rtol=1e-6, atol=0.0)


def test_a_drive_the_model_lacks_is_a_clear_error():
    with pytest.raises(UnsupportedDrive, match="TunnelJunctionSynapse 'otj-sto' does not model pulse"):
        PRESETS["otj-sto"].pulse(PRESETS["otj-sto"].sample((2,)), torch.ones(2))
    with pytest.raises(UnsupportedDrive, match="apply_voltage"):
        PRESETS["tpt-ram-110"].apply_voltage(PRESETS["tpt-ram-110"].sample((2,)), 1.0, 1e-6)


def test_states_are_frozen():
    state = PRESETS["tpt-ram-110"].sample((2,))
    with pytest.raises(AttributeError):
        state.g = torch.zeros(2)


def test_samples_follow_the_generator_device_and_the_requested_dtype():
    state = NonlinearPulseDevice(g_min=1e-6, g_max=2e-6, levels=10, nu_ltp=1.0, nu_ltd=1.0, d2d_g_sigma=0.1).sample(
        (3,), generator=_generator(), dtype=torch.float64)
    assert state.g.dtype == torch.float64 and state.g.device.type == TEST_DEVICE.type
