"""Vector-matrix multiplication on ideal (wire-free) arrays, whole or tiled.

Ohm and Kirchhoff give the column currents ``I_j = sum_i V_i G_ij`` (seed 002,
section 5). A matrix taller than one array is split over ``ceil(rows / tile_rows)``
arrays; each array's column currents pass its own ADC, and the digitised partial
sums are added, so finite ADC resolution costs more on tiled matrices.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from memristive.crossbar.periphery import Periphery
from memristive.errors import MemristiveError


def vmm(voltage: torch.Tensor, conductance: torch.Tensor) -> torch.Tensor:
    """Column currents ``I = V G`` of one ideal array; ``V``: [..., rows], ``G``: [rows, cols]."""
    return voltage @ conductance


def tiled_vmm(
    voltage: torch.Tensor,
    conductance: torch.Tensor,
    periphery: Periphery = Periphery(),
    tile_rows: int | None = None,
) -> torch.Tensor:
    """Differential column currents of ``G`` spread over arrays of ``tile_rows`` rows.

    ``voltage``: [batch, rows] in V; ``conductance``: [rows, cols] in S (a signed
    difference ``G+ - G-`` for differential pairs). Each tile's currents go
    through ``periphery.sense`` before the tiles are summed.
    """
    rows, cols = conductance.shape
    if voltage.shape[-1] != rows:
        raise MemristiveError(f"{voltage.shape[-1]} input voltages for an array of {rows} rows")
    tile = rows if tile_rows is None else tile_rows
    if tile < 1:
        raise MemristiveError(f"tile_rows={tile_rows} must be >= 1")
    n_tiles = math.ceil(rows / tile)
    if n_tiles == 1:
        return periphery.sense(voltage @ conductance)
    pad = n_tiles * tile - rows
    v = F.pad(voltage, (0, pad)).reshape(*voltage.shape[:-1], n_tiles, tile)
    g = F.pad(conductance, (0, 0, 0, pad)).reshape(n_tiles, tile, cols)
    partial = torch.einsum("...tr,trc->...tc", v, g)
    return periphery.sense(partial).sum(dim=-2)
