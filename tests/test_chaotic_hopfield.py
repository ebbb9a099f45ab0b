"""Max-cut by Hopfield networks on arrays with Mott-oscillator noise (issue 18 item 9): the oscillators on tensors
agree with scipy's integration, thermal fluctuations jitter them, max-cut is solved exactly by enumeration, noise-free
sweeps never shrink a cut, and annealed noise reaches the largest cut far more often than none."""

import itertools
import json

import numpy as np
import pytest
import torch

from memristive.algorithms.hopfield import HopfieldMemory, annealed
from memristive.algorithms.maxcut import cut_size, max_cut, maxcut_weights, random_graph
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import MottMemristor, get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from memristive.experiments.chaotic_hopfield import periods
from memristive.spiking.mott_neuron import MottOscillator
from memristive.spiking.mott_noise import MottNoiseSource, standardize
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device

MOTT = get_preset("mott-nbo2", MottMemristor)
CIRCUIT = MottOscillator(MOTT, 1.5, 3e3, 100e-12)
LEVEL = 0.5 * (MOTT.threshold_v + MOTT.hold_v)


def _periods(thermal_noise, seed=0, oscillators=8, reads=2500):
    source = MottNoiseSource(CIRCUIT, 2e-9, thermal_noise=thermal_noise)
    trace = source.voltages((oscillators,), reads, generator=generator(seed), dtype=torch.float64)
    return periods(trace.cpu().numpy(), 2e-9, LEVEL)


def test_tensor_oscillators_keep_the_period_of_the_scipy_integration():
    lsoda = np.diff(CIRCUIT.run([(5e-6, 0.0)]).spikes_s)[1:].mean()
    ours = _periods(thermal_noise=False)
    assert ours.size >= 8 * 8
    assert abs(ours.mean() / lsoda - 1) < 0.01  # 0.4 % at step_share 0.5


def test_thermal_fluctuations_jitter_the_period_and_the_seed_fixes_them():
    quiet, noisy = _periods(False), _periods(True)
    assert quiet.std() / quiet.mean() < 1e-4  # what remains is the interpolation between reads
    assert noisy.std() / noisy.mean() > 5 * quiet.std() / quiet.mean()
    assert np.array_equal(_periods(True, seed=3), _periods(True, seed=3))
    assert not np.array_equal(_periods(True, seed=3), _periods(True, seed=4))


def test_oscillator_reads_stay_between_hold_and_threshold_and_standardize():
    source = MottNoiseSource(CIRCUIT, 0.7e-6)
    v = source.voltages((4, 5), 30, generator=generator(1), dtype=torch.float64)
    assert v.shape == (30, 4, 5)
    assert bool((v > 0.9 * MOTT.hold_v).all()) and bool((v < 1.05 * MOTT.threshold_v).all())
    z = standardize(v)
    assert abs(float(z.mean())) < 1e-12 and abs(float(z.std()) - 1) < 1e-12
    with pytest.raises(MemristiveError, match="constant"):
        standardize(torch.ones(3))
    with pytest.raises(MemristiveError, match="interval_s"):
        MottNoiseSource(CIRCUIT, 0.0)


def _loop_cut(states, adjacency):
    n = len(states)
    return sum(adjacency[i][j] for i in range(n) for j in range(i + 1, n) if states[i] != states[j])


@pytest.mark.parametrize("seed", range(3))
def test_cut_size_counts_crossing_edges_and_enumeration_finds_the_largest(seed):
    a = random_graph(7, 0.5, generator(seed))
    states = torch.tensor(list(itertools.product([-1.0, 1.0], repeat=7)), dtype=torch.float64, device=a.device)
    sizes = cut_size(states, a)
    for s, size in zip(states[::17], sizes[::17], strict=True):
        assert float(size) == _loop_cut(s.tolist(), a.tolist())
    exact = max_cut(a)
    assert exact.size == float(sizes.max())
    assert float(cut_size(exact.states, a)) == exact.size and exact.states[0] == 1
    assert exact.optima == int((sizes == sizes.max()).sum()) // 2  # each cut counted once (node 0 on side +1)


def test_known_graphs():
    complete = torch.ones(4, 4, dtype=torch.float64) - torch.eye(4, dtype=torch.float64)
    assert max_cut(complete).size == 4
    cycle = torch.zeros(5, 5, dtype=torch.float64)
    for i in range(5):
        cycle[i, (i + 1) % 5] = cycle[(i + 1) % 5, i] = 1
    assert max_cut(cycle).size == 4
    bipartite = torch.zeros(6, 6, dtype=torch.float64)
    bipartite[:3, 3:] = bipartite[3:, :3] = 1
    assert max_cut(bipartite).size == 9 and max_cut(bipartite).optima == 1


