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


SPARSE_SHARE = 0.25
"""Pulsing at most this share of an array's devices, analog models move only the pulsed ones."""


class PulseModel(DeviceModel):
    """A model driven by identical pulses: :meth:`sweeps` runs its full LTP and LTD cycles.

    Examples:
        >>> from memristive.devices import get_preset
        >>> get_preset("tpt-ram-110").sweep_pulses()  # one full LTP and LTD run: pulses per direction
        {'ltp': 50, 'ltd': 50}
    """

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
                trace = [self.conductance(state)]
                for _ in range(count):
                    state = self.pulse(state, sign, generator=generator)
                    trace.append(self.conductance(state))
                runs[name].append(torch.stack(trace, dim=-1))
        return {name: torch.stack(run, dim=1) for name, run in runs.items()}

    def conductance(self, state) -> torch.Tensor:
        """Conductance of each device (ohmic at reads), S."""
        return state.g


class AnalogPulseModel(PulseModel):
    """Methods shared by the analog models whose state is a :class:`DeviceState`.

    Examples:
        >>> import torch
        >>> from memristive.devices import get_preset
        >>> runs = get_preset("epiram").sweeps(2, 1, torch.Generator().manual_seed(0))
        >>> {direction: tuple(g.shape) for direction, g in runs.items()}  # [device, cycle, pulse]
        {'ltp': (2, 1, 65), 'ltd': (2, 1, 65)}
    """

    def program(self, state: DeviceState, target_g: torch.Tensor, *,
                generator: torch.Generator | None = None) -> DeviceState:
        """Write ``target_g`` (S), clipped to each device's range (analog, exact)."""
        return state.with_g(target_g)

    def pulse(self, state: DeviceState, n: torch.Tensor, *, generator: torch.Generator | None = None) -> DeviceState:
        """Apply ``n`` pulses (signed, per device: > 0 potentiate, < 0 depress).

        Pulsed devices reach :meth:`_moved` plus c2c noise ``N(0, (c2c_sigma (Gmax - Gmin))^2 |n|)``,
        clipped to their range; the others keep ``G``. When at most :data:`SPARSE_SHARE` of the
        devices are pulsed (in-situ steps pulse a few percent of the weights) this is computed on
        those devices alone; the noise is drawn for the whole array either way, so the random
        stream and the result are the same.
        """
        n = torch.as_tensor(n, dtype=state.g.dtype, device=state.g.device).expand(state.shape)
        noise = None
        if self.c2c_sigma > 0:
            noise = torch.randn(state.shape, generator=generator, dtype=state.g.dtype, device=state.g.device)
        pulsed = n.reshape(-1).nonzero().squeeze(1)
        if pulsed.numel() > SPARSE_SHARE * n.numel():
            return state.with_g(self._noisy(state, torch.where(n == 0, state.g, self._moved(state, n)), n, noise))
        g = state.g.reshape(-1).clone()
        if pulsed.numel():
            def pick(t: torch.Tensor) -> torch.Tensor:
                return t.reshape(-1)[pulsed]
            few, n_few = state.map(pick), pick(n)
            noise_few = None if noise is None else pick(noise)
            g[pulsed] = few.with_g(self._noisy(few, self._moved(few, n_few), n_few, noise_few)).g
        return state.with_g(g.reshape(state.shape))

    def _moved(self, state: DeviceState, n: torch.Tensor) -> torch.Tensor:
        """Conductance, S, each device reaches after its ``n`` pulses (``n`` of the state's shape, noise-free)."""
        raise NotImplementedError

    def _noisy(self, state: DeviceState, g: torch.Tensor, n: torch.Tensor, noise: torch.Tensor | None) -> torch.Tensor:
        """``g`` plus the c2c noise of ``n`` pulses, ``noise`` standard normal draws (``None``: no c2c)."""
        return g if noise is None else g + noise * self.c2c_sigma * (state.g_max - state.g_min) * n.abs().sqrt()
