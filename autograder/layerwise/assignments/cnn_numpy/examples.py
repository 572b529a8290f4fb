"""This lesson's example class: one notebook per known mistake, each made from the solved
notebook by one small, realistic edit, and correct notebooks written the ways students write
them (plain loops, NumPy's sliding windows, an old nbformat 3 file). Build-time only: it quotes
the solution, so it never ships and no submission can import it."""

from __future__ import annotations

from layerwise.examples_spec import Mutant, Style

CONV_LOOP = """    kh, kw, _, F = K.shape
    oh, ow = H - kh + 1, W - kw + 1
    Z = np.zeros((N, F, oh, ow))
    for a in range(kh):
        for d in range(kw):
            # pixel (a, d) of every window, all channels, times that pixel's weights (C, F)
            Z += np.einsum("nchw,cf->nfhw", X[:, :, a:a + oh, d:d + ow], K[a, d])"""
CONV_BIAS = "Z += np.asarray(b, dtype=float).reshape(1, F, 1, 1)"
POOL_LOOP = """    ph, pw = H // p, W // p  # leftover rows and columns are dropped
    P = np.empty((N, C, ph, pw), dtype=A.dtype)
    for i in range(ph):
        for j in range(pw):
            P[:, :, i, j] = A[:, :, i * p:(i + 1) * p, j * p:(j + 1) * p].max(axis=(2, 3))"""
SIGMOID_BODY = """    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])  # z < 0: e^z < 1
    out[~pos] = ez / (1.0 + ez)
    return out"""
DENSE_BIAS = """    if b is not None:
        y = y + np.asarray(b, dtype=float).reshape(1, -1)
"""

MUTANTS: tuple[Mutant, ...] = (
    Mutant("kernel_flipped", CONV_LOOP, CONV_LOOP.replace(
        "K[a, d])", "K[kh - 1 - a, kw - 1 - d])"), "conv2d", "kernel_flipped"),
    Mutant("kernel_fchw", CONV_LOOP, CONV_LOOP.replace(
        "kh, kw, _, F = K.shape", "F, _, kh, kw = K.shape").replace(
        "K[a, d])", "K[:, :, a, d].T)"), "conv2d", "kernel_read_fchw"),
    Mutant("conv_off_by_one", "oh, ow = H - kh + 1, W - kw + 1", "oh, ow = H - kh, W - kw",
           "conv2d", "conv_size_off_by_one"),
    Mutant("conv_bias_last_axis", CONV_BIAS, "Z += np.asarray(b, dtype=float)", "conv2d",
           "bias_wrong_axis"),
    Mutant("relu_in_place", "return np.maximum(np.asarray(Z), 0)", "Z[Z < 0] = 0\n    return Z",
           "relu", "input_modified"),
    Mutant("pool_overlapping", POOL_LOOP, POOL_LOOP.replace(
        "ph, pw = H // p, W // p", "ph, pw = H - p + 1, W - p + 1").replace(
        "A[:, :, i * p:(i + 1) * p, j * p:(j + 1) * p]", "A[:, :, i:i + p, j:j + p]"),
           "maxpool", "pool_overlapping"),
    Mutant("pool_ceil", "ph, pw = H // p, W // p", "ph, pw = int(np.ceil(H / p)), int(np.ceil(W / p))",
           "maxpool", "pool_ceil"),
    Mutant("pool_size_fixed", "p = int(pool_size)", "p = 2", "maxpool", "pool_size_fixed"),
    Mutant("flatten_hwc", "return P.reshape(P.shape[0], -1)",
           "return P.transpose(0, 2, 3, 1).reshape(P.shape[0], -1)", "flatten", "flatten_hwc"),
    Mutant("dense_no_bias", DENSE_BIAS, "", "dense", "bias_ignored"),
    Mutant("sigmoid_unstable", SIGMOID_BODY, "    return 1.0 / (1.0 + np.exp(-z))", "sigmoid",
           "sigmoid_unstable"),
    Mutant("sigmoid_int_truncation", "z = np.asarray(z, dtype=float)", "z = np.asarray(z)",
           "sigmoid", "integer_truncation"),
    Mutant("forward_skips_relu", 'maxpool2d_forward(outputs["relu_1"], pool_size=2)',
           'maxpool2d_forward(outputs["conv_1"], pool_size=2)', "cnn_forward",
           "forward_wrong_input"),
    Mutant("forward_renamed", "def cnn_forward(X, weights, use_bias=True):",
           "def forward(X, weights, use_bias=True):", "cnn_forward", "function_missing"),
)
"""One notebook per known mistake; each costs its own question only."""

