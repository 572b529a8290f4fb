"""The cases every grading path runs: per question the seed lesson's example first, then hidden,
randomized ones drawn from the run's seed (the same seed always gives the same cases).

The seed example is the first lesson's: a 5×5 image, its four 2×2 filters, bias 0.1 and a dense
layer of ones, whose output is 0.99954736. Each question's seed case is that example's input to
its layer. Hidden cases cover what the example cannot catch: 1 to 3 samples and channels,
non-square images (4 to 10) and kernels (1 to 4), 1 to 6 filters, bias on and off, pool sizes 2
and 3 on sizes they do not divide, extreme values for the sigmoid and integer inputs.

No hidden case has a convolution whose output width equals its filter count: Keras 3 adds a
`channels_first` Conv2D's bias along the width on that shape in direct calls (see PITFALLS), and
the test suite holds the solution against Keras on every hidden case. Cases hold inputs only;
expected values come from running the reference solution on them.
"""

from __future__ import annotations

import numpy as np

from layerwise.assignment import Case, CaseSet

SEED_X = np.array([[[[1, 0, 0, 0, 0],
                     [0, 1, 0, 0, 0],
                     [0, 0, -1, 0, 0],
                     [0, 0, 0, -1, 0],
                     [0, 0, 0, 0, 1]]]], dtype=np.float32)
SEED_FILTERS = np.array([[[[0, 0], [1, 1]]],
                         [[[1, 1], [0, 0]]],
                         [[[0, 1], [1, 0]]],
                         [[[0, 1], [0, 1]]]], dtype=np.float32)
"""The lesson's four filters, readable: (filters, channels, kh, kw)."""
SEED_K = np.ascontiguousarray(SEED_FILTERS.transpose(2, 3, 1, 0))
"""The same filters in Keras' layout (kh, kw, channels, filters)."""
SEED_BIAS = 0.1

HIDDEN_COUNTS = {"conv": 7, "relu": 4, "pool": 6, "flatten": 4, "dense": 5, "sigmoid": 4,
                 "forward": 4}
EXTREMES = (-1000.0, -710.0, -60.0, -1.0, 0.0, 1.0, 60.0, 710.0, 1000.0)
"""Sigmoid inputs where a naive `1 / (1 + exp(-z))` overflows (exp(710) is inf in float64)."""
def seed_layers() -> dict[str, np.ndarray]:
    """The seed example's layer outputs, written out: each filter adds two pixels of every 2×2
    window (e.g. [[0, 0], [1, 1]] the bottom two), plus the bias."""
    x = SEED_X[0, 0]
    top_left, top_right, bottom_left, bottom_right = x[:-1, :-1], x[:-1, 1:], x[1:, :-1], x[1:, 1:]
    conv = np.stack([bottom_left + bottom_right, top_left + top_right,
                     top_right + bottom_left, top_right + bottom_right])[None] + SEED_BIAS
    relu = np.maximum(conv, 0)
    pool = relu.reshape(1, 4, 2, 2, 2, 2).max(axis=(3, 5))
    flat = pool.reshape(1, -1)
    return {"conv_1": conv, "relu_1": relu, "max_pool_1": pool, "flat": flat,
            "dense_2": flat.sum(axis=1, keepdims=True) + SEED_BIAS}


def _sides(rng: np.random.Generator, low: int = 4, high: int = 10) -> tuple[int, int]:
    """Two different sides in [low, high]."""
    while True:
        h, w = (int(v) for v in rng.integers(low, high + 1, size=2))
        if h != w:
            return h, w


def _kernel(rng: np.random.Generator) -> tuple[int, int]:
    """A non-square kernel, sides 1 to 4."""
    kh = int(rng.integers(1, 5))
    kw = int(rng.choice([k for k in range(1, 5) if k != kh]))
    return kh, kw


