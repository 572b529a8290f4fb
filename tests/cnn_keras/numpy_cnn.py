"""An independent NumPy forward pass of the lesson's networks (float64, channels_first, batch
first): the oracle the test suite holds Keras' numbers against. It shares no code with Keras or
with the kit."""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray
PROBE_LAYERS = ("probe_conv", "probe_tanh", "probe_pool", "probe_flat", "probe_dense",
                "probe_softmax")


def conv2d(x: Array, kernel: Array, bias: Array | None, padding: str) -> Array:
    """Stride-1 cross-correlation of x (N, C, H, W) with a Keras-layout kernel (kh, kw, C, F).

    'same' pads k - 1 in total per axis, (k - 1) // 2 before: the extra row/column of an even
    kernel goes to the bottom/right, as in Keras and TensorFlow."""
    kh, kw, _, n_filters = kernel.shape
    if padding == "same":
        x = np.pad(x, ((0, 0), (0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2)))
    elif padding != "valid":
        raise ValueError(padding)
    n, _, h, w = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    out = np.zeros((n, n_filters, oh, ow))
    for a in range(kh):
        for b in range(kw):
            out += np.einsum("nchw,cf->nfhw", x[:, :, a:a + oh, b:b + ow], kernel[a, b])
    if bias is not None:
        out += bias[None, :, None, None]
    return out


def relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def tanh(x: Array) -> Array:
    return np.tanh(x)


def max_pool(x: Array, pool: int) -> Array:
    """Non-overlapping pool×pool max over (H, W) of (N, C, H, W); leftover rows/columns dropped."""
    n, c, h, w = x.shape
    ph, pw = h // pool, w // pool
    return x[:, :, :ph * pool, :pw * pool].reshape(n, c, ph, pool, pw, pool).max(axis=(3, 5))


def flatten(x: Array) -> Array:
    """(N, C, H, W) → (N, C·H·W) in C, H, W order (Keras' Flatten is a plain reshape here)."""
    return x.reshape(x.shape[0], -1)


def dense(x: Array, kernel: Array, bias: Array | None) -> Array:
    return x @ kernel + (0.0 if bias is None else bias)


def sigmoid(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-x))


def softmax(x: Array) -> Array:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def lesson_net(X: Array, weights: list[Array], use_bias: bool) -> list[Array]:
    """The assignment's network: 'valid' Conv2D → ReLU → 2×2 pool → Flatten → Dense(1) → sigmoid."""
    w = [np.asarray(v, dtype=np.float64) for v in weights]
    k, b, dk, db = w if use_bias else (w[0], None, w[1], None)
    conv = conv2d(np.asarray(X, dtype=np.float64), k, b, "valid")
    outs = [conv, relu(conv)]
    outs.append(max_pool(outs[-1], 2))
    outs.append(flatten(outs[-1]))
    outs.append(dense(outs[-1], dk, db))
    outs.append(sigmoid(outs[-1]))
    return outs


def probe_net(X: Array, weights: list[Array]) -> list[Array]:
    """The harness's probe: 'same' Conv2D → tanh → 2×2 pool → Flatten → Dense(2) → softmax."""
    k, b, dk, db = (np.asarray(v, dtype=np.float64) for v in weights)
    conv = conv2d(np.asarray(X, dtype=np.float64), k, b, "same")
    outs = [conv, tanh(conv)]
    outs.append(max_pool(outs[-1], 2))
    outs.append(flatten(outs[-1]))
    outs.append(dense(outs[-1], dk, db))
    outs.append(softmax(outs[-1]))
    return outs


def probe_weights(case: dict[str, Any]) -> list[Array]:
    """The weights the harness gives its probe model (`build_probe` in
    assignments/cnn_keras/harvest.py): in Keras' order (conv kernel, conv bias, dense kernel,
    dense bias), each drawn from the case's `weight_seed` as N(0, 0.5) in float32, one after
    the other."""
    c, h, w = case["input_shape"]
    kh, kw = case["kernel_shape"]
    f = case["n_filters"]
    shapes = [(kh, kw, c, f), (f,), (f * (h // 2) * (w // 2), 2), (2,)]
    rng = np.random.default_rng(case["weight_seed"])
    return [rng.normal(0, 0.5, size=shape).astype(np.float32) for shape in shapes]
