"""Circuits of Mott memristors: the relaxation oscillator and the Hodgkin-Huxley neuristor.

A Mott memristor (:class:`~memristive.devices.mott.MottMemristor`) with a capacitor ``C`` in parallel,
charged from a source through a resistor, is a relaxation oscillator (Pearson-Anson): ``C`` charges
until the device's voltage reaches its threshold, the device turns metallic and discharges ``C``
down to its hold voltage, turns insulating, and ``C`` charges again. It oscillates when the load
line crosses the device's negative-differential-resistance branch.

The neuristor (Pickett et al., Nat. Mater. 12, 114, 2013, Fig. 1; seed 002 Fig. 8c) couples two
such channels, like the sodium and potassium channels of Hodgkin and Huxley: node 1 (input
current ``I``, ``C1`` to ground, ``M1`` to a source at ``-V_b``) and node 2 (the output, ``C2`` to
ground, ``M2`` to ``+V_b``), joined through ``R_c``:

    C1 dV1/dt = I - G1 (V1 + V_b) - (V1 - V2) / R_c,
    C2 dV2/dt = (V1 - V2) / R_c - G2 (V2 - V_b),

with each device's temperature following its heat balance. Each switching of ``M1`` (its
temperature crossing ``T_c`` upwards) is a spike: all or nothing, with a threshold current to
continuous spiking and a refractory period; the channel capacitances set the firing pattern.
The stiff equations (thermal times of ~1 ns against circuit times of ~100 ns) are integrated with
scipy's LSODA, which resolves each switching and strides between them; spikes are located as
solver events. One circuit at a time, on the CPU (float64 numpy: the device model's ``conductance_at`` and
``current_and_heating`` take numpy arrays as well as tensors).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from memristive.devices.mott import MottMemristor
from memristive.errors import require, require_positive

MAX_STEP_SHARE = 1e-3
"""The solver's largest step, as a share of the simulated span (no input edge or spike is stepped over)."""


@dataclass(frozen=True)
class CircuitTrace:
    """A simulated circuit.

    Attributes:
        t_s: sample times, s.
        voltages_v: node voltages at those times, V, shape ``[nodes, samples]``.
        temperatures_k: device temperatures, K, shape ``[devices, samples]``.
        spikes_s: times at which the first device turned metallic (its temperature crossed ``T_c`` upwards), s.
        final: the last state vector (to continue from).

    Examples:
        >>> import numpy as np
        >>> from memristive.devices import get_preset
        >>> oscillator = MottOscillator(get_preset("mott-nbo2"), 1.5, 3.5e3, 100e-12)
        >>> trace = oscillator.run([(10e-6, 0.0)], y0=np.array([0.0, 300.0]))
        >>> trace.voltages_v.shape[0], len(trace.spikes_s) > 2  # one node; it oscillates
        (1, True)
    """

    t_s: np.ndarray
    voltages_v: np.ndarray
    temperatures_k: np.ndarray
    spikes_s: np.ndarray
    final: np.ndarray


class MottCircuit(ABC):
    """What the two circuits share: integration of piecewise-constant input segments and spike events.

    The state vector is ``[node voltages..., device temperatures...]``; subclasses give :meth:`derivatives`
    and the node count.

    Examples:
        >>> from memristive.devices import get_preset
        >>> circuits = [MottOscillator(get_preset("mott-nbo2"), 1.5, 3.5e3, 100e-12), MottNeuristor(get_preset("mott-nbo2"))]
        >>> [(type(c).__name__, c.nodes, isinstance(c, MottCircuit)) for c in circuits]
        [('MottOscillator', 1, True), ('MottNeuristor', 2, True)]
    """

    model: MottMemristor
    nodes: int

    @abstractmethod
    def derivatives(self, y: np.ndarray, current_a: float) -> np.ndarray:
        """``dy/dt`` at state ``y`` with ``current_a`` injected."""

    def rest(self) -> np.ndarray:
        """The resting state: undriven from ambient temperature and 0 V until it settles (100 time constants
        of the slowest node)."""
        y0 = np.concatenate([np.zeros(self.nodes), np.full(len(self._capacitances()), self.model.ambient_k)])
        return self.run([(100 * self._slowest_s(), 0.0)], y0=y0).final

    def run(self, segments: list[tuple[float, float]], *, y0: np.ndarray | None = None,
            samples_per_segment: int = 400) -> CircuitTrace:
        """Integrate input segments ``[(duration s, current A), ...]`` one after another from ``y0`` (default: rest)."""
        require(bool(segments) and all(d > 0 for d, _ in segments), "every segment needs a duration > 0 s")
        y = self.rest() if y0 is None else np.asarray(y0, dtype=np.float64)
        t0, times, states, spikes = 0.0, [], [], []
        tc = self.model.transition_k

        def crossing(t, y, current):
            return y[self.nodes] - tc

        crossing.direction = 1.0
        for duration, current in segments:
            grid = np.linspace(t0, t0 + duration, samples_per_segment + 1)
            out = solve_ivp(lambda t, y, i: self.derivatives(y, i), (t0, t0 + duration), y, method="LSODA",
                            t_eval=grid, events=crossing, args=(current,), max_step=duration * MAX_STEP_SHARE,
                            rtol=1e-6, atol=self._tolerances())
            require(out.success, f"the circuit integration failed: {out.message}")
            times.append(out.t)
            states.append(out.y)
            spikes.append(out.t_events[0])
            y, t0 = out.y[:, -1], t0 + duration
        trajectory = np.concatenate(states, axis=1)
        return CircuitTrace(np.concatenate(times), trajectory[: self.nodes], trajectory[self.nodes:],
                            np.concatenate(spikes), y)

    def _tolerances(self) -> np.ndarray:
        return np.concatenate([np.full(self.nodes, 1e-6), np.full(len(self._capacitances()), 1e-3)])

    @abstractmethod
    def _capacitances(self) -> tuple[float, ...]:
        """Each node's capacitance, F."""

    @abstractmethod
    def _slowest_s(self) -> float:
        """The slowest node's time constant, s."""


