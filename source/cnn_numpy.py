# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# <!--
# INSTRUCTOR SOURCE of the layerwise assignment cnn_numpy (jupytext percent format), the sequel of
# cnn_keras. Built by `layerwise build --assignment cnn_numpy` into release/, solutions/, the
# otter-grader autograder zip and the nbgrader assignments, in Portuguese (lang="pt") and English
# (lang="en"). Conventions: markdown cells tagged lang="pt"/lang="en" go to that edition only;
# untagged cells go to both. Raw cells carry otter-assign markers. Code is written once.
# Public checks hold hand-computed numbers only: never a reference implementation.
# -->

# %% [raw]
# # ASSIGNMENT CONFIG
# name: cnn_numpy
# requirements: requirements.txt
# export_cell: false
# check_all_cell: false
# run_tests: false
# tests:
#   files: true
#   ok_format: false

# %% [markdown] lang="pt"
# # A mesma CNN em NumPy, camada por camada
#
# Na aula anterior você montou no Keras uma pequena rede convolucional
# (Conv2D → ReLU → MaxPooling2D → Flatten → Dense → sigmoide) e olhou a saída de cada camada.
# Agora você vai escrever **a mesma rede à mão, em NumPy**, uma camada de cada vez, e no fim
# comparar cada camada com a do Keras: as duas devem dar os mesmos números.
#
# Tudo é `channels_first` e com o lote primeiro: uma imagem é `(N, C, H, W)` (amostras, canais,
# altura, largura). Os pesos vêm no formato do Keras, como em `model.get_weights()`.
#
# **O que você vai escrever** (os nomes são fixos: o corretor chama exatamente estas funções):
#
# | questão | pontos | função |
# |---|---|---|
# | `conv2d` | 25 | `conv2d_forward(X, K, b=None)` |
# | `relu` | 5 | `relu_forward(Z)` |
# | `maxpool` | 15 | `maxpool2d_forward(A, pool_size=2)` |
# | `flatten` | 10 | `flatten_forward(P)` |
# | `dense` | 10 | `dense_forward(x, W, b=None)` |
# | `sigmoid` | 10 | `sigmoid_forward(z)` |
# | `cnn_forward` | 25 | `cnn_forward(X, weights, use_bias=True)` |
#
# Depois de cada questão há uma célula `grader.check(...)`: ela roda **verificações públicas** em
# exemplos pequenos. Na correção, as mesmas funções são testadas também em **casos ocultos**:
# 1 a 3 amostras e canais, imagens não quadradas de 4 a 10 pixels, kernels de 1 a 4, 1 a 6
# filtros, pooling 2 e 3 em tamanhos ímpares, com e sem bias, valores extremos na sigmoide e
# entradas inteiras. Devolva sempre um `np.ndarray` novo, sem modificar as entradas.

# %% [markdown] lang="en"
# # The same CNN in NumPy, layer by layer
#
# In the previous lesson you built a small convolutional network in Keras
# (Conv2D → ReLU → MaxPooling2D → Flatten → Dense → sigmoid) and looked at each layer's output.
# Now you will write **the same network by hand, in NumPy**, one layer at a time, and at the end
# hold each layer against Keras': both must give the same numbers.
#
# Everything is `channels_first` with the batch first: an image is `(N, C, H, W)` (samples,
# channels, height, width). Weights come in Keras' layout, as `model.get_weights()` gives them.
#
# **What you will write** (the names are fixed: the grader calls exactly these functions):
#
# | question | points | function |
# |---|---|---|
# | `conv2d` | 25 | `conv2d_forward(X, K, b=None)` |
# | `relu` | 5 | `relu_forward(Z)` |
# | `maxpool` | 15 | `maxpool2d_forward(A, pool_size=2)` |
# | `flatten` | 10 | `flatten_forward(P)` |
# | `dense` | 10 | `dense_forward(x, W, b=None)` |
# | `sigmoid` | 10 | `sigmoid_forward(z)` |
# | `cnn_forward` | 25 | `cnn_forward(X, weights, use_bias=True)` |
#
# After each question a `grader.check(...)` cell runs **public checks** on small examples. When
# grading, the same functions are also tested on **hidden cases**: 1 to 3 samples and channels,
# non-square images of 4 to 10 pixels, kernels of 1 to 4, 1 to 6 filters, pooling 2 and 3 on odd
# sizes, with and without bias, extreme values for the sigmoid and integer inputs. Always return a
# new `np.ndarray`, leaving the inputs unchanged.

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
#
# Suas funções usam só o NumPy. O Keras entra apenas no fim, para a comparação.

# %% [markdown] lang="en"
# ## Imports
#
# Your functions use NumPy only. Keras comes in at the end, for the comparison.

# %%
import numpy as np

np.set_printoptions(precision=4, suppress=True)  # 4 casas decimais / 4 decimals

# %% [markdown] lang="pt"
# ## O exemplo da aula anterior
#
# Uma imagem 5×5 de um canal e os quatro filtros 2×2 da aula anterior, escritos no formato
# legível `(filtros, canais, kh, kw)` e convertidos para o formato do Keras `(kh, kw, canais,
# filtros)` — o que a sua `channels_l2f` fazia. Bias 0,1 em todos os filtros.

# %% [markdown] lang="en"
# ## The previous lesson's example
#
# A one-channel 5×5 image and the previous lesson's four 2×2 filters, written in the readable
# layout `(filters, channels, kh, kw)` and converted to Keras' layout `(kh, kw, channels,
# filters)` — what your `channels_l2f` did. Bias 0.1 on every filter.

# %%
X_seed = np.array([[[[1, 0, 0, 0, 0],
                     [0, 1, 0, 0, 0],
                     [0, 0, -1, 0, 0],
                     [0, 0, 0, -1, 0],
                     [0, 0, 0, 0, 1]]]], dtype="float32")
