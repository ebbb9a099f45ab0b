"""Cross-point cells: the device alone (0T1R), behind a selector (1S1R) or behind a select transistor (1T1R).

A cell puts an access element in series with its device (seed 002, section 5 on array
types). The element and the device carry one current ``I``, so a cell voltage ``V`` splits as

    V = v_d(I) + v_a(I),

with ``v_d(I)`` the device's voltage at current ``I`` (ohmic ``I / G``, or the inverse of
:class:`~memristive.crossbar.circuit.SinhIV`) and ``v_a(I)`` the element's (its I-V inverted, in
closed form for every element here). The
split is solved for whole tensors of cells at once (:meth:`Cell.split`: the
current of a monotone equation, by Newton's method kept inside a shrinking bracket).

Elements (all odd in ``V``; parameters are representative values, our choices):

* :class:`ExponentialSelector`: ``I = I_s sinh(V / V_0)`` (tunnelling / Schottky-type
  selectors; the nonlinearity ``I(V) / I(V/2)`` grows as ``exp(V / (2 V_0))``).
* :class:`ThresholdSelector`: ``I = g_off V`` below ``V_th``, ``g_off V_th + g_on (V - V_th)``
  above (volatile threshold switches, e.g. Ag/HfO2, Midya et al., Adv. Mater. 29, 1604457, 2017).
* :class:`Transistor`: gate on, ``I = I_cc tanh(V / (R_on I_cc))`` (linear with ``R_on`` at low
  voltage, saturating at the compliance current ``I_cc``, which limits how far a set goes); gate
  off, ``I = g_off V``. Gates run along rows: a 1T1R array selects one row.

A 1T1R write of device ``(i, j)`` drives bit line ``j`` (the column) with row ``i``'s gate on and
every other line at 0 V (Yao et al., Nat. Commun. 8, 15199, 2017; Li et al., Nat. Commun. 9, 2385,
2018), so no device on a selected line sees a voltage through an open transistor: there is no
half-selected device. A 1S1R array is biased as a passive one (V/2, V/3), the selector taking
most of a half-selected cell's voltage.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import torch

from memristive.crossbar.circuit import Ohmic, SinhIV
from memristive.errors import MemristiveError

SPLIT_ITERATIONS = 100
"""Most Newton steps of one series split."""

SPLIT_RTOL = 1e-12
"""A split stops when every cell's voltage balance is within this share of its cell voltage (or its bracket in
``ln I`` is down to a few float spacings)."""


def _positive(name: str, value: float, unit: str) -> None:
    if not value > 0:
        raise MemristiveError(f"{name}={value} must be > 0 {unit}")


def _bracketed_newton(balance, low: torch.Tensor, high: torch.Tensor, scale: torch.Tensor, start_low: bool,
                      start: torch.Tensor | None = None) -> torch.Tensor:
    """The root of an increasing ``balance`` (returning its value and slope) in ``[low, high]``, element-wise:
    Newton's steps from one end, bisection where a step leaves the bracket (a step of one down from ``high``
    while ``low`` is ``-inf``); an element stops once balanced to :data:`SPLIT_RTOL` of ``scale`` or bracketed
    to a few float spacings. ``start``: where to begin instead of the end, used where it is inside the bracket."""
    x = low.clone() if start_low else high.clone()
    if start is not None:
        x = torch.where(torch.isfinite(start) & (start > low) & (start < high), start, x)
    for _ in range(SPLIT_ITERATIONS):
        f, slope = balance(x)
        above = f > 0
        low, high = torch.where(above, low, x), torch.where(above, x, high)
        done = (f.abs() <= SPLIT_RTOL * scale) | (high - low <= 1e-14 * x.abs().clamp_min(1.0))
        if bool(done.all()):
            break
        newton = x - f / slope
        inside = torch.isfinite(newton) & (newton > low) & (newton < high)
        bisected = torch.where(torch.isfinite(low), 0.5 * (low + high), high - 1.0)
        x = torch.where(done, x, torch.where(inside, newton, bisected))
    return x


class AccessElement(ABC):
    """An element in series with a cell's device; ``on`` is the gate's state (ignored without a gate).

    ``saturating``: whether its current saturates with voltage (a transistor), which decides how the series
    split is solved (:meth:`Cell.split`).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import ThresholdSelector, Transistor
        >>> [type(e).__name__ for e in (ThresholdSelector(), Transistor()) if isinstance(e, AccessElement)]
        ['ThresholdSelector', 'Transistor']
        >>> Transistor().saturating, ThresholdSelector().saturating  # how a cell's series split is solved
        (True, False)
    """

    saturating = False

    @abstractmethod
    def current(self, v: torch.Tensor, on: torch.Tensor | bool = True) -> torch.Tensor:
        """Current at voltage ``v``, A."""

    @abstractmethod
    def voltage(self, i: torch.Tensor, on: torch.Tensor | bool = True) -> torch.Tensor:
        """Voltage at current ``i >= 0`` (``inf`` where the element cannot carry it), V."""

    @abstractmethod
    def slope(self, v: torch.Tensor, on: torch.Tensor | bool = True) -> torch.Tensor:
        """dI/dV at voltage ``v``, S."""


@dataclass(frozen=True)
class ExponentialSelector(AccessElement):
    """``I = I_s sinh(V / V_0)``.

    Attributes:
        saturation_a: ``I_s``, A.
        v0_v: ``V_0``, V (nonlinearity ``I(V) / I(V/2) ~ exp(V / (2 V_0))``).

    Examples:
        >>> import torch
        >>> selector = ExponentialSelector(saturation_a=1e-8, v0_v=0.08)
        >>> current = selector.current(torch.tensor([0.1, 0.5], dtype=torch.float64))
        >>> [f"{i:.3g}" for i in current.tolist()], round(selector.voltage(current[1]).item(), 6)
        (['1.6e-08', '2.59e-06'], 0.5)
    """

    saturation_a: float = 1e-8
    v0_v: float = 0.08

    def __post_init__(self) -> None:
        _positive("saturation_a", self.saturation_a, "A")
        _positive("v0_v", self.v0_v, "V")

    def current(self, v, on=True):
        return self.saturation_a * torch.sinh(v / self.v0_v)

    def voltage(self, i, on=True):
        return self.v0_v * torch.asinh(i / self.saturation_a)

    def slope(self, v, on=True):
        return self.saturation_a / self.v0_v * torch.cosh(v / self.v0_v)


@dataclass(frozen=True)
class ThresholdSelector(AccessElement):
    """Piecewise linear: ``g_off`` below ``|V| = V_th``, ``g_on`` above (continuous at ``V_th``).

    Attributes:
        threshold_v: ``V_th``, V.
        g_off_s: conductance below the threshold, S.
        g_on_s: conductance above the threshold, S (> ``g_off_s``).

    Examples:
        >>> import torch
        >>> selector = ThresholdSelector(threshold_v=0.5, g_off_s=1e-10, g_on_s=1e-3)
        >>> [f"{i:.3g}" for i in selector.current(torch.tensor([0.25, 0.75], dtype=torch.float64)).tolist()]  # A
        ['2.5e-11', '0.00025']
    """

    threshold_v: float = 0.5
    g_off_s: float = 1e-10
    g_on_s: float = 1e-3

    def __post_init__(self) -> None:
        _positive("threshold_v", self.threshold_v, "V")
        _positive("g_off_s", self.g_off_s, "S")
        if not self.g_on_s > self.g_off_s:
            raise MemristiveError(f"g_on_s={self.g_on_s} must exceed g_off_s={self.g_off_s} S")

    def current(self, v, on=True):
        over = (v.abs() - self.threshold_v).clamp_min(0.0)
        return self.g_off_s * v + (self.g_on_s - self.g_off_s) * torch.sign(v) * over

    def voltage(self, i, on=True):
        knee = self.g_off_s * self.threshold_v
        return torch.where(i <= knee, i / self.g_off_s, self.threshold_v + (i - knee) / self.g_on_s)

    def slope(self, v, on=True):
        return torch.where(v.abs() < self.threshold_v, self.g_off_s, self.g_on_s) + 0 * v


@dataclass(frozen=True)
class Transistor(AccessElement):
    """A select transistor: gate on ``I = I_cc tanh(V / (R_on I_cc))``, gate off ``I = g_off V``.

    Attributes:
        r_on_ohm: on-resistance at low voltage, ohm.
        compliance_a: saturation current ``I_cc`` (set by the gate voltage), A.
        g_off_s: conductance with the gate off, S.

    Examples:
        >>> import torch
        >>> transistor = Transistor(r_on_ohm=1e3, compliance_a=300e-6)
        >>> [round(1e6 * i, 1) for i in transistor.current(torch.tensor([0.05, 3.0], dtype=torch.float64)).tolist()]  # uA
        [49.5, 300.0]
    """

    saturating = True

    r_on_ohm: float = 1e3
    compliance_a: float = 300e-6
    g_off_s: float = 1e-12

    def __post_init__(self) -> None:
        _positive("r_on_ohm", self.r_on_ohm, "ohm")
        _positive("compliance_a", self.compliance_a, "A")
        _positive("g_off_s", self.g_off_s, "S")

    def current(self, v, on=True):
        on_current = self.compliance_a * torch.tanh(v / (self.r_on_ohm * self.compliance_a))
        return torch.where(torch.as_tensor(on, device=v.device), on_current, self.g_off_s * v)

    def voltage(self, i, on=True):
        share = (i / self.compliance_a).clamp_max(1.0)  # atanh(1) = inf: beyond compliance
        on_voltage = self.r_on_ohm * self.compliance_a * torch.atanh(share)
        return torch.where(torch.as_tensor(on, device=i.device), on_voltage, i / self.g_off_s)

    def slope(self, v, on=True):
        on_slope = torch.cosh(v / (self.r_on_ohm * self.compliance_a)).pow(-2) / self.r_on_ohm
        return torch.where(torch.as_tensor(on, device=v.device), on_slope, self.g_off_s + 0 * v)


Conduction = SinhIV | Ohmic
"""A device's conduction at small-signal conductance ``g``: ``current(g, v)``, ``slope(g, v)``, ``voltage(g, i)``."""


