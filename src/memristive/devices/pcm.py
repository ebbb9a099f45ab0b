"""Phase-change memory: gradual crystallisation, abrupt melt-quench reset, drift and 1/f read noise.

A PCM cell (seed 002, section 2.3 and Fig. 6) is unipolar. A *partial-set* pulse crystallises
part of the amorphous plug, so ``n`` set pulses raise the conductance along a saturating curve
(the exponential shape of :mod:`memristive.devices.nonlinearity` with label ``nu_set > 0``),
with a cycle-to-cycle spread comparable to the mean step (Nandakumar et al. 2018)::

    x = y^-1((G - Gr) / (Gs - Gr); nu_set),   G' = Gr + (Gs - Gr) y(min(x + n / P, 1); nu_set) + noise

where ``Gr`` is the device's reset (amorphous) conductance and ``Gs`` its saturation. A *reset*
pulse melts and quenches the plug: whatever the state, the device returns to the amorphous
level in one pulse, ``G' = Gr exp(sigma_r z)`` (melt-quench variability; Tuma et al. 2016).

Between programming events the amorphous phase relaxes structurally and the conductance drifts
(Ielmini et al. 2007; Le Gallo & Sebastian 2020)::

    G(t) = G(t0) (t / t0)^-nu,   t = t0 + time since the last pulse,

with a drift exponent ``nu`` drawn per device; any pulse, even a partial set, re-initialises
the drift (Boybat et al., NVMTS 2018). A read sees 1/f noise: integrating ``S(f) = Q^2 G^2 / f``
from ``1 / t`` to the read bandwidth ``1 / (2 t_read)`` gives a relative sigma
``Q sqrt(ln(t / (2 t_read)))`` (:meth:`PCMDevice.noisy_conductance`).

A differential pair of PCM cells depresses a weight by setting its partner (``depressible`` is
False); when either device nears saturation (``refresh_share``) the periphery refreshes the
pair (seed 002 refs 77-78): both are reset and the weight they held is written back into one
of them by iterative programming (:meth:`PCMDevice.couple`, counted in ``PCMState.refreshes``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch

from memristive.devices.analog import PulseModel
from memristive.devices.base import check_window, factory
from memristive.devices.nonlinearity import NU_LIMIT, inverse_shape, shape
from memristive.devices.state import TensorState
from memristive.errors import require


@dataclass(frozen=True)
class PCMState(TensorState):
    """The state of an array of PCM cells (all tensors of the array's shape).

    Attributes:
        g: conductance at ``t0`` after the last programming event, S (the drift's reference).
        age_s: time since the last programming event, s.
        g_reset: the device's amorphous (reset) level, S (drawn again at every reset).
        g_sat: the device's saturation conductance, S (d2d).
        drift_nu: the device's drift exponent (d2d).
        refreshes: refreshes of the pair this device belongs to (counted on each device).

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> pcm = get_preset("pcm-gst")
        >>> state = pcm.advance(pcm.sample((2,), dtype=torch.float64), 10.0)
        >>> state.age_s.tolist()  # seconds since each cell's last pulse: its drift clock
        [10.0, 10.0]
    """

    g: torch.Tensor
    age_s: torch.Tensor
    g_reset: torch.Tensor
    g_sat: torch.Tensor
    drift_nu: torch.Tensor
    refreshes: torch.Tensor


@dataclass(frozen=True)
class PCMDevice(PulseModel):
    """Parameters of a phase-change memory cell (SI units; module docstring for the equations).

    Attributes:
        g_min: mean amorphous (reset) conductance, S.
        g_max: mean saturation conductance of crystallisation, S.
        levels: partial-set pulses from reset to saturation (``P``).
        nu_set: nonlinearity label of the set curve (> 0: saturating).
        c2c_sigma: per-pulse sigma of a set step, as a share of the window.
        reset_sigma: log-normal sigma of the amorphous level after a reset.
        program_sigma: sigma of a direct (iterative) write, as a share of the window.
        d2d_g_sigma: device-to-device relative sigma of the saturation conductance.
        drift_nu: mean drift exponent.
        drift_nu_sigma: device-to-device sigma of the drift exponent.
        drift_t0_s: the drift's reference time after programming, s.
        read_noise_q: 1/f noise amplitude ``Q`` (relative).
        read_time_s: duration of one read, s (sets the noise bandwidth).
        refresh_share: a pair is refreshed when either device exceeds this share of its window
            (``None``: never).
        pulse_v: the partial-set pulse's amplitude, V.
        pulse_width_s: its width, s.
        reset_v: the reset (melt-quench) pulse's amplitude, V.
        reset_width_s: its width, s.
        read_v: read voltage, V.
        name: preset name.
        source: where the numbers come from.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> pcm, gen = get_preset("pcm-gst"), torch.Generator().manual_seed(0)
        >>> state = pcm.program(pcm.sample((1000,), generator=gen, dtype=torch.float64), torch.full((1000,), 6e-6), generator=gen)
        >>> later = pcm.advance(state, 3600.0)
        >>> round(1e6 * pcm.conductance(state).mean().item(), 1), round(1e6 * pcm.conductance(later).mean().item(), 1)  # drift
        (6.0, 4.1)
    """

    g_min: float
    g_max: float
    levels: int
    nu_set: float = 2.0
    c2c_sigma: float = 0.0
    reset_sigma: float = 0.0
    program_sigma: float = 0.0
    d2d_g_sigma: float = 0.0
    drift_nu: float = 0.0
    drift_nu_sigma: float = 0.0
    drift_t0_s: float = 1.0
    read_noise_q: float = 0.0
    read_time_s: float = 1e-6
    refresh_share: float | None = None
    pulse_v: float = 1.0
    pulse_width_s: float = 50e-9
    reset_v: float = 3.0
    reset_width_s: float = 50e-9
    read_v: float = 0.2
    name: str = "custom"
    source: str = ""

    def __post_init__(self) -> None:
        check_window(self.g_min, self.g_max)
        require(self.g_min > 0, f"g_min={self.g_min} must be > 0 S (the amorphous level drifts by a ratio)")
        require(isinstance(self.levels, int) and self.levels >= 1, f"levels={self.levels} must be an integer >= 1")
        require(0 <= self.nu_set <= NU_LIMIT, f"nu_set={self.nu_set} must lie in [0, {NU_LIMIT}] (set saturates)")
        for share in ("c2c_sigma", "program_sigma", "d2d_g_sigma"):
            require(0 <= getattr(self, share) < 1, f"{share}={getattr(self, share)} must be a share in [0, 1)")
        for value in ("reset_sigma", "drift_nu", "drift_nu_sigma", "read_noise_q"):
            require(getattr(self, value) >= 0, f"{value}={getattr(self, value)} must be >= 0")
        require(self.drift_nu < 1, f"drift_nu={self.drift_nu} must be < 1 (published exponents are 0.001-0.12)")
        for positive in ("drift_t0_s", "read_time_s", "pulse_v", "pulse_width_s", "reset_v", "reset_width_s",
                         "read_v"):
            require(getattr(self, positive) > 0, f"{positive}={getattr(self, positive)} must be > 0")
        require(self.refresh_share is None or 0 < self.refresh_share <= 1,
                f"refresh_share={self.refresh_share} must be a share in (0, 1] or None")

    # -- fresh devices and direct writes ----------------------------------------------
    def sample(self, shape: tuple[int, ...], *, generator: torch.Generator | None = None,
               dtype: torch.dtype | None = None, device: torch.device | str | None = None) -> PCMState:
        """Fresh devices of ``shape`` in the reset state, saturation and drift exponent drawn per device."""
        kw = factory(generator, dtype, device)
        g_sat = torch.full(shape, self.g_max, **kw)
        if self.d2d_g_sigma:
            g_sat = g_sat * (1 + self.d2d_g_sigma * torch.randn(shape, generator=generator, **kw))
        nu = torch.full(shape, self.drift_nu, **kw)
        if self.drift_nu_sigma:
            nu = nu + self.drift_nu_sigma * torch.randn(shape, generator=generator, **kw)
        g_reset = self._reset_level(torch.zeros(shape, **kw), generator)
        g_sat = torch.maximum(g_sat, 2 * g_reset)
        zero = torch.zeros(shape, **kw)
        return PCMState(g=g_reset.clone(), age_s=zero, g_reset=g_reset, g_sat=g_sat,
                        drift_nu=nu.clamp(0.0, 0.99), refreshes=zero.clone())

    def _reset_level(self, like: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
        """A fresh amorphous level per device, ``g_min exp(reset_sigma z)``, S."""
        level = torch.full_like(like, self.g_min)
        if self.reset_sigma:
            level = level * torch.exp(self.reset_sigma * torch.randn(like.shape, generator=generator,
                                                                      dtype=like.dtype, device=like.device))
        return level

    def program(self, state: PCMState, target_g: torch.Tensor, *, generator: torch.Generator | None = None) -> PCMState:
        """Iterative programming to ``target_g`` (S): the target plus ``N(0, (program_sigma window)^2)``,
        clipped to each device's range; the drift restarts."""
        target = torch.as_tensor(target_g, dtype=state.g.dtype, device=state.g.device).expand(state.shape)
        if self.program_sigma:
            target = target + self.program_sigma * (self.g_max - self.g_min) * torch.randn(
                state.shape, generator=generator, dtype=state.g.dtype, device=state.g.device)
        return replace(state, g=torch.minimum(torch.maximum(target, state.g_reset), state.g_sat),
                       age_s=torch.zeros_like(state.age_s))

    # -- pulses and time --------------------------------------------------------------
    def pulse(self, state: PCMState, n: torch.Tensor, *, generator: torch.Generator | None = None) -> PCMState:
        """``n > 0``: ``n`` partial-set pulses along the saturating curve from the present (drifted)
        conductance, c2c noise ``N(0, (c2c_sigma window)^2 n)``; ``n < 0``: one melt-quench reset to a
        fresh amorphous level (more reset pulses do no more). Pulsed devices restart their drift."""
        dtype, dev = state.g.dtype, state.g.device
        n = torch.as_tensor(n, dtype=dtype, device=dev).expand(state.shape)
        now = self.conductance(state)
        span = state.g_sat - state.g_reset
        x = inverse_shape((now - state.g_reset) / span, self.nu_set)
        grown = state.g_reset + span * shape((x + n.clamp_min(0) / self.levels).clamp(0.0, 1.0), self.nu_set)
        if self.c2c_sigma:
            noise = torch.randn(state.shape, generator=generator, dtype=dtype, device=dev)
            grown = grown + noise * self.c2c_sigma * (self.g_max - self.g_min) * n.clamp_min(0).sqrt()
        g_reset = torch.where(n < 0, self._reset_level(state.g, generator), state.g_reset)
        grown = torch.minimum(torch.maximum(grown, g_reset), state.g_sat)
        g = torch.where(n > 0, grown, torch.where(n < 0, g_reset, state.g))
        age = torch.where(n != 0, torch.zeros_like(state.age_s), state.age_s)
        return replace(state, g=g, age_s=age, g_reset=g_reset)

    def advance(self, state: PCMState, dt: float | torch.Tensor) -> PCMState:
        """``dt`` seconds undriven: the devices age (their conductance drifts, :meth:`conductance`)."""
        return replace(state, age_s=state.age_s + dt)

    def conductance(self, state: PCMState) -> torch.Tensor:
        """Drifted conductance ``G(t0) ((t0 + age) / t0)^-nu``, S."""
        return state.g * ((self.drift_t0_s + state.age_s) / self.drift_t0_s).pow(-state.drift_nu)

    def noisy_conductance(self, state: PCMState, generator: torch.Generator | None = None) -> torch.Tensor:
        """One read with 1/f noise: ``G (1 + Q sqrt(ln(t / (2 t_read))) z)``, ``t = t0 + age`` (0 noise
        when ``t <= 2 t_read``), S."""
        g = self.conductance(state)
        if not self.read_noise_q:
            return g
        band = torch.log((self.drift_t0_s + state.age_s) / (2 * self.read_time_s)).clamp_min(0.0)
        z = torch.randn(state.shape, generator=generator, dtype=g.dtype, device=g.device)
        return g * (1 + self.read_noise_q * band.sqrt() * z)

    # -- what a differential pair asks of a PCM cell ----------------------------------
    def share(self, state: PCMState) -> torch.Tensor:
        """Position in each device's present window, ``(G - Gr) / (Gs - Gr)`` clipped to [0, 1]."""
        return ((self.conductance(state) - state.g_reset) / (state.g_sat - state.g_reset)).clamp(0.0, 1.0)

    def depressible(self, state: PCMState) -> bool:
        """No gradual depression: a PCM cell only resets, abruptly; a pair depresses by setting its partner."""
        return False

    def couple(self, pos: PCMState, neg: PCMState, *,
               generator: torch.Generator | None = None) -> tuple[PCMState, PCMState]:
        """Refresh every pair with a device above ``refresh_share`` of its window: reset both, then program the
        difference ``G+ - G-`` they held onto the reset level of the device of its sign."""
        if self.refresh_share is None:
            return pos, neg
        due = (self.share(pos) >= self.refresh_share) | (self.share(neg) >= self.refresh_share)
        if not bool(due.any()):
            return pos, neg
        held = self.conductance(pos) - self.conductance(neg)
        reset = torch.where(due, -1.0, 0.0).to(held.dtype)
        pos, neg = self.pulse(pos, reset, generator=generator), self.pulse(neg, reset, generator=generator)
        pos = self._rewrite(pos, due & (held > 0), held.abs(), generator)
        neg = self._rewrite(neg, due & (held < 0), held.abs(), generator)
        count = due.to(held.dtype)
        return replace(pos, refreshes=pos.refreshes + count), replace(neg, refreshes=neg.refreshes + count)

    def _rewrite(self, state: PCMState, where: torch.Tensor, delta: torch.Tensor,
                 generator: torch.Generator | None) -> PCMState:
        """``state`` with the devices ``where`` programmed to their reset level plus ``delta``."""
        written = self.program(state, state.g_reset + delta, generator=generator)
        return PCMState(**{k: torch.where(where, getattr(written, k), getattr(state, k)) for k in state.tensors()})

    def summary(self) -> dict[str, float | int]:
        """Key figures: window, set pulses, set label, drift exponent."""
        return {**super().summary(), "levels": self.levels, "nu_set": self.nu_set, "drift_nu": self.drift_nu}
