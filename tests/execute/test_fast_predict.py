"""The fast `predict` (harvest/fast_predict.py): the values `predict` gives, for what it serves,
and the real `predict` for everything else. TensorFlow runs for real, in this process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from layerwise.harvest import fast_predict  # noqa: E402

L = keras.layers


def lesson_model(c: int, h: int, w: int, filters: int, seed: int = 0) -> Any:
    model = keras.Sequential([
        keras.Input((c, h, w)),
        L.Conv2D(filters, (2, 3), data_format="channels_first", name="conv_1"),
        L.Activation("relu", name="relu_1"),
        L.MaxPooling2D((2, 2), data_format="channels_first", name="max_pool_1"),
        L.Flatten(name="flat"), L.Dense(1, name="dense_2"),
        L.Activation("sigmoid", name="sigmoid_2")])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    return model


@pytest.fixture
def real_predict() -> Iterator[Any]:
    """The real `predict`, and the fast one installed for the test (removed afterwards)."""
    original = keras.Model.predict
    fast_predict.install(keras)
    yield original
    keras.Model.predict = original


def _leaves(value: Any) -> list[np.ndarray]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value) if isinstance(value, list | tuple) else [value]


def _same_as_predict(original: Any, model: Any, x: Any, **kwargs: Any) -> None:
    want = original(model, x, verbose=0, **kwargs)
    got = model.predict(x, **kwargs)
    assert type(got) is type(want)
    for w, g in zip(_leaves(want), _leaves(got), strict=True):
        assert isinstance(g, np.ndarray) and g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_same_values_as_predict(real_predict: Any) -> None:
    model = lesson_model(2, 7, 9, 3)  # output width 7 != 3 filters (the Keras bias bug)
    x = np.random.default_rng(1).normal(size=(70, 2, 7, 9))  # float64, several batches
    per_layer = [keras.Model(model.inputs, layer.output) for layer in model.layers]
    every = keras.Model(model.inputs[0], [layer.output for layer in model.layers])
    _same_as_predict(real_predict, model, x)
    _same_as_predict(real_predict, model, x.astype("float32"), batch_size=5)
    _same_as_predict(real_predict, model, np.rint(x * 3).astype("int64"))
    _same_as_predict(real_predict, every, x)
    for sub in per_layer:
        _same_as_predict(real_predict, sub, x[:2])
    _same_as_predict(real_predict, model, keras.ops.convert_to_tensor(x[:3]))
    inputs = keras.Input((3,), name="features")
    named = keras.Model(inputs, {"score": L.Dense(2)(inputs)})
    _same_as_predict(real_predict, named, {"features": np.ones((4, 3))})


def test_everything_else_goes_to_the_real_predict(real_predict: Any) -> None:
    import tensorflow as tf

    model = lesson_model(1, 5, 6, 3)
    x = np.random.default_rng(2).normal(size=(4, 1, 5, 6)).astype("float32")
    want = real_predict(model, x, verbose=0)

    class Seen(keras.callbacks.Callback):
        batches = 0

        def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
            Seen.batches += 1

    np.testing.assert_allclose(model.predict(x, callbacks=[Seen()], verbose=0), want, rtol=1e-5)
    assert Seen.batches == 1  # the real predict ran: it calls callbacks
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(2)
    np.testing.assert_allclose(model.predict(dataset, verbose=0), want, rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, steps=1, batch_size=4, verbose=0), want,
                               rtol=1e-5)

    def batches() -> Iterator[tuple[np.ndarray]]:
        yield (x,)

    np.testing.assert_allclose(model.predict(batches(), verbose=0), want, rtol=1e-5)


def test_fast_path_skips_keras_machinery(real_predict: Any) -> None:
    """What makes it fast: no predict function is traced (Keras builds one per new model)."""
    model = lesson_model(1, 5, 6, 3)
    x = np.zeros((2, 1, 5, 6), dtype="float32")
    for layer in model.layers:
        sub = keras.Model(model.inputs, layer.output)
        sub.predict(x)
        assert sub.predict_function is None
    real_predict(model, x, verbose=0)
    assert model.predict_function is not None


def test_custom_predict_step_gets_the_real_predict(real_predict: Any) -> None:
    class Doubled(keras.Model):
        def predict_step(self, data: Any) -> Any:
            return super().predict_step(data) * 2

    inputs = keras.Input((2,))
    model = Doubled(inputs, L.Dense(1, kernel_initializer="ones")(inputs))
    np.testing.assert_allclose(model.predict(np.ones((1, 2)), verbose=0), [[4.0]])