def _filters(rng: np.random.Generator, conv_width: int) -> int:
    """1 to 6 filters, never as many as the convolution's output width (the Keras bias bug)."""
    return int(rng.choice([f for f in range(1, 7) if f != conv_width]))


def _image(rng: np.random.Generator, kh: int, kw: int, minimum: int) -> tuple[int, int]:
    """A non-square image whose 'valid' convolution is at least `minimum` on each side."""
    while True:
        h, w = _sides(rng)
        if h - kh + 1 >= minimum and w - kw + 1 >= minimum:
            return h, w


def _normal(rng: np.random.Generator, shape: tuple[int, ...], scale: float,
            dtype: type = np.float32) -> np.ndarray:
    return rng.normal(0, scale, size=shape).astype(dtype)


def _conv_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "X": SEED_X.copy(), "K": SEED_K.copy(),
                          "b": np.full(4, SEED_BIAS, dtype=np.float32)}]
    for i in range(HIDDEN_COUNTS["conv"]):
        n = 1 + i % 3
        kh, kw = _kernel(rng)
        ambiguous = i == HIDDEN_COUNTS["conv"] - 1
        if ambiguous:  # K read as (F, C, kh, kw) runs without error: C == kw and F == kh
            kw = int(rng.integers(1, 4))
            kh = int(rng.choice([k for k in range(1, 5) if k != kw]))
        h, w = _image(rng, kh, kw, minimum=2)
        while ambiguous and w - kw + 1 == kh:
            h, w = _image(rng, kh, kw, minimum=2)
        c = kw if ambiguous else int(rng.integers(1, 4))
        f = kh if ambiguous else _filters(rng, w - kw + 1)
        dtype = np.float64 if i % 2 else np.float32
        X = (rng.integers(-4, 5, size=(n, c, h, w)) if i == 4
             else _normal(rng, (n, c, h, w), 1.0, dtype))
        bias = i % 2 == 0 or ambiguous
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "X": X,
                      "K": _normal(rng, (kh, kw, c, f), 0.5, dtype),
                      "b": _normal(rng, (f,), 0.5, dtype) if bias else None})
    return cases


def _relu_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "Z": layers["conv_1"].copy()}]
    for i in range(HIDDEN_COUNTS["relu"]):
        shape: tuple[int, ...] = (1 + i % 3, int(rng.integers(1, 7)), *_sides(rng, 2, 8))
        if i == 3:
            shape = (1 + int(rng.integers(0, 3)), int(rng.integers(2, 9)))  # a dense output
        Z = rng.integers(-5, 6, size=shape) if i == 2 else _normal(rng, shape, 1.0)
        Z.flat[0] = 0  # an exact zero
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "Z": Z})
    return cases


def _pool_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "A": layers["relu_1"].copy(),
                          "pool_size": None}]
    for i in range(HIDDEN_COUNTS["pool"]):
        p = 3 if i % 2 else 2
        while True:  # sizes the pool does not divide, so floor and ceil differ
            h, w = _sides(rng)
            if h % p and w % p:
                break
        shape = (1 + i % 3, int(rng.integers(1, 7)), h, w)
        A = rng.integers(-9, 10, size=shape) if i == 5 else _normal(rng, shape, 1.0)
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "A": A, "pool_size": p})
    return cases


def _flatten_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "P": layers["max_pool_1"].copy()}]
    for i in range(HIDDEN_COUNTS["flatten"]):
        shape: tuple[int, ...] = (1 + i % 3, int(rng.integers(2, 7)), *_sides(rng, 1, 5))
        if i == 3:
            shape = (1 + int(rng.integers(0, 3)), *_sides(rng, 2, 5))  # (N, a, b)
        P = rng.integers(0, 10, size=shape) if i == 2 else _normal(rng, shape, 1.0)
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "P": P})
    return cases


