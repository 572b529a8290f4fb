"""Bilingual feedback: every text a student reads exists in Portuguese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Msg:
    """One message in both languages."""

    pt: str
    en: str

    def __add__(self, other: Msg) -> Msg:
        return Msg(f"{self.pt} {other.pt}", f"{self.en} {other.en}")

    def get(self, lang: str) -> str:
        return self.pt if lang == "pt" else self.en

    def both(self) -> str:
        return self.pt if self.pt == self.en else f"{self.pt} / {self.en}"


DIAGNOSES: dict[str, Msg] = {
    "function_missing": Msg(
        "A função não foi definida (ou foi renomeada): o corretor chama exatamente esse nome.",
        "The function is not defined (or was renamed): the grader calls exactly that name."),
    "not_implemented": Msg(
        "A função ainda não foi implementada (levanta NotImplementedError).",
        "The function is not implemented yet (raises NotImplementedError)."),
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
    "not_ndarray": Msg("Devolva um np.ndarray (não lista, tensor ou subclasse).",
                       "Return an np.ndarray (not a list, tensor or subclass)."),
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
