from otter.test_files import test_case

OK_FORMAT = False

name = "relu"
points = 5

@test_case(points=None, hidden=False)
def test_relu(relu_forward):
    import numpy as np
    Z = np.array([[[[-2.0, 0.0, 3.0], [1.5, -0.5, 0.25]]]])
    original = Z.copy()
    A = relu_forward(Z)
    assert np.array_equal(Z, original), 'Z foi modificado no lugar: devolva um array novo / Z was modified in place: return a new array'
    assert getattr(A, 'shape', None) == Z.shape, f"A ReLU não muda o formato: esperado {Z.shape}, obtido {getattr(A, 'shape', None)}. np.max(Z, 0) reduz um eixo; use np.maximum / ReLU keeps the shape; np.max(Z, 0) reduces an axis, use np.maximum"
    assert np.allclose(A, [[[[0, 0, 3], [1.5, 0, 0.25]]]]), f'Esperado [[0, 0, 3], [1.5, 0, 0.25]], obtido {np.asarray(A).tolist()} / wrong values'
    assert np.array_equal(relu_forward(np.array([[-3, 4]])), [[0, 4]]), 'Com inteiros: relu_forward([[-3, 4]]) deve ser [[0, 4]] / with integers: expected [[0, 4]]'

