"""memristive: a simulator for memristive neuromorphic computing.

Layers, lowest first (each imports only from those below it):
``devices`` -> ``crossbar`` -> ``nn`` / ``spiking`` -> ``algorithms`` ->
``experiments`` -> ``report`` / ``cli``. ``data`` and ``errors`` are shared helpers.
"""

__version__ = "0.1.0"
