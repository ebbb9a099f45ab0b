"""Dual-mode pair layers: rest stages prune unformed pairs to exactly zero; convolution and power."""

import pytest
import torch
from torch import nn

from memristive.devices.dual_mode import DualModeDevice
from memristive.devices.presets import TPT_RAM_110_DUAL
from memristive.errors import MemristiveError
from memristive.nn.lenet import LeNet5, lenet_input
from memristive.nn.pruning import DualModeConv2d, DualModeLinear, network_power

DEVICE = TPT_RAM_110_DUAL.replace(forming_keeps_state=True)


def _layer(seed=0):
    layer = DualModeLinear(6, 3, DEVICE)
    layer.reset_parameters(torch.Generator().manual_seed(seed))
    return layer


def test_initial_weights_are_volatile_and_a_rest_prunes_them_all():
    layer = _layer()
    assert 0 < layer.weight.abs().max() <= 1 / 6**0.5 + 1e-9
    assert not bool(layer.pos.formed.any() | layer.neg.formed.any())
    layer.rest(10.0)
    assert layer.pruned_share() == 1.0


def test_frequently_updated_synapse_forms_and_survives_the_rest():
    layer = _layer()
    gen = torch.Generator().manual_seed(1)
    for _ in range(120):  # weight (0, 0) keeps asking to grow: one set pulse per step on its G+
        layer.weight.grad = torch.zeros_like(layer.weight)
        layer.bias.grad = torch.zeros_like(layer.bias)
        layer.weight.grad[0, 0] = -0.01
        layer.apply_gradient_pulses(lr=1.0, generator=gen)
    # the pair stabilised whole: both devices formed, nothing else
    assert bool(layer.pos.formed[0, 0] & layer.neg.formed[0, 0]) and int(layer.pos.formed.sum()) == 1
    assert int(layer.neg.formed.sum()) == 1
    kept = layer.weight[0, 0].item()
    assert kept > 0.5
    layer.rest(10.0)
    assert layer.weight[0, 0].item() == pytest.approx(kept)
    assert layer.pruned_share() == pytest.approx(1 - 1 / 18)
    assert layer.formed_share() == pytest.approx(1 / 18)


@pytest.mark.parametrize("rounding, noisy_forms", [("stochastic", True), ("accumulate", False)])
def test_accumulated_pulses_form_steady_synapses_not_noisy_ones(rounding, noisy_forms):
    """Weight (0, 0) asks to grow by 0.4 pulse every step; weight (1, 1) by +-0.6 pulse in turn (no net
    drift). Stochastic rounding turns the noise into ~90 set pulses per device, enough to form; the
    accumulator cancels it, so only the steady synapse forms."""
    layer = DualModeLinear(6, 3, DEVICE, rounding=rounding)
    layer.reset_parameters(torch.Generator().manual_seed(0))
    gen = torch.Generator().manual_seed(1)
    for step in range(300):
        layer.weight.grad = torch.zeros_like(layer.weight)
        layer.bias.grad = torch.zeros_like(layer.bias)
        layer.weight.grad[0, 0] = -0.004
        layer.weight.grad[1, 1] = 0.006 * (-1) ** step
        layer.apply_gradient_pulses(lr=1.0, generator=gen)
    assert bool(layer.pos.formed[0, 0])
    assert bool(layer.pos.formed[1, 1]) is noisy_forms


def test_pulse_budget_caps_what_one_update_gives_each_device():
    """A huge gradient asks every pair for ~100 pulses; with ``max_pulses=2`` each pristine pair's
    device on the update's side gets 2, and the formed baseline's push-pull gives both devices 2."""
    for formed, devices_moved in ((False, 1), (True, 2)):
        layer = DualModeLinear(6, 3, DEVICE, rounding="accumulate", max_pulses=2)
        layer.reset_parameters(torch.Generator().manual_seed(0), formed=formed)
        layer.weight.grad, layer.bias.grad = torch.full_like(layer.weight, -1.0), torch.full_like(layer.bias, -1.0)
        assert layer.apply_gradient_pulses(lr=1.0) == 2 * devices_moved * 7 * 3


