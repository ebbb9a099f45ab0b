"""Whole pulses for weight updates: stochastic, nearest or accumulated (mixed-precision) rounding, with a budget,
applied blind or verified.

The update circuitry of an array turns a requested weight change into whole pulses per
device; :class:`PulseRounder` is that circuitry's rule, and :class:`UpdateVerify` the
closed loop that reads each device after every pulse instead of trusting the pulse count.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from memristive.errors import MemristiveError

ROUNDINGS = ("stochastic", "nearest", "accumulate")


def stochastic_round(x: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """Round to an integer neighbour with probability given by the distance (unbiased)."""
    floor = torch.floor(x)
    return floor + (torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) < x - floor)


def check_rounding(rounding: str) -> str:
    """``rounding`` if it names a :class:`PulseRounder` mode, else a :class:`MemristiveError` saying which are known."""
    if rounding not in ROUNDINGS:
        raise MemristiveError(f"rounding={rounding!r} must be one of {ROUNDINGS}")
    return rounding


def check_pulse_budget(max_pulses: int | None) -> int | None:
    """``max_pulses`` if it is ``None`` or an integer >= 1, else a :class:`MemristiveError`."""
    if max_pulses is not None and (not isinstance(max_pulses, int) or max_pulses < 1):
        raise MemristiveError(f"max_pulses={max_pulses} must be an integer >= 1 (or None for no budget)")
    return max_pulses


class PulseRounder(nn.Module):
    """Whole pulses for a weight update ``dw`` and the weight one pulse moves, ``n ~ dw / dw_pulse``.

    ``rounding``:

    * ``"stochastic"``: ``n = round_s(dw / dw_pulse)``, unbiased; small updates still move
      weights on average, and every update's noise reaches the devices as pulses.
    * ``"nearest"``: ``n = round(dw / dw_pulse)``; updates under half a pulse are lost.
    * ``"accumulate"``: mixed precision (Nandakumar et al., Front. Neurosci. 14, 406 (2020)):
      a digital accumulator ``chi`` per weight collects updates, ``chi <- chi + dw``;
      ``n = trunc(chi / dw_pulse)`` pulses are applied and ``chi <- chi - n dw_pulse`` is
      kept. Nothing is lost, and updates of alternating sign cancel before they cost a pulse.

    The accumulator is held in weight units, so a change of ``dw_pulse`` (a device that
    changes mode) keeps its meaning. Fresh devices come with a fresh rounder (an empty accumulator).

    ``max_pulses`` is the pulse budget of one update (the pulses its write window holds, as
    the bit length of a stochastic pulse train bounds an update): ``|n| <= max_pulses``. With
    ``"accumulate"`` the excess waits in the accumulator for later updates; otherwise it is
    dropped. ``None``: no budget.

    Examples:
        >>> import torch
        >>> rounder = PulseRounder("nearest", max_pulses=3)
        >>> rounder(torch.tensor([0.04, 0.26, -0.11, 0.9]), 0.1).tolist()  # updates in weight units, 0.1 per pulse
        [0.0, 3.0, -1.0, 3.0]
    """

    def __init__(self, rounding: str = "stochastic", max_pulses: int | None = None) -> None:
        super().__init__()
        self.rounding = check_rounding(rounding)
        self.max_pulses = check_pulse_budget(max_pulses)
        self.register_buffer("carry", None, persistent=False)

    def forward(self, update: torch.Tensor, per_pulse: torch.Tensor | float,
                generator: torch.Generator | None = None) -> torch.Tensor:
        """Signed whole pulses for ``update`` (weight units), ``per_pulse`` the weight one pulse moves."""
        if self.rounding == "accumulate":
            total = update if self.carry is None else update + self.carry
            n = self._within_budget(torch.trunc(total / per_pulse))
            self.carry = total - n * per_pulse
            return n
        pulses = update / per_pulse
        n = stochastic_round(pulses, generator) if self.rounding == "stochastic" else pulses.round()
        return self._within_budget(n)

    def _within_budget(self, n: torch.Tensor) -> torch.Tensor:
        return n if self.max_pulses is None else n.clamp(-self.max_pulses, self.max_pulses)

    def extra_repr(self) -> str:
        budget = "" if self.max_pulses is None else f", max_pulses={self.max_pulses}"
        return f"rounding={self.rounding!r}{budget}"


@dataclass(frozen=True)
class UpdateVerify:
    """Write-verify in-situ updates (Yao et al., Nat. Commun. 8, 15199, 2017): a device given ``n`` pulses by
    the rounder gets the target ``G + n dG`` (``dG = (Gmax - Gmin) / levels``, the nominal step, clipped to the
    window); it is read after every pulse and pulsed again, towards the target, until it reads within
    ``tolerance`` steps of it or has had ``max_pulses`` pulses in this update.

    Attributes:
        tolerance: accepted distance from the target, in nominal steps, in (0, 1) (0.5: the nearest state; at 1
            a one-pulse update would be within tolerance before its pulse).
        max_pulses: pulses per device and update, corrections included (integer >= 1).
        read_time_s: duration of one verify read, s; its energy is ``V_read^2 G t``.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import CrossbarArray, WeightMapping
        >>> from memristive.devices import get_preset
        >>> gen = torch.Generator().manual_seed(0)
        >>> array = CrossbarArray(8, 4, get_preset("pcmo"), WeightMapping("balanced"), verify=UpdateVerify(tolerance=0.5),
        ...                       generator=gen, dtype=torch.float64)
        >>> pulses = array.update(torch.full((8, 4), 0.05, dtype=torch.float64), gen)
        >>> pulses > 0, int(array.verify_reads) > 0  # every pulse read back
        (True, True)
    """

    tolerance: float = 0.5
    max_pulses: int = 20
    read_time_s: float = 1e-6

    def __post_init__(self) -> None:
        if not 0 < self.tolerance < 1:
            raise MemristiveError(f"tolerance={self.tolerance} must be in (0, 1) nominal steps (at 1 or more a "
                                  "one-pulse update is within tolerance before its pulse)")
        if not isinstance(self.max_pulses, int) or self.max_pulses < 1:
            raise MemristiveError(f"max_pulses={self.max_pulses} must be an integer >= 1")
        if not self.read_time_s > 0:
            raise MemristiveError(f"read_time_s={self.read_time_s} must be > 0 s")
