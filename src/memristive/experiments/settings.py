"""Experiment settings with declared ranges: the constraints are data, checked in one place.

In the style of scikit-learn's parameter constraints, each config class lists the range of
every numeric field in ``constraints`` (for a tuple, the range of each of its values; no
tuple may be empty); :class:`Settings` checks them, and that every float is finite,
when a config is made, and then runs the class's own checks between fields (``validate``).
A value outside its range is one line naming the field, the value and the range::

    lr=-1.0 must be > 0
    sizes=(16, 0): every value must be >= 1
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import ClassVar

from memristive.errors import MemristiveError

ENDS = {"both": ("[", "]"), "left": ("[", ")"), "right": ("(", "]"), "neither": ("(", ")")}
"""Which ends of an :class:`Interval` belong to it, and how each is written."""


@dataclass(frozen=True)
class Interval:
    """A range of numbers: ``low`` .. ``high`` (``None``: unbounded), ``closed`` at ``"both"`` ends, the
    ``"left"`` or ``"right"`` one, or ``"neither"``; ``unit`` is shown in messages (``"V"``, ``"s"``, ...)."""

    low: float | None = None
    high: float | None = None
    closed: str = "both"
    unit: str = ""

    def __post_init__(self) -> None:
        if self.closed not in ENDS:
            raise ValueError(f"closed={self.closed!r} must be one of {', '.join(ENDS)}")

    def __contains__(self, value: float) -> bool:
        if self.low is not None and (value < self.low or (value == self.low and self.closed in ("right", "neither"))):
            return False
        return not (self.high is not None
                    and (value > self.high or (value == self.high and self.closed in ("left", "neither"))))

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        left, right = ENDS[self.closed]
        if self.high is None:
            return f"{'>=' if left == '[' else '>'} {self.low:g}{unit}"
        if self.low is None:
            return f"{'<=' if right == ']' else '<'} {self.high:g}{unit}"
        return f"in {left}{self.low:g}, {self.high:g}{right}{unit}"


def at_least(low: float, high: float | None = None, unit: str = "") -> Interval:
    """``low <= x`` (and ``x <= high`` when given)."""
    return Interval(low, high, "both", unit)


def above(low: float, high: float | None = None, unit: str = "") -> Interval:
    """``low < x`` (and ``x <= high`` when given)."""
    return Interval(low, high, "right" if high is not None else "neither", unit)


SHARE = Interval(0.0, 1.0, "left")
"""A share or probability below one: ``[0, 1)``."""
COUNT = at_least(1)
"""A count of at least one."""
CONDUCTANCE = above(0.0, 1.0, "S")
"""A conductance of a device, ``(0, 1] S``."""
DURATION = above(0.0, 1e6, "s")
"""A duration, ``(0, 1e6] s``."""
VOLTAGE = above(0.0, 100.0, "V")
"""A voltage magnitude, ``(0, 100] V``."""
LEARNING_RATE = above(0.0, 1e6)
"""A learning rate, ``(0, 1e6]``."""
BITS = at_least(1, 16)
"""A number of bits of a converter or a slice."""


class Settings:
    """Base of the experiments' frozen config dataclasses: ``constraints`` (field -> :class:`Interval`) are
    checked when a config is made, every float must be finite, then :meth:`validate` runs."""

    constraints: ClassVar[dict[str, Interval]] = {}

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            values = value if isinstance(value, tuple) else (value,)
            if value == ():
                raise MemristiveError(f"{field.name}=() must list at least one value")
            for item in values:
                if isinstance(item, float) and not math.isfinite(item):
                    raise MemristiveError(f"{field.name}={value!r} must be a finite number")
            interval = self.constraints.get(field.name)
            if interval is None or value is None:
                continue
            if isinstance(value, tuple):
                bad = [item for item in value if item not in interval]
                if bad:
                    raise MemristiveError(f"{field.name}={value!r}: every value must be {interval}")
            elif value not in interval:
                raise MemristiveError(f"{field.name}={value!r} must be {interval}")
        self.validate()

    def validate(self) -> None:
        """Checks between fields (presets that exist, sizes that fit); none by default."""
