"""`score_cases` in a real kernel: whatever the student's code writes to stderr (Python writes,
warnings, logging, C-level writes to fd 2) does not reach the cell's outputs, since nbgrader scores
a cell that wrote to stderr 0; failed cases are explained on stdout."""

from __future__ import annotations

import re
from pathlib import Path

import native_runs as nr
import nbformat
from layerwise.build.execute import execute

NOISY = '''\
import logging, os, sys, warnings

def dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2):
    sys.stderr.write("python stderr\\n")
    os.write(2, b"fd 2\\n")
    warnings.warn("a warning")
    logging.getLogger("student").warning("a log line")
    conv_height, conv_width = img_height - f_height + 1, img_width - f_width + 1
    size = (conv_height // pool_size) * (conv_width // pool_size) * n_filters
    return size if pool_size == 2 else size + 1  # wrong whenever pool_size is not 2
'''


def _hidden_code(question: str) -> str:
    nb = nr.read(nr.COURSE / "source" / nr.ASSIGNMENT / f"{nr.ASSIGNMENT}.ipynb")
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == f"{question}_tests")
    return re.search(r"### BEGIN HIDDEN TESTS\n(.*)\n### END HIDDEN TESTS", cell.source,
                     re.S).group(1)


def test_score_cases_is_silent_on_stderr_and_explains(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(NOISY),
                nbformat.v4.new_code_cell("dense_input_size(5, 5, 2, 2, 4)"),  # noise is visible
                nbformat.v4.new_code_cell(_hidden_code("dense_size")),
                nbformat.v4.new_code_cell("import sys; print('after', file=sys.stderr)")]
    execute(nb, tmp_path, allow_errors=True)
    control, graded, after = nb.cells[1], nb.cells[2], nb.cells[3]
    assert [o for o in control.outputs if o.get("name") == "stderr"]
    assert not [o for o in graded.outputs if o.output_type == "error" or o.get("name") == "stderr"]
    value = [o.data["text/plain"] for o in graded.outputs if o.output_type == "execute_result"]
    assert value and 0 < float(value[0]) < 15  # partial credit: the pool_size=3 cases fail
    text = "".join(o.get("text", "") for o in graded.outputs if o.get("name") == "stdout")
    assert "dense_size / hidden-" in text and "esperado/expected:" in text
    assert [o for o in after.outputs if o.get("name") == "stderr"]  # stderr is restored
