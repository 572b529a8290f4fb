# ruff: noqa: E501  (the graded functions' signatures are the release notebook's, as long as they are)
"""Independently written notebooks for the similarity benchmark: per lesson, authors who each
wrote every graded function their own way (loops, im2col, helpers, strides; Keras' add, lists,
loops, multi-output models), and the mistakes each of them makes. The lesson's own example
class is one more author (the solution's family: its mutants and styles are one hand's work).

Each author is {function name: the cell that defines it}; a mistake is (author, old, new)."""

from __future__ import annotations

NUMPY: dict[str, dict[str, str]] = {
    "loops_pt": {
        "conv2d_forward": '''def conv2d_forward(X, K, b=None):
    entrada = np.array(X, dtype=np.float64)
    nucleo = np.array(K, dtype=np.float64)
    lote, canais, altura, largura = entrada.shape
    kh, kw, _, filtros = nucleo.shape
    saida = np.zeros((lote, filtros, altura - kh + 1, largura - kw + 1))
    for f in range(filtros):
        pesos = np.transpose(nucleo[:, :, :, f], (2, 0, 1))
        for i in range(altura - kh + 1):
            for j in range(largura - kw + 1):
                janela = entrada[:, :, i:i + kh, j:j + kw]
                saida[:, f, i, j] = np.sum(janela * pesos[None], axis=(1, 2, 3))
        if b is not None:
            saida[:, f] += b[f]
    return saida''',
        "relu_forward": '''def relu_forward(Z):
    saida = np.array(Z, dtype=float, copy=True)
    saida[saida < 0] = 0
    return saida''',
        "maxpool2d_forward": '''def maxpool2d_forward(A, pool_size=2):
    A = np.asarray(A)
    lote, canais, altura, largura = A.shape
    p = pool_size
    novo_h = altura // p
    novo_w = largura // p
    saida = np.zeros((lote, canais, novo_h, novo_w), dtype=A.dtype)
    for i in range(novo_h):
        for j in range(novo_w):
            bloco = A[:, :, i * p:i * p + p, j * p:j * p + p]
            saida[:, :, i, j] = np.max(np.max(bloco, axis=3), axis=2)
    return saida''',
        "flatten_forward": '''def flatten_forward(P):
    n = P.shape[0]
    return np.reshape(P, (n, -1))''',
        "dense_forward": '''def dense_forward(x, W, b=None):
    saida = np.dot(x, W)
    if b is not None:
        saida = saida + b
    return saida''',
        "sigmoid_forward": '''def sigmoid_forward(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))''',
        "cnn_forward": '''def cnn_forward(X, weights, use_bias=True):
    if use_bias:
        nucleo, vies_conv, pesos_densa, vies_densa = weights
    else:
        nucleo, pesos_densa = weights
        vies_conv = vies_densa = None
    conv = conv2d_forward(X, nucleo, vies_conv)
    ativ = relu_forward(conv)
    pool = maxpool2d_forward(ativ, 2)
    plano = flatten_forward(pool)
    densa = dense_forward(plano, pesos_densa, vies_densa)
    return {"conv_1": conv, "relu_1": ativ, "max_pool_1": pool, "flat": plano,
            "dense_2": densa, "sigmoid_2": sigmoid_forward(densa)}''',
    },
    "im2col": {
        "conv2d_forward": '''def conv2d_forward(X, K, b=None):
    X = np.asarray(X, dtype=float)
    kh, kw, c_in, n_f = np.shape(K)
    n, c, h, w = X.shape
    oh, ow = h - kh + 1, w - kw + 1
    cols = np.empty((n, oh, ow, kh, kw, c))
    for di in range(kh):
        for dj in range(kw):
            cols[:, :, :, di, dj, :] = X[:, :, di:di + oh, dj:dj + ow].transpose(0, 2, 3, 1)
    out = cols.reshape(n * oh * ow, -1) @ np.asarray(K, dtype=float).reshape(-1, n_f)
    out = out.reshape(n, oh, ow, n_f).transpose(0, 3, 1, 2)
    if b is not None:
        out = out + np.reshape(b, (1, -1, 1, 1))
    return out''',
        "relu_forward": '''def relu_forward(Z):
    Z = np.asarray(Z)
    return np.where(Z > 0, Z, 0.0)''',
        "maxpool2d_forward": '''def maxpool2d_forward(A, pool_size=2):
    A = np.asarray(A)
    s = int(pool_size)
    n, c, h, w = A.shape
    h2, w2 = h // s, w // s
    trimmed = A[:, :, :h2 * s, :w2 * s]
    t = trimmed.reshape(n, c, h2, s, w2, s).swapaxes(3, 4).reshape(n, c, h2, w2, s * s)
    return t.max(axis=-1)''',
        "flatten_forward": '''def flatten_forward(P):
    return np.asarray(P).reshape(len(P), -1)''',
        "dense_forward": '''def dense_forward(x, W, b=None):
    y = np.asarray(x) @ np.asarray(W)
    return y if b is None else y + np.asarray(b)[None, :]''',
        "sigmoid_forward": '''def sigmoid_forward(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))''',
        "cnn_forward": '''def cnn_forward(X, weights, use_bias=True):
    names = ["conv_1", "relu_1", "max_pool_1", "flat", "dense_2", "sigmoid_2"]
    k = weights[0]
    kb = weights[1] if use_bias else None
    wd = weights[2] if use_bias else weights[1]
    bd = weights[3] if use_bias else None
    steps = []
    steps.append(conv2d_forward(X, k, kb))
    steps.append(relu_forward(steps[-1]))
    steps.append(maxpool2d_forward(steps[-1], pool_size=2))
    steps.append(flatten_forward(steps[-1]))
    steps.append(dense_forward(steps[-1], wd, bd))
    steps.append(sigmoid_forward(steps[-1]))
    return dict(zip(names, steps))''',
    },
    "helpers": {
        "conv2d_forward": '''def _out_len(n, k):
    return n - k + 1


def _window(X, i, j, kh, kw):
    return X[:, :, i:i + kh, j:j + kw]


def conv2d_forward(X, K, b=None):
    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    kh, kw = K.shape[0], K.shape[1]
    oh = _out_len(X.shape[2], kh)
    ow = _out_len(X.shape[3], kw)
    result = np.zeros((X.shape[0], K.shape[3], oh, ow))
    for i in range(oh):
        for j in range(ow):
            result[:, :, i, j] = np.tensordot(_window(X, i, j, kh, kw), K,
                                              axes=([1, 2, 3], [2, 0, 1]))
    if b is not None:
        result += np.asarray(b, dtype=float)[:, None, None]
    return result''',
        "relu_forward": '''def relu_forward(Z):
    return np.clip(Z, 0, None)''',
        "maxpool2d_forward": '''def _pool_len(n, p):
    return n // p


def maxpool2d_forward(A, pool_size=2):
    A = np.asarray(A, dtype=float)
    rows, cols = _pool_len(A.shape[2], pool_size), _pool_len(A.shape[3], pool_size)
    pooled = np.full(A.shape[:2] + (rows, cols), -np.inf)
    for r in range(rows):
        for c in range(cols):
            patch = A[:, :, r * pool_size:(r + 1) * pool_size, c * pool_size:(c + 1) * pool_size]
            pooled[:, :, r, c] = patch.reshape(A.shape[0], A.shape[1], -1).max(axis=-1)
    return pooled''',
        "flatten_forward": '''def flatten_forward(P):
    return np.reshape(P, (np.shape(P)[0], int(np.prod(np.shape(P)[1:]))))''',
        "dense_forward": '''def dense_forward(x, W, b=None):
    out = np.matmul(x, W)
    return out + b if b is not None else out''',
        "sigmoid_forward": '''def sigmoid_forward(z):
    z = np.asarray(z, dtype=float)
    neg = np.minimum(z, 0)
    return np.exp(neg) / (np.exp(neg) + np.exp(neg - z))''',
        "cnn_forward": '''def _layer(outputs, name, value):
    outputs[name] = value
    return value


def cnn_forward(X, weights, use_bias=True):
    weights = list(weights)
    conv_b = weights.pop(1) if use_bias else None
    dense_b = weights.pop() if use_bias else None
    conv_k, dense_w = weights
    out = {}
    h = _layer(out, "conv_1", conv2d_forward(X, conv_k, conv_b))
    h = _layer(out, "relu_1", relu_forward(h))
    h = _layer(out, "max_pool_1", maxpool2d_forward(h))
    h = _layer(out, "flat", flatten_forward(h))
    h = _layer(out, "dense_2", dense_forward(h, dense_w, dense_b))
    _layer(out, "sigmoid_2", sigmoid_forward(h))
    return out''',
    },
    "strides": {
        "conv2d_forward": '''from numpy.lib.stride_tricks import as_strided


def conv2d_forward(X, K, b=None):
    X = np.ascontiguousarray(X, dtype=np.float64)
    K = np.asarray(K, dtype=np.float64)
    N, C, H, W = X.shape
    KH, KW, _, F = K.shape
    OH, OW = H - KH + 1, W - KW + 1
    sN, sC, sH, sW = X.strides
    patches = as_strided(X, shape=(N, C, OH, OW, KH, KW), strides=(sN, sC, sH, sW, sH, sW))
    Y = np.einsum("ncxyij,ijcf->nfxy", patches, K)
    if b is not None:
        Y += np.asarray(b, dtype=np.float64).reshape(-1, 1, 1)
    return Y''',
        "relu_forward": '''def relu_forward(Z):
    Z = np.asarray(Z, dtype=float)
    return Z * (Z > 0)''',
        "maxpool2d_forward": '''def maxpool2d_forward(A, pool_size=2):
    A = np.ascontiguousarray(A)
    N, C, H, W = A.shape
    k = pool_size
    OH, OW = H // k, W // k
    sN, sC, sH, sW = A.strides
    windows = as_strided(A, shape=(N, C, OH, OW, k, k),
                         strides=(sN, sC, sH * k, sW * k, sH, sW))
    return windows.max(axis=(4, 5))''',
        "flatten_forward": '''def flatten_forward(P):
    N = P.shape[0]
    return P.reshape(N, P.size // N)''',
        "dense_forward": '''def dense_forward(x, W, b=None):
    return np.einsum("ni,iu->nu", x, W) + (0.0 if b is None else np.asarray(b))''',
        "sigmoid_forward": '''def sigmoid_forward(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    big = z > 0
    out[big] = 1 / (1 + np.exp(-z[big]))
    small = np.exp(z[~big])
    out[~big] = small / (small + 1)
    return out''',
        "cnn_forward": '''def cnn_forward(X, weights, use_bias=True):
    K, Wd = weights[0], weights[2 if use_bias else 1]
    bk = weights[1] if use_bias else None
    bd = weights[3] if use_bias else None
    out = {}
    out["conv_1"] = Z = conv2d_forward(X, K, bk)
    out["relu_1"] = A = relu_forward(Z)
    out["max_pool_1"] = P = maxpool2d_forward(A)
    out["flat"] = F = flatten_forward(P)
    out["dense_2"] = D = dense_forward(F, Wd, bd)
    out["sigmoid_2"] = sigmoid_forward(D)
    return out''',
    },
}