filters = np.array([[[[0, 0], [1, 1]]],
                    [[[1, 1], [0, 0]]],
                    [[[0, 1], [1, 0]]],
                    [[[0, 1], [0, 1]]]], dtype="float32")
K_seed = np.transpose(filters, (2, 3, 1, 0))  # (kh, kw, C, F) = (2, 2, 1, 4)
b_seed = np.full(4, 0.1, dtype="float32")
print("X:", X_seed.shape, "K:", K_seed.shape, "b:", b_seed.shape)

# %% [markdown] lang="pt"
# ## Convolução
#
# A `Conv2D` do Keras (padding `'valid'`, passo 1) desliza cada filtro sobre a imagem e, em cada
# posição, soma os produtos da janela pelos pesos, em todos os canais:
#
# $$Z_{n,f,i,j} = b_f + \sum_{c=0}^{C-1} \sum_{a=0}^{k_h-1} \sum_{d=0}^{k_w-1}
#   X_{n,\,c,\,i+a,\,j+d}\; K_{a,\,d,\,c,\,f}$$
#
# A saída tem $H - k_h + 1$ linhas e $W - k_w + 1$ colunas por filtro. Repare que o kernel **não**
# é girado: isso é uma correlação cruzada (a "convolução" da matemática giraria o kernel 180°).
# E o bias é **um por filtro**: ele se soma no eixo dos filtros, não no da largura.

# %% [markdown] lang="en"
# ## Convolution
#
# Keras' `Conv2D` (`'valid'` padding, stride 1) slides each filter over the image and, at every
# position, sums the window times the weights, over all channels:
#
# $$Z_{n,f,i,j} = b_f + \sum_{c=0}^{C-1} \sum_{a=0}^{k_h-1} \sum_{d=0}^{k_w-1}
#   X_{n,\,c,\,i+a,\,j+d}\; K_{a,\,d,\,c,\,f}$$
#
# The output has $H - k_h + 1$ rows and $W - k_w + 1$ columns per filter. Note the kernel is
# **not** rotated: this is a cross-correlation (the mathematical "convolution" would rotate the
# kernel by 180°). And the bias is **one per filter**: it is added along the filters' axis, not
# the width's.

# %% [raw]
# # BEGIN QUESTION
# name: conv2d
# points: 25

# %% [markdown] lang="pt"
# **Questão `conv2d` (25 pontos).** Escreva `conv2d_forward(X, K, b=None)`: `X` tem formato
# `(N, C, H, W)`, `K` o formato do Keras `(kh, kw, C, F)` e `b`, quando dado, `(F,)`. Devolva
# `Z` com formato `(N, F, H - kh + 1, W - kw + 1)`, como a `Conv2D` do Keras calcula.
#
# Dica: em vez de quatro laços, percorra só as posições `(a, d)` do kernel: a fatia
# `X[:, :, a:a + oh, d:d + ow]` traz o pixel `(a, d)` de todas as janelas de uma vez.

# %% [markdown] lang="en"
# **Question `conv2d` (25 points).** Write `conv2d_forward(X, K, b=None)`: `X` has shape
# `(N, C, H, W)`, `K` Keras' layout `(kh, kw, C, F)` and `b`, when given, `(F,)`. Return `Z` with
# shape `(N, F, H - kh + 1, W - kw + 1)`, as Keras' `Conv2D` computes it.
#
# Hint: instead of four loops, go over the kernel's positions `(a, d)` only: the slice
# `X[:, :, a:a + oh, d:d + ow]` holds pixel `(a, d)` of every window at once.

# %% [raw]
# # BEGIN SOLUTION

# %%
def conv2d_forward(X, K, b=None):
    """'valid', stride-1 cross-correlation: (N, C, H, W) * (kh, kw, C, F) -> (N, F, oh, ow)."""
    # BEGIN SOLUTION NO PROMPT
    X = np.asarray(X, dtype=float)
    K = np.asarray(K, dtype=float)
    N, C, H, W = X.shape
    kh, kw, _, F = K.shape
    oh, ow = H - kh + 1, W - kw + 1
    Z = np.zeros((N, F, oh, ow))
    for a in range(kh):
        for d in range(kw):
            # pixel (a, d) of every window, all channels, times that pixel's weights (C, F)
            Z += np.einsum("nchw,cf->nfhw", X[:, :, a:a + oh, d:d + ow], K[a, d])
    if b is not None:
        Z += np.asarray(b, dtype=float).reshape(1, F, 1, 1)
    return Z
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("conv2d_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_conv2d_seed(conv2d_forward):
    import numpy as np

    X = np.eye(5, dtype="float32")[None, None] * np.array([1, 1, -1, -1, 1], dtype="float32")
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]],
                        [[[0, 1], [0, 1]]]], dtype="float32")
    K = np.transpose(filters, (2, 3, 1, 0))
    original = X.copy()
    Z = conv2d_forward(X, K, np.full(4, 0.1))
    assert isinstance(Z, np.ndarray), (
        f"conv2d_forward deve devolver np.ndarray, devolveu {type(Z).__name__} / must return an "
        "np.ndarray")
    assert Z.shape == (1, 4, 4, 4), (
        f"Formato esperado (1, 4, 4, 4) = (N, F, 5 - 2 + 1, 5 - 2 + 1), obtido {Z.shape} / "
        f"expected shape (1, 4, 4, 4), got {Z.shape}")
    assert np.array_equal(X, original), "X foi modificado / X was modified in place"
    assert np.allclose(Z[0, 0], [[1.1, 1.1, 0.1, 0.1], [0.1, -0.9, -0.9, 0.1],
                                 [0.1, 0.1, -0.9, -0.9], [0.1, 0.1, 0.1, 1.1]]), (
        "O mapa do filtro [[0, 0], [1, 1]] (soma a linha de baixo de cada janela) está errado; "
        f"obtido {Z[0, 0].tolist()}. O kernel foi girado? / the map of filter [[0, 0], [1, 1]] "
        "is wrong: was the kernel flipped?")
    assert np.allclose(Z[0, 3, 0], [1.1, 0.1, 0.1, 0.1]), (
        "O mapa do filtro [[0, 1], [0, 1]] está errado / the map of filter [[0, 1], [0, 1]] is "
        "wrong")

