"""Several layers on one array (issue 18 item 13): a partition reads, writes and updates its own block only, layers
placed on partitions train through them, and the two-layer experiment learns as two separate arrays do."""

import json

import pytest
import torch

from memristive.crossbar import ArrayPartition, CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.devices.pulse_model import NonlinearPulseDevice
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from memristive.nn import MemristiveLinear, PulseSGD

IDEAL = NonlinearPulseDevice(g_min=1e-6, g_max=1e-4, levels=256, nu_ltp=0.0, nu_ltd=0.0, name="ideal")


def _array(rows=8, cols=6, model=IDEAL, seed=0):
    g = torch.Generator().manual_seed(seed)
    weights = 0.5 * (2 * torch.rand(rows, cols, generator=g, dtype=torch.float64) - 1)
    return CrossbarArray(rows, cols, model, WeightMapping(scheme="balanced"), weights=weights, generator=g,
                         dtype=torch.float64)


def test_a_partition_reads_its_block_both_ways():
    array = _array()
    part = ArrayPartition(array, (2, 7), (1, 4))
    w = array.weights()[2:7, 1:4]
    assert torch.equal(part.weights(), w) and part.shape == (5, 3)
    x = torch.rand(4, 5, dtype=torch.float64)
    assert torch.allclose(part.matvec(x), x @ w, atol=1e-12)
    y = torch.rand(4, 3, dtype=torch.float64)
    assert torch.allclose(part.matvec(y, transposed=True), y @ w.t(), atol=1e-12)
    assert torch.allclose(part.read(x * 0.2), (x * 0.2) @ (array.conductances()[0] - array.conductances()[1])[2:7, 1:4],
                          atol=1e-15)


def test_updates_and_writes_touch_the_block_only():
    array = _array(model=get_preset("taox-hfox"))
    part = ArrayPartition(array, (0, 4), (3, 6))
    before = array.conductances().clone()
    part.update(torch.full((4, 3), 0.2, dtype=torch.float64), torch.Generator().manual_seed(1))
    after = array.conductances()
    outside = torch.ones(8, 6, dtype=torch.bool)
    outside[0:4, 3:6] = False
    assert torch.equal(after[:, outside], before[:, outside])
    assert bool((after[:, ~outside] != before[:, ~outside]).any())
    target = torch.full((4, 3), -0.3, dtype=torch.float64)
    ideal = _array()
    kept = ideal.conductances().clone()
    ArrayPartition(ideal, (0, 4), (3, 6)).program(target)
    assert torch.allclose(ideal.weights()[0:4, 3:6], target, atol=1e-12)
    assert torch.equal(ideal.conductances()[:, outside], kept[:, outside])


def test_partition_checks():
    array = _array()
    with pytest.raises(MemristiveError, match="must lie within"):
        ArrayPartition(array, (0, 9), (0, 2))
    part = ArrayPartition(array, (0, 4), (0, 3))
    assert part.overlaps(ArrayPartition(array, (3, 5), (2, 6))) and not part.overlaps(ArrayPartition(array, (4, 8), (0, 6)))
    with pytest.raises(MemristiveError, match="inputs of 5"):
        part.matvec(torch.zeros(5, dtype=torch.float64))
    with pytest.raises(MemristiveError, match="delta of shape"):
        part.update(torch.zeros(3, 3, dtype=torch.float64))
    with pytest.raises(MemristiveError, match="where= needs"):
        array.program(torch.zeros(8, 6), where=torch.ones(2, 2, dtype=torch.bool))


def test_layers_placed_on_one_array_train_through_it():
    array = CrossbarArray(6, 5, IDEAL, WeightMapping(scheme="balanced"), generator=torch.Generator().manual_seed(0),
                          dtype=torch.float32)
    first = MemristiveLinear(5, 3, IDEAL)  # 5 inputs + bias = 6 rows, columns 0:3
    second = MemristiveLinear(3, 2, IDEAL)  # 3 + bias = 4 rows, columns 3:5
    first.place(ArrayPartition(array, (0, 6), (0, 3)))
    second.place(ArrayPartition(array, (0, 4), (3, 5)))
    assert torch.allclose(array.weights()[:5, :3], first.weight.t().detach(), atol=1e-6)
    x = torch.rand(7, 5)
    out = second(torch.sigmoid(first(x)))
    out.square().sum().backward()
    PulseSGD([first.weight, first.bias, second.weight, second.bias], lr=0.5).step()
    assert int(array.pulses_applied) > 0
    assert torch.allclose(array.weights()[:4, 3:5], torch.cat([second.weight.t(), second.bias[None]]).detach(),
                          atol=1e-6)  # the layer's parameters follow its block
    with pytest.raises(MemristiveError, match="partition for a layer of 6 rows"):
        MemristiveLinear(5, 3, IDEAL).place(ArrayPartition(array, (0, 5), (0, 3)))
    with pytest.raises(MemristiveError, match="this layer needs"):
        MemristiveLinear(5, 3, get_preset("taox-hfox")).place(ArrayPartition(array, (0, 6), (0, 3)))


def test_partitioned_mlp_quick(tmp_path):
    # seeds 0-2: float 0.946 / 0.946 / 0.948, separate 0.928 / 0.922 / 0.925, partitioned 0.931 / 0.923 / 0.939
    m = json.loads(run_experiment("partitioned-mlp", tmp_path, quick=True).read_text())["metrics"]
    assert m["acc_float"] > 0.9
    assert m["acc_partitioned"] > 0.88
    assert abs(m["acc_partitioned"] - m["acc_separate"]) < 0.03
    assert m["used_share"] == pytest.approx((65 * 54 + 55 * 10) / (65 * 64))
    assert m["pulses_partitioned"] > 0
    assert (tmp_path / "partitioned-mlp" / "accuracy_vs_epoch.png").is_file()


def test_partitioned_layers_learn_exactly_as_separate_arrays_on_deterministic_devices():
    """With noise-free devices and nearest rounding nothing random is left: one array or two, the same weights."""
    torch.manual_seed(0)
    x, target = torch.rand(16, 5), torch.rand(16, 2)

    def network(shared):
        first, second = (MemristiveLinear(5, 3, IDEAL, rounding="nearest"),
                         MemristiveLinear(3, 2, IDEAL, rounding="nearest"))
        with torch.no_grad():
            for layer, seed in ((first, 1), (second, 2)):
                layer.reset_parameters(torch.Generator().manual_seed(seed))
        if shared:
            array = CrossbarArray(6, 5, IDEAL, WeightMapping(scheme="balanced"), rounding="nearest",
                                  dtype=torch.float32)
            first.place(ArrayPartition(array, (0, 6), (0, 3)))
            second.place(ArrayPartition(array, (0, 4), (3, 5)))
        else:
            first.init_devices()
            second.init_devices()
        start = first.weight.detach().clone()
        optimiser = PulseSGD([first.weight, first.bias, second.weight, second.bias], lr=5.0)
        for _ in range(10):
            optimiser.zero_grad()
            (second(torch.sigmoid(first(x))) - target).square().mean().backward()
            optimiser.step()
        assert (first.weight.detach() - start).abs().max() > 0.03  # the devices did learn
        return [p.detach().clone() for p in (first.weight, first.bias, second.weight, second.bias)]

    for shared, separate in zip(network(True), network(False), strict=True):
        assert torch.allclose(shared, separate, atol=1e-6)
