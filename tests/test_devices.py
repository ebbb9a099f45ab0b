"""Physics of the pulse model, run over every preset."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.devices import PRESETS, NonlinearPulseDevice, get_preset, label_from_curve
from memristive.errors import MemristiveError

ALL = sorted(name for name, device in PRESETS.items() if isinstance(device, NonlinearPulseDevice))


def _sweep(device, n_pulses, start=None):
    state = device.sample((1,), dtype=torch.float64)
    if start is not None:
        state = state.with_g(torch.tensor([start], dtype=torch.float64))
    trace = [state.g.item()]
    for _ in range(abs(n_pulses)):
        state = device.pulse(state, torch.tensor(1.0 if n_pulses > 0 else -1.0))
        trace.append(state.g.item())
    return trace


@pytest.mark.parametrize("name", ALL)
def test_ideal_cycle_recovers_the_preset_labels(name):
    device = get_preset(name).ideal()
    up = _sweep(device, device.levels)
    down = _sweep(device, -device.levels, start=up[-1])
    assert up[0] == pytest.approx(device.g_min) and up[-1] == pytest.approx(device.g_max)
    assert down[-1] == pytest.approx(device.g_min, rel=1e-6, abs=1e-15)
    assert label_from_curve(up) == pytest.approx(device.nu_ltp, abs=0.02)
    assert label_from_curve(down) == pytest.approx(device.nu_ltd, abs=0.02)


@pytest.mark.parametrize("name", ALL)
def test_potentiation_is_monotonic_without_noise(name):
    trace = torch.tensor(_sweep(get_preset(name).ideal(), 2 * get_preset(name).levels))
    assert torch.all(torch.diff(trace) >= 0)


@pytest.mark.parametrize("name", ALL)
@settings(max_examples=25, deadline=None)
@given(pulses=st.lists(st.integers(-300, 300), min_size=1, max_size=8), seed=st.integers(0, 2**31))
def test_conductance_stays_within_each_device_bounds(name, pulses, seed):
    device = get_preset(name).replace(d2d_g_sigma=0.05, d2d_nu_sigma=0.3)
    gen = torch.Generator().manual_seed(seed)
    state = device.sample((32,), generator=gen)
    for n in pulses:
        state = device.pulse(state, torch.full((32,), float(n)), generator=gen)
        assert torch.all(state.g >= state.g_min) and torch.all(state.g <= state.g_max)


def test_same_generator_seed_gives_same_states():
    device = get_preset("ag-asi").replace(d2d_g_sigma=0.05)
    runs = []
    for _ in range(2):
        gen = torch.Generator().manual_seed(7)
        state = device.sample((100,), generator=gen)
        runs.append(device.pulse(state, torch.randint(-5, 6, (100,), generator=gen).float(), generator=gen).g)
    assert torch.equal(runs[0], runs[1])


def test_c2c_noise_grows_with_sqrt_pulses():
    device = NonlinearPulseDevice(g_min=0.0, g_max=1e-4, levels=10_000, nu_ltp=0.0, nu_ltd=0.0, c2c_sigma=0.001)
    gen = torch.Generator().manual_seed(0)
    spreads = []
    for n in (1, 16):
        state = device.sample((20_000,), dtype=torch.float64).with_g(torch.full((20_000,), 5e-5, dtype=torch.float64))
        spreads.append(device.pulse(state, torch.tensor(float(n)), generator=gen).g.std().item())
    assert spreads[1] / spreads[0] == pytest.approx(4.0, rel=0.05)


@pytest.mark.parametrize(
    "change, message",
    [({"g_max": 1e-6}, "g_max"), ({"levels": 0}, "levels"), ({"c2c_sigma": -0.1}, "c2c_sigma"),
     ({"nu_ltp": 100.0}, "nu_ltp"), ({"read_v": 0.0}, "read_v")],
)
def test_bad_parameters_are_rejected_by_name(change, message):
    with pytest.raises(MemristiveError, match=message):
        get_preset("tpt-ram-110").replace(**change)


def test_unknown_preset_lists_known_names():
    with pytest.raises(MemristiveError, match="tpt-ram-110"):
        get_preset("nope")


def test_stuck_devices_ignore_pulses_and_the_rest_move():
    device = get_preset("tpt-ram-110").ideal().replace(stuck_share=0.2)
    state = device.sample((10_000,), generator=torch.Generator().manual_seed(0))
    moved = device.pulse(state, torch.tensor(10.0))
    stuck = (state.g_max - state.g_min) < 1e-3 * (device.g_max - device.g_min)
    assert stuck.double().mean().item() == pytest.approx(0.2, abs=0.02)
    # a stuck device keeps a 1e-4 sliver of the range (float32 must resolve its bounds)
    assert torch.allclose(moved.g[stuck], state.g[stuck], rtol=0, atol=1.01e-4 * (device.g_max - device.g_min))
    assert (moved.g[~stuck] > state.g[~stuck]).all()