test_conv2d_seed(conv2d_forward)


# %%
def test_conv2d_channels_bias(conv2d_forward):
    import numpy as np

    X = np.arange(24, dtype=float).reshape(1, 2, 3, 4)  # 2 canais/channels, 3x4
    K = np.array([1., -1., 0.5, 2., 0., -1., -2., 1., 1., 0., 1., -1.]).reshape(2, 1, 2, 3)
    b = np.array([1., -1., 0.5])  # 3 filtros/filters, kernel 2x1
    Z = conv2d_forward(X, K, b)
    assert getattr(Z, "shape", None) == (1, 3, 2, 4), (
        f"Formato esperado (1, 3, 2, 4) = (N, F, 3 - 2 + 1, 4 - 1 + 1), obtido "
        f"{getattr(Z, 'shape', None)}. K vem como (kh, kw, C, F) / expected shape (1, 3, 2, 4); "
        "K comes as (kh, kw, C, F)")
    expected = np.array([[[17, 18, 19, 20], [21, 22, 23, 24]],
                         [[19, 20, 21, 22], [23, 24, 25, 26]],
                         [[-23.5, -24, -24.5, -25], [-25.5, -26, -26.5, -27]]])
    assert np.allclose(Z[0], expected), (
        f"Valores errados: esperado {expected.tolist()}, obtido {np.asarray(Z)[0].tolist()}. "
        "Some os dois canais e um bias por filtro / wrong values: sum over both channels and "
        "add one bias per filter")
    Z0 = conv2d_forward(X, K)
    assert np.allclose(Z0[0], expected - b[:, None, None]), (
        "Sem b (b=None), nenhum bias é somado / without b (b=None) no bias is added")

