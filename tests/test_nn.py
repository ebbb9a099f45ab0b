"""MemristiveLinear: float parity, ex-situ programming, in-situ pulse updates."""

import pytest
import torch

from memristive.crossbar import Periphery
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.nn import MemristiveLinear, MemristiveMLP, stochastic_round, train

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
    for state in (layer.pos, layer.neg):
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


def test_adc_bits_degrade_hardware_forward():
    layer = _layer(periphery=Periphery(v_read=0.2, adc_bits=3))
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
