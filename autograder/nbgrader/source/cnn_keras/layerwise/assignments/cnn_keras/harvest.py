"""Student side of the lesson: runs in the submission's process (after its cells) and on the
reference solution, the same code on both sides, so expected and given values are produced the
same way. It calls the student's function on one case and keeps what it gave as plain data;
nothing here knows an expected value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.assignment import Case, Context, Harvester, Record
from layerwise.assignments.cnn_keras.cases import MODEL_WEIGHTS
from layerwise.harvest.values import (
    ARRAY,
    BOOL,
    ERROR,
    INT,
    NUMBER,
    PLAIN_ARRAY,
    TEXT,
    Maybe,
    RecordSpec,
    call,
    error_record,
    plain_array,
    plain_number,
    type_name,
)

Namespace = dict[str, Any]


def kernel_layout(fn: Any, case: Case, ctx: Context) -> Record:
    W = np.array(case["W"], copy=True)
    given = W.copy()
    value, error = call(fn, given)
    if error:
        return {"error": error}
    record = plain_array(value)
    record["input_after"] = np.array(given, copy=True)
    record["same_object"] = value is given
    return record


def dense_size(fn: Any, case: Case, ctx: Context) -> Record:
    h, w, fh, fw, nf, pool = case["args"]
    value, error = call(fn, h, w, fh, fw, nf, pool_size=pool)
    return {"error": error} if error else plain_number(value)


def param_count(fn: Any, case: Case, ctx: Context) -> Record:
    input_shape, kernel_shape, nf, use_bias = case["args"]
    value, error = call(fn, tuple(input_shape), tuple(kernel_shape), nf, use_bias=use_bias)
    return {"error": error} if error else plain_number(value)


def _shape(tensor: Any) -> list[Any]:
    return [None if d is None else int(d) for d in tuple(tensor.shape)]


def _layer_info(layer: Any) -> dict[str, Any]:
    info: dict[str, Any] = {"class": type(layer).__name__, "name": str(layer.name)}
    try:
        info["output_shape"] = _shape(layer.output)
    except BaseException:
        info["output_shape"] = None
    try:
        info["params"] = int(layer.count_params())
    except BaseException:
        info["params"] = None
    for attr in ("data_format", "padding", "use_bias", "units", "filters"):
        value = getattr(layer, attr, None)
        if isinstance(value, str | bool | int):
            info[attr] = value
    for attr in ("pool_size", "kernel_size", "strides"):
        value = getattr(layer, attr, None)
        if isinstance(value, tuple | list):
            info[attr] = [int(v) for v in value]
    activation = getattr(layer, "activation", None)
    if activation is not None:
        info["activation"] = getattr(activation, "__name__", str(activation))
    return info


def _chain(keras: Any, model: Any, shown: list[Any]) -> bool:
    """Whether the model is a chain: one input, each layer fed by the one before, the last one
    its only output (the lesson's networks, Sequential or functional)."""
    if isinstance(model, keras.Sequential):
        return True
    try:
        if len(model.inputs) != 1 or len(model.outputs) != 1 or not shown:
            return False
        previous = model.inputs[0]
        for layer in shown:
            if layer.input is not previous:
                return False
            previous = layer.output
        return previous is model.outputs[0]
    except BaseException:  # a layer used twice has no single input
        return False


def _forward(keras: Any, model: Any, X: np.ndarray) -> tuple[list[str], list[Any]]:
    """Every non-input layer's output for X, by direct calls (no predict): layer after layer
    for a chain (what calling the model does, without building a model of every output),
    else through one model of every layer's output."""
    shown = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    outputs: list[Any] = []
    if not _chain(keras, model, shown):
        try:
            probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in shown])
            outputs = probe(X)
            if len(shown) == 1:
                outputs = [outputs]
        except BaseException:
            outputs = []
    if not outputs:
        x = keras.ops.convert_to_tensor(X)
        for layer in shown:
            x = layer(x)
            outputs.append(x)
    return [str(layer.name) for layer in shown], [np.asarray(o) for o in outputs]


def _dense_kernel_shape(keras: Any, model: Any) -> tuple[int, ...]:
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    return tuple(int(d) for d in dense[-1].kernel.shape)


