from otter.test_files import test_case

OK_FORMAT = False

name = "maxpool"
points = 15

@test_case(points=None, hidden=False)
def test_maxpool_seed(maxpool2d_forward):
    import numpy as np
    A = np.zeros((1, 1, 4, 4))
    A[0, 0] = [[1.1, 1.1, 0.1, 0.1], [0.1, 0, 0, 0.1], [0.1, 0.1, 0, 0], [0.1, 0.1, 0.1, 1.1]]
    P = maxpool2d_forward(A)
    assert getattr(P, 'shape', None) == (1, 1, 2, 2), f"4x4 com pool 2: esperado (1, 1, 2, 2), obtido {getattr(P, 'shape', None)} / expected (1, 1, 2, 2)"
    assert np.allclose(P[0, 0], [[1.1, 0.1], [0.1, 1.1]]), f'Esperado [[1.1, 0.1], [0.1, 1.1]], obtido {np.asarray(P)[0, 0].tolist()} / wrong values'

@test_case(points=None, hidden=False)
def test_maxpool_odd(maxpool2d_forward):
    import numpy as np
    A = np.arange(35).reshape(1, 1, 5, 7)
    P = maxpool2d_forward(A, pool_size=2)
    assert getattr(P, 'shape', None) == (1, 1, 2, 3), f"5x7 com pool 2: esperado (1, 1, 2, 3) (5 // 2, 7 // 2), obtido {getattr(P, 'shape', None)}. Janelas sem sobreposição, sobras descartadas / expected (1, 1, 2, 3): windows do not overlap, leftovers are dropped"
    assert np.array_equal(P[0, 0], [[8, 10, 12], [22, 24, 26]]), f'Esperado [[8, 10, 12], [22, 24, 26]], obtido {np.asarray(P)[0, 0].tolist()} / wrong values'
    P3 = maxpool2d_forward(A, pool_size=3)
    assert getattr(P3, 'shape', None) == (1, 1, 1, 2) and np.array_equal(P3[0, 0], [[16, 19]]), '5x7 com pool 3: esperado [[16, 19]] com formato (1, 1, 1, 2); use o argumento pool_size / 5x7 with pool 3: expected [[16, 19]]; use the pool_size argument'

