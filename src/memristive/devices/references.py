"""The literature every preset, model and experiment cites, in one place.

Each entry is a full reference (authors, title, journal, volume, page, year); presets
name the figure their numbers come from next to the key. The report and ``memristive
list`` print these, never "seed 00N".
"""

from __future__ import annotations

from memristive.errors import require

REFERENCES: dict[str, str] = {
    "mou2021": (
        "X. Mou, J. Tang, Y. Lyu, Q. Zhang, S. Yang, F. Xu, W. Liu, M. Xu, Y. Zhou, W. Sun, Y. Zhong, B. Gao, "
        "P. Yu, H. Qian, H. Wu, \"Analog memristive synapse based on topotactic phase transition for "
        "high-performance neuromorphic computing and neural network pruning\", Sci. Adv. 7, eabh0648 (2021)"
    ),
    "li2019": (
        "J. Li, C. Ge, H. Lu, H. Guo, E.-J. Guo, M. He, C. Wang, G. Yang, K. Jin, \"Energy-efficient artificial "
        "synapses based on oxide tunnel junctions\", ACS Appl. Mater. Interfaces 11, 43473 (2019)"
    ),
    "zhang2019": (
        "T. Zhang, K. Yang, X. Xu, Y. Cai, Y. Yang, R. Huang, \"Memristive devices and networks for "
        "brain-inspired computing\", Phys. Status Solidi RRL 13, 1900029 (2019)"
    ),
    "kim2021": (
        "H. Kim, H. Nili, M. R. Mahmoodi, D. B. Strukov, \"4K-memristor analog-grade passive crossbar "
        "circuit\", Nat. Commun. 12, 5198 (2021)"
    ),
    "chen2020": (
        "Q. Chen, T. Han, M. Tang, Z. Zhang, X. Zheng, G. Liu, \"Improving the recognition accuracy of "
        "memristive neural networks via homogenized analog type conductance quantization\", "
        "Micromachines 11, 427 (2020)"
    ),
    "chen2017": (
        "P.-Y. Chen, X. Peng, S. Yu, \"NeuroSim+: an integrated device-to-algorithm framework for "
        "benchmarking synaptic devices and array architectures\", IEDM Tech. Dig., 6.1.1 (2017)"
    ),
    "strukov2009": (
        "D. B. Strukov, R. S. Williams, \"Exponential ionic drift: fast switching and low volatility of "
        "thin-film memristors\", Appl. Phys. A 94, 515 (2009)"
    ),
}


def cite(key: str, where: str = "") -> str:
    """The full reference ``key``, followed by ``where`` (figure, table) when given."""
    require(key in REFERENCES, f"unknown reference {key!r}; known: {', '.join(REFERENCES)}")
    return REFERENCES[key] + (f", {where}" if where else "")
