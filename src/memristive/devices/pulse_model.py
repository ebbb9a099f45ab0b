"""The exponential nonlinear pulse-update model (NeuroSim's analog synapse model).

``n`` identical pulses (``n > 0`` potentiate, ``n < 0`` depress) move a device along
the curve of its direction (see :mod:`memristive.devices.nonlinearity`)::

    nu = nu_ltp if n > 0 else nu_ltd
    x  = y^-1((G - Gmin) / (Gmax - Gmin); nu),   x' = clip(x + n / P, 0, 1)
    G' = Gmin + (Gmax - Gmin) y(x'; nu)

which is NeuroSim's ``G = B (1 - exp(-p / A)) + Gmin`` with ``A = P / nu``, one curve
per direction on the same pulse axis (Chen et al., IEDM 2017).

Cycle-to-cycle (c2c) noise adds ``N(0, (sigma_c2c (Gmax - Gmin))^2 |n|)`` per update,
that is sigma per pulse scaled with sqrt(pulses); the result is clipped to the
device's range. Device-to-device (d2d) variation draws each device's ``Gmin``,
``Gmax`` (relative sigma) and its labels (absolute sigma) once, in :meth:`sample`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import torch

from memristive.devices.nonlinearity import NU_LIMIT, inverse_shape, shape
from memristive.devices.analog import AnalogPulseModel
from memristive.devices.base import check_window, factory
from memristive.devices.state import DeviceState, sample_bounds
from memristive.errors import require


@dataclass(frozen=True)
class NonlinearPulseDevice(AnalogPulseModel):
    """Parameters of an analog synapse driven by identical pulses (SI units).

    Attributes:
        g_min: lowest conductance, S.
        g_max: highest conductance, S.
        levels: number of identical pulses that take the device from ``g_min`` to
            ``g_max`` (NeuroSim's "levels").
        nu_ltp: nonlinearity label of potentiation (0 = linear).
        nu_ltd: nonlinearity label of depression (0 = linear).
        c2c_sigma: cycle-to-cycle sigma of one pulse's change, as a share of the range.
        d2d_g_sigma: device-to-device relative sigma of ``g_min`` and ``g_max``.
        d2d_nu_sigma: device-to-device absolute sigma of both labels.
        stuck_share: share of devices stuck (half at Gmin, half at Gmax); no pulse moves them.
        leak_tau_s: volatility: undriven, ``G`` relaxes to its rest with this time constant, s (``inf``: none;
            e.g. a capacitor-held weight, Ambrogio et al. 2018's 3T1C cell).
        leak_share: the rest, as a share of each device's window (0: ``Gmin``).
        pulse_v: programming pulse amplitude, V (magnitude; LTD uses the opposite polarity).
        pulse_width_s: programming pulse width, s.
        read_v: read voltage, V.
        name: preset name (``"custom"`` for user-built devices).
        source: where the numbers come from (paper, figure).

    Examples:
        >>> import torch
        >>> device = NonlinearPulseDevice(g_min=1e-6, g_max=10e-6, levels=20, nu_ltp=2.0, nu_ltd=-2.0, name="mine")
        >>> state = device.sample((1,), dtype=torch.float64)
        >>> for _ in range(20):
        ...     state = device.pulse(state, torch.ones(1))
        >>> round(1e6 * device.conductance(state).item(), 3)  # levels pulses span the window
        10.0
    """

    g_min: float
    g_max: float
    levels: int
    nu_ltp: float
    nu_ltd: float
    c2c_sigma: float = 0.0
    d2d_g_sigma: float = 0.0
    d2d_nu_sigma: float = 0.0
    stuck_share: float = 0.0
    leak_tau_s: float = math.inf
    leak_share: float = 0.5
    pulse_v: float = 1.0
    pulse_width_s: float = 1e-6
    read_v: float = 0.2
    name: str = "custom"
    source: str = ""

    def __post_init__(self) -> None:
        check_window(self.g_min, self.g_max)
        require(isinstance(self.levels, int) and self.levels >= 1, f"levels={self.levels} must be an integer >= 1")
        for label in ("nu_ltp", "nu_ltd"):
            value = getattr(self, label)
            require(abs(value) <= NU_LIMIT, f"{label}={value} must lie in [-{NU_LIMIT}, {NU_LIMIT}]")
        for share in ("c2c_sigma", "d2d_g_sigma", "stuck_share"):
            value = getattr(self, share)
            require(0 <= value < 1, f"{share}={value} must be a share in [0, 1)")
        require(self.d2d_nu_sigma >= 0, f"d2d_nu_sigma={self.d2d_nu_sigma} must be >= 0")
        require(self.leak_tau_s > 0, f"leak_tau_s={self.leak_tau_s} s must be > 0 (inf: no leakage)")
        require(0 <= self.leak_share <= 1, f"leak_share={self.leak_share} must be a share of the window in [0, 1]")
        for positive in ("pulse_v", "pulse_width_s", "read_v"):
            require(getattr(self, positive) > 0, f"{positive}={getattr(self, positive)} must be > 0")

    @property
    def on_off(self) -> float:
        """Dynamic range Gmax / Gmin (infinite when Gmin is 0)."""
        return self.g_max / self.g_min if self.g_min > 0 else math.inf

    @property
    def step_g(self) -> float:
        """Mean conductance change per pulse of a linear device, (Gmax - Gmin) / levels, S."""
        return (self.g_max - self.g_min) / self.levels

    def ideal(self) -> NonlinearPulseDevice:
        """The same device with no c2c or d2d variation and no stuck devices."""
        return self.replace(c2c_sigma=0.0, d2d_g_sigma=0.0, d2d_nu_sigma=0.0, stuck_share=0.0)

    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> DeviceState:
        """An array of devices of ``shape`` at their ``Gmin``, d2d parameters drawn once."""
        kw = factory(generator, dtype, device)
        bounds = sample_bounds(self.g_min, self.g_max, self.d2d_g_sigma, shape, generator, **kw,
                               stuck_share=self.stuck_share)

        def label(nominal: float) -> torch.Tensor:
            value = torch.full(shape, nominal, **kw)
            if self.d2d_nu_sigma:
                value = value + self.d2d_nu_sigma * torch.randn(shape, generator=generator, **kw)
            return value.clamp(-NU_LIMIT, NU_LIMIT)

        return replace(bounds, nu_ltp=label(self.nu_ltp), nu_ltd=label(self.nu_ltd))

    def _moved(self, state: DeviceState, n: torch.Tensor) -> torch.Tensor:
        """``G`` after ``n`` pulses: back to the pulse axis through the inverse shape, ``n / levels`` along, shape again."""
        span = state.g_max - state.g_min
        nu = torch.where(n >= 0, state.nu_ltp, state.nu_ltd)
        x = inverse_shape((state.g - state.g_min) / span, nu)
        return state.g_min + span * shape((x + n / self.levels).clamp(0.0, 1.0), nu)

    def advance(self, state: DeviceState, dt: float) -> DeviceState:
        """``dt`` seconds undriven: ``G <- G_rest + (G - G_rest) exp(-dt / leak_tau_s)``,
        ``G_rest = Gmin + leak_share (Gmax - Gmin)`` of each device (unchanged without leakage)."""
        if math.isinf(self.leak_tau_s) or dt == 0:
            return state
        rest = state.g_min + self.leak_share * (state.g_max - state.g_min)
        return state.with_g(rest + (state.g - rest) * math.exp(-dt / self.leak_tau_s))

    def summary(self) -> dict[str, float | int]:
        """Key figures for listings: range, on/off, levels, labels, c2c."""
        return {
            **super().summary(),
            "on_off": self.on_off,
            "levels": self.levels,
            "nu_ltp": self.nu_ltp,
            "nu_ltd": self.nu_ltd,
            "c2c_pct": self.c2c_sigma * 100,
        }
