"""The layers of the lesson's network in NumPy, for the grader's side only: each known mistake
recomputed on a case's inputs, so a wrong answer equal to one of them is named. Expected values
never come from here: they come from the reference solution's harvest.

Written with sliding windows (not the solution's loops), float64 throughout; shapes a mistake
cannot take raise, and the checkers skip that mistake.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Array = np.ndarray
Mutants = dict[str, Callable[[], Array]]
"""Mistake code -> the output that mistake gives (computed when called; it may raise)."""


def _f(a: Array) -> Array:
    return np.asarray(a, dtype=np.float64)


def conv(X: Array, K: Array, b: Array | None = None) -> Array:
    """'valid', stride-1 cross-correlation of X (N, C, H, W) with K (kh, kw, C, F)."""
    kh, kw = K.shape[:2]
    windows = sliding_window_view(_f(X), (kh, kw), axis=(2, 3))  # (N, C, oh, ow, kh, kw)
    Z = np.einsum("ncijab,abcf->nfij", windows, _f(K))
    return Z if b is None else Z + _f(b)[None, :, None, None]


def relu(Z: Array) -> Array:
    return np.maximum(_f(Z), 0.0)


def pool_windows(A: Array, p: int, stride: int) -> Array:
    """The max over every p×p window of (N, C, H, W), windows `stride` apart."""
    return sliding_window_view(_f(A), (p, p), axis=(2, 3))[:, :, ::stride, ::stride].max(
        axis=(4, 5))


def pool(A: Array, p: int = 2) -> Array:
    """Non-overlapping p×p max pooling; leftover rows and columns dropped (floor)."""
    return pool_windows(A, p, p)


def pool_ceil(A: Array, p: int) -> Array:
    """The mistake: leftover rows and columns pooled as partial windows (ceil)."""
    n, c, h, w = A.shape
    padded = np.full((n, c, -(-h // p) * p, -(-w // p) * p), -np.inf)
    padded[:, :, :h, :w] = _f(A)
    return pool_windows(padded, p, p)


def flatten(P: Array) -> Array:
    return _f(P).reshape(P.shape[0], -1)


def dense(x: Array, W: Array, b: Array | None = None) -> Array:
    y = _f(x) @ _f(W)
    return y if b is None else y + _f(b)


def sigmoid(z: Array) -> Array:
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def conv_mutants(X: Array, K: Array, b: Array | None = None) -> Mutants:
    mutants: Mutants = {
        "kernel_flipped": lambda: conv(X, K[::-1, ::-1], b),
        "kernel_read_fchw": lambda: conv(X, K.transpose(2, 3, 1, 0), b),
        "conv_size_off_by_one": lambda: conv(X, K, b)[:, :, :-1, :-1],
    }
    if b is not None:
        mutants["bias_wrong_axis"] = lambda: conv(X, K) + _f(b)  # NumPy's last axis: the width
        mutants["bias_ignored"] = lambda: conv(X, K)
    return mutants


def relu_mutants(Z: Array) -> Mutants:
    return {"relu_max_reduces": lambda: np.max(_f(Z), axis=0)}


def pool_mutants(A: Array, p: int = 2) -> Mutants:
    mutants: Mutants = {
        "pool_overlapping": lambda: pool_windows(A, p, 1),
        "pool_ceil": lambda: pool_ceil(A, p),
    }
    if p != 2:
        mutants["pool_size_fixed"] = lambda: pool(A, 2)
    return mutants


def flatten_mutants(P: Array) -> Mutants:
    return {"flatten_hwc": lambda: np.moveaxis(_f(P), 1, -1).reshape(P.shape[0], -1),
            "flatten_batch_lost": lambda: _f(P).reshape(-1)}


def dense_mutants(x: Array, W: Array, b: Array | None = None) -> Mutants:
    if b is None:
        return {}
    return {"bias_ignored": lambda: dense(x, W),
            "bias_wrong_axis": lambda: dense(x, W) + _f(b).reshape(-1, 1)}


def sigmoid_mutants(z: Array) -> Mutants:
    def sign() -> Array:
        with np.errstate(over="ignore"):
            return 1 / (1 + np.exp(_f(z)))

    return {"sigmoid_sign": sign}
