"""What the pulse-driven models share: full LTP/LTD sweeps, and the analog models' write and c2c noise.

The pulse-driven models are the exponential
:class:`~memristive.devices.pulse_model.NonlinearPulseDevice`, the tabulated
:class:`~memristive.devices.lookup.LookupPulseDevice` (both analog, state
:class:`~memristive.devices.state.DeviceState`) and the discrete
:class:`~memristive.devices.quantized.QuantizedConductanceDevice`.
"""

from __future__ import annotations

import torch

from memristive.devices.base import DeviceModel
from memristive.devices.state import DeviceState


class PulseModel(DeviceModel):
    """A model driven by identical pulses: :meth:`sweeps` runs its full LTP and LTD cycles."""

    drives = ("pulse",)

    def sweep_pulses(self) -> dict[str, int]:
        """Pulses of one full LTP and one full LTD run."""
        return {"ltp": self.levels, "ltd": self.levels}

    def sweeps(self, devices: int, cycles: int, generator: torch.Generator | None = None,
               dtype: torch.dtype = torch.float64) -> dict[str, torch.Tensor]:
        """``cycles`` LTP-then-LTD runs of ``devices`` sampled devices from ``Gmin``.

        Returns ``{"ltp": G, "ltd": G}``, ``G[device, cycle, pulse]`` in S (pulse 0: before the run).
        """
        state = self.sample((devices,), generator=generator, dtype=dtype)
        runs = {name: [] for name in self.sweep_pulses()}
        for _ in range(cycles):
            for name, count in self.sweep_pulses().items():
                sign = torch.tensor(1.0 if name == "ltp" else -1.0, dtype=dtype)
                trace = [state.g]
                for _ in range(count):
                    state = self.pulse(state, sign, generator=generator)
                    trace.append(state.g)
                runs[name].append(torch.stack(trace, dim=-1))
        return {name: torch.stack(run, dim=1) for name, run in runs.items()}

    def conductance(self, state) -> torch.Tensor:
        """Conductance of each device (ohmic at reads), S."""
        return state.g


class AnalogPulseModel(PulseModel):
    """Methods shared by the analog models whose state is a :class:`DeviceState`."""

    def program(self, state: DeviceState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> DeviceState:
        """Write ``target_g`` (S), clipped to each device's range (analog, exact)."""
        return state.with_g(target_g)

    def _finish_pulses(self, state: DeviceState, g_moved: torch.Tensor, n: torch.Tensor,
                       generator: torch.Generator | None) -> DeviceState:
        """Unpulsed devices keep ``g``; pulsed ones get ``g_moved`` plus c2c noise
        ``N(0, (c2c_sigma (Gmax - Gmin))^2 |n|)``; everything is clipped to each device's range."""
        g_new = torch.where(n == 0, state.g, g_moved)
        if self.c2c_sigma > 0:
            noise = torch.randn(state.shape, generator=generator, dtype=g_new.dtype, device=g_new.device)
            g_new = g_new + noise * self.c2c_sigma * (state.g_max - state.g_min) * n.abs().sqrt()
        return state.with_g(g_new)
