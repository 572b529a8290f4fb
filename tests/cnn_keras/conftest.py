"""The first lesson's many-seeds fixtures: two real grading workers and the reference of seeds
0-199, shared by test_many_seeds.py and test_numpy_oracle.py (one xdist group, "seeds")."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def seed_pool() -> Any:
    """Two grading workers for the many-seeds tests."""
    from layerwise.execute.pool import LocalPool
    from many_seeds import LIMITS, PRELOAD

    with LocalPool(2, LIMITS, preload=PRELOAD) as pool:
        yield pool


@pytest.fixture(scope="session")
def reference_200(seed_pool: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cases, reference harvest) of seeds 0-199, computed by the real workers."""
    from many_seeds import reference

    return reference(seed_pool, list(range(200)), chunks=2)
