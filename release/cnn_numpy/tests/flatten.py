from otter.test_files import test_case

OK_FORMAT = False

name = "flatten"
points = 10

@test_case(points=None, hidden=False)
def test_flatten(flatten_forward):
    import numpy as np
    P = np.arange(24).reshape(2, 3, 2, 2)
    x = flatten_forward(P)
    assert getattr(x, 'shape', None) == (2, 12), f"Esperado (2, 12): uma linha por amostra, obtido {getattr(x, 'shape', None)} / expected (2, 12): one row per sample"
    assert np.array_equal(x[0], np.arange(12)) and np.array_equal(x[1], np.arange(12, 24)), f'A primeira linha deveria ser 0, 1, ..., 11 (canal 0, depois 1, depois 2), obtida {np.asarray(x)[0].tolist()}. A ordem é (C, H, W), não (H, W, C) / the first row should be 0..11: the order is (C, H, W), not (H, W, C)'

