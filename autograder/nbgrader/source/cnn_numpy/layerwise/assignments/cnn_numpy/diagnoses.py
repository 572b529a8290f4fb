"""The mistakes this lesson's checkers recognize, in Portuguese and English."""

from __future__ import annotations

from layerwise.messages import Msg

DIAGNOSES: dict[str, Msg] = {
    "kernel_flipped": Msg(
        "O kernel foi invertido (convolução verdadeira): a Conv2D do Keras calcula a "
        "correlação cruzada, Z[i, j] = Σ X[i+a, j+d] · K[a, d], sem girar o kernel.",
        "The kernel was flipped (a true convolution): Keras' Conv2D computes the "
        "cross-correlation, Z[i, j] = Σ X[i+a, j+d] · K[a, d], without rotating the kernel."),
    "kernel_read_fchw": Msg(
        "Leu K como (filtros, canais, kh, kw): no Keras o kernel vem como (kh, kw, canais, "
        "filtros), então K[a, d, c, f] é o peso da posição (a, d), canal c, filtro f.",
        "Read K as (filters, channels, kh, kw): Keras stores the kernel as (kh, kw, channels, "
        "filters), so K[a, d, c, f] is the weight at position (a, d), channel c, filter f."),
    "conv_size_off_by_one": Msg(
        "Tamanho da saída errado por um: uma convolução 'valid' de passo 1 dá H − kh + 1 linhas "
        "e W − kw + 1 colunas (a última janela começa em H − kh).",
        "Output size off by one: a 'valid', stride-1 convolution gives H − kh + 1 rows and "
        "W − kw + 1 columns (the last window starts at H − kh)."),
    "bias_wrong_axis": Msg(
        "O bias foi somado no eixo errado: o NumPy alinha um vetor (F,) com o ÚLTIMO eixo (a "
        "largura, ou as unidades da densa). Dê a ele o formato do eixo certo, p.ex. "
        "b.reshape(1, F, 1, 1) na convolução — o mesmo erro que o Keras 3 comete quando a largura "
        "da saída é igual ao número de filtros.",
        "The bias was added along the wrong axis: NumPy lines a (F,) vector up with the LAST "
        "axis (the width, or the dense layer's units). Shape it for the right axis, e.g. "
        "b.reshape(1, F, 1, 1) in the convolution — the mistake Keras 3 makes when the output "
        "width equals the number of filters."),
    "bias_ignored": Msg("O bias b não foi somado.", "The bias b was not added."),
    "missing_default": Msg(
        "A chamada sem o argumento opcional falhou: dê a ele o valor padrão do enunciado "
        "(b=None, pool_size=2).",
        "The call without the optional argument failed: give it the default the statement asks "
        "for (b=None, pool_size=2)."),
    "relu_max_reduces": Msg(
        "np.max(Z, 0) é o máximo AO LONGO do eixo 0 (reduz o array); a ReLU é elemento a "
        "elemento: np.maximum(Z, 0).",
        "np.max(Z, 0) is the maximum ALONG axis 0 (it reduces the array); ReLU is elementwise: "
        "np.maximum(Z, 0)."),
    "pool_overlapping": Msg(
        "Janelas de pooling sobrepostas (passo 1): a MaxPooling2D anda pool_size de cada vez, "
        "então a saída tem H // p linhas e W // p colunas.",
        "Overlapping pooling windows (stride 1): MaxPooling2D moves pool_size at a time, so the "
        "output has H // p rows and W // p columns."),
    "pool_ceil": Msg(
        "Pooling arredondando para cima: linhas e colunas que sobram (H % p) são descartadas, "
        "não viram uma janela parcial — a saída tem H // p linhas.",
        "Pooling rounded up: leftover rows and columns (H % p) are dropped, not pooled as a "
        "partial window — the output has H // p rows."),
    "pool_size_fixed": Msg("Usou pool 2 fixo: use o argumento pool_size.",
                           "Used a fixed pool of 2: use the pool_size argument."),
    "flatten_hwc": Msg(
        "Achatou na ordem (altura, largura, canais): o Flatten da rede da aula (sem data_format) "
        "é um reshape de (N, C, H, W), na ordem (canais, altura, largura): P.reshape(N, -1).",
        "Flattened in (height, width, channels) order: the lesson network's Flatten (no "
        "data_format) reshapes (N, C, H, W) in (channels, height, width) order: "
        "P.reshape(N, -1)."),
    "flatten_batch_lost": Msg(
        "O eixo do lote sumiu: cada amostra vira uma linha, (N, C·H·W), não um vetor só.",
        "The batch axis is gone: each sample becomes one row, (N, C·H·W), not one long vector."),
    "sigmoid_unstable": Msg(
        "Sigmoide instável: 1 / (1 + exp(−z)) estoura em exp(1000) (overflow, ou NaN em inf/inf). "
        "Para z < 0 use exp(z) / (1 + exp(z)), que nunca estoura.",
        "Unstable sigmoid: 1 / (1 + exp(−z)) overflows at exp(1000) (or gives NaN from inf/inf). "
        "For z < 0 use exp(z) / (1 + exp(z)), which never overflows."),
    "sigmoid_sign": Msg("Sinal trocado: σ(z) = 1 / (1 + e^(−z)).",
                        "Wrong sign: σ(z) = 1 / (1 + e^(−z))."),
    "integer_truncation": Msg(
        "A saída é inteira e os valores esperados têm casas decimais: com uma entrada inteira, "
        "um array criado com o dtype dela (np.empty_like, np.zeros(..., dtype=X.dtype)) trunca "
        "cada valor atribuído. Converta para float primeiro.",
        "The output is integer and the expected values have decimals: with an integer input, an "
        "array made with its dtype (np.empty_like, np.zeros(..., dtype=X.dtype)) truncates every "
        "value assigned to it. Convert to float first."),
    "input_modified": Msg("Modificou uma entrada no lugar: devolva um array novo.",
                          "Modified an input in place: return a new array."),
    "forward_keys": Msg(
        "As chaves do dict não são as camadas da rede da aula, nesta ordem: conv_1, relu_1, "
        "max_pool_1, flat, dense_2, sigmoid_2.",
        "The dict's keys are not the lesson network's layers, in this order: conv_1, relu_1, "
        "max_pool_1, flat, dense_2, sigmoid_2."),
    "forward_use_bias": Msg(
        "Os pesos não foram desempacotados conforme use_bias: com use_bias=False, "
        "model.get_weights() tem só 2 arrays (kernel da convolução, kernel da densa).",
        "The weights were not unpacked according to use_bias: with use_bias=False, "
        "model.get_weights() holds only 2 arrays (the convolution's and the dense's kernels)."),
    "forward_wrong_input": Msg(
        "Uma camada recebeu a saída errada: ela calcula certo, mas sobre a saída de uma camada "
        "anterior (uma camada pulada, ou a variável errada passada adiante).",
        "A layer got the wrong input: it computes right, but on an earlier layer's output (a "
        "layer skipped, or the wrong variable passed on)."),
    "not_dict": Msg("Devolva um dict nome da camada → np.ndarray.",
                    "Return a dict layer name → np.ndarray."),
}

PICTURE_REASONS: dict[str, Msg] = {
    "right_values": Msg(
        "Os valores devolvidos estão certos (o problema é outro, veja acima), então não há "
        "diferença a desenhar.",
        "The returned values are right (the problem is another one, see above), so there is no "
        "difference to draw."),
    "keys": Msg(
        "O dicionário devolvido não tem exatamente as camadas esperadas (veja acima), então as "
        "saídas não foram comparadas camada a camada e não há imagens.",
        "The returned dict does not have exactly the expected layers (see above), so the outputs "
        "were not compared layer by layer and there are no pictures."),
}
"""Why a failing drawn question has no picture (a checker's `no_picture` code)."""
