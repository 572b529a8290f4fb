from otter.test_files import test_case

OK_FORMAT = False

name = "param_count"
points = 10

@test_case(points=None, hidden=False)
def test_param_count_seed(cnn_param_count):
    n = cnn_param_count((1, 5, 5), (2, 2), 4)
    assert n == 37, f'Exemplo 2 (5x5, kernel 2x2, 4 filtros): esperado 37, obtido {n} / expected 37'
    n = cnn_param_count((1, 5, 5), (2, 2), 4, use_bias=False)
    assert n == 32, f'Sem bias: esperado 32, obtido {n} / without bias: expected 32, got {n}'
    n = cnn_param_count((1, 5, 6), (2, 2), 3)
    assert n == 28, f'Exemplo 1 (5x6, 3 filtros): esperado 15 + 13 = 28, obtido {n} / expected 28'
    n = cnn_param_count((3, 6, 5), (3, 2), 2)
    assert n == 47, f'3 canais, imagem 6x5, kernel 3x2, 2 filtros: esperado 3*2*3*2 + 2 + 8 + 1 = 47, obtido {n}. Cada filtro tem kh*kw pesos POR CANAL / 3 channels: expected 47; each filter has kh*kw weights PER CHANNEL'