@pytest.mark.parametrize("bad, message", [
    (torch.tensor([[0.0, 1.0], [0.0, 0.0]]), "symmetric"),
    (torch.eye(3), "zero diagonal"),
    (torch.zeros(1, 1), "2 or more nodes"),
])
def test_bad_graphs_are_refused(bad, message):
    with pytest.raises(MemristiveError, match=message):
        max_cut(bad)


def test_enumeration_limit():
    with pytest.raises(MemristiveError, match="limited to 24"):
        max_cut(torch.zeros(25, 25))


def _network(a, seed=0, device_name="taox-hfox"):
    n = a.shape[0]
    array = CrossbarArray(n, n, get_preset(device_name), WeightMapping(scheme="balanced", w_max=1.0),
                          generator=generator(seed), device=TEST_DEVICE, dtype=torch.float64)
    memory = HopfieldMemory(array)
    memory.program(maxcut_weights(a))
    return memory


@pytest.mark.parametrize("seed", range(3))
def test_noise_free_sweeps_never_shrink_the_cut(seed):
    g = generator(seed)
    a = random_graph(12, 0.5, g)
    memory = _network(a, seed)
    s = torch.where(torch.rand(20, 12, generator=g, dtype=torch.float64, device=TEST_DEVICE) < 0.5,
                        -1.0, 1.0)
    for i in range(12):
        after = memory.update_neuron(s, i)
        assert bool((cut_size(after, a) >= cut_size(s, a) - 1e-9).all())
        s = after


def test_annealed_noise_reaches_the_largest_cut_more_often_than_none():
    g = generator(5)
    wins = {"plain": 0.0, "noisy": 0.0}
    for _ in range(4):
        a = random_graph(12, 0.5, g)
        best = max_cut(a).size
        memory = _network(a)
        start = torch.where(torch.rand(32, 12, generator=g, dtype=torch.float64, device=TEST_DEVICE) < 0.5,
                        -1.0, 1.0)
        noise = annealed(torch.randn(25, 32, 12, generator=g, dtype=torch.float64, device=TEST_DEVICE), 1.5)
        for arm, field_noise in (("plain", None), ("noisy", noise)):
            out = memory.recall(start, max_sweeps=40, field_noise=field_noise, generator=g)
            assert out.converged
            wins[arm] += float((cut_size(out.states, a) >= best).double().mean()) / 4
    assert wins["noisy"] > wins["plain"] + 0.25


def test_annealing_schedule_and_noise_shapes_are_checked():
    schedule = annealed(torch.ones(4, 2), 2.0)
    assert torch.allclose(schedule[:, 0], torch.tensor([2.0, 1.5, 1.0, 0.5]))
    memory = _network(random_graph(6, 0.5, generator(0)).to(TEST_DEVICE))
    start = torch.ones(3, 6, dtype=torch.float64, device=TEST_DEVICE)
    with pytest.raises(MemristiveError, match="field_noise of shape"):
        memory.recall(start, field_noise=torch.zeros(5, 2, 6, device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match="must exceed the 5 noisy sweeps"):
        memory.recall(start, max_sweeps=5, field_noise=torch.zeros(5, 3, 6, device=TEST_DEVICE))
    with pytest.raises(MemristiveError, match="weights of shape"):
        memory.program(torch.zeros(5, 5))


@pytest.mark.slow
def test_chaotic_hopfield_quick(tmp_path):
    # seeds 0-3: plain 0.24 / 0.20 / 0.16 / 0.25, chaotic 0.86 / 0.85 / 0.81 / 0.90, gaussian 0.88 / 0.85 / 0.78 / 0.85
    m = json.loads(run_experiment("chaotic-hopfield", tmp_path, quick=True).read_text())["metrics"]
    assert m["success_plain"] < 0.5
    assert m["success_chaotic"] > m["success_plain"] + 0.4
    assert m["success_gaussian"] > m["success_plain"] + 0.4
    assert m["cut_ratio_plain"] < m["cut_ratio_chaotic"] <= 1.0
    lsoda = np.diff(CIRCUIT.run([(5e-6, 0.0)]).spikes_s)[1:].mean()
    assert abs(m["oscillator_period_s"] / lsoda - 1) < 0.01
    assert 0 < m["oscillator_period_jitter"] < 0.01
    for figure in ("success.png", "noise_source.png"):
        assert (tmp_path / "chaotic-hopfield" / figure).is_file()
