from otter.test_files import test_case

OK_FORMAT = False

name = "layer_outputs"
points = 20

@test_case(points=None, hidden=False)
def test_layer_outputs_seed(layer_outputs):
    import keras
    import numpy as np
    inputs = keras.Input(shape=(1, 3, 3), name='img')
    conv = keras.layers.Conv2D(2, (2, 2), data_format='channels_first', name='c')(inputs)
    act = keras.layers.Activation('relu', name='r')(conv)
    flat = keras.layers.Flatten(name='f')(act)
    model = keras.Model(inputs, flat)
    model.set_weights([np.stack([np.ones((2, 2, 1)), -np.ones((2, 2, 1))], axis=-1), np.zeros(2)])
    X = np.arange(9, dtype='float32').reshape(1, 1, 3, 3)
    out = layer_outputs(model, X)
    assert isinstance(out, dict), f'layer_outputs deve devolver um dict, devolveu {type(out).__name__} / must return a dict'
    assert list(out) == ['c', 'r', 'f'], f"Chaves esperadas ['c', 'r', 'f'] (sem a InputLayer), obtidas {list(out)} / expected keys without the InputLayer"
    assert np.allclose(np.asarray(out['c'])[0, 0], [[8, 12], [20, 24]]), "A saída de 'c' está errada / the output of layer 'c' is wrong"
    assert np.asarray(out['r']).max() > 0 and np.asarray(out['r']).min() == 0, "A saída de 'r' (ReLU) está errada / the ReLU output is wrong"
    seq = keras.Sequential([keras.Input(shape=(1, 3, 3)), keras.layers.Flatten(name='only')])
    out = layer_outputs(seq, X)
    assert list(out) == ['only'] and np.asarray(out['only']).shape == (1, 9), 'layer_outputs também deve funcionar com keras.Sequential (use model.inputs, não model.input) / it must work on a Sequential model too'

