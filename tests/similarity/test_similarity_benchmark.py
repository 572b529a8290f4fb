"""The benchmark (disguise.py): at the default threshold, disguised copies are flagged
(recall >= 0.95 per lesson and level) and independently written pairs are not (<= 5%)."""

from __future__ import annotations

import pytest
from disguise import LEVELS, benchmark, graded, release_cells
from layerwise.similarity.pairs import Pair
from layerwise.similarity.run import compare_notebooks

VARIANTS = 3
"""Classes per level: each author's first, second and third original."""


def _score(lesson: str, level: str) -> tuple[int, int, int, int]:
    """(copies flagged, copies, independent pairs flagged, independent pairs)."""
    found = flagged = copies = independent = 0
    for variant in range(VARIANTS):
        bench = benchmark(lesson, level, variant)
        pairs = compare_notebooks({k: nb.cells for k, nb in bench.notebooks.items()},
                                  graded(lesson), [release_cells(lesson)])
        by = {(p.a, p.b): p for p in pairs}

        def get(a: str, b: str, by: dict[tuple[str, str], Pair] = by) -> Pair | None:
            return by.get((min(a, b), max(a, b)))

        for original, copy, _ in bench.copies:
            pair = get(original, copy)
            found += bool(pair and pair.tier)
            copies += 1
        for a, b in bench.independent():
            pair = get(a, b)
            flagged += bool(pair and pair.tier)
            independent += 1
    return found, copies, flagged, independent


@pytest.mark.parametrize("lesson", ["cnn_numpy", "cnn_keras"])
@pytest.mark.parametrize("level", LEVELS)
def test_disguised_copies_are_flagged_and_independent_pairs_are_not(lesson: str, level: str
                                                                     ) -> None:
    found, copies, flagged, independent = _score(lesson, level)
    assert copies >= 3 and independent >= 15
    assert found / copies >= 0.95, f"{lesson} {level}: recall {found}/{copies}"
    assert flagged / independent <= 0.05, f"{lesson} {level}: {flagged}/{independent} flagged"


def test_a_copy_is_flagged_through_its_code_and_a_lone_short_function_is_not() -> None:
    """A one-line function copied alone (`relu_forward`) never flags a pair on its own."""
    cells = release_cells("cnn_numpy")
    relu = next(i for i, c in enumerate(cells) if "def relu_forward(" in c)
    a, b = list(cells), list(cells)
    a[relu] = b[relu] = "def relu_forward(Z):\n    return np.clip(np.asarray(Z), 0.0, None)"
    pairs = compare_notebooks({"a": a, "b": b}, graded("cnn_numpy"), [cells])
    assert pairs and pairs[0].code == 1.0 and not pairs[0].code_high
