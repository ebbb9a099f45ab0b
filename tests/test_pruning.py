"""DualModeLinear: weights on dual-mode pairs; rest stages prune unformed pairs to exactly zero."""

import pytest
import torch

from memristive.devices.dual_mode import DualModeDevice
from memristive.errors import MemristiveError
from memristive.nn.pruning import DualModeLinear

DEVICE = DualModeDevice(forming_keeps_state=True)


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
    assert bool(layer.pos.formed[0, 0]) and int(layer.pos.formed.sum()) == 1
    kept = DEVICE.weight_share(layer.pos)[0, 0].item()
    layer.rest(10.0)
    # the formed G+ keeps its state; its unformed partner G- relaxes to the HRS (share 0)
    assert DEVICE.weight_share(layer.pos)[0, 0].item() == pytest.approx(kept)
    assert DEVICE.weight_share(layer.neg)[0, 0].item() == pytest.approx(0.0, abs=1e-6)
    assert layer.weight[0, 0].item() == pytest.approx(kept, abs=1e-6)
    assert layer.pruned_share() == pytest.approx(1 - 1 / 18)


def test_pruning_layer_needs_state_keeping_forming():
    with pytest.raises(MemristiveError, match="forming_keeps_state"):
        DualModeLinear(2, 2, DualModeDevice())
