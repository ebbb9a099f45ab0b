"""MemristiveLinear: float parity, ex-situ programming, in-situ pulse updates."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar import Periphery
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.nn import MemristiveLinear, MemristiveMLP, stochastic_round, train
from memristive.crossbar import PulseRounder

DEVICE = get_preset("tpt-ram-110")
IDEAL = DEVICE.ideal()  # no c2c / d2d: isolates the mechanism under test


def _layer(device=IDEAL, **kwargs):
    torch.manual_seed(0)
    return MemristiveLinear(12, 5, device, **kwargs)


def test_float_mode_matches_linear():
    layer = _layer()
    x = torch.rand(4, 12)
    torch.testing.assert_close(layer(x), x @ layer.weight.t() + layer.bias)


def test_programmed_without_error_matches_float():
    layer = _layer()
    with torch.no_grad():
        layer.bias.uniform_(-0.5, 0.5)
    x = torch.rand(8, 12)
    expected = layer(x).detach()
    layer.program(import_error=0.0, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(layer(x), expected, rtol=1e-5, atol=1e-6)


def test_import_error_moves_outputs_in_proportion():
    gaps = []
    for error in (0.01, 0.2):
        layer = _layer()
        x = torch.rand(64, 12)
        reference = layer(x).detach()
        layer.program(import_error=error, generator=torch.Generator().manual_seed(1))
        gaps.append((layer(x) - reference).abs().mean().item())
    assert gaps[1] > 5 * gaps[0]


def test_conductances_of_programmed_layer_lie_in_each_device_range():
    layer = _layer(DEVICE)
    layer.program(0.3, torch.Generator().manual_seed(2))
    for state in layer.array.planes:
        assert torch.all(state.g >= state.g_min) and torch.all(state.g <= state.g_max)
        assert state.g_min.std() > 0  # d2d variation acts


def test_d2d_variation_alone_perturbs_programmed_weights():
    ideal, varied = _layer(), _layer(DEVICE)
    for layer in (ideal, varied):
        layer.program(0.0, torch.Generator().manual_seed(3))
    x = torch.rand(32, 12)
    assert (ideal(x) - varied(x)).abs().mean() > 1e-3


def test_insitu_update_follows_the_gradient_sign():
    layer = _layer()
    layer.init_devices(torch.Generator().manual_seed(0))
    before = layer.weight.detach().clone()
    layer.weight.grad = torch.full_like(layer.weight, -1.0)  # descent wants larger weights
    layer.bias.grad = torch.zeros_like(layer.bias)
    pulses = layer.apply_gradient_pulses(lr=0.2, generator=torch.Generator().manual_seed(0))
    assert pulses > 0
    assert torch.all(layer.weight.detach() >= before - 1e-6)
    assert (layer.weight.detach() - before).mean() > 0.1


def test_stochastic_round_is_unbiased():
    x = torch.full((200_000,), 0.3)
    assert stochastic_round(x, torch.Generator().manual_seed(0)).mean().item() == pytest.approx(0.3, abs=0.005)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5.0, 5.0), min_size=1, max_size=30), st.floats(0.01, 2.0))
def test_accumulated_pulses_and_carry_add_up_to_every_update(updates, per_pulse):
    """Mixed precision loses nothing: pulses applied + the carry = the sum of the updates, |carry| < one pulse."""
    rounder = PulseRounder("accumulate")
    applied = torch.zeros(1, dtype=torch.float64)
    for update in updates:
        n = rounder(torch.tensor([update], dtype=torch.float64), per_pulse)
        assert n == torch.trunc(n)
        applied += n * per_pulse
    assert float(applied + rounder.carry) == pytest.approx(sum(updates), abs=1e-9)
    assert abs(float(rounder.carry)) < per_pulse


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5.0, 5.0), min_size=1, max_size=30), st.floats(0.01, 2.0), st.integers(1, 4),
       st.sampled_from(["stochastic", "nearest", "accumulate"]))
def test_pulse_budget_bounds_every_update(updates, per_pulse, budget, rounding):
    """No update gives a device more than ``max_pulses``; accumulated, the excess waits and nothing is lost."""
    rounder = PulseRounder(rounding, max_pulses=budget)
    gen = torch.Generator().manual_seed(0)
    applied = torch.zeros(1, dtype=torch.float64)
    for update in updates:
        n = rounder(torch.tensor([update], dtype=torch.float64), per_pulse, gen)
        assert abs(float(n)) <= budget
        applied += n * per_pulse
    if rounding == "accumulate":
        assert float(applied + rounder.carry) == pytest.approx(sum(updates), abs=1e-9)


def test_budgeted_accumulator_pays_a_large_update_over_later_steps():
    rounder = PulseRounder("accumulate", max_pulses=2)
    first = rounder(torch.tensor([7.5], dtype=torch.float64), 1.0)
    later = [float(rounder(torch.zeros(1, dtype=torch.float64), 1.0)) for _ in range(4)]
    assert float(first) == 2 and later == [2.0, 2.0, 1.0, 0.0]
    assert float(rounder.carry) == pytest.approx(0.5)


@pytest.mark.parametrize("budget", [0, -1, 1.5])
def test_pulse_budget_must_be_a_positive_integer(budget):
    with pytest.raises(MemristiveError, match="max_pulses"):
        PulseRounder("accumulate", max_pulses=budget)


def test_accumulated_updates_of_alternating_sign_cost_no_pulse():
    """The noise a stochastic rounder turns into pulses cancels in the accumulator."""
    updates = torch.tensor([0.4, -0.4] * 50, dtype=torch.float64)
    stochastic, accumulate = PulseRounder("stochastic"), PulseRounder("accumulate")
    gen = torch.Generator().manual_seed(0)
    assert sum(abs(float(stochastic(u.reshape(1), 1.0, gen))) for u in updates) > 20
    assert sum(abs(float(accumulate(u.reshape(1), 1.0))) for u in updates) == 0


def test_placing_fresh_devices_empties_the_accumulator():
    layer = _layer(rounding="accumulate")
    layer.init_devices(torch.Generator().manual_seed(0))
    layer.weight.grad, layer.bias.grad = torch.full_like(layer.weight, -1e-4), torch.zeros_like(layer.bias)
    layer.apply_gradient_pulses(lr=1.0)
    assert layer.array.rounder.carry is not None and bool((layer.array.rounder.carry != 0).any())
    layer.init_devices(torch.Generator().manual_seed(0))
    assert layer.array.rounder.carry is None


def test_unknown_rounding_is_refused():
    with pytest.raises(MemristiveError, match="rounding"):
        PulseRounder("floor")


def test_adc_bits_degrade_hardware_forward():
    layer = _layer(periphery=Periphery(read_v=0.2, adc_bits=3))
    x = torch.rand(16, 12)
    exact = layer(x).detach()
    layer.program(0.0, torch.Generator().manual_seed(0))
    assert (layer(x) - exact).abs().max() > 1e-3


def test_updates_need_devices():
    with pytest.raises(MemristiveError, match="init_devices"):
        _layer().apply_gradient_pulses(0.1)


def test_insitu_training_learns_a_separable_task():
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(400, 10, generator=gen)
    y = (x[:, :5].sum(1) > x[:, 5:].sum(1)).long()
    model = MemristiveMLP([10, 8, 2], DEVICE, generator=gen)  # with c2c and d2d
    history = train(model, x[:300], y[:300], x[300:], y[300:], mode="insitu", epochs=10, batch_size=10, lr=0.3, generator=gen)
    assert history.test_accuracy[-1] > 0.85
    assert all(p > 0 for p in history.pulses)
