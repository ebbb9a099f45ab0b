"""A block of one crossbar array used as a layer of its own: several layers of a network on one array.

Li et al. (Nat. Commun. 9, 2385, 2018) trained a two-layer perceptron in situ on one 128 x 64 1T1R
array, each layer a partition of it (rows for the inputs, columns for the outputs; the devices
outside a partition idle). An :class:`ArrayPartition` reads its block by driving the block's rows
(the other rows at 0 V) and sensing the block's columns, and updates it by pulses on the block's
devices only, so the array's periphery, counters (pulses, read and write energy) and, with the
circuit solver, its wires are shared by every partition. A layer is put on a partition by
:meth:`memristive.nn.layer.MemristiveLayer.place`.
"""

from __future__ import annotations

import torch

from memristive.crossbar.array import CrossbarArray
from memristive.errors import require


class ArrayPartition:
    """Rows ``rows[0]:rows[1]`` and columns ``cols[0]:cols[1]`` of ``array`` (module docstring).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray
        >>> from memristive.devices import get_preset
        >>> array = CrossbarArray(16, 8, get_preset("tpt-ram-110"), generator=torch.Generator().manual_seed(0))
        >>> first, second = ArrayPartition(array, (0, 10), (0, 4)), ArrayPartition(array, (10, 16), (4, 8))
        >>> first.shape, second.shape, first.overlaps(second)
        ((10, 4), (6, 4), False)
    """

    def __init__(self, array: CrossbarArray, rows: tuple[int, int], cols: tuple[int, int]) -> None:
        for name, (start, stop), size in (("rows", rows, array.rows), ("cols", cols, array.cols)):
            require(0 <= start < stop <= size, f"{name}={(start, stop)} must lie within the array's {size} {name}")
        self.array, self.row_span, self.col_span = array, rows, cols

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of the block."""
        return self.row_span[1] - self.row_span[0], self.col_span[1] - self.col_span[0]

    def overlaps(self, other: ArrayPartition) -> bool:
        """Whether the two blocks share a device."""
        (r0, r1), (c0, c1) = self.row_span, self.col_span
        (s0, s1), (d0, d1) = other.row_span, other.col_span
        return other.array is self.array and r0 < s1 and s0 < r1 and c0 < d1 and d0 < c1

    @property
    def model(self):
        """The array's device model."""
        return self.array.model

    @property
    def mapping(self):
        """The array's weight mapping."""
        return self.array.mapping

    @property
    def solver(self) -> str:
        """The array's solver."""
        return self.array.solver

    @property
    def tile_rows(self) -> int | None:
        """The array's rows per tile."""
        return self.array.tile_rows

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the array's device states."""
        return self.array.dtype

    def _rows(self) -> slice:
        return slice(*self.row_span)

    def _cols(self) -> slice:
        return slice(*self.col_span)

    def weights(self) -> torch.Tensor:
        """The block's weights, ``[rows, cols]``."""
        return self.array.weights()[self._rows(), self._cols()]

    def _padded(self, block: torch.Tensor) -> torch.Tensor:
        full = torch.zeros(self.array.rows, self.array.cols, dtype=block.dtype, device=block.device)
        full[self._rows(), self._cols()] = block
        return full

    def conductances(self) -> torch.Tensor:
        """Conductance of the block's devices, ``[planes, rows, cols]``, S."""
        return self.array.conductances()[:, self._rows(), self._cols()]

    def program(self, weights: torch.Tensor, *, import_error: float = 0.0,
                generator: torch.Generator | None = None) -> None:
        """Write ``weights`` [rows, cols] into the block's devices only (:meth:`CrossbarArray.program` with
        ``where=``)."""
        require(tuple(weights.shape) == self.shape,
                f"weights of shape {tuple(weights.shape)} for a {self.shape[0]} x {self.shape[1]} partition")
        full = self.array.weights().clone()
        full[self._rows(), self._cols()] = weights.to(full.dtype)
        mask = torch.zeros_like(full, dtype=torch.bool)
        mask[self._rows(), self._cols()] = True
        self.array.program(full, import_error=import_error, generator=generator, where=mask)

    def _driven(self, x: torch.Tensor, transposed: bool = False) -> torch.Tensor:
        """Inputs ``x`` [..., block lines] on the block's rows (``transposed``: columns), every other line at 0."""
        lines, span = (self.array.cols, self._cols()) if transposed else (self.array.rows, self._rows())
        driven = torch.zeros(*x.shape[:-1], lines, dtype=x.dtype, device=x.device)
        driven[..., span] = x
        return driven

    def read(self, voltage: torch.Tensor) -> torch.Tensor:
        """Column currents of the block for row voltages [..., rows] (every other row at 0 V), A."""
        return self.array.read(self._driven(voltage))[..., self._cols()]

    def advance(self, dt: float) -> None:
        """``dt`` seconds with no drive, for the whole array (time passes for every partition at once)."""
        self.array.advance(dt)

    def matvec(self, x: torch.Tensor, transposed: bool = False) -> torch.Tensor:
        """``x W`` (``transposed``: ``x W^T``) of the block, ``x`` [..., rows | cols], read through the array: the
        block's input lines driven, every other line of that side at 0 V."""
        rows, cols = self.shape
        require(x.shape[-1] == (cols if transposed else rows),
                f"inputs of {x.shape[-1]} for a {rows} x {cols} partition{' (transposed)' if transposed else ''}")
        outputs = self._rows() if transposed else self._cols()
        return self.array.matvec(self._driven(x, transposed), transposed=transposed)[..., outputs]

    def update(self, delta_weights: torch.Tensor, generator: torch.Generator | None = None) -> int:
        """Pulse the block's devices towards ``W + delta`` (:meth:`CrossbarArray.update`; no other device is
        pulsed); returns the pulses applied."""
        require(tuple(delta_weights.shape) == self.shape,
                f"delta of shape {tuple(delta_weights.shape)} for a {self.shape[0]} x {self.shape[1]} partition")
        return self.array.update(self._padded(delta_weights), generator)
