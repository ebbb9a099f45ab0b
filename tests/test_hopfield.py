"""Hopfield memory on arrays (issue 17): equal to a NumPy Hopfield net on ideal devices, energy never rises on
real ones, bad input refused, and the quick experiment's capacity and letters."""

import json

import numpy as np
import pytest
import torch

from memristive.algorithms.hopfield import HopfieldMemory, corrupt, hebbian_weights, overlap
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device


def _patterns(count, neurons, seed):
    g = generator(seed)
    return torch.where(torch.rand(count, neurons, generator=g, device=TEST_DEVICE, dtype=torch.float64) < 0.5,
                       -1.0, 1.0)


def _memory(neurons, model, scheme="one-sided", w_max=0.25, seed=0):
    array = CrossbarArray(neurons, neurons, model, WeightMapping(scheme=scheme, w_max=w_max), generator=generator(seed),
                          device=TEST_DEVICE, dtype=torch.float64)
    return HopfieldMemory(array)


def _numpy_recall(w, probes, mode, tie=1e-9, sweeps=20):
    """A plain NumPy Hopfield net: sequential asynchronous or synchronous sign updates, ties keep the state."""
    s = probes.copy()
    for _ in range(sweeps):
        before = s.copy()
        if mode == "sync":
            h = s @ w
            s = np.where(np.abs(h) <= tie, s, np.sign(h))
        else:
            for i in range(w.shape[0]):
                h = s @ w[:, i]
                s[:, i] = np.where(np.abs(h) <= tie, s[:, i], np.sign(h))
        if np.array_equal(s, before):
            break
    return s


@pytest.mark.parametrize("count", [4, 7])  # even counts give exact zero fields (ties), odd ones none
@pytest.mark.parametrize("mode", ["async", "sync"])
def test_ideal_devices_recall_what_numpy_recalls(mode, count):
    patterns = _patterns(count, 64, seed=1)
    memory = _memory(64, get_preset("taox-hfox").ideal())
    w = memory.store(patterns)
    probes = corrupt(patterns, 0.15, generator(2))
    ours = memory.recall(probes, mode, order="sequential").states
    reference = _numpy_recall(w.cpu().numpy(), probes.cpu().numpy(), mode)
    assert np.array_equal(ours.cpu().numpy(), reference)


def test_energy_never_rises_on_real_devices():
    """Learnt in situ on a noisy preset (asymmetric weights): asynchronous steps never raise E."""
    patterns = _patterns(6, 48, seed=3)
    memory = _memory(48, get_preset("taox-hfox"), scheme="balanced", w_max=0.125, seed=4)
    memory.learn(patterns, generator(5))
    weights = memory.array.weights()
    assert (weights - weights.t()).abs().max() > 1e-3  # the devices hold an asymmetric matrix
    s = corrupt(patterns, 0.3, generator(6))
    energy = memory.energy(s)
    scale = energy.abs().max()
    for _ in range(3):
        for i in torch.randperm(48, generator=torch.Generator().manual_seed(7)).tolist():
            s = memory.update_neuron(s, i)
            now = memory.energy(s)
            assert (now <= energy + 1e-12 * scale).all()
            energy = now


def test_hebbian_rule_stores_few_patterns_as_fixed_points():
    patterns = _patterns(3, 100, seed=8)
    memory = _memory(100, get_preset("taox-hfox").ideal())
    memory.store(patterns)
    recall = memory.recall(patterns, "sync")
    assert recall.converged and recall.sweeps == 1 and torch.equal(overlap(recall.states, patterns),
                                                                  torch.ones(3, dtype=torch.float64,
                                                                             device=TEST_DEVICE))
    assert torch.equal(hebbian_weights(patterns).diagonal(), torch.zeros(100, dtype=torch.float64,
                                                                        device=TEST_DEVICE))


def test_bad_input_is_refused():
    memory = _memory(8, get_preset("taox-hfox").ideal())
    with pytest.raises(MemristiveError, match="at least one pattern"):
        memory.store(torch.zeros(0, 8, dtype=torch.float64, device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match=r"\+1 and -1"):
        memory.store(torch.zeros(2, 8, dtype=torch.float64, device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match="square"):
        HopfieldMemory(CrossbarArray(8, 4, get_preset("taox-hfox"), device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match="neurons"):
        memory.recall(torch.ones(1, 5, dtype=torch.float64, device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match="mode"):
        memory.recall(torch.ones(1, 8, dtype=torch.float64, device=TEST_DEVICE), "parallel")


@pytest.mark.slow
def test_hopfield_recall_quick(tmp_path):
    m = json.loads(run_experiment("hopfield-recall", tmp_path, quick=True).read_text())["metrics"]
    assert 0.09 <= m["capacity_ideal"] <= 0.2  # 0.138 for N -> infinity; N = 64 here
    assert m["capacity_taox-hfox"] < m["capacity_ideal"]  # c2c noise of the learnt weights costs capacity
    assert m["recall_bits_4bit"] >= m["recall_bits_1bit"] and m["recall_stuck_0.3stuck"] < m["recall_stuck_0stuck"]
    assert m["letters_recalled_projection_noisy"] == 1.0 and m["letters_recalled_projection_incomplete"] == 1.0
