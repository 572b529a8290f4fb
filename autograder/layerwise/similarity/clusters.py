"""Groups for review: connected components of the graph whose edges are the flagged pairs."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from layerwise.similarity.pairs import Pair


def clusters(pairs: Iterable[Pair]) -> list[list[str]]:
    """Components of two or more notebooks linked by a pair in a tier, largest first."""
    graph: nx.Graph = nx.Graph()
    graph.add_edges_from((p.a, p.b) for p in pairs if p.tier)
    groups = [sorted(c) for c in nx.connected_components(graph)]
    return sorted(groups, key=lambda g: (-len(g), g))