def _dense_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "x": layers["flat"].copy(),
                          "W": np.ones((16, 1), dtype=np.float32),
                          "b": np.full(1, SEED_BIAS, dtype=np.float32)}]
    for i in range(HIDDEN_COUNTS["dense"]):
        n, n_in = 1 + i % 3, int(rng.integers(1, 21))
        units = 1 if i == 1 else int(rng.integers(2, 5))
        x = rng.integers(-5, 6, size=(n, n_in)) if i == 3 else _normal(rng, (n, n_in), 1.0)
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "x": x,
                      "W": _normal(rng, (n_in, units), 0.5),
                      "b": _normal(rng, (units,), 0.5) if i % 2 == 0 else None})
    return cases


def _sigmoid_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    cases: list[Case] = [{"id": "seed", "hidden": False, "z": layers["dense_2"].copy()}]
    for i in range(HIDDEN_COUNTS["sigmoid"]):
        if i == 3:  # any shape: an elementwise function
            z = _normal(rng, (1 + int(rng.integers(0, 3)), 2, *_sides(rng, 2, 4)), 8.0,
                        np.float64)
            z.flat[:2] = (-1000.0, 1000.0)
        else:
            values = np.concatenate([EXTREMES, rng.normal(0, 10, size=int(rng.integers(3, 8)))])
            z = rng.permutation(values).reshape(-1, 1)
            z = (np.round(z).astype(np.int64) if i == 1
                 else z.astype(np.float32 if i == 2 else np.float64))
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "z": z})
    return cases


def _forward_cases(rng: np.random.Generator, layers: dict[str, np.ndarray]) -> list[Case]:
    seed_weights = [SEED_K.copy(), np.full(4, SEED_BIAS, dtype=np.float32),
                    np.ones((16, 1), dtype=np.float32), np.full(1, SEED_BIAS, dtype=np.float32)]
    cases: list[Case] = [{"id": "seed", "hidden": False, "X": SEED_X.copy(),
                          "weights": seed_weights, "use_bias": True}]
    for i in range(HIDDEN_COUNTS["forward"]):
        n, c = 1 + i % 3, int(rng.integers(1, 4))
        kh, kw = _kernel(rng)
        h, w = _image(rng, kh, kw, minimum=2)  # the 2×2 pooling needs 2 on each side
        oh, ow = h - kh + 1, w - kw + 1
        f = _filters(rng, ow)
        use_bias = i % 2 == 0
        X = rng.integers(-3, 4, size=(n, c, h, w)) if i == 3 else _normal(rng, (n, c, h, w), 1.0)
        weights = [_normal(rng, (kh, kw, c, f), 0.5)]
        if use_bias:  # shifted down: many negative maps, so skipping the ReLU shows
            weights.append((_normal(rng, (f,), 0.3) - 0.5).astype(np.float32))
        weights.append(_normal(rng, ((oh // 2) * (ow // 2) * f, 1), 0.3))
        if use_bias:
            weights.append(_normal(rng, (1,), 0.3))
        cases.append({"id": f"hidden-{i + 1}", "hidden": True, "X": X, "weights": weights,
                      "use_bias": use_bias})
    return cases


def make_cases(seed: int) -> CaseSet:
    """Every question's cases for this seed: the seed example first, then hidden ones."""
    rng = np.random.default_rng(seed)
    layers = seed_layers()
    cases: CaseSet = {"seed": seed}
    for key, make in (("conv", _conv_cases), ("relu", _relu_cases), ("pool", _pool_cases),
                      ("flatten", _flatten_cases), ("dense", _dense_cases),
                      ("sigmoid", _sigmoid_cases), ("forward", _forward_cases)):
        cases[key] = make(rng, layers)
    return cases


def conv_output_width(case: Case) -> tuple[int, int]:
    """(output width, filters) of a case's convolution (conv or forward case)."""
    kernel = case["K"] if "K" in case else case["weights"][0]
    return int(case["X"].shape[3]) - int(kernel.shape[1]) + 1, int(kernel.shape[3])