def test_stabilising_a_pair_keeps_its_weight():
    layer = _layer(2)
    before = layer.weight.detach().clone()
    lone = torch.zeros_like(layer.pos.formed)
    lone[1, 2] = True
    layer.pos = DEVICE.form(layer.pos, lone, DEVICE.weight_share(layer.pos))  # G+ formed where it stood
    layer._stabilise_pairs()
    layer.sync()
    assert bool(layer.pos.formed[1, 2] & layer.neg.formed[1, 2])
    torch.testing.assert_close(layer.weight, before, rtol=0, atol=1e-12)


def test_baseline_pairs_are_formed_balanced_and_never_pruned():
    gen = torch.Generator().manual_seed(3)
    layer = DualModeLinear(6, 3, DEVICE, w_max=0.5)
    layer.reset_parameters(gen, formed=True)
    assert bool(layer.pos.formed.all() & layer.neg.formed.all())
    mid = DEVICE.weight_share(layer.pos) + DEVICE.weight_share(layer.neg)
    torch.testing.assert_close(mid, torch.ones_like(mid))
    before = layer.weight.detach().clone()
    layer.rest(100.0)
    torch.testing.assert_close(layer.weight, before)
    assert layer.pruned_share() == 0.0


def test_volatile_weights_relax_between_steps():
    layer = DualModeLinear(6, 3, DEVICE, step_s=0.3)
    layer.reset_parameters(torch.Generator().manual_seed(4))
    start = layer.weight.detach().abs().sum()
    layer.weight.grad = torch.zeros_like(layer.weight)
    layer.bias.grad = torch.zeros_like(layer.bias)
    layer.apply_gradient_pulses(lr=1.0)  # no pulse: only 0.3 s of relaxation (one tau)
    assert layer.weight.abs().sum().item() == pytest.approx(start.item() * torch.exp(torch.tensor(-1.0)).item())


def test_conv_layer_is_the_crossbar_read_of_every_patch():
    gen = torch.Generator().manual_seed(5)
    conv = DualModeConv2d(2, 4, 3, DEVICE, w_max=0.7)
    conv.reset_parameters(gen, formed=True)
    x = torch.rand(5, 2, 7, 7, generator=gen)
    patches = nn.functional.unfold(x, 3).transpose(1, 2)  # [n, 25, 18]
    rows = torch.cat([patches, torch.ones(5, 25, 1)], dim=2).double()
    array = conv.w_max * (DEVICE.weight_share(conv.pos) - DEVICE.weight_share(conv.neg))  # [19, 4]
    columns = rows @ array  # one array read per patch
    torch.testing.assert_close(conv(x).flatten(2).transpose(1, 2).double(), columns, rtol=1e-5, atol=1e-5)
    pos, neg = conv.conductances()
    power = DEVICE.nonvolatile.read_v ** 2 * (rows.square() @ (pos + neg)).sum(dim=(1, 2))
    torch.testing.assert_close(conv.synaptic_power(x.double()), power)


def test_network_power_sums_every_layer_and_pruning_lowers_it():
    gen = torch.Generator().manual_seed(6)
    model = LeNet5(lambda a, b, k: DualModeConv2d(a, b, k, DEVICE), lambda a, b: DualModeLinear(a, b, DEVICE))
    for layer in (m for m in model.modules() if isinstance(m, (DualModeConv2d, DualModeLinear))):
        layer.reset_parameters(gen, formed=True)
    x = lenet_input(torch.rand(4, 8, 8, generator=gen))
    assert model(x).shape == (4, 10)
    full = network_power(model, x)
    assert full > 0
    model.f6.reset_parameters(gen)  # pristine, then pruned by a rest
    model.f6.rest(10.0)
    assert model.f6.pruned_share() == 1.0
    assert network_power(model, x) < full


def test_pruning_layer_needs_state_keeping_forming():
    with pytest.raises(MemristiveError, match="forming_keeps_state"):
        DualModeLinear(2, 2, TPT_RAM_110_DUAL)