def _model(keras: Any, fn: Any, case: dict[str, Any], weights: list[np.ndarray] | None,
           ns: Namespace) -> tuple[dict[str, Any], list[np.ndarray] | None]:
    """Build with the student's builder, record its structure, set the case's weights the
    seed's way, record the weights it then holds and every layer's output."""
    model, error = call(fn, tuple(case["input_shape"]), tuple(case["kernel_shape"]),
                        case["n_filters"], use_bias=case["use_bias"])
    if error:
        return {"error": error}, None
    record: dict[str, Any] = {"type": type_name(model)}
    if not isinstance(model, keras.Model):
        record["problem"] = f"not a keras model: {type_name(model)}"
        return record, None
    record["is_sequential"] = isinstance(model, keras.Sequential)
    X = np.asarray(case["X"], dtype=np.float32)
    try:
        record["layers"] = [_layer_info(layer) for layer in model.layers]
        record["total_params"] = int(model.count_params())
        if weights is None:  # reference mode: derive the case's weights the seed's way
            kernel = np.asarray(ns["channels_l2f"](case["W_readable"]), dtype=np.float32)
            n_in = _dense_kernel_shape(keras, model)
            rng = np.random.default_rng(case["dense_seed"])
            dense = (np.ones(n_in) if case["dense"] == "ones"
                     else rng.normal(0, 0.3, size=n_in)).astype(np.float32)
            weights = ([kernel, case["b_conv"], dense, case["b_dense"]] if case["use_bias"]
                       else [kernel, dense])
        _, set_error = call(model.set_weights, [np.asarray(w) for w in weights])
        if set_error:
            record["set_weights_error"] = set_error
        record["weights_after"] = [np.asarray(w) for w in model.get_weights()]
        names, outputs = _forward(keras, model, X)
        record["output_names"] = names
        record["outputs"] = [plain_array(o) for o in outputs]
    except BaseException as exc:
        record["harvest_error"] = error_record(exc)
    return record, weights


def build_probe(keras: Any, case: dict[str, Any]) -> Any:
    """A model of the harness's own (not the assignment's answer) for testing layer_outputs."""
    L = keras.layers
    shape = tuple(case["input_shape"])
    body = [
        L.Conv2D(case["n_filters"], tuple(case["kernel_shape"]), padding="same",
                 data_format="channels_first", name="probe_conv"),
        L.Activation("tanh", name="probe_tanh"),
        L.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="probe_pool"),
        L.Flatten(name="probe_flat"),
        L.Dense(2, name="probe_dense"),
        L.Activation("softmax", name="probe_softmax"),
    ]
    if case["kind"] == "sequential":
        model = keras.Sequential([keras.Input(shape=shape), *body], name="probe_sequential")
    else:
        x = inputs = keras.Input(shape=shape, name="probe_input")
        for layer in body:
            x = layer(x)
        model = keras.Model(inputs, x, name="probe_functional")
    rng = np.random.default_rng(case["weight_seed"])
    model.set_weights([rng.normal(0, 0.5, size=w.shape).astype(np.float32)
                       for w in model.get_weights()])
    return model


def _layer_outputs(keras: Any, fn: Any, case: dict[str, Any]) -> dict[str, Any]:
    model = build_probe(keras, case)
    value, error = call(fn, model, np.asarray(case["X"], dtype=np.float32))
    if error:
        return {"error": error}
    record: dict[str, Any] = {"type": type_name(value)}
    if isinstance(value, dict):
        record["keys"] = [str(k) for k in value]
        record["values"] = [plain_array(v) for v in value.values()]
    elif isinstance(value, list | tuple):
        record["values"] = [plain_array(v) for v in value]
    else:
        record["problem"] = f"not a dict: {type_name(value)}"
    return record


def model(fn: Any, case: Case, ctx: Context) -> Record:
    """A model builder on one case: on the reference, the case's weights are derived the seed's
    way and kept for the students; a student's model gets those weights."""
    import keras

    given = None if ctx.reference else case["weights"]
    record, used = _model(keras, fn, case, given, ctx.ns)
    if ctx.reference and used is not None:
        ctx.keep(MODEL_WEIGHTS, case["id"], [np.asarray(w) for w in used])
    return record


def layer_outputs(fn: Any, case: Case, ctx: Context) -> Record:
    import keras

    return _layer_outputs(keras, fn, case)


HARVESTERS: dict[str, Harvester] = {
    "kernel_layout": kernel_layout,
    "dense_size": dense_size,
    "sequential_model": model,
    "functional_model": model,
    "layer_outputs": layer_outputs,
    "param_count": param_count,
}
"""Question id -> its harvester."""

_LAYER = {"class": TEXT, "name": TEXT, "output_shape": Maybe([(int, type(None))]),
          "params": (int, type(None))}
_MODEL = RecordSpec({"layers": [_LAYER], "total_params": INT, "is_sequential": BOOL,
                     "weights_after": [ARRAY], "output_names": [TEXT],
                     "outputs": [PLAIN_ARRAY], "set_weights_error": ERROR,
                     "harvest_error": ERROR})
_NUMBER = RecordSpec({"value": NUMBER, "integral": BOOL}, required=("value",))

FIELDS: dict[str, RecordSpec] = {
    "kernel_layout": RecordSpec({**PLAIN_ARRAY, "input_after": ARRAY, "same_object": BOOL},
                                required=("type", "value", "input_after")),
    "dense_size": _NUMBER,
    "sequential_model": _MODEL,
    "functional_model": _MODEL,
    "layer_outputs": RecordSpec({"keys": [TEXT], "values": [PLAIN_ARRAY]},
                                together={"keys": ("values",)}),
    "param_count": _NUMBER,
}
"""What each question's records may hold: the worker checks a harvest against it before the
grader reads it (the submission's process wrote it, and may have forged it)."""
