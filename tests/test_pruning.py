"""Pruning on the general layers with the dual-mode model: rest stages prune unformed pairs to exactly zero."""

import pytest
import torch
from torch import nn

from memristive.crossbar import WeightMapping
from memristive.devices.presets import TPT_RAM_110_DUAL
from memristive.experiments.pruning import formed_share, pruned_share
from memristive.nn import MemristiveConv2d, MemristiveLinear, network_read_power
from memristive.nn.lenet import LeNet5, lenet_input

PRISTINE = TPT_RAM_110_DUAL.replace(forming_keeps_state=True)
FORMED = PRISTINE.replace(start_formed=True)
F64 = torch.float64


def _layer(seed=0, model=PRISTINE, **kw):
    kw.setdefault("mapping", WeightMapping(readout="share"))
    layer = MemristiveLinear(6, 3, model, device_dtype=F64, **kw)
    layer.reset_parameters(torch.Generator().manual_seed(seed))
    if model.start_formed:
        layer.init_devices(torch.Generator().manual_seed(seed))
    else:
        layer.program(0.0, torch.Generator().manual_seed(seed))
    return layer


def _step(layer, weight_grad, lr=1.0, generator=None):
    layer.weight.grad = weight_grad
    layer.bias.grad = torch.zeros_like(layer.bias)
    return layer.apply_gradient_pulses(lr, generator)


def test_initial_weights_are_volatile_and_a_rest_prunes_them_all():
    layer = _layer()
    assert 0 < layer.weight.abs().max() <= 1 / 6**0.5 + 1e-6
    assert not bool(layer.array.planes[0].formed.any() | layer.array.planes[1].formed.any())
    layer.advance(10.0)
    assert pruned_share(layer) == 1.0


def test_frequently_updated_synapse_forms_and_survives_the_rest():
    layer = _layer()
    gen = torch.Generator().manual_seed(1)
    for _ in range(120):  # weight (0, 0) keeps asking to grow: one set pulse per step on its G+
        grad = torch.zeros_like(layer.weight)
        grad[0, 0] = -0.01
        _step(layer, grad, generator=gen)
    pos, neg = layer.array.planes
    # the pair stabilised whole: both devices formed, nothing else
    assert bool(pos.formed[0, 0] & neg.formed[0, 0]) and int(pos.formed.sum()) == 1 and int(neg.formed.sum()) == 1
    kept = layer.weight[0, 0].item()
    assert kept > 0.5
    layer.advance(10.0)
    assert layer.weight[0, 0].item() == pytest.approx(kept)
    assert pruned_share(layer) == pytest.approx(1 - 1 / 18)
    assert formed_share(layer) == pytest.approx(1 / 18)


@pytest.mark.parametrize("rounding, noisy_forms", [("stochastic", True), ("accumulate", False)])
def test_accumulated_pulses_form_steady_synapses_not_noisy_ones(rounding, noisy_forms):
    """Weight (0, 0) asks to grow by 0.4 pulse every step; weight (1, 1) by +-0.6 pulse in turn (no net
    drift). Stochastic rounding turns the noise into ~90 set pulses per device, enough to form; the
    accumulator cancels it, so only the steady synapse forms."""
    layer = _layer(rounding=rounding)
    gen = torch.Generator().manual_seed(1)
    for step in range(300):
        grad = torch.zeros_like(layer.weight)
        grad[0, 0] = -0.004
        grad[1, 1] = 0.006 * (-1) ** step
        _step(layer, grad, generator=gen)
    pos = layer.array.planes[0]
    assert bool(pos.formed[0, 0])
    assert bool(pos.formed[1, 1]) is noisy_forms


@pytest.mark.parametrize("model, devices_moved", [(PRISTINE, 1), (FORMED, 2)])
def test_pulse_budget_caps_what_one_update_gives_each_device(model, devices_moved):
    """A huge gradient asks every pair for ~100 pulses; with ``max_pulses=2`` each pristine pair's
    device on the update's side gets 2 (a diffusive partner is not depressed), and the formed
    baseline's push-pull gives both devices 2."""
    layer = _layer(model=model, rounding="accumulate", max_pulses=2)
    layer.weight.grad, layer.bias.grad = torch.full_like(layer.weight, -1.0), torch.full_like(layer.bias, -1.0)
    assert layer.apply_gradient_pulses(lr=1.0) == 2 * devices_moved * 7 * 3


