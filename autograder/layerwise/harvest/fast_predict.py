"""A fast, faithful `keras.Model.predict` for the submission's process.

Students inspect a network the seed's way: one sub-model and one `predict` per layer. Each
`predict` on a new model costs ~70 ms of Keras machinery (data adapter, callbacks, a traced
function) for a batch of two images, so such a notebook spends seconds in `predict` alone.
While grading, `predict` on small in-memory inputs (arrays or tensors; no callbacks, no
generator or dataset, no `steps`) returns what `model(x, training=False)` returns, batched as
`predict` batches and cast as its data adapter casts (floats to `floatx`), as NumPy arrays in the
structure of the model's outputs. Anything else goes to the real `predict`.

Installed by the submission's process before its cells run (an option of the assignment); the
test suite shows that a class grades identically with and without it.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

MAX_ELEMENTS = 50_000_000
"""Inputs larger than this (in values) take the real `predict`."""
DEFAULT_BATCH = 32
"""`predict`'s own default batch size."""


def _leaves(x: Any) -> list[Any] | None:
    """The arrays of `x` (one array, or a flat list/tuple/dict of arrays), or None when `x` is
    anything the fast path does not take."""
    if isinstance(x, dict):
        items = list(x.values())
    elif isinstance(x, list | tuple):
        items = list(x)
    else:
        items = [x]
    if not items or not all(_is_dense_array(v) for v in items):
        return None
    return items


def _is_dense_array(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf" and value.ndim >= 1
    import tensorflow as tf

    return isinstance(value, tf.Tensor) and value.shape.rank is not None and value.shape.rank >= 1


def _cast(keras: Any, value: Any) -> Any:
    """What `predict`'s data adapter does to one input: floats become `floatx`."""
    floatx = keras.backend.floatx()
    if isinstance(value, np.ndarray):
        return value.astype(floatx) if value.dtype.kind == "f" and value.dtype != floatx else value
    if value.dtype.is_floating and value.dtype.name != floatx:
        return keras.ops.cast(value, floatx)
    return value


def _slice(x: Any, start: int, stop: int) -> Any:
    if isinstance(x, dict):
        return {k: v[start:stop] for k, v in x.items()}
    if isinstance(x, list | tuple):
        return type(x)(v[start:stop] for v in x)
    return x[start:stop]


def _takes_fast_path(model: Any, base_step: Any, x: Any, batch_size: Any, steps: Any,
                     callbacks: Any, kwargs: dict[str, Any]) -> bool:
    if kwargs or steps is not None or callbacks:
        return False
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        return False
    if type(model).predict_step is not base_step:  # a custom predict_step
        return False
    leaves = _leaves(x)
    if leaves is None:
        return False
    sizes = {int(v.shape[0]) for v in leaves}
    total = sum(int(np.prod(tuple(v.shape), dtype=np.int64)) for v in leaves)
    return len(sizes) == 1 and sizes.pop() > 0 and total <= MAX_ELEMENTS


def direct_predict(keras: Any, model: Any, x: Any, batch_size: int | None = None) -> Any:
    """`model(x, training=False)` batch by batch, as NumPy, in the outputs' structure."""
    tree = keras.tree
    if isinstance(x, dict):
        x = {k: _cast(keras, v) for k, v in x.items()}
    elif isinstance(x, list | tuple):
        x = type(x)(_cast(keras, v) for v in x)
    else:
        x = _cast(keras, x)
    leaves = _leaves(x)
    size = int(leaves[0].shape[0]) if leaves else 0
    step = batch_size or DEFAULT_BATCH
    batches = []
    for start in range(0, size, step):
        batch = _slice(x, start, start + step)
        takes_training = getattr(model, "_call_has_training_arg", True)
        out = model(batch, training=False) if takes_training else model(batch)
        batches.append(tree.map_structure(keras.ops.convert_to_numpy, out))
    if len(batches) == 1:
        return batches[0]
    return tree.map_structure_up_to(batches[0], lambda *parts: np.concatenate(parts, axis=0),
                                    *batches)


def install(keras: Any) -> None:
    """Replace `keras.Model.predict` in this process (idempotent)."""
    original = keras.Model.predict
    if getattr(original, "__layerwise_fast__", False):
        return
    base_step = keras.Model.predict_step

    @functools.wraps(original)
    def predict(self: Any, x: Any, batch_size: Any = None, verbose: Any = "auto",
                steps: Any = None, callbacks: Any = None, **kwargs: Any) -> Any:
        if _takes_fast_path(self, base_step, x, batch_size, steps, callbacks, kwargs):
            return direct_predict(keras, self, x, batch_size)
        return original(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                        callbacks=callbacks, **kwargs)

    predict.__layerwise_fast__ = True  # type: ignore[attr-defined]
    keras.Model.predict = predict
