"""What every pulse-programmed device model offers, and the parts analog models share.

The network and fitting layers work with any :class:`PulseDevice`: the exponential
:class:`~memristive.devices.pulse_model.NonlinearPulseDevice`, the tabulated
:class:`~memristive.devices.lookup.LookupPulseDevice` and the discrete
:class:`~memristive.devices.quantized.QuantizedConductanceDevice`.
"""

from __future__ import annotations

from typing import Any, Protocol

import torch

from memristive.devices.state import DeviceState


class PulseDevice(Protocol):
    """A device model driven by identical pulses (its state is a tensor-per-device object with ``g``)."""

    name: str
    read_v: float

    @property
    def g_min_s(self) -> float: ...

    @property
    def g_max_s(self) -> float: ...

    @property
    def levels(self) -> int: ...

    def sample(self, shape_: tuple[int, ...], generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float32, device: torch.device | str | None = None) -> Any: ...

    def program(self, state: Any, target_s: torch.Tensor, generator: torch.Generator | None = None) -> Any: ...

    def apply_pulses(self, state: Any, n_pulses: torch.Tensor, generator: torch.Generator | None = None) -> Any: ...

    def sweeps(self, devices: int, cycles: int, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> dict[str, torch.Tensor]: ...

    def summary(self) -> dict[str, float | int]: ...


class AnalogPulseMixin:
    """Methods shared by the analog models whose state is a :class:`DeviceState`."""

    def sweep_pulses(self) -> dict[str, int]:
        """Pulses of one full LTP and one full LTD run."""
        return {"ltp": self.levels, "ltd": self.levels}

    def program(self, state: DeviceState, target_s: torch.Tensor,
                generator: torch.Generator | None = None) -> DeviceState:
        """Write ``target_s`` (S), clipped to each device's range (analog, exact)."""
        return state.with_g(target_s)

    def _finish_pulses(self, state: DeviceState, g_moved: torch.Tensor, n: torch.Tensor,
                       generator: torch.Generator | None) -> DeviceState:
        """Unpulsed devices keep ``g``; pulsed ones get ``g_moved`` plus c2c noise
        ``N(0, (c2c_sigma (Gmax - Gmin))^2 |n|)``; everything is clipped to each device's range."""
        g_new = torch.where(n == 0, state.g, g_moved)
        if self.c2c_sigma > 0:
            noise = torch.randn(state.shape, generator=generator, dtype=g_new.dtype, device=g_new.device)
            g_new = g_new + noise * self.c2c_sigma * (state.g_max - state.g_min) * n.abs().sqrt()
        return state.with_g(g_new)

    def read(self, state: DeviceState, voltage: float | torch.Tensor | None = None) -> torch.Tensor:
        """Read current I = G V (ohmic at the read voltage), A."""
        return state.g * (self.read_v if voltage is None else voltage)

    def sweeps(self, devices: int, cycles: int, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> dict[str, torch.Tensor]:
        """``cycles`` LTP-then-LTD runs of ``devices`` sampled devices from ``Gmin``.

        Returns ``{"ltp": G, "ltd": G}``, ``G[device, cycle, pulse]`` in S (pulse 0: before the run).
        """
        state = self.sample((devices,), generator, dtype=dtype)
        runs = {name: [] for name in self.sweep_pulses()}
        for _ in range(cycles):
            for name, count in self.sweep_pulses().items():
                sign = torch.tensor(1.0 if name == "ltp" else -1.0, dtype=dtype)
                trace = [state.g]
                for _ in range(count):
                    state = self.apply_pulses(state, sign, generator)
                    trace.append(state.g)
                runs[name].append(torch.stack(trace, dim=-1))
        return {name: torch.stack(run, dim=1) for name, run in runs.items()}
