from otter.test_files import test_case

OK_FORMAT = False

name = "functional_model"
points = 20

@test_case(points=None, hidden=False)
def test_functional_model_seed(get_cnn_model_API):
    import keras
    import numpy as np
    model = get_cnn_model_API((1, 5, 5), (2, 2), 4)
    assert isinstance(model, keras.Model) and (not isinstance(model, keras.Sequential)), f'Esperado um keras.Model funcional, obtido {type(model).__name__} / expected a functional keras.Model'
    names = [layer.name for layer in model.layers]
    expected = ['input', 'conv1', 'actv1', 'max_pool1', 'flat', 'dense1', 'out_sig']
    assert names == expected, f'Camadas esperadas / expected layers {expected}, obtidas / got {names}'
    shape = tuple(model.get_layer('max_pool1').output.shape)
    assert shape == (None, 4, 2, 2), f"max_pool1 deveria sair com formato (None, 4, 2, 2), saiu {shape}: faltou data_format='channels_first' na MaxPooling2D? / missing data_format on the pooling?"
    assert model.count_params() == 37, f'Esperado 37 parâmetros, obtido {model.count_params()} / expected 37 parameters'
    kernel = np.transpose(np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]]), (2, 3, 1, 0))
    model.set_weights([kernel, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    X = np.eye(5, dtype='float32')[None, None] * np.array([1, 1, -1, -1, 1], dtype='float32')
    y = float(np.asarray(model(X))[0, 0])
    assert abs(y - 0.99954736) < 1e-05, f'Saída esperada 0.99954736, obtida {y} / expected output'
    assert get_cnn_model_API((1, 5, 5), (2, 2), 4, use_bias=False).count_params() == 32, 'Com use_bias=False a rede tem 32 parâmetros / with use_bias=False: 32 parameters'

