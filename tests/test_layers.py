"""Layers on the array behave like torch.nn: state_dict, device/dtype, PulseSGD, convert_to_memristive, conv, circuit."""

import pytest
import torch
from torch import nn

from memristive.crossbar import Periphery, WeightMapping, Wiring
from memristive.data import load_dataset
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.nn import (
    MemristiveConv2d,
    MemristiveLinear,
    PulseSGD,
    accuracy,
    convert_to_memristive,
    init_devices,
    memristive_layers,
)

TPT = get_preset("tpt-ram-110")


def small_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.Tanh(), nn.Conv2d(8, 16, 3), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 3 * 3, 10))


def train_in_situ(net: nn.Module, data, epochs: int, seed: int) -> float:
    """A plain PyTorch loop: only the optimiser knows about devices."""
    gen = torch.Generator().manual_seed(seed)
    init_devices(net, gen)
    opt = PulseSGD(net.parameters(), lr=0.1, generator=gen)
    x, y = data.x_train.unsqueeze(1), data.y_train
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(x), generator=gen)
        for start in range(0, len(x), 16):
            idx = order[start:start + 16]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    return accuracy(net, data.x_test.unsqueeze(1), data.y_test)


@pytest.mark.parametrize("seed", [0, 1])
def test_converted_cnn_trains_in_situ_with_a_plain_loop(seed):
    torch.manual_seed(seed)
    net = convert_to_memristive(small_cnn(), TPT)
    assert [type(m).__name__ for m in memristive_layers(net)] == ["MemristiveConv2d", "MemristiveConv2d",
                                                                  "MemristiveLinear"]
    assert train_in_situ(net, load_dataset("digits"), epochs=6, seed=seed) > 0.90


def test_state_dict_restores_a_trained_hardware_network_bit_for_bit():
    torch.manual_seed(0)
    net = convert_to_memristive(small_cnn(), TPT)
    train_in_situ(net, load_dataset("digits").subset(200, 50), epochs=1, seed=0)
    x = torch.rand(5, 1, 8, 8)
    saved = net.state_dict()
    assert any(key.endswith("array.plane0.g") for key in saved) and any("nu_ltp" in key for key in saved)
    fresh = convert_to_memristive(small_cnn(), TPT)
    fresh.load_state_dict(saved)
    net.eval(), fresh.eval()
    assert all(layer.hardware for layer in memristive_layers(fresh))
    assert torch.equal(fresh(x), net(x))


def test_factory_kwargs_and_module_conversions():
    layer = MemristiveLinear(6, 3, TPT, dtype=torch.float64)
    assert layer.weight.dtype == torch.float64
    layer.init_devices(torch.Generator().manual_seed(0))
    assert layer.array.planes[0].g.dtype == torch.float64
    layer.float()
    assert layer.weight.dtype == torch.float32 and layer.array.planes[0].g.dtype == torch.float32
    assert layer(torch.rand(2, 6)).dtype == torch.float32


def test_pulse_sgd_updates_plain_parameters_by_sgd_and_memristive_ones_by_pulses():
    net = nn.Sequential(nn.Linear(4, 4), MemristiveLinear(4, 2, TPT.ideal()))
    net[1].init_devices(torch.Generator().manual_seed(0))
    before = [p.detach().clone() for p in net.parameters()]
    opt = PulseSGD(net.parameters(), lr=0.5, generator=torch.Generator().manual_seed(1))
    net(torch.rand(8, 4)).square().mean().backward()
    grads = [p.grad.clone() for p in net.parameters()]
    opt.step()
    torch.testing.assert_close(net[0].weight, before[0] - 0.5 * grads[0])
    assert opt.last_pulses > 0 and int(net[1].array.pulses_applied) == opt.last_pulses
    with pytest.raises(MemristiveError, match="lr"):
        PulseSGD(net.parameters(), lr=0.0)


def test_conv_through_the_periphery_equals_the_ideal_convolution_at_high_resolution():
    torch.manual_seed(0)
    conv = MemristiveConv2d(2, 3, 3, TPT.ideal(), stride=2, padding=1, dtype=torch.float64)
    conv.program(0.0, torch.Generator().manual_seed(0))
    x = torch.rand(2, 2, 9, 9, dtype=torch.float64)
    ideal = conv(x)
    conv.periphery = Periphery(read_v=TPT.read_v, dac_bits=24, adc_bits=24)
    torch.testing.assert_close(conv(x), ideal, rtol=1e-5, atol=1e-5)
    assert ideal.shape == nn.functional.conv2d(x, conv.weight, conv.bias, stride=2, padding=1).shape


def test_circuit_layers_see_ir_drop_and_backpropagate():
    torch.manual_seed(0)
    ideal = MemristiveLinear(32, 4, TPT.ideal(), dtype=torch.float64)
    lossy = MemristiveLinear(32, 4, TPT.ideal(), solver="circuit", wiring=Wiring(5.0, 5.0), dtype=torch.float64)
    lossy.load_state_dict(ideal.state_dict())
    for layer in (ideal, lossy):
        layer.program(0.0, torch.Generator().manual_seed(0))
    x = torch.rand(6, 32, dtype=torch.float64, requires_grad=True)
    y_ideal, y_lossy = ideal(x).detach(), lossy(x)
    assert 0.001 < float((y_lossy.detach() - y_ideal).abs().mean() / y_ideal.abs().mean()) < 0.5
    y_lossy.sum().backward()
    assert lossy.weight.grad is not None and x.grad is not None
    torch.testing.assert_close(lossy.weight.grad, torch.ones(4, 1, dtype=torch.float64) * x.detach().sum(0))


def test_bit_sliced_layers_read_through_every_slice():
    torch.manual_seed(0)
    layer = MemristiveLinear(8, 3, TPT.ideal(), mapping=WeightMapping(slices=2, slice_bits=3), dtype=torch.float64)
    reference = layer.weight.detach().clone()
    layer.program(0.0)
    assert float((layer.weight.detach() - reference).abs().max()) <= 0.5 / 63 + 1e-9
    x = torch.rand(4, 8, dtype=torch.float64)
    torch.testing.assert_close(layer(x), x @ layer.weight.t() + layer.bias)


def test_convert_refuses_what_it_cannot_map():
    with pytest.raises(MemristiveError, match="groups=1"):
        convert_to_memristive(nn.Sequential(nn.Conv2d(4, 4, 3, groups=2)), TPT)
    with pytest.raises(MemristiveError, match="contains the layer"):
        convert_to_memristive(nn.Linear(2, 2), TPT)