def test_coupling_a_pair_keeps_its_weight():
    layer = _layer(2)
    before = layer.weight.detach().clone()
    pos, neg = layer.array.planes
    lone = torch.zeros_like(pos.formed)
    lone[1, 2] = True
    pos = PRISTINE.form(pos, lone, PRISTINE.share(pos))  # G+ formed where it stood
    pos, neg = PRISTINE.couple(pos, neg)
    layer.array.planes = [pos, neg]
    layer.sync()
    assert bool(pos.formed[1, 2] & neg.formed[1, 2])
    torch.testing.assert_close(layer.weight, before, rtol=0, atol=1e-7)


def test_baseline_pairs_are_formed_balanced_and_never_pruned():
    layer = _layer(3, model=FORMED, w_max=0.5)
    pos, neg = layer.array.planes
    assert bool(pos.formed.all() & neg.formed.all())
    mid = FORMED.share(pos) + FORMED.share(neg)
    torch.testing.assert_close(mid, torch.ones_like(mid))
    before = layer.weight.detach().clone()
    layer.advance(100.0)
    torch.testing.assert_close(layer.weight, before)
    assert pruned_share(layer) == 0.0


def test_volatile_weights_relax_between_steps():
    layer = _layer(4, update_dt=0.3)
    start = layer.weight.detach().abs().sum()
    _step(layer, torch.zeros_like(layer.weight))  # no pulse: only 0.3 s of relaxation (one tau)
    assert layer.weight.abs().sum().item() == pytest.approx(start.item() * torch.exp(torch.tensor(-1.0)).item(),
                                                            rel=1e-6)


def test_conv_layer_is_the_crossbar_read_of_every_patch_and_its_power():
    gen = torch.Generator().manual_seed(5)
    conv = MemristiveConv2d(2, 4, 3, FORMED, w_max=0.7, mapping=WeightMapping(readout="share"), device_dtype=F64)
    conv.reset_parameters(gen)
    conv.init_devices(gen)
    x = torch.rand(5, 2, 7, 7, generator=gen)
    patches = nn.functional.unfold(x, 3).transpose(1, 2)  # [n, 25, 18]
    rows = torch.cat([patches, torch.ones(5, 25, 1)], dim=2).double()
    pos, neg = conv.array.planes
    array = conv.w_max * (FORMED.share(pos) - FORMED.share(neg))  # [19, 4]
    columns = rows @ array  # one array read per patch
    torch.testing.assert_close(conv(x).flatten(2).transpose(1, 2).double(), columns, rtol=1e-5, atol=1e-5)
    g = conv.conductances()
    power = FORMED.read_v ** 2 * (rows.square() @ (g[0] + g[1])).sum(dim=(1, 2))
    torch.testing.assert_close(conv.read_power(x.double()), power)


def test_network_power_sums_every_layer_and_pruning_lowers_it():
    gen = torch.Generator().manual_seed(6)
    options = {"mapping": WeightMapping(readout="share"), "device_dtype": F64}
    model = LeNet5(lambda a, b, k: MemristiveConv2d(a, b, k, FORMED, **options),
                   lambda a, b: MemristiveLinear(a, b, FORMED, **options))
    for layer in (m for m in model.modules() if isinstance(m, (MemristiveConv2d, MemristiveLinear))):
        layer.init_devices(gen)
    x = lenet_input(torch.rand(4, 8, 8, generator=gen))
    assert model(x).shape == (4, 10)
    full = network_read_power(model, x)
    assert full > 0
    f6 = MemristiveLinear(120, 84, PRISTINE, **options)  # pristine, then pruned by a rest
    f6.program(0.0, gen)
    f6.advance(10.0)
    model.f6 = f6
    assert pruned_share(model.f6) == 1.0
    assert network_read_power(model, x) < full
