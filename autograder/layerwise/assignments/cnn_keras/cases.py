"""The cases every grading path runs: the seed's two worked examples, plus hidden randomized ones.

Hidden cases are drawn from a seed recorded in the run, so regrading with the same seed is
identical. They cover what the seed's examples cannot catch: odd convolution output sizes,
non-square kernels and images, 1 to 3 channels, 1 to 6 filters, bias on and off, pool sizes 2 and 3.
Cases hold inputs only; expected values come from running the reference solution on them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.assignment import Case, CaseSet

MODEL_WEIGHTS = "model_weights"
"""What the reference harvest keeps for the students: the weights each model case used."""

SEED_1_X = np.array([[[[1, 0, 0, 0, 0, 0],
                       [0, 1, 0, 0, 0, 0],
                       [0, 0, -1, 0, 0, 0],
                       [0, 0, 0, -1, 0, 0],
                       [0, 0, 0, 0, 1, 0]]]], dtype=np.float32)
SEED_1_W = np.arange(1, 13, dtype=np.float32).reshape(3, 1, 2, 2)
SEED_2_X = np.array([[[[1, 0, 0, 0, 0],
                       [0, 1, 0, 0, 0],
                       [0, 0, -1, 0, 0],
                       [0, 0, 0, -1, 0],
                       [0, 0, 0, 0, 1]]]], dtype=np.float32)
SEED_2_W = np.array([[[[0, 0], [1, 1]]],
                     [[[1, 1], [0, 0]]],
                     [[[0, 1], [1, 0]]],
                     [[[0, 1], [0, 1]]]], dtype=np.float32)
SEED_BIAS = 0.1

HIDDEN_COUNTS = {"kernel_layout": 6, "dense_size": 8, "models": 4, "probes": 1, "param_count": 8}


def avoid_bias_layout_bug(n_filters: int, conv_width: int) -> int:
    """A filter count that differs from the convolution's output width.

    Keras 3's TensorFlow backend adds a ``channels_first`` Conv2D's bias along the WIDTH in eager
    calls when the output width equals the filter count (``ops.add`` picks ``bias_add``'s layout
    from the shape); ``predict`` is right. Hidden cases never draw that shape, so a student is
    graded the same whichever way they call their model. Keeps the count in 1..6 and leaves the
    random stream untouched (other cases of the seed do not change).
    """
    if n_filters != conv_width:
        return n_filters
    return n_filters + 1 if n_filters < 6 else n_filters - 1


def _seed_model(case_id: str, X: np.ndarray, W: np.ndarray) -> Case:
    n_filters, n_channels, kh, kw = W.shape
    return {"id": case_id, "hidden": False, "input_shape": list(X.shape[1:]),
            "kernel_shape": [kh, kw], "n_filters": n_filters, "use_bias": True, "X": X,
            "W_readable": W, "b_conv": np.full(n_filters, SEED_BIAS, dtype=np.float32),
            "dense": "ones", "b_dense": np.full(1, SEED_BIAS, dtype=np.float32), "dense_seed": 0}


def _geometry(rng: np.random.Generator, pool: int, odd: bool) -> tuple[int, int, int, int]:
    """A non-square image and kernel whose convolution output is at least `pool` on each side."""
    while True:
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        h, w = (int(v) for v in rng.integers(4, 11, size=2))
        ch, cw = h - kh + 1, w - kw + 1
        if min(ch, cw) < pool or h == w or kh == kw:
            continue
        if odd and (ch % 2 == 0 or cw % 2 == 0) and (ch * cw) % 2 == 0:
            continue
        return h, w, kh, kw


def make_cases(seed: int) -> CaseSet:
    """Every question's cases for this seed: the two seed examples first, then hidden ones."""
    rng = np.random.default_rng(seed)
    cases: CaseSet = {"seed": seed}

    layouts: list[Case] = [
        {"id": "seed-1", "hidden": False, "W": SEED_1_W.copy()},
        {"id": "seed-2", "hidden": False, "W": SEED_2_W.copy()},
    ]
    dtypes = (np.float32, np.float64, np.int64)
    for i in range(HIDDEN_COUNTS["kernel_layout"]):
        f = int(rng.integers(2, 7))
        c = 1 + (i % 3)
        kh, kw = (2, 3) if i % 2 else (3, 1 + int(rng.integers(1, 3)))
        W = rng.integers(-9, 10, size=(f, c, kh, kw)).astype(dtypes[i % 3])
        layouts.append({"id": f"hidden-{i + 1}", "hidden": True, "W": W})
    cases["kernel_layout"] = layouts

    sizes: list[Case] = [
        {"id": "seed-1", "hidden": False, "args": [5, 6, 2, 2, 3, 2]},
        {"id": "seed-2", "hidden": False, "args": [5, 5, 2, 2, 4, 2]},
    ]
    for i in range(HIDDEN_COUNTS["dense_size"]):
        pool = 3 if i % 3 == 2 else 2
        h, w, kh, kw = _geometry(rng, pool, odd=i % 2 == 0)
        sizes.append({"id": f"hidden-{i + 1}", "hidden": True,
                      "args": [h, w, kh, kw, int(rng.integers(1, 7)), pool]})
    cases["dense_size"] = sizes

    models: list[Case] = [_seed_model("seed-1", SEED_1_X, SEED_1_W),
                          _seed_model("seed-2", SEED_2_X, SEED_2_W)]
    for i in range(HIDDEN_COUNTS["models"]):
        h, w, kh, kw = _geometry(rng, 2, odd=i % 2 == 0)
        c, f = 1 + (i % 3), int(rng.integers(2, 7))
        f = avoid_bias_layout_bug(f, w - kw + 1)  # a 'valid' convolution
        use_bias = i % 2 == 0
        models.append({
            "id": f"hidden-{i + 1}", "hidden": True, "input_shape": [c, h, w],
            "kernel_shape": [kh, kw], "n_filters": f, "use_bias": use_bias,
            "X": rng.normal(0, 1, size=(2, c, h, w)).astype(np.float32),
            "W_readable": rng.normal(0, 0.5, size=(f, c, kh, kw)).astype(np.float32),
            "b_conv": rng.normal(0, 0.2, size=f).astype(np.float32),
            "dense": "random", "dense_seed": int(rng.integers(1, 2**31)),
            "b_dense": rng.normal(0, 0.2, size=1).astype(np.float32),
        })
    cases["models"] = models

    probes: list[Case] = [
        {"id": "seed-seq", "hidden": False, "kind": "sequential", "input_shape": [1, 5, 5],
         "kernel_shape": [2, 2], "n_filters": 4, "X": SEED_2_X, "weight_seed": 2},
        {"id": "seed-api", "hidden": False, "kind": "functional", "input_shape": [1, 5, 6],
         "kernel_shape": [2, 2], "n_filters": 3, "X": SEED_1_X, "weight_seed": 1},
    ]
    for i in range(HIDDEN_COUNTS["probes"]):
        for kind in ("sequential", "functional"):
            h, w, kh, kw = _geometry(rng, 2, odd=True)
            c = 1 + int(rng.integers(1, 3))
            f = avoid_bias_layout_bug(int(rng.integers(2, 7)), w)  # the probe's 'same' conv
            probes.append({
                "id": f"hidden-{i + 1}-{kind[:3]}", "hidden": True, "kind": kind,
                "input_shape": [c, h, w], "kernel_shape": [kh, kw],
                "n_filters": f,
                "X": rng.normal(0, 1, size=(2, c, h, w)).astype(np.float32),
                "weight_seed": int(rng.integers(1, 2**31)),
            })
    cases["probes"] = probes

    counts: list[Case] = [
        {"id": "seed-1", "hidden": False, "args": [[1, 5, 6], [2, 2], 3, True]},
        {"id": "seed-2", "hidden": False, "args": [[1, 5, 5], [2, 2], 4, True]},
    ]
    for i in range(HIDDEN_COUNTS["param_count"]):
        h, w, kh, kw = _geometry(rng, 2, odd=i % 2 == 0)
        counts.append({"id": f"hidden-{i + 1}", "hidden": True,
                       "args": [[1 + (i % 3), h, w], [kh, kw], int(rng.integers(1, 7)),
                                i % 4 != 1]})
    cases["param_count"] = counts
    return cases


def student_inputs(cases: CaseSet, reference: dict[str, Any]) -> CaseSet:
    """The cases as a student's process receives them: model kernels already in Keras layout,
    converted by the reference solution (so a wrong `channels_l2f` costs only its own question),
    and no readable copy of those kernels."""
    weights = reference["extras"][MODEL_WEIGHTS]
    out = dict(cases)
    out["models"] = [
        {k: v for k, v in case.items() if k != "W_readable"} | {"weights": weights[case["id"]]}
        for case in cases["models"]
    ]
    return out
