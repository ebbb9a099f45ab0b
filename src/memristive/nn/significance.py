"""A weight of two significances: a PCM pair (higher) plus a capacitor-held cell (lower), Ambrogio et al. 2018.

Each weight is ``W = F (G+ - G-) / R + (g - g_ref) / r``: a differential pair of ``msb_model`` devices
(e.g. PCM) scaled by the gain ``F``, and one ``lsb_model`` cell read against a reference at its
rest (Ambrogio et al., Nature 558, 60, 2018, Fig. 1: a 3T1C cell whose capacitor charge sets a
read transistor's conductance). Training updates go to the lower significance only, by pulses
(:class:`~memristive.nn.optim.PulseSGD`): the cell's linear, symmetric steps take them faithfully,
and its leakage (the model's ``advance``, ``update_dt`` per step) forgets them slowly. Every
``transfer_every`` updates the lower part is read and moved into the pair: the pair is written to
its present weight plus the cell's (``program``: the pair model's programming, noise included) and
the cell is reset to its reference, so the PCM devices see a few large, verified writes instead of
many small noisy pulses.
"""

from __future__ import annotations

import torch
from torch import nn

from memristive.crossbar import WeightMapping
from memristive.devices import DeviceModel
from memristive.errors import require
from memristive.nn.linear import MemristiveLinear
from memristive.nn.optim import learns_by_pulses


class TwoSignificanceLinear(nn.Module):
    """``y = x (W_msb + W_lsb)^T + b`` on a pair array and a cell array (module docstring).

    Args:
        in_features: as in ``torch.nn.Linear``.
        out_features: as in ``torch.nn.Linear``.
        bias: as in ``torch.nn.Linear`` (the bias lives on both arrays, like the weights).
        msb_model: the devices of the higher significance (the pair).
        lsb_model: the devices of the lower significance (the cell).
        gain: ``F``: the weight a full pair window holds over the weight a full cell window holds.
        lsb_w_max: the weight of the cell's full half-window (the pair's ``w_max`` is ``gain`` times it).
        transfer_every: updates between transfers of the lower part into the pair.
        update_dt: time one update lasts, s (the cells leak, the pair drifts, for it after every update).
        **options: more settings of both :class:`MemristiveLinear` arrays (``rounding``, ``periphery``, ...).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> layer = TwoSignificanceLinear(4, 2, get_preset("pcm-gst"), get_preset("3t1c-capacitor"), transfer_every=10)
        >>> layer.init_devices(torch.Generator().manual_seed(0))
        >>> layer(torch.rand(3, 4)).shape
        torch.Size([3, 2])
    """

    def __init__(self, in_features: int, out_features: int, msb_model: DeviceModel, lsb_model: DeviceModel,
                 bias: bool = True, *, gain: float = 3.0, lsb_w_max: float = 0.25, transfer_every: int = 100,
                 update_dt: float = 0.0, **options) -> None:
        super().__init__()
        require(gain > 0, f"gain={gain} must be > 0")
        require(isinstance(transfer_every, int) and transfer_every >= 1,
                f"transfer_every={transfer_every} must be an integer >= 1")
        self.msb = MemristiveLinear(in_features, out_features, msb_model, bias, w_max=gain * lsb_w_max, **options)
        self.lsb = MemristiveLinear(in_features, out_features, lsb_model, bias, w_max=lsb_w_max,
                                    mapping=WeightMapping(scheme="reference"), update_dt=update_dt, **options)
        self.in_features, self.out_features, self.gain, self.transfer_every = in_features, out_features, gain, \
            transfer_every
        self.msb.weight.requires_grad_(False)
        if self.msb.bias is not None:
            self.msb.bias.requires_grad_(False)
        learns_by_pulses(self, self.lsb.weight, self.lsb.bias)
        self.update_dt, self.updates, self.transfers = update_dt, 0, 0

    @property
    def hardware(self) -> bool:
        """Whether both parts live on devices."""
        return self.msb.hardware and self.lsb.hardware

    def reset_parameters(self, generator: torch.Generator | None = None) -> None:
        """The pair holds ``nn.Linear``-like initial weights (clipped to its ``w_max``), the cell zero."""
        self.msb.reset_parameters(generator)
        with torch.no_grad():
            self.lsb.weight.zero_()
            if self.lsb.bias is not None:
                self.lsb.bias.zero_()

    def init_devices(self, generator: torch.Generator | None = None) -> None:
        """In situ: the pairs take the present weights, the cells zero (their reference)."""
        self.msb.init_devices(generator)
        self.lsb.init_devices(generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Both arrays read with the same inputs; their outputs add (the two columns of a weight share a neuron)."""
        return self.msb(x) + self.lsb(x)

    @torch.no_grad()
    def apply_gradient_pulses(self, lr: float, generator: torch.Generator | None = None) -> int:
        """``-lr dL/dW`` as pulses on the cells; every ``transfer_every``-th update also a :meth:`transfer`."""
        pulses = self.lsb.apply_gradient_pulses(lr, generator)  # the cells then leak for update_dt
        if self.update_dt > 0:
            self.msb.advance(self.update_dt)  # the pairs drift meanwhile
        self.updates += 1
        if self.updates % self.transfer_every == 0:
            self.transfer(generator)
        return pulses

    @torch.no_grad()
    def transfer(self, generator: torch.Generator | None = None) -> None:
        """Move the cells' weights into the pairs: program each pair to its weight plus the cell's, reset the cells."""
        msb, lsb = self.msb._require_array(), self.lsb._require_array()
        msb.program(msb.weights() + lsb.weights().to(msb.dtype), generator=generator)
        lsb.program(torch.zeros_like(lsb.weights()), generator=generator)
        self.msb.sync()
        self.lsb.sync()
        self.transfers += 1

    def extra_repr(self) -> str:
        return f"{self.in_features}, {self.out_features}, gain={self.gain:g}, transfer_every={self.transfer_every}"