@dataclass(frozen=True)
class MottOscillator(MottCircuit):
    """One Mott memristor with ``capacitance_f`` in parallel, fed from ``source_v`` through ``series_ohm``.

    ``C dV/dt = (V_s - V) / R_s - G(T) V``; node 0 is the device's voltage. It oscillates when the load line
    ``I = (V_s - V) / R_s`` crosses the device's negative-resistance branch (between hold and threshold).

    Examples:
        >>> import numpy as np
        >>> from memristive.devices import get_preset
        >>> oscillator = MottOscillator(get_preset("mott-nbo2"), source_v=1.5, series_ohm=3.5e3, capacitance_f=100e-12)
        >>> spikes = oscillator.run([(10e-6, 0.0)], y0=np.array([0.0, 300.0])).spikes_s
        >>> f"{np.diff(spikes[-3:]).mean():.2g}"  # period of the relaxation oscillation, s
        '5.7e-07'
    """

    model: MottMemristor
    source_v: float
    series_ohm: float
    capacitance_f: float

    nodes = 1

    def __post_init__(self) -> None:
        require_positive(self, "source_v", "series_ohm", "capacitance_f")

    def derivatives(self, y: np.ndarray, current_a: float) -> np.ndarray:
        """Node and heat balance (``current_a`` adds to the source's current)."""
        i_dev, heating = self.model.current_and_heating(y[1:], y[:1])
        dv = ((self.source_v - y[0]) / self.series_ohm + current_a - i_dev[0]) / self.capacitance_f
        return np.array([dv, heating[0]])

    def _capacitances(self) -> tuple[float, ...]:
        return (self.capacitance_f,)

    def _slowest_s(self) -> float:
        return self.capacitance_f * self.series_ohm


@dataclass(frozen=True)
class MottNeuristor(MottCircuit):
    """Two Mott channels biased in opposite polarity, coupled through ``coupling_ohm`` (module docstring).

    Attributes:
        model: the Mott memristor of both channels (e.g. the ``mott-nbo2`` preset).
        c1_f: the first channel's capacitance, F (the capacitances set the firing pattern).
        c2_f: the second channel's capacitance, F.
        coupling_ohm: ``R_c`` between the two nodes, Ohm.
        bias_v: ``V_b``, each channel's bias magnitude, V (below the device's threshold: the neuristor rests).

    Examples:
        >>> from memristive.devices import get_preset
        >>> neuristor = MottNeuristor(get_preset("mott-nbo2"))
        >>> quiet = neuristor.run([(10e-6, 0.0)]).spikes_s.size
        >>> driven = neuristor.run([(10e-6, 1e-4)]).spikes_s.size
        >>> quiet, driven > 0  # at rest without input; spiking under a 0.1 mA drive
        (0, True)
    """

    model: MottMemristor
    c1_f: float = 100e-12
    c2_f: float = 100e-12
    coupling_ohm: float = 3e3
    bias_v: float = 0.9

    nodes = 2

    def __post_init__(self) -> None:
        require_positive(self, "c1_f", "c2_f", "coupling_ohm", "bias_v")
        require(self.bias_v < self.model.threshold_v,
                f"bias_v={self.bias_v} V must lie below the device threshold {self.model.threshold_v:.3g} V, "
                "or the neuristor fires with no input")

    def derivatives(self, y: np.ndarray, current_a: float) -> np.ndarray:
        """Kirchhoff at both nodes and both devices' heat balance."""
        v1, v2 = y[0], y[1]
        across = np.array([v1 + self.bias_v, v2 - self.bias_v])
        i_dev, heating = self.model.current_and_heating(y[2:], across)
        coupling = (v1 - v2) / self.coupling_ohm
        return np.array([(current_a - i_dev[0] - coupling) / self.c1_f, (coupling - i_dev[1]) / self.c2_f,
                         heating[0], heating[1]])

    def _capacitances(self) -> tuple[float, ...]:
        return (self.c1_f, self.c2_f)

    def _slowest_s(self) -> float:
        return max(self.c1_f, self.c2_f) * self.coupling_ohm
