"""`build`: every generated artefact of each assignment, from its one instructor source."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nbformat import NotebookNode

from layerwise import registry
from layerwise.assignment import Assignment
from layerwise.errors import ConfigError
from layerwise.kit import SOURCE_DIR

from . import notebooks, requirements, student
from .declared import check_declared
from .edition import edition, read_source
from .examples import write_example_class
from .execute import execute as run_notebook
from .gradescope import GradescopeSettings, write_gradescope_zip
from .hidden import HiddenSource, NbgraderSource, default_nbgrader_source, default_source
from .layout import NBGRADER_CONFIG, Layout
from .master import otter_master
from .nbgrader_course import nbgrader_notebook, write_config
from .otter_assign import AssignOutput, run_all
from .package import shipped_tops
from .zips import rewrite_stable


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _release(root: Path, layout: Layout, outputs: dict[str, AssignOutput]) -> list[Path]:
    """Student notebooks, public tests and the students' requirements into `release/<name>/`."""
    release = root / layout.release
    tests = release / "tests"
    if tests.exists():
        shutil.rmtree(tests)
    written = []
    for lang, out in outputs.items():
        nb = student.student(notebooks.read(out.student_notebook), lang)
        written.append(notebooks.write(nb, release / layout.notebook_name(lang)))
    tests.mkdir(parents=True)
    for test in sorted((outputs[layout.default_lang].student_dir / "tests").glob("*.py")):
        written.append(Path(shutil.copyfile(test, tests / test.name)))
    written.append(_write_text(release / "requirements.txt",
                               requirements.text(requirements.student(layout.assignment))))
    return written


def _solutions(root: Path, layout: Layout, outputs: dict[str, AssignOutput], run: bool
               ) -> list[Path]:
    """Solved notebooks, executed next to otter's full tests, into `solutions/`."""
    written = []
    for lang, out in outputs.items():
        nb = student.solution(notebooks.read(out.solution_notebook))
        if run:
            notebooks.write(nb, out.solution_notebook)  # run the fixed notebook where tests are
            run_notebook(nb, out.autograder_dir)
        written.append(notebooks.write(nb, root / layout.solution(lang)))
    return written


def _nbgrader(root: Path, layout: Layout, masters: dict[str, NotebookNode],
              hidden_code: NbgraderSource | None) -> list[Path]:
    """Per edition an nbgrader assignment (`<name>`, `<name>_<lang>`): its source notebook
    alone, since nbgrader hands students every file beside it (the checks travel inside the
    hidden test cells)."""
    written = []
    for lang, master in masters.items():
        folder = root / layout.nbgrader_source(lang).parent
        if folder.exists():
            shutil.rmtree(folder)  # what an older build left there, the kit's checks included
        written.append(notebooks.write(nbgrader_notebook(master, hidden_code),
                                       root / layout.nbgrader_source(lang)))
    return written


def build_assignment(root: Path, assignment: Assignment, *, execute: bool = True,
                     hidden: HiddenSource | None = None,
                     gradescope: GradescopeSettings | None = None) -> list[Path]:
    """Regenerate one assignment's release, solutions, otter zip, Gradescope zip, nbgrader
    assignments and example class from `root/source/<name>.py`; solutions are executed unless
    `execute` is False. `hidden` replaces the reference's hidden tests (for trials)."""
    layout = Layout(assignment)
    source_path = root / layout.source
    source = read_source(source_path)
    check_declared(source, assignment, layout.source)
    hidden_cells = hidden or default_source(assignment, source_path)
    nbgrader_code = None if hidden else default_nbgrader_source(assignment, source_path)
    tops = shipped_tops(assignment)
    masters = {lang: otter_master(edition(source, lang, assignment.name), hidden_cells, tops)
               for lang in layout.langs}
    with tempfile.TemporaryDirectory(prefix="layerwise-build-") as tmp:
        outputs = run_all(masters, Path(tmp), assignment)
        written = _release(root, layout, outputs)
        written.append(rewrite_stable(outputs[layout.default_lang].zip, root / layout.otter_zip))
        written += _solutions(root, layout, outputs, execute)
    if hidden is None:
        written.append(write_gradescope_zip(root, assignment, gradescope or GradescopeSettings()))
    written += _nbgrader(root, layout, masters, nbgrader_code)
    written += write_example_class(root, assignment)  # derives from solutions/
    return written


def buildable(root: Path) -> list[Assignment]:
    """The registered assignments whose instructor source is in the kit at `root`."""
    found = [registry.get(name) for name in sorted(registry.registered())]
    chosen = [a for a in found if (root / Layout(a).source).is_file()]
    sources = sorted(p.stem for p in (root / SOURCE_DIR).glob("*.py"))
    if not chosen and sources:
        raise ConfigError(f"no registered lesson has its source in {root / SOURCE_DIR} (found "
                          f"{', '.join(sources)}.py): install the course's package first (pip "
                          "install -e . in its folder), then check `layerwise assignments`")
    return chosen


def build(root: Path, *, assignments: list[Assignment] | None = None, execute: bool = True,
          hidden: HiddenSource | None = None,
          gradescope: GradescopeSettings | None = None) -> list[Path]:
    """Regenerate every artefact of `assignments` (default: every registered assignment whose
    source is in the kit) and the nbgrader course's config. Returns the written paths."""
    root = Path(root).resolve()
    chosen = buildable(root) if assignments is None else assignments
    written = [write_config(root / NBGRADER_CONFIG)]
    for assignment in chosen:
        written += build_assignment(root, assignment, execute=execute, hidden=hidden,
                                    gradescope=gradescope)
    return written
