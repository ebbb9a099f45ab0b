"""The experiments that ``memristive run`` knows, by name."""

from __future__ import annotations

from memristive.errors import MemristiveError
from memristive.experiments import (
    crossbar_image_tuning,
    crossbar_ir_drop,
    crossbar_slp_mnist8x8,
    device_ltp_ltd,
    insitu_mlp,
    nonideality_sweep,
    otj_energy,
    otj_iv,
    otj_letters,
    otj_snn,
    otj_stdp,
    otj_stp,
    pruning,
    qc_state_distribution,
    qc_states_mlp,
    tpt_dual_mode,
)
from memristive.experiments.base import Experiment

EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (device_ltp_ltd.EXPERIMENT, insitu_mlp.EXPERIMENT, crossbar_ir_drop.EXPERIMENT,
                                                  crossbar_image_tuning.EXPERIMENT,
                                                  crossbar_slp_mnist8x8.EXPERIMENT,
                                                  tpt_dual_mode.EXPERIMENT,
                                                  qc_state_distribution.EXPERIMENT,
                                                  qc_states_mlp.EXPERIMENT,
                                                  nonideality_sweep.EXPERIMENT,
                                                  otj_iv.EXPERIMENT,
                                                  otj_stp.EXPERIMENT,
                                                  otj_energy.EXPERIMENT,
                                                  otj_stdp.EXPERIMENT,
                                                  otj_letters.EXPERIMENT,
                                                  otj_snn.EXPERIMENT,
                                                  pruning.MLP_EXPERIMENT,
                                                  pruning.LENET_EXPERIMENT)}


def get_experiment(name: str) -> Experiment:
    """The experiment called ``name``; a clear error lists the known names otherwise."""
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise MemristiveError(f"unknown experiment {name!r}; known: {', '.join(EXPERIMENTS)}") from None
