"""Endurance: the switching window closing with full set/reset cycles, and what each preset's sources show.

A device cycled ``n`` times between its window edges keeps the share

    s(n) = 1 / (1 + (n / n_half)^beta)

of its window (``n_half``: the cycles after which half the window is left; ``beta``: how sharply it
closes), the bottom edge fixed and the top falling: :meth:`Endurance.cycled` gives the model after
``n`` cycles. Failure data (``n_half``, ``beta``) are rare in papers; most report the cycles a device
was switched without failure (``demonstrated_cycles``), a lower bound. :data:`ENDURANCE` holds what
the presets' own sources report, with citations; presets missing from it have no endurance figure
in their sources.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from memristive.devices.base import DeviceModel
from memristive.devices.references import cite
from memristive.errors import require


@dataclass(frozen=True)
class Endurance:
    """What is known of a device's endurance (module docstring).

    Attributes:
        demonstrated_cycles: full set/reset cycles the source switched the device without failure.
        half_window_cycles: ``n_half``, cycles after which half the window is left (``None``: no failure seen).
        exponent: ``beta`` of the closing.
        source: where the numbers come from.

    Examples:
        >>> endurance = Endurance(demonstrated_cycles=1e6, half_window_cycles=1e8, exponent=1.0)
        >>> endurance.window_share(1e8), f"{endurance.cycles_to_share(0.9):.3g}"  # half the window at n_half
        (0.5, '1.11e+07')
    """

    demonstrated_cycles: float
    half_window_cycles: float | None = None
    exponent: float = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        require(self.demonstrated_cycles >= 1, f"demonstrated_cycles={self.demonstrated_cycles} must be >= 1")
        require(self.half_window_cycles is None or self.half_window_cycles > 0,
                f"half_window_cycles={self.half_window_cycles} must be > 0 (or None: no failure seen)")
        require(self.exponent > 0, f"exponent={self.exponent} must be > 0")

    def window_share(self, cycles: float) -> float:
        """``s(n)``: the share of the window left after ``cycles`` (1 where no failure model is known)."""
        require(cycles >= 0, f"cycles={cycles} must be >= 0")
        if self.half_window_cycles is None:
            return 1.0
        return 1.0 / (1.0 + (cycles / self.half_window_cycles) ** self.exponent)

    def cycles_to_share(self, share: float) -> float:
        """Cycles after which ``share`` of the window is left (infinite where no failure model is known)."""
        require(0 < share < 1, f"share={share} must be in (0, 1)")
        if self.half_window_cycles is None:
            return math.inf
        return self.half_window_cycles * (1 / share - 1) ** (1 / self.exponent)

    def cycled(self, model: DeviceModel, cycles: float) -> DeviceModel:
        """``model`` after ``cycles`` full cycles: its top edge ``g_max`` lowered to ``g_min + s(n) (g_max - g_min)``
        (models whose window is a ``g_max`` field)."""
        names = {f.name for f in dataclasses.fields(model)}
        require("g_max" in names and "g_min" in names,
                f"{type(model).__name__} {model.name!r} has no g_min / g_max fields for its window to close")
        return model.replace(g_max=model.g_min + self.window_share(cycles) * (model.g_max - model.g_min))


ENDURANCE: dict[str, Endurance] = {
    "tpt-ram-110": Endurance(1e8, source=cite("mou2021", "Fig. 3D") + ": stable after 1e8 cycles"),
    "tpt-ram-110-dual": Endurance(1e8, source=cite("mou2021", "Fig. 3D") + ": stable after 1e8 cycles "
                                              "(the formed, nonvolatile device)"),
    "otj-sto": Endurance(3e3, source=cite("li2019", "Fig. 1e") + ": ON/OFF 5e3 kept for more than 3e3 cycles"),
    **{name: Endurance(1e2, source=cite("chen2020", "Fig. 2b") + ": ON and OFF resistances in a narrow range over "
                                                                "hundreds of cycles")
       for name in ("hfox-qc-a", "hfox-qc-b", "hfox-qc-ideal")},
}
"""What each preset's sources report (preset name -> :class:`Endurance`)."""
