"""`build`: every generated artefact of the assignment, from the one instructor source."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nbformat import NotebookNode

from . import layout, notebooks, requirements, student
from .edition import edition, read_source
from .execute import execute as run_notebook
from .hidden import HiddenSource, NbgraderSource, default_nbgrader_source, default_source
from .master import otter_master
from .nbgrader_course import nbgrader_notebook, write_config
from .otter_assign import AssignOutput, run_all
from .package import copy_package
from .zips import rewrite_stable


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _release(root: Path, outputs: dict[str, AssignOutput]) -> list[Path]:
    """Student notebooks, public tests and the students' requirements into `release/`."""
    release = root / layout.RELEASE
    tests = release / "tests"
    if tests.exists():
        shutil.rmtree(tests)
    written = []
    for lang, out in outputs.items():
        nb = student.student(notebooks.read(out.student_notebook), lang)
        written.append(notebooks.write(nb, release / layout.notebook_name(lang)))
    tests.mkdir(parents=True)
    for test in sorted((outputs["pt"].student_dir / "tests").glob("*.py")):
        written.append(Path(shutil.copyfile(test, tests / test.name)))
    written.append(_write_text(release / "requirements.txt",
                               requirements.text(requirements.STUDENT)))
    return written


def _solutions(root: Path, outputs: dict[str, AssignOutput], run: bool) -> list[Path]:
    """Solved notebooks, executed next to otter's full tests, into `solutions/`."""
    written = []
    for lang, out in outputs.items():
        nb = student.solution(notebooks.read(out.solution_notebook))
        if run:
            notebooks.write(nb, out.solution_notebook)  # run the fixed notebook where tests are
            run_notebook(nb, out.autograder_dir)
        written.append(notebooks.write(nb, root / layout.SOLUTIONS / layout.notebook_name(lang)))
    return written


def _nbgrader(root: Path, masters: dict[str, NotebookNode],
              hidden_code: NbgraderSource | None) -> list[Path]:
    """The nbgrader course: config, then per edition an assignment (cnn_keras, cnn_keras_en)
    holding its source notebook and the in-kernel checks next to it."""
    written = [write_config(root / layout.NBGRADER_CONFIG)]
    for lang, master in masters.items():
        package = root / layout.nbgrader_package(lang)
        if package.exists():
            shutil.rmtree(package)
        written += [notebooks.write(nbgrader_notebook(master, hidden_code),
                                    root / layout.nbgrader_source(lang)),
                    *copy_package(package)]
    return written


def build(root: Path, *, execute: bool = True, hidden: HiddenSource | None = None) -> list[Path]:
    """Regenerate release/, solutions/, the otter zip and the nbgrader course (one assignment per
    edition) from `root/source/cnn_keras.py`; solutions are executed unless `execute` is False.
    `hidden` replaces `layerwise.native` as the source of hidden tests (for trials).
    Returns the written paths."""
    root = Path(root).resolve()
    source = read_source(root / layout.SOURCE)
    hidden_cells = hidden or default_source(root / layout.SOURCE)
    nbgrader_code = None if hidden else default_nbgrader_source(root / layout.SOURCE)
    masters = {lang: otter_master(edition(source, lang), hidden_cells) for lang in layout.LANGS}
    with tempfile.TemporaryDirectory(prefix="layerwise-build-") as tmp:
        outputs = run_all(masters, Path(tmp))
        written = _release(root, outputs)
        written.append(rewrite_stable(outputs["pt"].zip, root / layout.OTTER_ZIP))
        written += _solutions(root, outputs, execute)
    written += _nbgrader(root, masters, nbgrader_code)
    from layerwise.examples import write_example_class  # the example class derives from solutions/

    written += write_example_class(root)
    return written
