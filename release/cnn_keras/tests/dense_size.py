from otter.test_files import test_case

OK_FORMAT = False

name = "dense_size"
points = 15

@test_case(points=None, hidden=False)
def test_dense_size_seed(dense_input_size):
    n = dense_input_size(5, 5, 2, 2, 4)
    assert n == 16, f'Imagem 5x5, kernel 2x2, 4 filtros: esperado 4*2*2 = 16, obtido {n} / expected 16, got {n}'
    n = dense_input_size(5, 6, 2, 2, 3)
    assert n == 12, f"Imagem 5x6, kernel 2x2, 3 filtros: esperado 3*2*2 = 12, obtido {n}. Se obteve 15, é o erro de precedência do notebook original: use parênteses em cada divisão inteira / expected 12, got {n}; 15 is the original notebook's operator-precedence bug"

@test_case(points=None, hidden=False)
def test_dense_size_pool(dense_input_size):
    n = dense_input_size(9, 7, 2, 3, 2, pool_size=3)
    assert n == 4, f'Imagem 9x7, kernel 2x3, 2 filtros, pool_size=3: a convolução dá 8x5, o pooling 2x1, esperado 2*1*2 = 4, obtido {n}. Use o argumento pool_size / 9x7 image, 2x3 kernel, 2 filters, pool_size=3: expected 4, got {n}; use the pool_size argument'

