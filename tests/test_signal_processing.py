"""DCT and filters by array reads (issue 17): scipy's DCT and correlation to 1e-9 on ideal devices, precision costs
PSNR within the rounding bound, bad input refused, and the quick experiment."""

import json

import numpy as np
import pytest
import scipy.fft
import scipy.signal
import torch

from memristive.algorithms.signal_processing import ArrayDCT, array_filter, keep_largest, to_blocks
from memristive.crossbar import CrossbarArray, WeightMapping
from memristive.devices import get_preset
from memristive.errors import MemristiveError
from memristive.experiments import run_experiment
from tests.conftest import TEST_DEVICE, generator

pytestmark = pytest.mark.on_test_device
ON = {"dtype": torch.float64, "device": TEST_DEVICE}


def _array(rows, cols, w_max, bits=0):
    return CrossbarArray(rows, cols, get_preset("taox-hfox").ideal(), WeightMapping(w_max=w_max, slice_bits=bits), **ON)


@pytest.mark.parametrize("n", [4, 8, 16])
def test_ideal_array_dct_equals_scipy(n):
    image = torch.rand(4 * n, 3 * n, generator=generator(n), **ON)
    blocks = to_blocks(image, n)
    dct = ArrayDCT(_array(n, n, np.sqrt(2.0 / n)))
    ours = dct.forward(blocks)
    reference = scipy.fft.dctn(blocks.cpu().numpy(), axes=(-2, -1), norm="ortho")
    np.testing.assert_allclose(ours.cpu().numpy(), reference, rtol=0, atol=1e-9)
    np.testing.assert_allclose(dct.inverse(ours).cpu().numpy(), blocks.cpu().numpy(), rtol=0, atol=1e-9)


def test_ideal_array_filters_equal_scipy_correlation():
    image = torch.rand(20, 17, generator=generator(1), **ON)
    kernels = torch.randn(4, 3, 3, generator=generator(2), **ON)
    array = _array(9, 4, float(kernels.abs().max()))
    array.program(kernels.flatten(1).t())
    ours = array_filter(image, array).cpu().numpy()
    for k, kernel in enumerate(kernels.cpu().numpy()):
        np.testing.assert_allclose(ours[k], scipy.signal.correlate2d(image.cpu().numpy(), kernel, "valid"), atol=1e-9)


@pytest.mark.parametrize("bits", [2, 3, 4, 6, 8, 12])
def test_b_bit_devices_restore_within_the_rounding_bound(bits):
    """Entries of C rounded to b bits are off by d <= w_max / (2 (2^b - 1)), so ||E||_2 <= n d and the round trip
    C~^T C~ X C~^T C~ misses X by at most ((1 + e)^2 - 1) ||X||_F per block, e = 2 n d + (n d)^2."""
    n, w_max = 8, 0.5
    blocks = to_blocks(torch.rand(32, 32, generator=generator(3), **ON), n)
    dct = ArrayDCT(_array(n, n, w_max, bits))
    d = w_max / (2 * (2**bits - 1))
    assert float((dct.array.weights() - dct.matrix.t()).abs().max()) <= d * (1 + 1e-9)
    e = 2 * n * d + (n * d) ** 2
    miss = (dct.inverse(dct.forward(blocks)) - blocks).flatten(-2).norm(dim=-1)
    assert (miss <= ((1 + e) ** 2 - 1) * blocks.flatten(-2).norm(dim=-1)).all()
    assert float(miss.max()) > 0  # rounded entries do cost something


def test_bad_input_is_refused():
    with pytest.raises(MemristiveError, match="does not split"):
        to_blocks(torch.rand(10, 16, **ON), 8)
    with pytest.raises(MemristiveError, match="below the largest DCT entry"):
        ArrayDCT(_array(8, 8, 0.3))
    with pytest.raises(MemristiveError, match="square"):
        ArrayDCT(_array(8, 4, 1.0))
    with pytest.raises(MemristiveError, match="square kernels"):
        array_filter(torch.rand(8, 8, **ON), _array(8, 2, 1.0))
    with pytest.raises(MemristiveError, match="share"):
        keep_largest(torch.rand(2, 8, 8, **ON), 0.0)


def test_dct_compression_quick(tmp_path):
    m = json.loads(run_experiment("dct-compression", tmp_path, quick=True).read_text())["metrics"]
    assert abs(m["psnr_ideal_db"] - m["psnr_float_db"]) < 1e-6 and m["dct_max_error_ideal"] < 1e-9
    assert m["psnr_2bit_db"] < m["psnr_8bit_db"] <= m["psnr_float_db"] + 1e-9
    assert m["psnr_tiox-4k_db"] < m["psnr_ideal_db"] and m["filter_rel_error_ideal"] < 1e-9
    assert 0 < m["filter_rel_error_tiox-4k"] < 0.5