NUMPY_MISTAKES: tuple[tuple[str, str, str, str], ...] = (
    ("pool_ceil", "loops_pt", "novo_h = altura // p\n    novo_w = largura // p",
     "novo_h = -(-altura // p)\n    novo_w = -(-largura // p)"),
    ("dense_no_bias", "loops_pt", "saida = saida + b", "saida = saida"),
    ("flatten_hwc", "im2col", "return np.asarray(P).reshape(len(P), -1)",
     "return np.asarray(P).transpose(0, 2, 3, 1).reshape(len(P), -1)"),
    ("leaky_relu", "im2col", "np.where(Z > 0, Z, 0.0)", "np.where(Z > 0, Z, 0.01 * Z)"),
    ("conv_off_by_one", "helpers", "return n - k + 1", "return n - k"),
    ("sigmoid_sign", "helpers", "np.exp(neg - z))", "np.exp(z - neg))"),
    ("bias_last_axis", "strides", ".reshape(-1, 1, 1)", ""),
    ("relu_abs", "strides", "return Z * (Z > 0)", "return np.abs(Z)"),
)
"""(name, author, old, new): one mistake in one author's notebook."""

KERAS: dict[str, dict[str, str]] = {
    "add_pt": {
        "channels_l2f": '''def channels_l2f(W):
    return np.moveaxis(np.array(W), [0, 1], [3, 2]).copy()''',
        "dense_input_size": '''def _lado(n, f, p):
    return (n - f + 1) // p


def dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2):
    altura = _lado(img_height, f_height, pool_size)
    largura = _lado(img_width, f_width, pool_size)
    return altura * largura * n_filters''',
        "get_cnn_model_Sequential": '''def get_cnn_model_Sequential(input_shape, kernel_shape, n_filters, use_bias=True):
    modelo = keras.Sequential(name="minha_cnn")
    modelo.add(keras.Input(shape=tuple(input_shape)))
    modelo.add(layers.Conv2D(filters=n_filters, kernel_size=tuple(kernel_shape),
                             use_bias=use_bias, data_format="channels_first", name="conv_1"))
    modelo.add(layers.Activation(activation="relu", name="relu_1"))
    modelo.add(layers.MaxPooling2D(pool_size=2, data_format="channels_first",
                                   name="max_pool_1"))
    modelo.add(layers.Flatten(name="flat"))
    modelo.add(layers.Dense(units=1, use_bias=use_bias, name="dense_2"))
    modelo.add(layers.Activation(activation="sigmoid", name="sigmoid_2"))
    return modelo''',
        "get_cnn_model_API": '''def get_cnn_model_API(input_shape, kernel_shape, n_filters, use_bias=True):
    entrada = keras.Input(shape=tuple(input_shape))
    conv = layers.Conv2D(filters=n_filters, kernel_size=tuple(kernel_shape), use_bias=use_bias,
                         data_format="channels_first")(entrada)
    ativ = layers.Activation(activation="relu")(conv)
    pool = layers.MaxPooling2D(pool_size=2, data_format="channels_first")(ativ)
    plano = layers.Flatten()(pool)
    densa = layers.Dense(units=1, use_bias=use_bias)(plano)
    saida = layers.Activation(activation="sigmoid")(densa)
    return keras.Model(entrada, saida)''',
        "layer_outputs": '''def layer_outputs(model, X):
    resultado = {}
    for camada in model.layers:
        if isinstance(camada, keras.layers.InputLayer):
            continue
        parcial = keras.Model(inputs=model.inputs[0], outputs=camada.output)
        resultado[camada.name] = parcial.predict(X, verbose=0)
    return resultado''',
        "cnn_param_count": '''def cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True):
    canais, altura, largura = input_shape
    kh, kw = kernel_shape
    pesos_conv = kh * kw * canais * n_filters
    if use_bias:
        pesos_conv += n_filters
    entradas_densa = _lado(altura, kh, 2) * _lado(largura, kw, 2) * n_filters
    return pesos_conv + entradas_densa + (1 if use_bias else 0)''',
    },
    "lists": {
        "channels_l2f": '''def channels_l2f(W):
    return np.einsum("fchw->hwcf", np.asarray(W)).copy()''',
        "dense_input_size": '''def dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2):
    def pooled(n, f):
        return (n - f + 1) // pool_size
    return pooled(img_height, f_height) * pooled(img_width, f_width) * n_filters''',
        "get_cnn_model_Sequential": '''def get_cnn_model_Sequential(input_shape, kernel_shape, n_filters, use_bias=True):
    stack = [keras.Input(shape=tuple(input_shape))]
    stack.append(layers.Conv2D(n_filters, tuple(kernel_shape), use_bias=use_bias,
                               data_format="channels_first", name="conv_1"))
    stack += [layers.Activation("relu", name="relu_1"),
              layers.MaxPooling2D((2, 2), data_format="channels_first", name="max_pool_1")]
    stack += [layers.Flatten(name="flat"), layers.Dense(1, use_bias=use_bias, name="dense_2"),
              layers.Activation("sigmoid", name="sigmoid_2")]
    return keras.Sequential(stack)''',
        "get_cnn_model_API": '''def get_cnn_model_API(input_shape, kernel_shape, n_filters, use_bias=True):
    x = inp = keras.Input(tuple(input_shape))
    for layer in (layers.Conv2D(n_filters, tuple(kernel_shape), use_bias=use_bias,
                                data_format="channels_first"),
                  layers.Activation("relu"), layers.MaxPooling2D(2, data_format="channels_first"),
                  layers.Flatten(), layers.Dense(1, use_bias=use_bias), layers.Activation("sigmoid")):
        x = layer(x)
    return keras.Model(inputs=inp, outputs=x)''',
        "layer_outputs": '''def layer_outputs(model, X):
    wanted = [l for l in model.layers if l.__class__.__name__ != "InputLayer"]
    multi = keras.Model(model.inputs[0], [l.output for l in wanted])
    values = multi.predict(np.asarray(X, "float32"), verbose=0)
    if not isinstance(values, list):
        values = [values]
    return {l.name: np.asarray(v) for l, v in zip(wanted, values)}''',
        "cnn_param_count": '''def cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True):
    return int(get_cnn_model_Sequential(input_shape, kernel_shape, n_filters,
                                        use_bias).count_params())''',
    },
}

KERAS_MISTAKES: tuple[tuple[str, str, str, str], ...] = (
    ("dense_precedence", "add_pt", "return (n - f + 1) // p", "return n - f + 1 // p"),
    ("pool_channels_last", "add_pt", '''modelo.add(layers.MaxPooling2D(pool_size=2, data_format="channels_first",
                                   name="max_pool_1"))''',
     '''modelo.add(layers.MaxPooling2D(pool_size=2, name="max_pool_1"))'''),
    ("hw_swapped", "lists", '"fchw->hwcf"', '"fchw->whcf"'),
    ("param_bias_always", "lists", "n_filters,\n                                        use_bias)",
     "n_filters,\n                                        True)"),
)
