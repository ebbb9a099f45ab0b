"""Max-cut as a Hopfield energy, and its exact solution by enumeration for small graphs.

A cut of a graph with symmetric 0/1 adjacency ``A`` splits its nodes by ``s_i = +-1``; its size is the
number of edges between the two sides,

    cut(s) = sum_{i<j} A_ij (1 - s_i s_j) / 2 = (|E| - s^T A s / 2) / 2,

so the largest cut is the lowest energy ``E(s) = -1/2 s^T W s`` of a Hopfield network with weights
``W = -A`` (zero diagonal): each asynchronous update puts a node on the side opposite most of its
neighbours and never shrinks the cut, and stops in a local maximum (Hopfield and Tank, Biol.
Cybern. 52, 141, 1985, for optimisation by Hopfield networks; max-cut is NP-hard, Karp 1972).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from memristive.errors import require

MAX_NODES = 24
"""The largest graph :func:`max_cut` enumerates (``2^(n-1)`` cuts)."""

CHUNK = 1 << 16
"""Cuts evaluated per tensor in :func:`max_cut`."""


def _check_adjacency(adjacency: torch.Tensor) -> None:
    require(adjacency.ndim == 2 and adjacency.shape[0] == adjacency.shape[1] >= 2,
            f"adjacency of shape {tuple(adjacency.shape)}: need a square [nodes, nodes] matrix with 2 or more nodes")
    require(bool(torch.equal(adjacency, adjacency.t())), "adjacency must be symmetric (an undirected graph)")
    require(bool((torch.diagonal(adjacency) == 0).all()), "adjacency must have a zero diagonal (no self-loops)")


def random_graph(nodes: int, edge_probability: float, generator: torch.Generator | None = None,
                 dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Adjacency of an Erdos-Renyi graph ``G(nodes, p)``: each pair joined with probability ``edge_probability``."""
    require(isinstance(nodes, int) and nodes >= 2, f"nodes={nodes} must be an integer >= 2")
    require(0 < edge_probability <= 1, f"edge_probability={edge_probability} must be in (0, 1]")
    where = generator.device if generator is not None else None
    upper = (torch.rand(nodes, nodes, generator=generator, dtype=dtype, device=where) < edge_probability).triu(1)
    upper = upper.to(dtype)
    return upper + upper.t()


def maxcut_weights(adjacency: torch.Tensor) -> torch.Tensor:
    """Hopfield weights ``W = -A`` whose energy minima are the largest cuts (module docstring)."""
    _check_adjacency(adjacency)
    return -adjacency.clone()


def cut_size(states: torch.Tensor, adjacency: torch.Tensor) -> torch.Tensor:
    """Edges cut by states ``s`` [..., nodes] of +-1: ``(|E| - s^T A s / 2) / 2``, shape ``[...]``."""
    _check_adjacency(adjacency)
    s = states.to(adjacency.dtype)
    return 0.5 * (0.5 * adjacency.sum() - 0.5 * ((s @ adjacency) * s).sum(-1))


@dataclass(frozen=True)
class MaxCut:
    """The exact answer of :func:`max_cut`: the largest cut's ``size``, one ``states`` vector [nodes] reaching it
    (node 0 on side +1), and how many cuts (with node 0 on side +1) reach it (``optima``).

    Examples:
        >>> import torch
        >>> square = torch.tensor([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]], dtype=torch.float64)
        >>> best = max_cut(square)
        >>> best.size, best.states.tolist(), best.optima  # a 4-cycle: alternate sides cut all 4 edges
        (4.0, [1.0, -1.0, 1.0, -1.0], 1)
    """

    size: float
    states: torch.Tensor
    optima: int


def max_cut(adjacency: torch.Tensor) -> MaxCut:
    """The largest cut, by enumerating all ``2^(n-1)`` cuts with node 0 on side +1 (``n <= MAX_NODES``)."""
    _check_adjacency(adjacency)
    n = adjacency.shape[0]
    require(n <= MAX_NODES, f"{n} nodes: exhaustive search is limited to {MAX_NODES} (2^(n-1) cuts)")
    bits = torch.arange(n - 1, device=adjacency.device)
    best, best_states, optima = -1.0, None, 0
    for start in range(0, 1 << (n - 1), CHUNK):
        codes = torch.arange(start, min(start + CHUNK, 1 << (n - 1)), device=adjacency.device)
        rest = torch.where((codes[:, None] >> bits) & 1 == 1, 1.0, -1.0).to(adjacency.dtype)
        states = torch.cat([torch.ones(len(codes), 1, dtype=adjacency.dtype, device=adjacency.device), rest], 1)
        sizes = cut_size(states, adjacency)
        top = float(sizes.max())
        if top > best:
            best, best_states, optima = top, states[int(sizes.argmax())], 0
        if top == best:
            optima += int((sizes == top).sum())
    return MaxCut(best, best_states, optima)
