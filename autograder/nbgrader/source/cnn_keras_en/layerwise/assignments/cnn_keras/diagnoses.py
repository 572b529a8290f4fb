"""The mistakes this lesson's checkers recognize, in Portuguese and English."""

from __future__ import annotations

from layerwise.messages import Msg

DIAGNOSES: dict[str, Msg] = {
    "kernel_hw_swapped": Msg(
        "Altura e largura do kernel trocadas: a ordem certa é (kh, kw, canais, filtros).",
        "Kernel height and width swapped: the right order is (kh, kw, channels, filters)."),
    "reshape_instead_of_transpose": Msg(
        "Usou reshape em vez de transpor: o formato fica certo, mas os valores não mudam de eixo.",
        "Used reshape instead of a transpose: the shape is right but values stay on their axes."),
    "filter_channel_swapped": Msg(
        "Eixos de filtros e de canais trocados: os filtros vêm por último no Keras.",
        "Filter and channel axes swapped: filters come last in Keras."),
    "kernel_unchanged": Msg("Devolveu o kernel sem converter.", "Returned the kernel unconverted."),
    "kernel_in_place": Msg("Modificou W no lugar: devolva um array novo.",
                           "Modified W in place: return a new array."),
    "kernel_dtype": Msg("Mudou o dtype do kernel: mantenha o dtype de W.",
                        "Changed the kernel's dtype: keep W's dtype."),
    "dense_precedence": Msg(
        "O erro de precedência do notebook original: `a//2 * b//2` calcula `((a//2)*b)//2`. "
        "Certo em imagens quadradas, errado em outras. Use parênteses: `(a//p) * (b//p)`.",
        "The original notebook's precedence bug: `a//2 * b//2` computes `((a//2)*b)//2`. Right "
        "on square images, wrong on others. Use parentheses: `(a//p) * (b//p)`."),
    "dense_no_filters": Msg("Esqueceu de multiplicar pelo número de filtros.",
                            "Forgot to multiply by the number of filters."),
    "dense_no_pooling": Msg("Esqueceu o pooling: o mapa da convolução é dividido por pool_size.",
                            "Forgot the pooling: the convolution map is divided by pool_size."),
    "dense_pool_fixed": Msg("Usou pool 2 fixo: use o argumento pool_size.",
                            "Used a fixed pool of 2: use the pool_size argument."),
    "dense_true_division": Msg("Usou `/` em vez de `//`: o pooling arredonda para baixo.",
                               "Used `/` instead of `//`: pooling rounds down."),
    "dense_same_padding": Msg("Calculou como padding 'same': a convolução é 'valid' (perde kh-1).",
                              "Computed as 'same' padding: the convolution is 'valid' (loses kh-1)."),
    "keras2_api": Msg(
        "API do Keras 2: `Model(input=..., output=...)` não existe no Keras 3; use "
        "`keras.Model(inputs=..., outputs=...)`.",
        "Keras 2 API: `Model(input=..., output=...)` does not exist in Keras 3; use "
        "`keras.Model(inputs=..., outputs=...)`."),
    "model_input_on_sequential": Msg(
        "Usou `model.input` em um modelo Sequential: no Keras 3 use `model.inputs[0]`.",
        "Used `model.input` on a Sequential model: in Keras 3 use `model.inputs[0]`."),
    "pooling_channels_last": Msg(
        "A MaxPooling2D está sem data_format='channels_first': ela faz o pooling sobre "
        "(altura, largura→canais) e nada avisa.",
        "MaxPooling2D lacks data_format='channels_first': it pools over (height, width→channels) "
        "and nothing warns you."),
    "conv_channels_last": Msg("A Conv2D está sem data_format='channels_first'.",
                              "Conv2D lacks data_format='channels_first'."),
    "bias_ignored": Msg("O argumento use_bias não foi repassado à convolução e/ou à densa.",
                        "The use_bias argument is not passed to the convolution and/or the dense."),
    "wrong_model_kind": Msg("Tipo de modelo errado (Sequential vs. API funcional).",
                            "Wrong kind of model (Sequential vs. functional API)."),
    "layer_names": Msg("Nomes ou ordem das camadas diferentes do pedido.",
                       "Layer names or order differ from what is asked."),
    "layer_missing": Msg("Falta uma camada na saída.", "A layer is missing from the output."),
    "includes_input_layer": Msg("Incluiu a InputLayer: ela não deve aparecer.",
                                "Included the InputLayer: it must not appear."),
    "same_filter_outputs": Msg(
        "Todos os filtros dão a mesma saída: os pesos de cada filtro não chegaram ao lugar certo.",
        "All filters give the same output: each filter's weights did not land in the right place."),
    "param_bias": Msg("A contagem de bias está errada (um por filtro e um na densa, se use_bias).",
                      "The bias count is wrong (one per filter and one in the dense, if use_bias)."),
    "param_channels": Msg("Esqueceu os canais: cada filtro tem kh*kw pesos POR CANAL.",
                          "Forgot the channels: each filter has kh*kw weights PER CHANNEL."),
    "not_dict": Msg("Devolva um dict nome da camada → np.ndarray.",
                    "Return a dict layer name → np.ndarray."),
}

PICTURE_REASONS: dict[str, Msg] = {
    "structure": Msg(
        "A estrutura do modelo difere da pedida (veja o diagnóstico acima), então as saídas das "
        "camadas não foram comparadas e não há imagens. Corrija a estrutura primeiro.",
        "The model's structure differs from what is asked (see the diagnosis above), so its layer "
        "outputs were not compared and there are no pictures. Fix the structure first."),
    "keys": Msg(
        "O dicionário devolvido não tem exatamente as camadas esperadas (veja acima), então as "
        "saídas não foram comparadas camada a camada e não há imagens.",
        "The returned dict does not have exactly the expected layers (see above), so the outputs "
        "were not compared layer by layer and there are no pictures."),
    "weights": Msg(
        "Os pesos do caso não puderam ser colocados no modelo (veja acima), então as saídas das "
        "camadas não são comparáveis e não há imagens.",
        "The case's weights could not be put into the model (see above), so its layer outputs are "
        "not comparable and there are no pictures."),
}
"""Why a failing model question has no layer pictures (a checker's `no_picture` code)."""
