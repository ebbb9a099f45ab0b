"""PCM + 3T1C synapses (issue 18 item 4): the capacitor cell steps linearly and leaks to its rest, the two-significance
layer adds both parts, trains only the cells and transfers them into the pairs, and the quick experiment puts it
between the plain PCM pair and float."""

import json
import math

import pytest
import torch

from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from memristive.nn import PulseSGD
from memristive.nn.significance import TwoSignificanceLinear

CELL = get_preset("3t1c-capacitor")
PCM = get_preset("pcm-gst")


def test_the_cell_steps_linearly_and_leaks_to_its_rest():
    state = CELL.sample((4,), dtype=torch.float64)
    state = CELL.program(state, torch.full((4,), CELL.g_min, dtype=torch.float64))
    up = CELL.pulse(state, torch.full((4,), 10.0, dtype=torch.float64))
    assert torch.allclose(up.g, torch.full((4,), CELL.g_min + 10 * CELL.step_g, dtype=torch.float64))
    down = CELL.pulse(up, torch.full((4,), -10.0, dtype=torch.float64))
    assert torch.allclose(down.g, state.g)  # symmetric
    rest = CELL.g_min + CELL.leak_share * (CELL.g_max - CELL.g_min)
    later = CELL.advance(up, CELL.leak_tau_s)
    assert torch.allclose(later.g - rest, (up.g - rest) * math.exp(-1.0))
    assert torch.allclose(CELL.advance(up, 1e6).g, torch.full((4,), rest, dtype=torch.float64))
    no_leak = CELL.replace(leak_tau_s=math.inf)
    assert no_leak.advance(up, 1e6) is up
    with pytest.raises(MemristiveError, match="leak_tau_s"):
        CELL.replace(leak_tau_s=0.0)
    with pytest.raises(MemristiveError, match="leak_share"):
        CELL.replace(leak_share=1.5)


def _layer(transfer_every=3, seed=0):
    layer = TwoSignificanceLinear(6, 4, PCM, CELL, gain=3.0, lsb_w_max=0.25, transfer_every=transfer_every)
    layer.reset_parameters(torch.Generator().manual_seed(seed))
    layer.msb.init_devices(torch.Generator().manual_seed(seed + 1))
    layer.lsb.init_devices(torch.Generator().manual_seed(seed + 2))
    return layer


def test_the_output_is_the_sum_of_both_parts_and_only_the_cells_learn():
    layer = _layer(transfer_every=1000)
    assert layer.hardware and float(layer.lsb.weight.detach().abs().max()) < 1e-6
    x = torch.rand(5, 6)
    assert torch.allclose(layer(x), layer.msb(x) + layer.lsb(x))
    pairs = layer.msb.conductances().clone()
    optimiser = PulseSGD(layer.parameters(), lr=0.5, generator=torch.Generator().manual_seed(3))
    layer(x).square().sum().backward()
    optimiser.step()
    assert optimiser.last_pulses > 0
    assert torch.equal(layer.msb.conductances(), pairs)  # the pairs are not pulsed
    assert bool((layer.lsb.weight != 0).any()) and layer.updates == 1 and layer.transfers == 0


def test_a_transfer_moves_the_cells_into_the_pairs_and_resets_them():
    layer = _layer(transfer_every=1000)
    x = torch.rand(5, 6)
    optimiser = PulseSGD(layer.parameters(), lr=0.05, generator=torch.Generator().manual_seed(3))
    for _ in range(3):
        layer.zero_grad()
        layer(x).square().sum().backward()
        optimiser.step()
    total = (layer.msb.weight + layer.lsb.weight).detach().clone()
    assert float(layer.lsb.weight.detach().abs().max()) > 0.02
    layer.transfer(torch.Generator().manual_seed(4))
    assert float(layer.lsb.weight.detach().abs().max()) < 1e-6  # reset to the reference
    assert float((layer.msb.weight - total).abs().mean()) < 0.06  # the pair holds both, up to its programming noise
    automatic = _layer(transfer_every=2)
    optimiser = PulseSGD(automatic.parameters(), lr=0.05, generator=torch.Generator().manual_seed(3))
    for step in range(4):
        automatic.zero_grad()
        automatic(x).square().sum().backward()
        optimiser.step()
        assert automatic.transfers == (step + 1) // 2


def test_bad_settings():
    with pytest.raises(MemristiveError, match="gain"):
        TwoSignificanceLinear(2, 2, PCM, CELL, gain=0.0)
    with pytest.raises(MemristiveError, match="transfer_every"):
        TwoSignificanceLinear(2, 2, PCM, CELL, transfer_every=0)


@pytest.mark.slow
def test_pcm_3t1c_quick(tmp_path):
    # seeds 0-2: float 0.950 / 0.951 / 0.949, PCM pair 0.903 / 0.806 / 0.875, PCM + 3T1C 0.934 / 0.937 / 0.945
    m = json.loads(run_experiment("pcm-3t1c", tmp_path, quick=True).read_text())["metrics"]
    assert m["acc_float"] > 0.9
    assert m["acc_3t1c"] > m["acc_pcm_pair"] + 0.01
    assert m["acc_3t1c"] <= m["acc_float"] + 0.02
    assert m["transfers"] > 0
    assert (tmp_path / "pcm-3t1c" / "accuracy_vs_epoch.png").is_file()
