from otter.test_files import test_case

OK_FORMAT = False

name = "conv2d"
points = 25

@test_case(points=None, hidden=False)
def test_conv2d_seed(conv2d_forward):
    import numpy as np
    X = np.eye(5, dtype='float32')[None, None] * np.array([1, 1, -1, -1, 1], dtype='float32')
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]], dtype='float32')
    K = np.transpose(filters, (2, 3, 1, 0))
    original = X.copy()
    Z = conv2d_forward(X, K, np.full(4, 0.1))
    assert isinstance(Z, np.ndarray), f'conv2d_forward deve devolver np.ndarray, devolveu {type(Z).__name__} / must return an np.ndarray'
    assert Z.shape == (1, 4, 4, 4), f'Formato esperado (1, 4, 4, 4) = (N, F, 5 - 2 + 1, 5 - 2 + 1), obtido {Z.shape} / expected shape (1, 4, 4, 4), got {Z.shape}'
    assert np.array_equal(X, original), 'X foi modificado / X was modified in place'
    assert np.allclose(Z[0, 0], [[1.1, 1.1, 0.1, 0.1], [0.1, -0.9, -0.9, 0.1], [0.1, 0.1, -0.9, -0.9], [0.1, 0.1, 0.1, 1.1]]), f'O mapa do filtro [[0, 0], [1, 1]] (soma a linha de baixo de cada janela) está errado; obtido {Z[0, 0].tolist()}. O kernel foi girado? / the map of filter [[0, 0], [1, 1]] is wrong: was the kernel flipped?'
    assert np.allclose(Z[0, 3, 0], [1.1, 0.1, 0.1, 0.1]), 'O mapa do filtro [[0, 1], [0, 1]] está errado / the map of filter [[0, 1], [0, 1]] is wrong'

@test_case(points=None, hidden=False)
def test_conv2d_channels_bias(conv2d_forward):
    import numpy as np
    X = np.arange(24, dtype=float).reshape(1, 2, 3, 4)
    K = np.array([1.0, -1.0, 0.5, 2.0, 0.0, -1.0, -2.0, 1.0, 1.0, 0.0, 1.0, -1.0]).reshape(2, 1, 2, 3)
    b = np.array([1.0, -1.0, 0.5])
    Z = conv2d_forward(X, K, b)
    assert getattr(Z, 'shape', None) == (1, 3, 2, 4), f"Formato esperado (1, 3, 2, 4) = (N, F, 3 - 2 + 1, 4 - 1 + 1), obtido {getattr(Z, 'shape', None)}. K vem como (kh, kw, C, F) / expected shape (1, 3, 2, 4); K comes as (kh, kw, C, F)"
    expected = np.array([[[17, 18, 19, 20], [21, 22, 23, 24]], [[19, 20, 21, 22], [23, 24, 25, 26]], [[-23.5, -24, -24.5, -25], [-25.5, -26, -26.5, -27]]])
    assert np.allclose(Z[0], expected), f'Valores errados: esperado {expected.tolist()}, obtido {np.asarray(Z)[0].tolist()}. Some os dois canais e um bias por filtro / wrong values: sum over both channels and add one bias per filter'
    Z0 = conv2d_forward(X, K)
    assert np.allclose(Z0[0], expected - b[:, None, None]), 'Sem b (b=None), nenhum bias é somado / without b (b=None) no bias is added'

