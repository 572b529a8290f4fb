from otter.test_files import test_case

OK_FORMAT = False

name = "sigmoid"
points = 10

@test_case(points=None, hidden=False)
def test_sigmoid(sigmoid_forward):
    import warnings
    import numpy as np
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with warnings.catch_warnings(record=True) as caught, np.errstate(over='warn', invalid='warn'):
        warnings.simplefilter('always')
        s = sigmoid_forward(z)
    assert not caught, f'A sigmoide emitiu um aviso em z = ±1000: {caught[0].message}. Para z < 0 use exp(z) / (1 + exp(z)) / the sigmoid warned at z = ±1000; for z < 0 use exp(z) / (1 + exp(z))'
    assert not np.isnan(np.asarray(s, dtype=float)).any(), 'NaN em z = ±1000 / NaN at z = ±1000'
    assert np.allclose(s, [0, 0.26894142, 0.5, 0.73105858, 1]), f'Esperado [0, 0.2689, 0.5, 0.7311, 1], obtido {np.asarray(s).tolist()} / wrong values'
    s = sigmoid_forward(np.array([-2, 0, 3]))
    assert np.allclose(s, [0.11920292, 0.5, 0.95257413]), f"Com inteiros: esperado [0.1192, 0.5, 0.9526], obtido {np.asarray(s).tolist()}. Um array criado com o dtype da entrada (inteiro) trunca os valores / with integers: an array made with the input's (integer) dtype truncates the values"
    y = float(np.asarray(sigmoid_forward(np.array([[7.7]])))[0, 0])
    assert abs(y - 0.99954736) < 1e-06, f'σ(7.7): esperado 0.99954736, obtido {y} / expected'

