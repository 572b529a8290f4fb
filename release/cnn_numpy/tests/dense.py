from otter.test_files import test_case

OK_FORMAT = False

name = "dense"
points = 10

@test_case(points=None, hidden=False)
def test_dense(dense_forward):
    import numpy as np
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 2.0]])
    W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]])
    y = dense_forward(x, W, np.array([0.5, -0.5]))
    assert getattr(y, 'shape', None) == (2, 2), f"Esperado (2, 2) = (N, unidades), obtido {getattr(y, 'shape', None)} / expected (2, 2)"
    assert np.allclose(y, [[4.5, -1.5], [2.5, -3.5]]), f'Esperado [[4.5, -1.5], [2.5, -3.5]], obtido {np.asarray(y).tolist()}: o bias se soma a cada linha (amostra), uma entrada por unidade / expected [[4.5, -1.5], [2.5, -3.5]]: the bias is added to every row, one entry per unit'
    assert np.allclose(dense_forward(x, W), [[4, -1], [2, -3]]), 'Sem b (b=None): esperado x @ W = [[4, -1], [2, -3]] / without b: expected x @ W'

