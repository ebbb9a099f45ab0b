"""Ideal VMM, mapping, converters and tiling."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from memristive.crossbar import Periphery, WeightMapping, quantize, tiled_vmm, vmm
from memristive.errors import MemristiveError


def test_vmm_is_ohm_and_kirchhoff():
    v = torch.tensor([[0.1, 0.2]])
    g = torch.tensor([[1e-5, 2e-5, 3e-5], [4e-5, 5e-5, 6e-5]])
    expected = torch.tensor([[0.1 * 1e-5 + 0.2 * 4e-5, 0.1 * 2e-5 + 0.2 * 5e-5, 0.1 * 3e-5 + 0.2 * 6e-5]])
    torch.testing.assert_close(vmm(v, g), expected)


@settings(max_examples=30, deadline=None)
@given(rows=st.integers(1, 40), cols=st.integers(1, 9), tile=st.integers(1, 50), seed=st.integers(0, 1000))
def test_tiling_with_ideal_adc_equals_one_array(rows, cols, tile, seed):
    gen = torch.Generator().manual_seed(seed)
    v = torch.rand(3, rows, generator=gen, dtype=torch.float64)
    g = torch.randn(rows, cols, generator=gen, dtype=torch.float64) * 1e-5
    torch.testing.assert_close(tiled_vmm(v, g, Periphery(), tile), v @ g)


@pytest.mark.parametrize("scheme, copies", [("one-sided", 1), ("balanced", 1), ("one-sided", 3), ("balanced", 2)])
def test_mapping_round_trip(scheme, copies):
    mapping = WeightMapping(scheme=scheme, w_max=1.0, copies=copies)
    w = torch.linspace(-1, 1, 21, dtype=torch.float64)
    g = mapping.to_conductances(w, 10e-6, 100e-6)
    assert g.shape == (2 * copies, 21)
    assert torch.all(g >= 10e-6 - 1e-18) and torch.all(g <= 100e-6 + 1e-18)
    torch.testing.assert_close(mapping.to_weights(g, 10e-6, 100e-6), w)


@pytest.mark.parametrize("slices, bits", [(1, 4), (2, 2), (3, 3)])
def test_bit_slices_hold_the_weight_to_their_resolution(slices, bits):
    mapping = WeightMapping(slices=slices, slice_bits=bits, w_max=2.0)
    w = torch.linspace(-2, 2, 101, dtype=torch.float64)
    g = mapping.to_conductances(w, 10e-6, 100e-6)
    levels = 2 ** bits
    for k in range(slices):  # every device sits on one of its slice's 2^b levels
        shares = (g[2 * k: 2 * k + 2] - 10e-6) / 90e-6 * (levels - 1)
        torch.testing.assert_close(shares, shares.round(), rtol=0, atol=1e-9)
    lsb = 2.0 / (2 ** (slices * bits) - 1)
    assert float((mapping.to_weights(g, 10e-6, 100e-6) - w).abs().max()) <= 0.5 * lsb + 1e-12


def test_bad_mappings_are_refused():
    with pytest.raises(MemristiveError, match="slice_bits"):
        WeightMapping(slices=2)
    with pytest.raises(MemristiveError, match="balanced"):
        WeightMapping(scheme="balanced", slice_bits=2)
    with pytest.raises(MemristiveError, match="copies"):
        WeightMapping(copies=0)


def test_quantize_levels_and_zero_bits():
    x = torch.linspace(0, 1, 1001)
    assert torch.equal(quantize(x, 0, 1.0, signed=False), x)
    assert quantize(x, 3, 1.0, signed=False).unique().numel() == 8
    assert quantize(torch.linspace(-1, 1, 1001), 3, 1.0, signed=True).unique().numel() == 7


def test_quantize_passes_gradients_straight_through():
    x = torch.linspace(0, 1, 11, requires_grad=True)
    quantize(x, 2, 1.0, signed=False).sum().backward()
    assert torch.equal(x.grad, torch.ones(11))


def test_adc_error_shrinks_with_bits():
    gen = torch.Generator().manual_seed(0)
    v, g = torch.rand(64, 128, generator=gen), torch.randn(128, 10, generator=gen) * 1e-5
    exact = v @ g
    errors = [(tiled_vmm(v, g, Periphery(adc_bits=b), 32) - exact).abs().mean().item() for b in (4, 6, 8)]
    assert errors[0] > errors[1] > errors[2]


def test_bad_periphery_is_rejected():
    with pytest.raises(MemristiveError, match="adc_bits"):
        Periphery(adc_bits=-1)
    with pytest.raises(MemristiveError, match="tile_rows"):
        tiled_vmm(torch.ones(1, 4), torch.ones(4, 2), Periphery(), 0)