@dataclass(frozen=True)
class Cell:
    """A cross-point: the device alone (``access=None``, 0T1R), behind a selector (1S1R) or a transistor (1T1R).

    Its methods take the devices' small-signal conductances ``g`` (S, the cells' shape) and their
    conduction (``device_iv``: ``None`` for ohmic devices, or a :class:`SinhIV`), and each cell's gate
    (``on``; ignored without a transistor).

    Examples:
        >>> import torch
        >>> from memristive.crossbar import ExponentialSelector, Transistor
        >>> [Cell(access).name for access in (None, ExponentialSelector(), Transistor())]
        ['0T1R', '1S1R', '1T1R']
        >>> _, i = Cell(ExponentialSelector()).split(torch.tensor([0.1, 1.0], dtype=torch.float64), 100e-6)
        >>> [f"{a:.2g}" for a in i.tolist()]  # a half-selected cell (0.1 V) carries far less than V G
        ['1.6e-08', '3e-05']
    """

    access: AccessElement | None = None

    @property
    def name(self) -> str:
        """``"0T1R"``, ``"1S1R"`` or ``"1T1R"``."""
        if self.access is None:
            return "0T1R"
        return "1T1R" if self.gated else "1S1R"

    @property
    def gated(self) -> bool:
        """Whether the cell has a gate (a transistor), so that a row can be selected."""
        return isinstance(self.access, Transistor)

    def split(self, v, g, device_iv: Conduction | None = None, on: torch.Tensor | bool = True,
              guess: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Each device's voltage and the cell current at cell voltages ``v`` (V, A); ``guess``: device voltages
        to start from (e.g. a nearby solution), inside the bracket.

        The current ``I`` solves ``v_d(I) + v_a(I) = |V|`` (module docstring). Behind a selector the left side
        is convex and increasing in ``u = ln I``, so Newton's method from the right, ``I_0 = min(I_d(|V|),
        I_a(|V|))``, converges monotonically; behind a transistor (whose current saturates) the balance
        ``y + v_d(I_a(y)) = |V|`` is concave in the element's voltage ``y``, and Newton's method from ``y = 0``
        converges monotonically. A bracket keeps every step safe.
        """
        iv = device_iv or Ohmic()
        v = torch.as_tensor(v)
        g = torch.as_tensor(g, dtype=v.dtype, device=v.device)
        if self.access is None:
            return v + 0 * g, iv.current(g, v)
        access = self.access
        sign, size = torch.sign(v), v.abs()
        g, size = torch.broadcast_tensors(g, size)
        flowing = (g > 0) & (size > 0)
        open_device = g <= 0
        g, size = torch.where(flowing, g, 1.0), torch.where(flowing, size, 1.0)
        if access.saturating:
            def balance(y):  # y: the element's voltage; concave in y
                v_d = iv.voltage(g, access.current(y, on))
                return y + v_d - size, 1.0 + access.slope(y, on) / iv.slope(g, v_d)

            start = None if guess is None else size - guess.abs()
            y = _bracketed_newton(balance, torch.zeros_like(size), size, size, start_low=True, start=start)
            i = access.current(y, on)
        else:
            def balance(u):  # u: ln I; convex in u
                i = torch.exp(u)
                v_d, v_a = iv.voltage(g, i), access.voltage(i, on)
                return v_d + v_a - size, i * (1.0 / iv.slope(g, v_d) + 1.0 / access.slope(v_a, on))

            top = torch.minimum(iv.current(g, size), access.current(size, on))
            start = None if guess is None else torch.log(iv.current(g, guess.abs().clamp_min(1e-300)))
            u = _bracketed_newton(balance, torch.full_like(size, -torch.inf), torch.log(top), size, start_low=False,
                                  start=start)
            i = torch.exp(u)
        v_device = torch.where(flowing, iv.voltage(g, i), torch.where(open_device, v.abs(), 0.0))
        return sign * v_device, sign * torch.where(flowing, i, 0.0)

    def current(self, v, g, device_iv: Conduction | None = None, on: torch.Tensor | bool = True) -> torch.Tensor:
        """The cells' current at cell voltages ``v``, A."""
        return self.split(v, g, device_iv, on)[1]

    def slope(self, v, g, device_iv: Conduction | None = None, on: torch.Tensor | bool = True) -> torch.Tensor:
        """dI/dV of the cells at cell voltages ``v``, S: the device's and the element's slopes in series."""
        return self.operating_point(v, g, device_iv, on)[1]

    def operating_point(self, v, g, device_iv: Conduction | None = None,
                        on: torch.Tensor | bool = True) -> tuple[torch.Tensor, torch.Tensor]:
        """The cells' current (A) and slope dI/dV (S) at cell voltages ``v``, from one :meth:`split`."""
        iv = device_iv or Ohmic()
        v_d, current = self.split(v, g, device_iv, on)
        s_d = iv.slope(torch.as_tensor(g, dtype=v_d.dtype, device=v_d.device), v_d)
        if self.access is None:
            return current, s_d
        s_a = self.access.slope(torch.as_tensor(v) - v_d, on)
        return current, s_d * s_a / (s_d + s_a)

    def voltage_for(self, v_device, g, device_iv: Conduction | None = None) -> torch.Tensor:
        """The cell voltage that puts ``v_device`` across each device (gate on), V."""
        iv = device_iv or Ohmic()
        v_device = torch.as_tensor(v_device)
        if self.access is None:
            return v_device
        current = iv.current(torch.as_tensor(g, dtype=v_device.dtype, device=v_device.device), v_device)
        return v_device + torch.sign(current) * self.access.voltage(current.abs())

    def conduction(self, device_iv: Conduction | None = None) -> "CellConduction":
        """The cells' I-V for the circuit solver (:class:`~memristive.crossbar.circuit.PassiveCrossbar`'s ``iv``),
        gates on."""
        return CellConduction(self, device_iv)


@dataclass(frozen=True)
class CellConduction:
    """The I-V of cells of small-signal device conductance ``g`` in the circuit solver's ``iv`` interface, gates on.

    Examples:
        >>> import torch
        >>> from memristive.crossbar import ThresholdSelector
        >>> iv = CellConduction(Cell(ThresholdSelector(threshold_v=0.5)))
        >>> [f"{i:.2g}" for i in iv.current(100e-6, torch.tensor([0.2, 1.0], dtype=torch.float64)).tolist()]  # A
        ['2e-11', '4.5e-05']
    """

    cell: Cell
    device_iv: Conduction | None = None

    def current(self, g, v):
        """Cell currents at cell voltages ``v``, A."""
        return self.cell.current(v, g, self.device_iv)

    def slope(self, g, v):
        """dI/dV of the cells, S."""
        return self.cell.slope(v, g, self.device_iv)

    def operating_point(self, g, v):
        """The cells' currents (A) and slopes (S) at cell voltages ``v``, from one series split."""
        return self.cell.operating_point(v, g, self.device_iv)


PASSIVE = Cell()
"""The bare device (0T1R)."""
