"""Spiking layer (pulse protocols, short-term plasticity, STDP, neurons): issue 6."""
