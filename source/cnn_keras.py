# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# <!--
# INSTRUCTOR SOURCE of the layerwise assignment (jupytext percent format).
# This one file is built by `layerwise build` into release/, solutions/, the otter-grader
# autograder zip and the nbgrader assignment, in Portuguese (lang="pt") and English (lang="en").
# Conventions: markdown cells tagged lang="pt"/lang="en" go to that edition only; untagged cells go
# to both. Raw cells carry otter-assign markers. Code is written once.
# -->

# %% [raw]
# # ASSIGNMENT CONFIG
# name: cnn_keras
# requirements: requirements.txt
# export_cell: false
# check_all_cell: false
# run_tests: false
# tests:
#   files: true
#   ok_format: false

# %% [markdown] lang="pt"
# # Introdução às CNNs no Keras: a saída de cada camada
#
# Neste notebook você vai construir, **camada por camada**, uma pequena rede convolucional
# (Conv2D → ReLU → MaxPooling2D → Flatten → Dense → sigmoide) no Keras 3, com pesos escolhidos à mão,
# e desenhar a saída de cada camada sobre uma imagem 5×5.
#
# **O que você vai escrever** (os nomes são fixos: o corretor chama exatamente estas funções):
#
# | questão | pontos | função |
# |---|---|---|
# | `kernel_layout` | 15 | `channels_l2f(W)` |
# | `dense_size` | 15 | `dense_input_size(...)` |
# | `sequential_model` | 20 | `get_cnn_model_Sequential(...)` |
# | `functional_model` | 20 | `get_cnn_model_API(...)` |
# | `layer_outputs` | 20 | `layer_outputs(model, X)` |
# | `param_count` | 10 | `cnn_param_count(...)` |
#
# Depois de cada questão há uma célula `grader.check(...)`: ela roda **verificações públicas** no
# exemplo do notebook. Na correção, as mesmas funções são testadas também em **casos ocultos**
# (outros tamanhos de imagem e de kernel, 1 a 3 canais, 1 a 6 filtros, com e sem bias).
# Não altere os nomes das funções nem a ordem dos argumentos.

# %% [markdown] lang="en"
# # Introduction to CNNs in Keras: the output of every layer
#
# In this notebook you will build, **layer by layer**, a small convolutional network
# (Conv2D → ReLU → MaxPooling2D → Flatten → Dense → sigmoid) in Keras 3, with hand-set weights,
# and draw the output of every layer for a 5×5 image.
#
# **What you will write** (the names are fixed: the grader calls exactly these functions):
#
# | question | points | function |
# |---|---|---|
# | `kernel_layout` | 15 | `channels_l2f(W)` |
# | `dense_size` | 15 | `dense_input_size(...)` |
# | `sequential_model` | 20 | `get_cnn_model_Sequential(...)` |
# | `functional_model` | 20 | `get_cnn_model_API(...)` |
# | `layer_outputs` | 20 | `layer_outputs(model, X)` |
# | `param_count` | 10 | `cnn_param_count(...)` |
#
# After each question a `grader.check(...)` cell runs **public checks** on the notebook's example.
# When grading, the same functions are also tested on **hidden cases** (other image and kernel
# sizes, 1 to 3 channels, 1 to 6 filters, with and without bias).
# Do not rename the functions or reorder their arguments.

# %% [markdown] lang="pt"
# ## Funções de ativação
#
# Como funções de ativação usaremos a ReLU e a sigmoide.
#
# **Sigmoide.** Tem a forma de um "S" e leva qualquer número real ao intervalo (0, 1):
#
# $$S(x) = \frac{1}{1+e^{-x}}$$
#
# **ReLU** (também chamada de função rampa):
#
# $$f(x) = \max(0, x)$$
#
# Se a entrada é maior que zero, ela passa sem alteração; caso contrário, a saída é zero.

# %% [markdown] lang="en"
# ## Activation functions
#
# We use two activation functions: ReLU and the sigmoid.
#
# **Sigmoid.** S-shaped; it maps any real number into the interval (0, 1):
#
# $$S(x) = \frac{1}{1+e^{-x}}$$
#
# **ReLU** (also called the ramp function):
#
# $$f(x) = \max(0, x)$$
#
# A positive input passes unchanged; anything else becomes zero.

# %%
# Google Colab: installs otter-grader (for grader.check) when it is missing.
try:
    import otter
except ImportError:  # pragma: no cover - only where otter is not installed
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "otter-grader>=7,<8"], check=False)

# %% [markdown] lang="pt"
# ## Importação dos módulos

# %% [markdown] lang="en"
# ## Imports

# %%
import contextlib
import os

# channels_first (canais antes da altura e da largura) só roda na CPU com o oneDNN ligado: ligue-o
# antes de importar o Keras / channels_first runs on a CPU only with oneDNN on: turn it on before
# importing Keras.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

import numpy as np