test_conv2d_channels_bias(conv2d_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## ReLU
#
# $$\mathrm{ReLU}(z) = \max(0, z)$$
#
# elemento a elemento: o que é positivo passa, o resto vira zero. O formato não muda.

# %% [markdown] lang="en"
# ## ReLU
#
# $$\mathrm{ReLU}(z) = \max(0, z)$$
#
# elementwise: what is positive passes, the rest becomes zero. The shape does not change.

# %% [raw]
# # BEGIN QUESTION
# name: relu
# points: 5

# %% [markdown] lang="pt"
# **Questão `relu` (5 pontos).** Escreva `relu_forward(Z)` para um array de qualquer formato,
# sem modificar `Z`.

# %% [markdown] lang="en"
# **Question `relu` (5 points).** Write `relu_forward(Z)` for an array of any shape, leaving `Z`
# unchanged.

# %% [raw]
# # BEGIN SOLUTION

# %%
def relu_forward(Z):
    """max(0, z), elementwise, as a new array."""
    # BEGIN SOLUTION NO PROMPT
    return np.maximum(np.asarray(Z), 0)
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("relu_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_relu(relu_forward):
    import numpy as np

    Z = np.array([[[[-2.0, 0.0, 3.0], [1.5, -0.5, 0.25]]]])
    original = Z.copy()
    A = relu_forward(Z)
    assert np.array_equal(Z, original), (
        "Z foi modificado no lugar: devolva um array novo / Z was modified in place: return a new "
        "array")
    assert getattr(A, "shape", None) == Z.shape, (
        f"A ReLU não muda o formato: esperado {Z.shape}, obtido {getattr(A, 'shape', None)}. "
        "np.max(Z, 0) reduz um eixo; use np.maximum / ReLU keeps the shape; np.max(Z, 0) reduces "
        "an axis, use np.maximum")
    assert np.allclose(A, [[[[0, 0, 3], [1.5, 0, 0.25]]]]), (
        f"Esperado [[0, 0, 3], [1.5, 0, 0.25]], obtido {np.asarray(A).tolist()} / wrong values")
    assert np.array_equal(relu_forward(np.array([[-3, 4]])), [[0, 4]]), (
        "Com inteiros: relu_forward([[-3, 4]]) deve ser [[0, 4]] / with integers: expected "
        "[[0, 4]]")

test_relu(relu_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Max pooling
#
# A `MaxPooling2D(pool_size=p)` divide cada mapa em blocos $p \times p$ **sem sobreposição**
# (o passo é $p$) e fica com o máximo de cada bloco:
#
# $$P_{n,c,i,j} = \max_{0 \le a,\,d < p} A_{n,\,c,\,ip+a,\,jp+d}$$
#
# Linhas e colunas que sobram quando $p$ não divide o tamanho são **descartadas**: a saída tem
# $\lfloor H/p \rfloor$ linhas e $\lfloor W/p \rfloor$ colunas (um mapa 5×7 com $p = 2$ vira 2×3).

# %% [markdown] lang="en"
# ## Max pooling
#
# `MaxPooling2D(pool_size=p)` cuts every map into $p \times p$ blocks **that do not overlap**
# (the stride is $p$) and keeps each block's maximum:
#
# $$P_{n,c,i,j} = \max_{0 \le a,\,d < p} A_{n,\,c,\,ip+a,\,jp+d}$$
#
# Rows and columns left over when $p$ does not divide the size are **dropped**: the output has
# $\lfloor H/p \rfloor$ rows and $\lfloor W/p \rfloor$ columns (a 5×7 map with $p = 2$ becomes 2×3).

# %% [raw]
# # BEGIN QUESTION
# name: maxpool
# points: 15

# %% [markdown] lang="pt"
# **Questão `maxpool` (15 pontos).** Escreva `maxpool2d_forward(A, pool_size=2)`: `A` tem
# formato `(N, C, H, W)`; devolva `(N, C, H // pool_size, W // pool_size)`.

# %% [markdown] lang="en"
# **Question `maxpool` (15 points).** Write `maxpool2d_forward(A, pool_size=2)`: `A` has shape
# `(N, C, H, W)`; return `(N, C, H // pool_size, W // pool_size)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def maxpool2d_forward(A, pool_size=2):
    """Non-overlapping pool_size x pool_size max pooling of (N, C, H, W), floor."""
    # BEGIN SOLUTION NO PROMPT
    A = np.asarray(A)
    p = int(pool_size)
    N, C, H, W = A.shape
    ph, pw = H // p, W // p  # leftover rows and columns are dropped
    P = np.empty((N, C, ph, pw), dtype=A.dtype)
    for i in range(ph):
        for j in range(pw):
            P[:, :, i, j] = A[:, :, i * p:(i + 1) * p, j * p:(j + 1) * p].max(axis=(2, 3))
    return P
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("maxpool2d_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_maxpool_seed(maxpool2d_forward):
    import numpy as np

    A = np.zeros((1, 1, 4, 4))
    A[0, 0] = [[1.1, 1.1, 0.1, 0.1], [0.1, 0, 0, 0.1], [0.1, 0.1, 0, 0], [0.1, 0.1, 0.1, 1.1]]
    P = maxpool2d_forward(A)
    assert getattr(P, "shape", None) == (1, 1, 2, 2), (
        f"4x4 com pool 2: esperado (1, 1, 2, 2), obtido {getattr(P, 'shape', None)} / expected "
        "(1, 1, 2, 2)")
    assert np.allclose(P[0, 0], [[1.1, 0.1], [0.1, 1.1]]), (
        f"Esperado [[1.1, 0.1], [0.1, 1.1]], obtido {np.asarray(P)[0, 0].tolist()} / wrong "
        "values")

test_maxpool_seed(maxpool2d_forward)


# %%
def test_maxpool_odd(maxpool2d_forward):
    import numpy as np

    A = np.arange(35).reshape(1, 1, 5, 7)
    P = maxpool2d_forward(A, pool_size=2)
    assert getattr(P, "shape", None) == (1, 1, 2, 3), (
        f"5x7 com pool 2: esperado (1, 1, 2, 3) (5 // 2, 7 // 2), obtido "
        f"{getattr(P, 'shape', None)}. Janelas sem sobreposição, sobras descartadas / expected "
        "(1, 1, 2, 3): windows do not overlap, leftovers are dropped")
    assert np.array_equal(P[0, 0], [[8, 10, 12], [22, 24, 26]]), (
        f"Esperado [[8, 10, 12], [22, 24, 26]], obtido {np.asarray(P)[0, 0].tolist()} / wrong "
        "values")
    P3 = maxpool2d_forward(A, pool_size=3)
    assert getattr(P3, "shape", None) == (1, 1, 1, 2) and np.array_equal(P3[0, 0], [[16, 19]]), (
        "5x7 com pool 3: esperado [[16, 19]] com formato (1, 1, 1, 2); use o argumento pool_size "
        "/ 5x7 with pool 3: expected [[16, 19]]; use the pool_size argument")

test_maxpool_odd(maxpool2d_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Flatten
#
# O `Flatten` transforma cada amostra em uma linha. Na rede da aula ele não tem `data_format`,
# então é um simples `reshape` de `(N, C, H, W)`: primeiro todos os valores do canal 0 (linha a
# linha), depois os do canal 1, e assim por diante:
#
# $$x_{n,\;(c \cdot H + i) \cdot W + j} = P_{n,c,i,j}$$

# %% [markdown] lang="en"
# ## Flatten
#
# `Flatten` turns each sample into one row. In the lesson's network it has no `data_format`, so
# it is a plain `reshape` of `(N, C, H, W)`: first every value of channel 0 (row by row), then
# those of channel 1, and so on:
#
# $$x_{n,\;(c \cdot H + i) \cdot W + j} = P_{n,c,i,j}$$

# %% [raw]
# # BEGIN QUESTION
# name: flatten
# points: 10

# %% [markdown] lang="pt"
# **Questão `flatten` (10 pontos).** Escreva `flatten_forward(P)`: de `(N, ...)` para
# `(N, C·H·W)`, na ordem que o `Flatten` da rede da aula usa.

# %% [markdown] lang="en"
# **Question `flatten` (10 points).** Write `flatten_forward(P)`: from `(N, ...)` to
# `(N, C·H·W)`, in the order the lesson network's `Flatten` uses.

# %% [raw]
# # BEGIN SOLUTION

# %%
def flatten_forward(P):
    """(N, ...) -> (N, product of the rest), in (C, H, W) order like the lesson's Flatten."""
    # BEGIN SOLUTION NO PROMPT
    P = np.asarray(P)
    return P.reshape(P.shape[0], -1)
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("flatten_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_flatten(flatten_forward):
    import numpy as np

    P = np.arange(24).reshape(2, 3, 2, 2)  # 2 amostras/samples, 3 canais/channels, 2x2
    x = flatten_forward(P)
    assert getattr(x, "shape", None) == (2, 12), (
        f"Esperado (2, 12): uma linha por amostra, obtido {getattr(x, 'shape', None)} / expected "
        "(2, 12): one row per sample")
    assert np.array_equal(x[0], np.arange(12)) and np.array_equal(x[1], np.arange(12, 24)), (
        f"A primeira linha deveria ser 0, 1, ..., 11 (canal 0, depois 1, depois 2), obtida "
        f"{np.asarray(x)[0].tolist()}. A ordem é (C, H, W), não (H, W, C) / the first row should "
        "be 0..11: the order is (C, H, W), not (H, W, C)")

test_flatten(flatten_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Camada densa
#
# Com `x` de formato `(N, n_entradas)`, o kernel `W` do Keras `(n_entradas, unidades)` e o bias
# `b` `(unidades,)`:
#
# $$y = x\,W + b$$
#
# O resultado tem formato `(N, unidades)`: uma linha por amostra, o bias somado a cada linha.

# %% [markdown] lang="en"
# ## Dense layer
#
# With `x` of shape `(N, n_in)`, Keras' kernel `W` `(n_in, units)` and the bias `b` `(units,)`:
#
# $$y = x\,W + b$$
#
# The result has shape `(N, units)`: one row per sample, the bias added to every row.

# %% [raw]
# # BEGIN QUESTION
# name: dense
# points: 10

# %% [markdown] lang="pt"
# **Questão `dense` (10 pontos).** Escreva `dense_forward(x, W, b=None)`.

# %% [markdown] lang="en"
# **Question `dense` (10 points).** Write `dense_forward(x, W, b=None)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def dense_forward(x, W, b=None):
    """x (N, n_in) @ W (n_in, units) + b (units,) -> (N, units)."""
    # BEGIN SOLUTION NO PROMPT
    y = np.asarray(x, dtype=float) @ np.asarray(W, dtype=float)
    if b is not None:
        y = y + np.asarray(b, dtype=float).reshape(1, -1)
    return y
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("dense_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_dense(dense_forward):
    import numpy as np

    x = np.array([[1., 2., 3.], [0., -1., 2.]])
    W = np.array([[1., 0.], [0., 1.], [1., -1.]])
    y = dense_forward(x, W, np.array([0.5, -0.5]))
    assert getattr(y, "shape", None) == (2, 2), (
        f"Esperado (2, 2) = (N, unidades), obtido {getattr(y, 'shape', None)} / expected (2, 2)")
    assert np.allclose(y, [[4.5, -1.5], [2.5, -3.5]]), (
        f"Esperado [[4.5, -1.5], [2.5, -3.5]], obtido {np.asarray(y).tolist()}: o bias se soma a "
        "cada linha (amostra), uma entrada por unidade / expected [[4.5, -1.5], [2.5, -3.5]]: "
        "the bias is added to every row, one entry per unit")
    assert np.allclose(dense_forward(x, W), [[4, -1], [2, -3]]), (
        "Sem b (b=None): esperado x @ W = [[4, -1], [2, -3]] / without b: expected x @ W")

test_dense(dense_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Sigmoide, sem estourar
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# Escrita assim, ela **estoura** para $z$ muito negativo: $e^{1000}$ não cabe em um float
# (`np.exp(1000)` dá `inf` e um aviso de overflow). Como $\sigma(z) = \frac{e^{z}}{1 + e^{z}}$
# também vale, use cada forma onde ela é segura: a primeira para $z \ge 0$ (então $e^{-z} \le 1$)
# e a segunda para $z < 0$ (então $e^{z} < 1$). Nenhuma exponencial passa de 1.

# %% [markdown] lang="en"
# ## Sigmoid, without overflowing
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# Written this way it **overflows** for very negative $z$: $e^{1000}$ does not fit in a float
# (`np.exp(1000)` gives `inf` and an overflow warning). Since $\sigma(z) = \frac{e^{z}}{1 + e^{z}}$
# holds too, use each form where it is safe: the first for $z \ge 0$ (then $e^{-z} \le 1$) and the
# second for $z < 0$ (then $e^{z} < 1$). No exponential ever exceeds 1.

# %% [raw]
# # BEGIN QUESTION
# name: sigmoid
# points: 10

# %% [markdown] lang="pt"
# **Questão `sigmoid` (10 pontos).** Escreva `sigmoid_forward(z)`, elemento a elemento, para um
# array de qualquer formato (também de inteiros), sem avisos de overflow e sem NaN em
# $z = \pm 1000$.

# %% [markdown] lang="en"
# **Question `sigmoid` (10 points).** Write `sigmoid_forward(z)`, elementwise, for an array of
# any shape (integers too), with no overflow warning and no NaN at $z = \pm 1000$.

# %% [raw]
# # BEGIN SOLUTION

# %%
def sigmoid_forward(z):
    """1 / (1 + exp(-z)), elementwise, never computing exp of a positive number."""
    # BEGIN SOLUTION NO PROMPT
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])  # z < 0: e^z < 1
    out[~pos] = ez / (1.0 + ez)
    return out
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("sigmoid_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_sigmoid(sigmoid_forward):
    import warnings

    import numpy as np

    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", invalid="warn"):
        warnings.simplefilter("always")
        s = sigmoid_forward(z)
    assert not caught, (
        f"A sigmoide emitiu um aviso em z = ±1000: {caught[0].message}. Para z < 0 use "
        "exp(z) / (1 + exp(z)) / the sigmoid warned at z = ±1000; for z < 0 use "
        "exp(z) / (1 + exp(z))")
    assert not np.isnan(np.asarray(s, dtype=float)).any(), "NaN em z = ±1000 / NaN at z = ±1000"
    assert np.allclose(s, [0, 0.26894142, 0.5, 0.73105858, 1]), (
        f"Esperado [0, 0.2689, 0.5, 0.7311, 1], obtido {np.asarray(s).tolist()} / wrong values")
    s = sigmoid_forward(np.array([-2, 0, 3]))
    assert np.allclose(s, [0.11920292, 0.5, 0.95257413]), (
        f"Com inteiros: esperado [0.1192, 0.5, 0.9526], obtido {np.asarray(s).tolist()}. Um array "
        "criado com o dtype da entrada (inteiro) trunca os valores / with integers: an array made "
        "with the input's (integer) dtype truncates the values")
    y = float(np.asarray(sigmoid_forward(np.array([[7.7]])))[0, 0])
    assert abs(y - 0.99954736) < 1e-6, f"σ(7.7): esperado 0.99954736, obtido {y} / expected"

test_sigmoid(sigmoid_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## A rede inteira
#
# Agora junte as camadas na ordem da rede da aula anterior. `weights` é o que
# `model.get_weights()` devolve para aquele modelo Sequential:
# `[kernel da convolução, bias da convolução, kernel da densa, bias da densa]`, ou só
# `[kernel da convolução, kernel da densa]` quando `use_bias=False`. O pooling é 2×2.
#
# Devolva um `dict` com a saída de cada camada, com os nomes das camadas daquele modelo e nesta
# ordem: `conv_1`, `relu_1`, `max_pool_1`, `flat`, `dense_2`, `sigmoid_2`.
#
# Use as suas funções acima. Na correção, `cnn_forward` é avaliada sozinha: quando ela chama uma
# das suas funções com as entradas esperadas, recebe a saída da solução de referência — um erro
# em `conv2d_forward`, por exemplo, custa só a questão `conv2d`.

# %% [markdown] lang="en"
# ## The whole network
#
# Now put the layers together in the order of the previous lesson's network. `weights` is what
# `model.get_weights()` returns for that Sequential model:
# `[convolution kernel, convolution bias, dense kernel, dense bias]`, or only
# `[convolution kernel, dense kernel]` when `use_bias=False`. The pooling is 2×2.
#
# Return a `dict` holding each layer's output, under that model's layer names and in this order:
# `conv_1`, `relu_1`, `max_pool_1`, `flat`, `dense_2`, `sigmoid_2`.
#
# Use your functions above. When grading, `cnn_forward` is graded on its own: when it calls one of
# your functions with the expected inputs, it gets the reference solution's output — a mistake in
# `conv2d_forward`, say, costs only the `conv2d` question.

# %% [raw]
# # BEGIN QUESTION
# name: cnn_forward
# points: 25

# %% [markdown] lang="pt"
# **Questão `cnn_forward` (25 pontos).** Escreva `cnn_forward(X, weights, use_bias=True)`.

# %% [markdown] lang="en"
# **Question `cnn_forward` (25 points).** Write `cnn_forward(X, weights, use_bias=True)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def cnn_forward(X, weights, use_bias=True):
    """The previous lesson's network in NumPy: every layer's output, by layer name."""
    # BEGIN SOLUTION NO PROMPT
    if use_bias:
        K, b_conv, W_dense, b_dense = weights
    else:
        (K, W_dense), b_conv, b_dense = weights, None, None
    outputs = {}
    outputs["conv_1"] = conv2d_forward(X, K, b_conv)
    outputs["relu_1"] = relu_forward(outputs["conv_1"])
    outputs["max_pool_1"] = maxpool2d_forward(outputs["relu_1"], pool_size=2)
    outputs["flat"] = flatten_forward(outputs["max_pool_1"])
    outputs["dense_2"] = dense_forward(outputs["flat"], W_dense, b_dense)
    outputs["sigmoid_2"] = sigmoid_forward(outputs["dense_2"])
    return outputs
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("cnn_forward: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_cnn_forward_seed(cnn_forward):
    import numpy as np

    X = np.eye(5, dtype="float32")[None, None] * np.array([1, 1, -1, -1, 1], dtype="float32")
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]],
                        [[[0, 1], [0, 1]]]], dtype="float32")
    K = np.transpose(filters, (2, 3, 1, 0))
    out = cnn_forward(X, [K, np.full(4, 0.1), np.ones((16, 1)), np.full(1, 0.1)])
    names = ["conv_1", "relu_1", "max_pool_1", "flat", "dense_2", "sigmoid_2"]
    assert isinstance(out, dict) and list(out) == names, (
        f"Esperado um dict com as chaves {names}, nesta ordem; obtido "
        f"{list(out) if isinstance(out, dict) else type(out).__name__} / expected a dict with "
        "these keys, in this order")
    shapes = [np.shape(out[n]) for n in names]
    assert shapes == [(1, 4, 4, 4), (1, 4, 4, 4), (1, 4, 2, 2), (1, 16), (1, 1), (1, 1)], (
        f"Formatos das camadas: {shapes} / layer shapes")
    y = float(np.asarray(out["sigmoid_2"])[0, 0])
    assert abs(y - 0.99954736) < 1e-6, (
        f"O exemplo da aula anterior dá 0.99954736, obtido {y} / the previous lesson's example "
        f"gives 0.99954736, got {y}")
    out = cnn_forward(X, [K, np.ones((16, 1))], use_bias=False)
    y = float(np.asarray(out["sigmoid_2"])[0, 0])
    assert abs(y - 0.99752738) < 1e-6, (
        f"Com use_bias=False, weights = [kernel, kernel da densa]: esperado 0.99752738, obtido {y} "
        "/ with use_bias=False, weights = [kernel, dense kernel]: expected 0.99752738")

test_cnn_forward_seed(cnn_forward)


# %%
def test_cnn_forward_relu(cnn_forward):
    import numpy as np

    X = -np.eye(5, dtype="float32")[None, None] * np.array([1, 1, -1, -1, 1], dtype="float32")
    filters = np.array([[[[0, 0], [1, 1]]], [[[1, 1], [0, 0]]], [[[0, 1], [1, 0]]],
                        [[[0, 1], [0, 1]]]], dtype="float32")
    K = np.transpose(filters, (2, 3, 1, 0))
    out = cnn_forward(X, [K, np.full(4, -1.5), np.ones((16, 1)), np.zeros(1)])
    assert np.allclose(out["max_pool_1"], 0), (
        "Com bias -1.5 todo valor da convolução é negativo e a ReLU zera tudo: max_pool_1 deveria "
        f"ser só zeros, obtido {np.asarray(out['max_pool_1'])[0, 0].tolist()}. O pooling recebeu "
        "a saída da ReLU? / with bias -1.5 the ReLU zeroes everything: did the pooling get the "
        "ReLU's output?")
    assert abs(float(np.asarray(out["sigmoid_2"])[0, 0]) - 0.5) < 1e-6, (
        "σ(0) = 0.5 / expected 0.5")

test_cnn_forward_relu(cnn_forward)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [markdown] lang="pt"
# ## Lado a lado com o Keras, camada por camada
#
# Agora a prova: a rede da aula anterior no Keras (`channels_first`), com os mesmos pesos feitos à
# mão, e a sua `cnn_forward`. Para cada camada, a maior diferença `max |NumPy − Keras|` deve ser
# de 1e-6 ou menos (o Keras calcula em float32). As saídas do Keras vêm de **um** modelo com
# todas as camadas como saída e de `predict`, que dá o valor certo em qualquer formato (veja a
# atividade 2).

# %% [markdown] lang="en"
# ## Side by side with Keras, layer by layer
#
# Now the proof: the previous lesson's network in Keras (`channels_first`), with the same
# hand-made weights, and your `cnn_forward`. For every layer, the largest difference
# `max |NumPy − Keras|` should be 1e-6 or less (Keras computes in float32). Keras' outputs come from
# **one** model with every layer as an output and from `predict`, which is right on every shape
# (see activity 2).

# %%
import contextlib
import os

# channels_first (canais antes da altura e da largura) só roda na CPU com o oneDNN ligado: ligue-o
# antes de importar o Keras / channels_first runs on a CPU only with oneDNN on: turn it on before
# importing Keras.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")


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

import matplotlib.pyplot as plt


def lesson_model(input_shape, kernel_shape, n_filters, use_bias=True):
    """The previous lesson's network as a keras.Sequential model (channels_first)."""
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


def keras_outputs(model, X):
    """Every layer's output for X, by layer name: one multi-output model, one predict."""
    probe = keras.Model(inputs=model.inputs[0], outputs=[layer.output for layer in model.layers])
    values = probe.predict(np.asarray(X, dtype="float32"), verbose=0)
    return {layer.name: value for layer, value in zip(model.layers, values)}


def hold_against_keras(X, weights, use_bias=True):
    """cnn_forward and Keras on the same input and weights; prints max |difference| per layer."""
    kernel = weights[0]
    model = lesson_model(X.shape[1:], kernel.shape[:2], kernel.shape[3], use_bias)
    model.set_weights(weights)
    ours, theirs = cnn_forward(X, weights, use_bias), keras_outputs(model, X)
    for name, value in theirs.items():
        diff = float(np.max(np.abs(np.asarray(ours[name]) - value)))
        print(f"{name:10s} {str(value.shape):14s} max |NumPy - Keras| = {diff:.1e}")
    return ours, theirs


def draw_side_by_side(ours, theirs, sample=0):
    """Every 4-D layer's maps in a row, NumPy's next to Keras', one gray scale per layer."""
    names = [name for name, value in theirs.items() if value.ndim == 4]
    fig, axes = plt.subplots(len(names), 2, figsize=(9, 1.6 * len(names)), squeeze=False)
    for row, name in enumerate(names):
        pair = (np.asarray(ours[name], dtype=float)[sample], theirs[name][sample].astype(float))
        lo, hi = min(p.min() for p in pair), max(p.max() for p in pair)
        for who, maps in enumerate(pair):
            n, h, w = maps.shape
            strip = np.full((h, n * (w + 1) - 1), np.nan)  # the maps side by side, a gap between
            for m in range(n):
                strip[:, m * (w + 1):m * (w + 1) + w] = maps[m]
            axes[row, who].imshow(strip, cmap="gray", vmin=lo, vmax=hi)
            axes[row, who].set_title(f"{name}: {('NumPy', 'Keras')[who]}", fontsize=9)
            axes[row, who].axis("off")
    plt.show()


# %% [markdown] lang="pt"
# ### Exemplo 1: o da aula anterior

# %% [markdown] lang="en"
# ### Example 1: the previous lesson's

# %%
weights_seed = [K_seed, b_seed, np.ones((16, 1), dtype="float32"), np.full(1, 0.1, dtype="float32")]
ours, theirs = hold_against_keras(X_seed, weights_seed)
print("previsão / prediction:", float(ours["sigmoid_2"][0, 0]), "(a aula anterior / the previous lesson: 0.99954736)")
draw_side_by_side(ours, theirs)

# %% [markdown] lang="pt"
# ### Exemplo 2: duas amostras de dois canais, imagem 6×7, kernel 3×2, três filtros

# %% [markdown] lang="en"
# ### Example 2: two two-channel samples, a 6×7 image, a 3×2 kernel, three filters

# %%
rng = np.random.default_rng(0)
X2 = rng.normal(0, 1, size=(2, 2, 6, 7)).astype("float32")
weights2 = [rng.normal(0, 0.5, size=(3, 2, 2, 3)).astype("float32"),  # (kh, kw, C, F)
            np.array([0.2, -0.3, 0.1], dtype="float32"),
            rng.normal(0, 0.3, size=(2 * 3 * 3, 1)).astype("float32"),  # 3 maps of 2x3
            np.array([0.05], dtype="float32")]
ours2, theirs2 = hold_against_keras(X2, weights2)
draw_side_by_side(ours2, theirs2, sample=1)

# %% [markdown] lang="pt"
# ## Sugestões de atividades (exploração guiada, sem nota)
#
# 1. **Um erro de cada vez.** Gire o kernel dentro da sua `conv2d_forward` (`K[::-1, ::-1]`) e
#    rode o exemplo 2: qual é a primeira camada que difere do Keras? E as seguintes?
# 2. **O bug do bias no Keras 3.** Construa um caso em que a **largura** da saída da convolução é
#    igual ao **número de filtros** (por exemplo imagem 5×5, kernel 2×2, 4 filtros) com biases
#    **diferentes** por filtro, e compare `model(X)` (chamada direta), `model.predict(X)` e a sua
#    `cnn_forward`. Qual dos três erra, e por quê? (Dica: o NumPy soma um vetor `(F,)` no último
#    eixo.) Com o bias 0,1 em todos os filtros a diferença some.
# 3. **Velocidade.** Meça com `%timeit` a sua convolução contra uma versão com quatro laços
#    `for` aninhados, numa imagem 3×64×64 com 8 filtros 3×3.
# 4. **Estabilidade.** Chame `1 / (1 + np.exp(-z))` em `z = np.array([-1000.0])` e veja o aviso;
#    compare com a sua `sigmoid_forward`.

# %% [markdown] lang="en"
# ## Suggested activities (guided exploration, not graded)
#
# 1. **One mistake at a time.** Flip the kernel inside your `conv2d_forward` (`K[::-1, ::-1]`) and
#    run example 2: which is the first layer that differs from Keras? And the next ones?
# 2. **Keras 3's bias bug.** Build a case where the convolution's output **width** equals its
#    **number of filters** (e.g. a 5×5 image, a 2×2 kernel, 4 filters) with **different** biases
#    per filter, and compare `model(X)` (a direct call), `model.predict(X)` and your
#    `cnn_forward`. Which of the three is wrong, and why? (Hint: NumPy adds a `(F,)` vector along
#    the last axis.) With the same bias 0.1 on every filter the difference disappears.
# 3. **Speed.** Time your convolution with `%timeit` against a version with four nested `for`
#    loops, on a 3×64×64 image with eight 3×3 filters.
# 4. **Stability.** Call `1 / (1 + np.exp(-z))` on `z = np.array([-1000.0])` and look at the
#    warning; compare with your `sigmoid_forward`.

# %%
# Atividade 2 / activity 2
model_bug = lesson_model((1, 5, 5), (2, 2), 4)
weights_bug = [K_seed, np.array([0.1, 0.2, 0.3, 0.4], dtype="float32"),
               np.ones((16, 1), dtype="float32"), np.zeros(1, dtype="float32")]
model_bug.set_weights(weights_bug)
direct = np.asarray(model_bug.layers[0](X_seed))
predicted = keras_outputs(model_bug, X_seed)["conv_1"]
ours_bug = cnn_forward(X_seed, weights_bug)["conv_1"]
print("max |direta/direct - NumPy|  =", float(np.max(np.abs(direct - ours_bug))))
print("max |predict - NumPy|        =", float(np.max(np.abs(predicted - ours_bug))))

# %% [markdown] lang="pt"
# ## Referências
#
# - [Conv2D](https://keras.io/api/layers/convolution_layers/convolution2d/),
#   [MaxPooling2D](https://keras.io/api/layers/pooling_layers/max_pooling2d/) e
#   [Flatten](https://keras.io/api/layers/reshaping_layers/flatten/) na documentação do Keras
# - [np.einsum](https://numpy.org/doc/stable/reference/generated/numpy.einsum.html) e
#   [broadcasting](https://numpy.org/doc/stable/user/basics.broadcasting.html) na documentação do
#   NumPy

# %% [markdown] lang="en"
# ## References
#
# - [Conv2D](https://keras.io/api/layers/convolution_layers/convolution2d/),
#   [MaxPooling2D](https://keras.io/api/layers/pooling_layers/max_pooling2d/) and
#   [Flatten](https://keras.io/api/layers/reshaping_layers/flatten/) in Keras' documentation
# - [np.einsum](https://numpy.org/doc/stable/reference/generated/numpy.einsum.html) and
#   [broadcasting](https://numpy.org/doc/stable/user/basics.broadcasting.html) in NumPy's
#   documentation

# %% [raw]
# # BEGIN QUESTION
# name: reflection
# manual: true
# points: 0

# %% [markdown] lang="pt"
# ## Aprendizados com este notebook
#
# Escreva, em poucas linhas, o que você aprendeu: o que a Conv2D calcula de fato, por que o
# pooling descarta as sobras, como o NumPy decide em que eixo somar o bias, e por que a sigmoide
# precisa de duas fórmulas. (Lido por um monitor; sem nota automática.)

# %% [markdown] lang="en"
# ## What I learned from this notebook
#
# Write, in a few lines, what you learned: what Conv2D really computes, why pooling drops the
# leftovers, how NumPy decides along which axis to add the bias, and why the sigmoid needs two
# formulas. (Read by a TA; no automatic points.)

# %% [raw]
# # BEGIN SOLUTION

# %% [markdown]
# _Escreva aqui / write here._

# %% [raw]
# # END SOLUTION

# %% [raw]
# # END QUESTION
