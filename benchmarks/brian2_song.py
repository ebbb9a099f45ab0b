"""The peer of ``benchmarks/test_spiking_speed.py``: the same network in Brian2 (Song, Miller & Abbott 2000, as in
Brian2's STDP example, 100 neurons instead of 1). Brian2 2.9.0 needs numpy < 2, so it runs in its own environment::

    python3 -m venv /tmp/b2env && /tmp/b2env/bin/pip install brian2==2.9.0 'numpy<2'
    /tmp/b2env/bin/python benchmarks/brian2_song.py cython euler 6

Arguments: code generation target (cython, numpy), integration method (euler: Brian2's choice for these
equations; exponential_euler: what memristive's LIFNeuron does), repetitions (seeds 0, 1, ...). The first
cython runs compile; the steady-state runs are the figure. Prints one line per run: seconds, output spikes,
mean final weight / gmax.
"""

import sys
import time

from brian2 import (Hz, NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, defaultclock, mV, ms, prefs, run, second,
                    seed, start_scope)
import numpy as np


def main(target: str = "cython", method: str = "euler", repetitions: int = 6) -> None:
    prefs.codegen.target = target
    defaultclock.dt = 0.1 * ms
    vr, rate, gmax = -60 * mV, 15 * Hz, 0.01
    namespace = {"taum": 10 * ms, "taupre": 20 * ms, "taupost": 20 * ms, "taue": 5 * ms, "Ee": 0 * mV,
                 "vt": -54 * mV, "vr": vr, "El": -74 * mV, "gmax": gmax, "d_pre": 0.01 * gmax,
                 "d_post": -0.01 * 1.05 * gmax}
    eqs = "dv/dt = (ge * (Ee - v) + El - v) / taum : volt\ndge/dt = -ge / taue : 1"
    for rep in range(repetitions):
        start_scope()
        seed(rep)
        inputs = PoissonGroup(1000, rates=rate)
        neurons = NeuronGroup(100, eqs, threshold="v > vt", reset="v = vr", method=method)
        neurons.v = vr
        synapses = Synapses(inputs, neurons, """w : 1
            dApre/dt = -Apre / taupre : 1 (event-driven)
            dApost/dt = -Apost / taupost : 1 (event-driven)""",
                            on_pre="ge += w\nApre += d_pre\nw = clip(w + Apost, 0, gmax)",
                            on_post="Apost += d_post\nw = clip(w + Apre, 0, gmax)")
        synapses.connect()
        synapses.w = "rand() * gmax"
        monitor = SpikeMonitor(neurons)
        start = time.perf_counter()
        run(1 * second, namespace=namespace)
        print(f"{target} {method} seed {rep}: {time.perf_counter() - start:.3f} s, {monitor.num_spikes} spikes, "
              f"mean w {float(np.mean(synapses.w[:])) / gmax:.4f} gmax")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cython", sys.argv[2] if len(sys.argv) > 2 else "euler",
         int(sys.argv[3]) if len(sys.argv) > 3 else 6)