@contextlib.contextmanager
def sem_avisos_de_inicio():
    """Ao ser importado, o TensorFlow escreve avisos de inicialização direto na saída de erros
    (parecem erros, mas não são): esta função os descarta durante a importação.
    When imported, TensorFlow writes start-up notices straight to the error output (they look
    like errors; they are not): this discards them during the import."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


with sem_avisos_de_inicio():
    import keras
    from keras import layers

np.set_printoptions(precision=3)  # 3 casas decimais / 3 decimals
print("Keras", keras.__version__)

# %% [markdown] lang="pt"
# ## O formato dos pesos da convolução
#
# É mais fácil escrever um kernel de convolução no formato **legível**
# `(n_filtros, n_canais, altura, largura)`: um bloco por filtro, um quadro por canal.
# O Keras guarda o kernel de uma `Conv2D` no formato `(altura, largura, n_canais, n_filtros)`.
#
# O notebook original usava `np.rollaxis` duas vezes e depois chamava uma função `channels_l2f` que
# nunca tinha sido definida. Escreva-a agora.

# %% [markdown] lang="en"
# ## The layout of convolution weights
#
# A convolution kernel is easiest to write in the **readable** layout
# `(n_filters, n_channels, height, width)`: one block per filter, one frame per channel.
# Keras stores a `Conv2D` kernel as `(height, width, n_channels, n_filters)`.
#
# The original notebook called `np.rollaxis` twice and then used a function `channels_l2f` that was
# never defined. Write it now.

# %% [raw]
# # BEGIN QUESTION
# name: kernel_layout
# points: 15

# %% [markdown] lang="pt"
# **Questão `kernel_layout` (15 pontos).** Escreva `channels_l2f(W)`: recebe um kernel no formato
# legível `(n_filtros, n_canais, kh, kw)` e devolve um **novo** array no formato do Keras
# `(kh, kw, n_canais, n_filtros)`, com o mesmo `dtype`, sem modificar `W`.
#
# Dica: mudar o formato com `reshape` não basta — os valores precisam trocar de eixo.

# %% [markdown] lang="en"
# **Question `kernel_layout` (15 points).** Write `channels_l2f(W)`: it takes a kernel in the
# readable layout `(n_filters, n_channels, kh, kw)` and returns a **new** array in Keras' layout
# `(kh, kw, n_channels, n_filters)`, with the same `dtype`, leaving `W` unchanged.
#
# Hint: `reshape` is not enough — the values must move between axes.

# %% [raw]
# # BEGIN SOLUTION

# %%
def channels_l2f(W):
    """(n_filters, n_channels, kh, kw) -> (kh, kw, n_channels, n_filters), as a new array."""
    # BEGIN SOLUTION NO PROMPT
    return np.transpose(np.asarray(W), (2, 3, 1, 0)).copy()
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("channels_l2f: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_kernel_layout_seed(channels_l2f):
    import numpy as np

    W = np.arange(1, 13).reshape(3, 1, 2, 2)  # 3 filtros, 1 canal, 2x2 (exemplo 1 do notebook)
    original = W.copy()
    K = channels_l2f(W)
    assert isinstance(K, np.ndarray), (
        f"channels_l2f deve devolver np.ndarray, devolveu {type(K).__name__} / "
        f"channels_l2f must return an np.ndarray, got {type(K).__name__}")
    assert K.shape == (2, 2, 1, 3), (
        f"Formato esperado (2, 2, 1, 3), obtido {K.shape} / expected shape (2, 2, 1, 3), got {K.shape}")
    assert np.array_equal(W, original), "W foi modificado / W was modified in place"
    assert K.dtype == W.dtype, f"dtype esperado {W.dtype}, obtido {K.dtype} / dtype changed"
    assert [K[0, 0, 0, f] for f in range(3)] == [1, 5, 9], (
        "K[0, 0, 0, :] deveria ser o canto superior esquerdo de cada filtro, [1, 5, 9]; obtido "
        f"{K[0, 0, 0, :].tolist()}. Um reshape não move os valores de eixo / a reshape does not "
        "move values between axes")
    assert K[0, 1, 0, 0] == 2 and K[1, 0, 0, 0] == 3, (
        "Altura e largura do kernel trocadas? K[0, 1, 0, 0] deveria ser 2 e K[1, 0, 0, 0] deveria "
        "ser 3 / kernel height and width swapped?")

test_kernel_layout_seed(channels_l2f)


# %%
def test_kernel_layout_channels(channels_l2f):
    import numpy as np

    W = np.arange(2 * 3 * 2 * 3, dtype=np.float32).reshape(2, 3, 2, 3)  # 2 filtros, 3 canais, 2x3
    K = channels_l2f(W)
    assert getattr(K, "shape", None) == (2, 3, 3, 2), (
        f"Formato esperado (2, 3, 3, 2), obtido {getattr(K, 'shape', None)} / expected shape "
        "(2, 3, 3, 2)")
    assert K.dtype == np.float32, "o dtype deve ser mantido / dtype must be kept"
    for f in range(2):
        for c in range(3):
            assert np.array_equal(K[:, :, c, f], W[f, c]), (
                f"K[:, :, {c}, {f}] deveria ser W[{f}, {c}] (filtro {f}, canal {c}) / "
                "filter and channel axes swapped?")

test_kernel_layout_channels(channels_l2f)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## O tamanho da camada densa
#
# Uma convolução 'valid' de passo 1 com kernel `f_height × f_width` sobre uma imagem
# `img_height × img_width` produz, por filtro, um mapa de `(img_height - f_height + 1) ×
# (img_width - f_width + 1)`. O max pooling `pool_size × pool_size` sem sobreposição divide cada lado
# por `pool_size` (arredondando para baixo). O `Flatten` junta tudo em um vetor.
#
# O notebook original calculava `(img_height-f_height+1)//2 * (img_width-f_width+1)//2 * n_filters`.
# Em Python, `*` e `//` têm a mesma precedência e são avaliados da esquerda para a direita: isso
# acerta em imagens quadradas pequenas e erra em outras (tente 5×6 com kernel 2×2).

# %% [markdown] lang="en"
# ## The size of the dense layer
#
# A 'valid', stride-1 convolution with an `f_height × f_width` kernel over an
# `img_height × img_width` image gives, per filter, a map of `(img_height - f_height + 1) ×
# (img_width - f_width + 1)`. Non-overlapping `pool_size × pool_size` max pooling divides each side
# by `pool_size` (rounding down). `Flatten` turns it all into one vector.
#
# The original notebook computed `(img_height-f_height+1)//2 * (img_width-f_width+1)//2 * n_filters`.
# In Python `*` and `//` have the same precedence and run left to right: that is right on small square
# images and wrong on others (try 5×6 with a 2×2 kernel).

# %% [raw]
# # BEGIN QUESTION
# name: dense_size
# points: 15

# %% [markdown] lang="pt"
# **Questão `dense_size` (15 pontos).** Escreva
# `dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2)`: o número de
# entradas da camada densa (um `int`).

# %% [markdown] lang="en"
# **Question `dense_size` (15 points).** Write
# `dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2)`: the number of
# inputs of the dense layer (an `int`).

# %% [raw]
# # BEGIN SOLUTION

# %%
def dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2):
    """Inputs of the Dense layer after a valid stride-1 convolution and max pooling."""
    # BEGIN SOLUTION NO PROMPT
    conv_height = img_height - f_height + 1
    conv_width = img_width - f_width + 1
    return int((conv_height // pool_size) * (conv_width // pool_size) * n_filters)
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("dense_input_size: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_dense_size_seed(dense_input_size):
    n = dense_input_size(5, 5, 2, 2, 4)
    assert n == 16, (
        f"Imagem 5x5, kernel 2x2, 4 filtros: esperado 4*2*2 = 16, obtido {n} / expected 16, got {n}")
    n = dense_input_size(5, 6, 2, 2, 3)
    assert n == 12, (
        f"Imagem 5x6, kernel 2x2, 3 filtros: esperado 3*2*2 = 12, obtido {n}. Se obteve 15, é o "
        "erro de precedência do notebook original: use parênteses em cada divisão inteira / "
        f"expected 12, got {n}; 15 is the original notebook's operator-precedence bug")

test_dense_size_seed(dense_input_size)


# %%
def test_dense_size_pool(dense_input_size):
    n = dense_input_size(9, 7, 2, 3, 2, pool_size=3)
    assert n == 4, (
        "Imagem 9x7, kernel 2x3, 2 filtros, pool_size=3: a convolução dá 8x5, o pooling 2x1, "
        f"esperado 2*1*2 = 4, obtido {n}. Use o argumento pool_size / 9x7 image, 2x3 kernel, "
        f"2 filters, pool_size=3: expected 4, got {n}; use the pool_size argument")


test_dense_size_pool(dense_input_size)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## A rede, de dois jeitos
#
# Uma CNN pode ser construída de dois modos no Keras:
#
# * **Sequential**: o modelo mais simples, para redes em que as camadas vêm uma após a outra.
# * **API funcional**: o modo geral, baseado em ligar entradas a saídas; permite bifurcações e junções.
#
# As duas versões devem ser a **mesma rede**, em formato `channels_first` (canais antes da altura e da
# largura): `Conv2D` 'valid' → ReLU → `MaxPooling2D` 2×2 → `Flatten` → `Dense(1)` → sigmoide.
# Atenção: a `MaxPooling2D` também precisa de `data_format="channels_first"`; sem isso ela faz o
# pooling sobre os eixos errados e nada avisa (o notebook original tinha esse erro).
# O argumento `use_bias` vale para a convolução **e** para a camada densa.

# %% [markdown] lang="en"
# ## The network, two ways
#
# A CNN can be built in Keras in two ways:
#
# * **Sequential**: the simplest model, for networks whose layers come one after the other.
# * **Functional API**: the general way, wiring inputs to outputs; it allows branches and joins.
#
# Both versions must be the **same network**, in `channels_first` format (channels before height and
# width): a 'valid' `Conv2D` → ReLU → 2×2 `MaxPooling2D` → `Flatten` → `Dense(1)` → sigmoid.
# Careful: `MaxPooling2D` needs `data_format="channels_first"` too; without it, it pools over the
# wrong axes and nothing warns you (the original notebook had this bug).
# The `use_bias` argument applies to the convolution **and** to the dense layer.

# %% [raw]
# # BEGIN QUESTION
# name: sequential_model
# points: 20

# %% [markdown] lang="pt"
# **Questão `sequential_model` (20 pontos).** Escreva
# `get_cnn_model_Sequential(input_shape, kernel_shape, n_filters, use_bias=True)`, que devolve um
# `keras.Sequential` com entrada `input_shape = (n_canais, altura, largura)` e as camadas, nesta
# ordem e com estes nomes: `conv_1` (Conv2D), `relu_1`, `max_pool_1`, `flat`, `dense_2` (Dense com 1
# neurônio), `sigmoid_2`. Dica: comece com `keras.Input(shape=input_shape)`.

# %% [markdown] lang="en"
# **Question `sequential_model` (20 points).** Write
# `get_cnn_model_Sequential(input_shape, kernel_shape, n_filters, use_bias=True)`, returning a
# `keras.Sequential` whose input is `input_shape = (n_channels, height, width)` and whose layers are,
# in this order and with these names: `conv_1` (Conv2D), `relu_1`, `max_pool_1`, `flat`, `dense_2`
# (Dense with 1 unit), `sigmoid_2`. Hint: start with `keras.Input(shape=input_shape)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def get_cnn_model_Sequential(input_shape, kernel_shape, n_filters, use_bias=True):
    """The lesson's CNN as a keras.Sequential model (channels_first)."""
    # BEGIN SOLUTION NO PROMPT
    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        layers.Conv2D(n_filters, tuple(kernel_shape), padding="valid", use_bias=use_bias,
                      data_format="channels_first", name="conv_1"),
        layers.Activation("relu", name="relu_1"),
        layers.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="max_pool_1"),
        layers.Flatten(name="flat"),
        layers.Dense(1, use_bias=use_bias, name="dense_2"),
        layers.Activation("sigmoid", name="sigmoid_2"),
    ])
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("get_cnn_model_Sequential: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_sequential_model_seed(get_cnn_model_Sequential):
    import keras
    import numpy as np

    model = get_cnn_model_Sequential((1, 5, 5), (2, 2), 4)
    assert isinstance(model, keras.Sequential), (
        f"Esperado keras.Sequential, obtido {type(model).__name__} / expected a keras.Sequential")
    names = [layer.name for layer in model.layers]
    expected = ["conv_1", "relu_1", "max_pool_1", "flat", "dense_2", "sigmoid_2"]
    assert names == expected, f"Camadas esperadas / expected layers {expected}, obtidas / got {names}"
    shapes = [tuple(layer.output.shape) for layer in model.layers]
    assert shapes[2] == (None, 4, 2, 2), (
        f"max_pool_1 deveria sair com formato (None, 4, 2, 2), saiu {shapes[2]}: faltou "
        "data_format='channels_first' na MaxPooling2D? / missing data_format on the pooling?")
    assert model.count_params() == 37, (
        f"Esperado 37 parâmetros (20 na convolução + 17 na densa), obtido {model.count_params()} / "
        "expected 37 parameters")
    kernel = np.transpose(np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]],
                                    [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]]), (2, 3, 1, 0))
    model.set_weights([kernel, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    X = np.eye(5, dtype="float32")[None, None] * np.array([1, 1, -1, -1, 1], dtype="float32")
    y = float(np.asarray(model(X))[0, 0])
    assert abs(y - 0.99954736) < 1e-5, f"Saída esperada 0.99954736, obtida {y} / expected output"
    assert get_cnn_model_Sequential((1, 5, 5), (2, 2), 4, use_bias=False).count_params() == 32, (
        "Com use_bias=False a rede tem 32 parâmetros (sem bias na convolução e na densa) / "
        "with use_bias=False the network has 32 parameters")

test_sequential_model_seed(get_cnn_model_Sequential)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: functional_model
# points: 20

# %% [markdown] lang="pt"
# **Questão `functional_model` (20 pontos).** Escreva
# `get_cnn_model_API(input_shape, kernel_shape, n_filters, use_bias=True)`: a mesma rede com a API
# funcional (`keras.Model(inputs=..., outputs=...)`; no Keras 2 eram `input=`/`output=`, que o Keras 3
# não aceita), com as camadas `input`, `conv1`, `actv1`, `max_pool1`, `flat`, `dense1`, `out_sig`.

# %% [markdown] lang="en"
# **Question `functional_model` (20 points).** Write
# `get_cnn_model_API(input_shape, kernel_shape, n_filters, use_bias=True)`: the same network with the
# functional API (`keras.Model(inputs=..., outputs=...)`; Keras 2 took `input=`/`output=`, which
# Keras 3 rejects), with layers `input`, `conv1`, `actv1`, `max_pool1`, `flat`, `dense1`, `out_sig`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def get_cnn_model_API(input_shape, kernel_shape, n_filters, use_bias=True):
    """The lesson's CNN with Keras' functional API (channels_first)."""
    # BEGIN SOLUTION NO PROMPT
    inputs = keras.Input(shape=tuple(input_shape), name="input")
    x = layers.Conv2D(n_filters, tuple(kernel_shape), padding="valid", use_bias=use_bias,
                      data_format="channels_first", name="conv1")(inputs)
    x = layers.Activation("relu", name="actv1")(x)
    x = layers.MaxPooling2D(pool_size=(2, 2), data_format="channels_first", name="max_pool1")(x)
    x = layers.Flatten(name="flat")(x)
    x = layers.Dense(1, use_bias=use_bias, name="dense1")(x)
    outputs = layers.Activation("sigmoid", name="out_sig")(x)
    return keras.Model(inputs=inputs, outputs=outputs)
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("get_cnn_model_API: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_functional_model_seed(get_cnn_model_API):
    import keras
    import numpy as np

    model = get_cnn_model_API((1, 5, 5), (2, 2), 4)
    assert isinstance(model, keras.Model) and not isinstance(model, keras.Sequential), (
        f"Esperado um keras.Model funcional, obtido {type(model).__name__} / expected a functional "
        "keras.Model")
    names = [layer.name for layer in model.layers]
    expected = ["input", "conv1", "actv1", "max_pool1", "flat", "dense1", "out_sig"]
    assert names == expected, f"Camadas esperadas / expected layers {expected}, obtidas / got {names}"
    shape = tuple(model.get_layer("max_pool1").output.shape)
    assert shape == (None, 4, 2, 2), (
        f"max_pool1 deveria sair com formato (None, 4, 2, 2), saiu {shape}: faltou "
        "data_format='channels_first' na MaxPooling2D? / missing data_format on the pooling?")
    assert model.count_params() == 37, (
        f"Esperado 37 parâmetros, obtido {model.count_params()} / expected 37 parameters")
    kernel = np.transpose(np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]],
                                    [[[0, 1], [1, 0]]], [[[0, 1], [0, 1]]]]), (2, 3, 1, 0))
    model.set_weights([kernel, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    X = np.eye(5, dtype="float32")[None, None] * np.array([1, 1, -1, -1, 1], dtype="float32")
    y = float(np.asarray(model(X))[0, 0])
    assert abs(y - 0.99954736) < 1e-5, f"Saída esperada 0.99954736, obtida {y} / expected output"
    assert get_cnn_model_API((1, 5, 5), (2, 2), 4, use_bias=False).count_params() == 32, (
        "Com use_bias=False a rede tem 32 parâmetros / with use_bias=False: 32 parameters")

test_functional_model_seed(get_cnn_model_API)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## A saída de cada camada
#
# Para ver o que cada camada faz, precisamos da saída de **todas** as camadas para uma entrada `X`.
# O notebook original criava um `Model(inputs=model.input, outputs=layer.output)` por camada e
# chamava `predict`. No Keras 3, `model.input` não existe em um `Sequential` (use `model.inputs`),
# e um `predict` por camada é lento. Um único modelo com várias saídas resolve tudo de uma vez.

# %% [markdown] lang="en"
# ## The output of every layer
#
# To see what each layer does, we need the output of **every** layer for an input `X`. The original
# notebook built one `Model(inputs=model.input, outputs=layer.output)` per layer and called
# `predict`. In Keras 3 a `Sequential` model has no `model.input` (use `model.inputs`), and one
# `predict` per layer is slow. A single model with several outputs does it all at once.

# %% [raw]
# # BEGIN QUESTION
# name: layer_outputs
# points: 20

# %% [markdown] lang="pt"
# **Questão `layer_outputs` (20 pontos).** Escreva `layer_outputs(model, X)`: devolve um `dict`
# nome da camada → `np.ndarray` com a saída dessa camada para o lote `X`, para **todas** as camadas
# exceto a `InputLayer`, na ordem do modelo. Deve funcionar para os dois modelos acima (e para
# qualquer modelo sequencial ou funcional com uma entrada).

# %% [markdown] lang="en"
# **Question `layer_outputs` (20 points).** Write `layer_outputs(model, X)`: returns a `dict` layer
# name → `np.ndarray` holding that layer's output for the batch `X`, for **every** layer except the
# `InputLayer`, in model order. It must work for both models above (and for any sequential or
# functional model with one input).

# %% [raw]
# # BEGIN SOLUTION

# %%
def layer_outputs(model, X):
    """Every layer's output (InputLayer excluded) for the batch X, keyed by layer name."""
    # BEGIN SOLUTION NO PROMPT
    shown = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in shown])
    outputs = probe(np.asarray(X, dtype="float32"))
    if len(shown) == 1:  # a one-output model returns a tensor, not a list
        outputs = [outputs]
    return {layer.name: keras.ops.convert_to_numpy(out) for layer, out in zip(shown, outputs)}
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("layer_outputs: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_layer_outputs_seed(layer_outputs):
    import keras
    import numpy as np

    # A model written here, so this check does not depend on your builders.
    inputs = keras.Input(shape=(1, 3, 3), name="img")
    conv = keras.layers.Conv2D(2, (2, 2), data_format="channels_first", name="c")(inputs)
    act = keras.layers.Activation("relu", name="r")(conv)
    flat = keras.layers.Flatten(name="f")(act)
    model = keras.Model(inputs, flat)
    model.set_weights([np.stack([np.ones((2, 2, 1)), -np.ones((2, 2, 1))], axis=-1),
                       np.zeros(2)])
    X = np.arange(9, dtype="float32").reshape(1, 1, 3, 3)
    out = layer_outputs(model, X)
    assert isinstance(out, dict), (
        f"layer_outputs deve devolver um dict, devolveu {type(out).__name__} / must return a dict")
    assert list(out) == ["c", "r", "f"], (
        f"Chaves esperadas ['c', 'r', 'f'] (sem a InputLayer), obtidas {list(out)} / expected keys "
        "without the InputLayer")
    assert np.allclose(np.asarray(out["c"])[0, 0], [[8, 12], [20, 24]]), (
        "A saída de 'c' está errada / the output of layer 'c' is wrong")
    assert np.asarray(out["r"]).max() > 0 and np.asarray(out["r"]).min() == 0, (
        "A saída de 'r' (ReLU) está errada / the ReLU output is wrong")
    seq = keras.Sequential([keras.Input(shape=(1, 3, 3)), keras.layers.Flatten(name="only")])
    out = layer_outputs(seq, X)
    assert list(out) == ["only"] and np.asarray(out["only"]).shape == (1, 9), (
        "layer_outputs também deve funcionar com keras.Sequential (use model.inputs, não "
        "model.input) / it must work on a Sequential model too")

test_layer_outputs_seed(layer_outputs)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: param_count
# points: 10

# %% [markdown] lang="pt"
# **Questão `param_count` (10 pontos).** Escreva
# `cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True)`: o total de parâmetros
# treináveis dessa rede, **por fórmula**, sem construir o modelo no Keras. Lembre: cada filtro tem um
# peso por posição do kernel **e por canal**; o bias é um por filtro (e um na densa).

# %% [markdown] lang="en"
# **Question `param_count` (10 points).** Write
# `cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True)`: the network's total number
# of trainable parameters, **by formula**, without building the model in Keras. Remember: each filter
# has one weight per kernel position **and per channel**; one bias per filter (and one in the dense).

# %% [raw]
# # BEGIN SOLUTION

# %%
def cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True):
    """Trainable parameters of the lesson's CNN, by formula."""
    # BEGIN SOLUTION NO PROMPT
    n_channels, img_height, img_width = input_shape
    k_height, k_width = kernel_shape
    conv = k_height * k_width * n_channels * n_filters + (n_filters if use_bias else 0)
    flat = ((img_height - k_height + 1) // 2) * ((img_width - k_width + 1) // 2) * n_filters
    return int(conv + flat + (1 if use_bias else 0))
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("cnn_param_count: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_param_count_seed(cnn_param_count):
    n = cnn_param_count((1, 5, 5), (2, 2), 4)
    assert n == 37, f"Exemplo 2 (5x5, kernel 2x2, 4 filtros): esperado 37, obtido {n} / expected 37"
    n = cnn_param_count((1, 5, 5), (2, 2), 4, use_bias=False)
    assert n == 32, f"Sem bias: esperado 32, obtido {n} / without bias: expected 32, got {n}"
    n = cnn_param_count((1, 5, 6), (2, 2), 3)
    assert n == 28, f"Exemplo 1 (5x6, 3 filtros): esperado 15 + 13 = 28, obtido {n} / expected 28"
    n = cnn_param_count((3, 6, 5), (3, 2), 2)
    assert n == 47, (
        f"3 canais, imagem 6x5, kernel 3x2, 2 filtros: esperado 3*2*3*2 + 2 + 8 + 1 = 47, obtido {n}. "
        "Cada filtro tem kh*kw pesos POR CANAL / 3 channels: expected 47; each filter has kh*kw "
        "weights PER CHANNEL")

test_param_count_seed(cnn_param_count)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Visualização das camadas
#
# As funções abaixo (já prontas) desenham a saída de cada camada como imagens, com os valores
# escritos sobre os pixels. Elas usam a sua `layer_outputs`. `scale` é o tamanho, em pixels da tela,
# de cada pixel da saída.

# %% [markdown] lang="en"
# ## Drawing the layers
#
# The functions below (already written) draw each layer's output as images, with the values written
# on the pixels. They use your `layer_outputs`. `scale` is the size, in screen pixels, of each output
# pixel.

# %%
import base64
from io import BytesIO

from IPython.display import HTML, display
from PIL import Image, ImageDraw, ImageFont


def image_to_base64(img):
    """PNG bytes of a PIL image, base64-encoded for an <img> tag."""
    buffer = BytesIO()
    img.save(buffer, "png")
    return base64.b64encode(buffer.getvalue()).decode()


def build_html_images(arrays, scale, show_values=True):
    """One <img> per map of `arrays` (maps, height, width), gray levels with values drawn on top."""
    arrays = np.asarray(arrays, dtype=float)
    n_maps, height, width = arrays.shape
    span = arrays.max() - arrays.min() or 1.0  # avoids dividing by zero on a constant map
    gray = (255 * (arrays - arrays.min()) / span).astype("uint8")
    font = ImageFont.load_default()
    images = []
    for m in range(n_maps):
        img = Image.fromarray(gray[m]).resize((width * scale, height * scale), Image.NEAREST)
        if show_values:
            img = img.convert("RGB")
            draw = ImageDraw.Draw(img)
            for i in range(height):
                for j in range(width):
                    text = f"{arrays[m, i, j]:.3f}".rstrip("0").rstrip(".")
                    draw.text((j * scale + 2, i * scale + 2), text, font=font, fill=(255, 0, 0))
        images.append(f"<img src='data:image/png;base64,{image_to_base64(img)}'/>")
    return images


def show_deep_net(model, inputs, scale=50):
    """Draws the input image and every layer's output (from layer_outputs) as an HTML table."""
    rows = ["<table><tr><td>Entrada / input</td>"]
    rows.append(f"<td colspan=100>{build_html_images(inputs[0, :1], scale)[0]}</td></tr>")
    for i, (name, out) in enumerate(layer_outputs(model, inputs).items(), start=1):
        rows.append(f"<tr><td>Camada / layer {i}: {name}</td>")
        if out.ndim == 4:
            rows.extend(f"<td>{img}</td>" for img in build_html_images(out[0], scale))
        else:
            rows.append(f"<td colspan=100>{build_html_images(out.reshape(1, 1, -1), scale)[0]}</td>")
        rows.append("</tr>")
    display(HTML("".join(rows) + "</table>"))


# %% [markdown] lang="pt"
# ## Exemplo 1: imagem 5×6, 3 filtros 2×2
#
# O kernel é escrito no formato legível e convertido com a sua `channels_l2f`. Depois do max
# pooling são 3 mapas 2×2, ou seja, **12** entradas na camada densa (o notebook original usava 10).

# %% [markdown] lang="en"
# ## Example 1: a 5×6 image, three 2×2 filters
#
# The kernel is written in the readable layout and converted with your `channels_l2f`. After max
# pooling there are three 2×2 maps, that is **12** inputs to the dense layer (the original notebook
# used 10).

# %%
X = np.array([[[[1, 0, 0, 0, 0, 0],
                [0, 1, 0, 0, 0, 0],
                [0, 0, -1, 0, 0, 0],
                [0, 0, 0, -1, 0, 0],
                [0, 0, 0, 0, 1, 0]]]], dtype="float32")
n_samples, n_channels, img_height, img_width = X.shape
input_shape = (n_channels, img_height, img_width)

n_filters = 3
k_height = k_width = 2
W_in = np.arange(1, 13, dtype="float32").reshape(n_filters, n_channels, k_height, k_width)
f_bias = 0.1
bias_conv = np.full(n_filters, f_bias)
W_dense = np.ones((dense_input_size(img_height, img_width, k_height, k_width, n_filters), 1))
bias_dense = np.full(1, f_bias)

model = get_cnn_model_Sequential(input_shape, (k_height, k_width), n_filters)
model.set_weights([channels_l2f(W_in), bias_conv, W_dense, bias_dense])
print("Número de camadas / number of layers:", len(model.layers))
for i, (name, out) in enumerate(layer_outputs(model, X).items(), start=1):
    print("-" * 60)
    print(f"Saída da camada / output of layer {i}: {name} {out.shape}")
    print(out)

# %%
model.summary()

# %% [markdown] lang="pt"
# ## Exemplo 2: imagem 5×5, 4 filtros, desenhado camada por camada

# %% [markdown] lang="en"
# ## Example 2: a 5×5 image, four filters, drawn layer by layer

# %%
X = np.array([[[[1, 0, 0, 0, 0],
                [0, 1, 0, 0, 0],
                [0, 0, -1, 0, 0],
                [0, 0, 0, -1, 0],
                [0, 0, 0, 0, 1]]]], dtype="float32")
W_conv = np.array([[[[0, 0], [1, 1]]],
                   [[[1, 1], [0, 0]]],
                   [[[0, 1], [1, 0]]],
                   [[[0, 1], [0, 1]]]], dtype="float32")
f_bias = 0.1

n_filters, _, f_height, f_width = W_conv.shape
n_samples, n_channels, img_height, img_width = X.shape
input_shape = (n_channels, img_height, img_width)
bias_conv = np.full(n_filters, f_bias)
W_dense = np.ones((dense_input_size(img_height, img_width, f_height, f_width, n_filters), 1))
bias_dense = np.full(1, f_bias)

model = get_cnn_model_Sequential(input_shape, (f_height, f_width), n_filters)
model.set_weights([channels_l2f(W_conv), bias_conv, W_dense, bias_dense])
show_deep_net(model, X, scale=50)

# %%
model_api = get_cnn_model_API(input_shape, (f_height, f_width), n_filters)
model_api.set_weights([channels_l2f(W_conv), bias_conv, W_dense, bias_dense])
print("Sequential:", float(layer_outputs(model, X)["sigmoid_2"][0, 0]),
      "| API:", float(layer_outputs(model_api, X)["out_sig"][0, 0]))
print("Parâmetros / parameters:", model.count_params(),
      cnn_param_count(input_shape, (f_height, f_width), n_filters))

# %% [markdown] lang="pt"
# ## Sugestões de atividades (exploração guiada, sem nota)
#
# 1. **Os dois modos.** Rode o exemplo 2 com `model_api` em `show_deep_net`: as saídas são iguais?
# 2. **Filtros.** Mude `W_conv` (tamanho do kernel e número de filtros) e observe as saídas.
#    Um kernel 3×3 muda o tamanho de cada camada como você esperava por `dense_input_size`?
#    *Cuidado com um bug do Keras 3 (backend TensorFlow):* quando a **largura** da saída da
#    `Conv2D` `channels_first` é igual ao **número de filtros**, uma chamada direta (`model(X)`)
#    soma o bias ao longo da largura, e não por filtro; `model.predict(X)` dá o valor certo. Com
#    o bias igual em todos os filtros (0,1 aqui) não se nota. A correção nunca usa esses formatos.
# 3. **Parâmetros e filtros.** Compare `cnn_param_count` e `model.count_params()` para 1 a 6 filtros.
#    Como o total cresce com o número de filtros? E com o número de canais?
# 4. **Bias.** Construa a rede com `use_bias=False` (e `f_bias = 0`) e compare o número de
#    parâmetros e as saídas.

# %% [markdown] lang="en"
# ## Suggested activities (guided exploration, not graded)
#
# 1. **Both ways.** Run example 2 with `model_api` in `show_deep_net`: are the outputs the same?
# 2. **Filters.** Change `W_conv` (kernel size and number of filters) and look at the outputs.
#    Does a 3×3 kernel change each layer's size as `dense_input_size` predicts?
#    *Mind a Keras 3 bug (TensorFlow backend):* when the output **width** of a `channels_first`
#    `Conv2D` equals its **number of filters**, a direct call (`model(X)`) adds the bias along
#    the width instead of per filter; `model.predict(X)` gives the right value. With the same
#    bias on every filter (0.1 here) it does not show. Grading never uses such shapes.
# 3. **Parameters and filters.** Compare `cnn_param_count` with `model.count_params()` for 1 to 6
#    filters. How does the total grow with the number of filters? With the number of channels?
# 4. **Bias.** Build the network with `use_bias=False` (and `f_bias = 0`) and compare the number of
#    parameters and the outputs.

# %%
# Atividade 3 / activity 3
for k in range(1, 7):
    m = get_cnn_model_Sequential(input_shape, (f_height, f_width), k)
    print(k, "filtro(s) / filter(s):", m.count_params(), cnn_param_count(input_shape, (f_height, f_width), k))

# %%
# Atividade 4 / activity 4
m = get_cnn_model_Sequential(input_shape, (f_height, f_width), n_filters, use_bias=False)
m.set_weights([channels_l2f(W_conv), W_dense])
print("sem bias / no bias:", m.count_params(), "parâmetros / parameters;",
      "saída / output", float(layer_outputs(m, X)["sigmoid_2"][0, 0]))

# %% [markdown] lang="pt"
# ## Referências
#
# - [Documentação do Keras](https://keras.io/)

# %% [markdown] lang="en"
# ## References
#
# - [Keras documentation](https://keras.io/)

# %% [raw]
# # BEGIN QUESTION
# name: reflection
# manual: true
# points: 0

# %% [markdown] lang="pt"
# ## Aprendizados com este notebook
#
# Escreva, em poucas linhas, o que você aprendeu: o formato dos pesos, o efeito do pooling e do
# bias, a diferença entre os dois modos de construir a rede. (Lido por um monitor; sem nota
# automática.)

# %% [markdown] lang="en"
# ## What I learned from this notebook
#
# Write, in a few lines, what you learned: the layout of the weights, the effect of pooling and of
# the bias, the difference between the two ways of building the network. (Read by a TA; no automatic
# points.)

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# _Escreva aqui / write here._

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
