from otter.test_files import test_case

OK_FORMAT = False

name = "sequential_model"
points = 20

@test_case(points=None, hidden=False)
def test_sequential_model_seed(get_cnn_model_Sequential):
    import keras
    import numpy as np
    model = get_cnn_model_Sequential((1, 5, 5), (2, 2), 4)
    assert isinstance(model, keras.Sequential), f'Esperado keras.Sequential, obtido {type(model).__name__} / expected a keras.Sequential'
    names = [layer.name for layer in model.layers]
    expected = ['conv_1', 'relu_1', 'max_pool_1', 'flat', 'dense_2', 'sigmoid_2']
    assert names == expected, f'Camadas esperadas / expected layers {expected}, obtidas / got {names}'
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes[2] == (None, 4, 2, 2), f"max_pool_1 deveria sair com formato (None, 4, 2, 2), saiu {shapes[2]}: faltou data_format='channels_first' na MaxPooling2D? / missing data_format on the pooling?"
    assert model.count_params() == 37, f'Esperado 37 parâmetros (20 na convolução + 17 na densa), obtido {model.count_params()} / expected 37 parameters'
    kernel = np.transpose(np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]]), (2, 3, 1, 0))
    model.set_weights([kernel, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    X = np.eye(5, dtype='float32')[None, None] * np.array([1, 1, -1, -1, 1], dtype='float32')
    y = float(np.asarray(model(X))[0, 0])
    assert abs(y - 0.99954736) < 1e-05, f'Saída esperada 0.99954736, obtida {y} / expected output'
    assert get_cnn_model_Sequential((1, 5, 5), (2, 2), 4, use_bias=False).count_params() == 32, 'Com use_bias=False a rede tem 32 parâmetros (sem bias na convolução e na densa) / with use_bias=False the network has 32 parameters'