CONV_FOUR_LOOPS = """    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    N, C, H, W = X.shape
    kh, kw, _, F = K.shape
    Z = np.zeros((N, F, H - kh + 1, W - kw + 1))
    for n in range(N):
        for f in range(F):
            for i in range(H - kh + 1):
                for j in range(W - kw + 1):
                    window = X[n, :, i:i + kh, j:j + kw]  # (C, kh, kw)
                    Z[n, f, i, j] = np.sum(window * K[:, :, :, f].transpose(2, 0, 1))
                    if b is not None:
                        Z[n, f, i, j] += b[f]
    return Z"""
SOLUTION_CONV = """    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    N, C, H, W = X.shape
""" + CONV_LOOP + """
    if b is not None:
        """ + CONV_BIAS + """
    return Z"""
CONV_WINDOWS = """    from numpy.lib.stride_tricks import sliding_window_view

    K = np.asarray(K, dtype=np.float32)
    windows = sliding_window_view(np.asarray(X, dtype=np.float32), K.shape[:2], axis=(2, 3))
    Z = np.tensordot(windows, K, axes=([1, 4, 5], [2, 0, 1]))  # (N, oh, ow, F)
    Z = Z.transpose(0, 3, 1, 2)
    return Z if b is None else Z + np.asarray(b, dtype=np.float32)[None, :, None, None]"""
POOL_RESHAPE = """    ph, pw = H // p, W // p
    blocks = A[:, :, :ph * p, :pw * p].reshape(N, C, ph, p, pw, p)
    return blocks.max(axis=(3, 5))"""
SIGMOID_WHERE = """    e = np.exp(-np.abs(z))  # never above 1
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))"""
FORWARD_INLINE = """    K, W_dense = weights[0], weights[-2 if use_bias else 1]
    b_conv, b_dense = (weights[1], weights[3]) if use_bias else (None, None)
    conv = conv2d_forward(X, K, b_conv)
    relu = np.maximum(conv, 0)
    pooled = maxpool2d_forward(relu)
    flat = pooled.reshape(len(pooled), -1)
    dense = flat @ W_dense + (0 if b_dense is None else b_dense)
    return dict(conv_1=conv, relu_1=relu, max_pool_1=pooled, flat=flat, dense_2=dense,
                sigmoid_2=sigmoid_forward(dense))"""
FORWARD_SOLUTION = """    if use_bias:
        K, b_conv, W_dense, b_dense = weights
    else:
        (K, W_dense), b_conv, b_dense = weights, None, None
    outputs = {}
    outputs["conv_1"] = conv2d_forward(X, K, b_conv)
    outputs["relu_1"] = relu_forward(outputs["conv_1"])
    outputs["max_pool_1"] = maxpool2d_forward(outputs["relu_1"], pool_size=2)
    outputs["flat"] = flatten_forward(outputs["max_pool_1"])
    outputs["dense_2"] = dense_forward(outputs["flat"], W_dense, b_dense)
    outputs["sigmoid_2"] = sigmoid_forward(outputs["dense_2"])
    return outputs"""

STYLES: tuple[Style, ...] = (
    Style("correct_four_loops", ((SOLUTION_CONV, CONV_FOUR_LOOPS),)),
    Style("correct_stride_tricks", (
        (SOLUTION_CONV, CONV_WINDOWS), (POOL_LOOP + "\n    return P", POOL_RESHAPE),
        (SIGMOID_BODY, SIGMOID_WHERE), (FORWARD_SOLUTION, FORWARD_INLINE))),
    Style("correct_nbformat3", nbformat=3),
)
"""Correct notebooks the ways students write them (the English edition is full_marks_en)."""
