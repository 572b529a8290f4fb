from otter.test_files import test_case

OK_FORMAT = False

name = "cnn_forward"
points = 25

@test_case(points=None, hidden=False)
def test_cnn_forward_seed(cnn_forward):
    import numpy as np
    X = np.eye(5, dtype='float32')[None, None] * np.array([1, 1, -1, -1, 1], dtype='float32')
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]], dtype='float32')
    K = np.transpose(filters, (2, 3, 1, 0))
    out = cnn_forward(X, [K, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    names = ['conv_1', 'relu_1', 'max_pool_1', 'flat', 'dense_2', 'sigmoid_2']
    assert isinstance(out, dict) and list(out) == names, f'Esperado um dict com as chaves {names}, nesta ordem; obtido {(list(out) if isinstance(out, dict) else type(out).__name__)} / expected a dict with these keys, in this order'
    shapes = [np.shape(out[n]) for n in names]
    assert shapes == [(1, 4, 4, 4), (1, 4, 4, 4), (1, 4, 2, 2), (1, 16), (1, 1), (1, 1)], f'Formatos das camadas: {shapes} / layer shapes'
    y = float(np.asarray(out['sigmoid_2'])[0, 0])
    assert abs(y - 0.99954736) < 1e-06, f"O exemplo da aula anterior dá 0.99954736, obtido {y} / the previous lesson's example gives 0.99954736, got {y}"
    out = cnn_forward(X, [K, np.ones((16, 1))], use_bias=False)
    y = float(np.asarray(out['sigmoid_2'])[0, 0])
    assert abs(y - 0.99752738) < 1e-06, f'Com use_bias=False, weights = [kernel, kernel da densa]: esperado 0.99752738, obtido {y} / with use_bias=False, weights = [kernel, dense kernel]: expected 0.99752738'

@test_case(points=None, hidden=False)
def test_cnn_forward_relu(cnn_forward):
    import numpy as np
    X = -np.eye(5, dtype='float32')[None, None] * np.array([1, 1, -1, -1, 1], dtype='float32')
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]], dtype='float32')
    K = np.transpose(filters, (2, 3, 1, 0))
    out = cnn_forward(X, [K, np.full(4, -1.5), np.ones((16, 1)), np.zeros(1)])
    assert np.allclose(out['max_pool_1'], 0), f"Com bias -1.5 todo valor da convolução é negativo e a ReLU zera tudo: max_pool_1 deveria ser só zeros, obtido {np.asarray(out['max_pool_1'])[0, 0].tolist()}. O pooling recebeu a saída da ReLU? / with bias -1.5 the ReLU zeroes everything: did the pooling get the ReLU's output?"
    assert abs(float(np.asarray(out['sigmoid_2'])[0, 0]) - 0.5) < 1e-06, 'σ(0) = 0.5 / expected 0.5'

