from otter.test_files import test_case

OK_FORMAT = False

name = "kernel_layout"
points = 15

@test_case(points=None, hidden=False)
def test_kernel_layout_seed(channels_l2f):
    import numpy as np
    W = np.arange(1, 13).reshape(3, 1, 2, 2)
    original = W.copy()
    K = channels_l2f(W)
    assert isinstance(K, np.ndarray), f'channels_l2f deve devolver np.ndarray, devolveu {type(K).__name__} / channels_l2f must return an np.ndarray, got {type(K).__name__}'
    assert K.shape == (2, 2, 1, 3), f'Formato esperado (2, 2, 1, 3), obtido {K.shape} / expected shape (2, 2, 1, 3), got {K.shape}'
    assert np.array_equal(W, original), 'W foi modificado / W was modified in place'
    assert K.dtype == W.dtype, f'dtype esperado {W.dtype}, obtido {K.dtype} / dtype changed'
    assert [K[0, 0, 0, f] for f in range(3)] == [1, 5, 9], f'K[0, 0, 0, :] deveria ser o canto superior esquerdo de cada filtro, [1, 5, 9]; obtido {K[0, 0, 0, :].tolist()}. Um reshape não move os valores de eixo / a reshape does not move values between axes'
    assert K[0, 1, 0, 0] == 2 and K[1, 0, 0, 0] == 3, 'Altura e largura do kernel trocadas? K[0, 1, 0, 0] deveria ser 2 e K[1, 0, 0, 0] deveria ser 3 / kernel height and width swapped?'

@test_case(points=None, hidden=False)
def test_kernel_layout_channels(channels_l2f):
    import numpy as np
    W = np.arange(2 * 3 * 2 * 3, dtype=np.float32).reshape(2, 3, 2, 3)
    K = channels_l2f(W)
    assert getattr(K, 'shape', None) == (2, 3, 3, 2), f"Formato esperado (2, 3, 3, 2), obtido {getattr(K, 'shape', None)} / expected shape (2, 3, 3, 2)"
    assert K.dtype == np.float32, 'o dtype deve ser mantido / dtype must be kept'
    for f in range(2):
        for c in range(3):
            assert np.array_equal(K[:, :, c, f], W[f, c]), f'K[:, :, {c}, {f}] deveria ser W[{f}, {c}] (filtro {f}, canal {c}) / filter and channel axes swapped?'

