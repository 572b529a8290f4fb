"""`layerwise build`: a fresh build equals what is committed, the release leaks nothing, the
solutions run clean, the blank release fails its checks gracefully, nbgrader grades the solution.

One build per session (≈ 30 s: two otter assigns, two executed solutions)."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from artifacts import tree_differences
from keras_lesson import ASSIGNMENT, BY_ID, QUESTIONS
from keras_lesson import LAYOUT as layout
from layerwise.build import build
from layerwise.build.execute import execute
from layerwise.build.layout import NBGRADER, NBGRADER_CONFIG
from layerwise.build.package import missing_imports, shipped_files
from layerwise.build.zips import entries, rewrite_stable
from layerwise.registry import nbgrader_assignments

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = [layout.notebook_name(lang) for lang in layout.langs]  # pt first
ASSIGNMENTS = [layout.edition(lang) for lang in layout.langs]  # cnn_keras, cnn_keras_en
STUDENT_ERRORS = {"NotImplementedError", "NameError"}  # NameError: a variable a failed cell lacks


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(REPO / "source", root / "source")
    build(root, assignments=[ASSIGNMENT], execute=True)
    return root


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _check_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code" and "grader.check(" in c.source]


def _solution_lines() -> list[str]:
    """Non-trivial lines of the source's solution regions."""
    lines, inside = [], False
    for line in (REPO / layout.source).read_text(encoding="utf-8").splitlines():
        if re.match(r"\s*# BEGIN SOLUTION", line):
            inside = True
        elif re.match(r"\s*# END SOLUTION", line):
            inside = False
        elif inside and len(line.strip()) > 20:
            lines.append(line.strip())
    assert len(lines) > 10
    return lines


# (a) ------------------------------------------------------------------------------------------

def test_release_is_committed(built: Path) -> None:
    assert _files(built / layout.release) == _files(REPO / layout.release)


def test_solutions_are_committed(built: Path) -> None:
    # Execution is deterministic here: counts run 1..n, stream chunks are merged, otter's random
    # emoji is fixed, timestamps are stripped, TF start-up lines are dropped. Compared byte for byte.
    # (A different CPU/TF build could change float digits in printed outputs: rebuild then.)
    for lang in layout.langs:
        path = layout.solution(lang)
        assert (built / path).read_bytes() == (REPO / path).read_bytes(), path


def test_otter_zip_is_committed(built: Path) -> None:
    # Timestamps are fixed by the build anyway; names and contents are what matter. The zip holds
    # a copy of the modules the in-kernel checks import: editing one of them requires a rebuild.
    # Reference numbers may differ in their last digits on another CPU (see artifacts.py).
    differ = tree_differences(entries(built / layout.otter_zip), entries(REPO / layout.otter_zip))
    assert not differ, f"rebuild: these zip entries changed: {differ}"


def test_gradescope_zip_is_committed(built: Path) -> None:
    """The kit's own Gradescope zip: same entries (its bytes: test_build_is_byte_stable)."""
    differ = tree_differences(entries(built / layout.gradescope_zip),
                              entries(REPO / layout.gradescope_zip))
    assert not differ, f"rebuild: these zip entries changed: {differ}"


def test_nbgrader_course_is_committed(built: Path) -> None:
    """One assignment per edition (source notebook and its own copy of the checks), nothing else."""
    for lang in layout.langs:
        folder = layout.nbgrader_source(lang).parent  # (the course may hold nbgrader's output)
        assert not tree_differences(_files(built / folder), _files(REPO / folder))
    assert (built / NBGRADER_CONFIG).read_bytes() == (REPO / NBGRADER_CONFIG).read_bytes()
    assert sorted(p.name for p in (built / NBGRADER / "source").iterdir()) == ASSIGNMENTS
    assert ASSIGNMENTS == ["cnn_keras", "cnn_keras_en"]
    assert set(ASSIGNMENTS) <= nbgrader_assignments()  # intake recognises submitted/ layouts


def test_build_is_byte_stable(built: Path, tmp_path: Path) -> None:
    """Even the zip bytes (sorted entries, 1980 timestamps) depend only on what is inside: the
    same entries written in another order at another time come out as the build's bytes."""
    for zip_path in (layout.otter_zip, layout.gradescope_zip):
        made = built / zip_path
        shuffled = tmp_path / "shuffled.zip"
        with zipfile.ZipFile(made) as zf, zipfile.ZipFile(shuffled, "w") as out:
            for info in reversed(zf.infolist()):
                moved = zipfile.ZipInfo(info.filename, date_time=(2026, 12, 5, 12, 0, 0))
                moved.external_attr = info.external_attr
                out.writestr(moved, zf.read(info))
        assert rewrite_stable(shuffled, tmp_path / "again.zip").read_bytes() == made.read_bytes()
        if entries(made) == entries(REPO / zip_path):
            assert made.read_bytes() == (REPO / zip_path).read_bytes(), zip_path


# (b) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_release_has_no_solution(built: Path, name: str) -> None:
    nb = _read(built / layout.release / name)
    text = nbformat.writes(nb)
    code = "\n".join(_code(nb))
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN PROMPT", "otter_assign_solution_cell",
                   "ASSIGNMENT CONFIG", "BEGIN TESTS"):
        assert marker not in text, marker
    assert not [c for c in nb.cells if c.cell_type == "raw"]  # otter markers are raw cells
    assert "np.transpose(" not in code
    leaked = [line for line in _solution_lines() if line in code]
    assert not leaked, leaked
    assert code.count("raise NotImplementedError(") == 6


def _hidden_names(built: Path) -> set[str]:
    """Names of the hidden test functions in the autograder zip."""
    names = set()
    for name, data in entries(built / layout.otter_zip).items():
        if name.startswith("tests/"):
            tree = ast.parse(data.decode())
            names |= {f.name for f in tree.body if isinstance(f, ast.FunctionDef)
                      and any("hidden=True" in ast.unparse(d) for d in f.decorator_list)}
    return names


def test_release_has_no_hidden_tests(built: Path) -> None:
    hidden = _hidden_names(built)
    release = _files(built / layout.release)
    for rel, data in release.items():
        text = data.decode()
        assert "hidden=True" not in text and "BEGIN TEST CONFIG" not in text, rel
        assert "check_case" not in text and "layerwise.native" not in text, rel
        assert not [n for n in hidden if n in text], rel
    public = {p.stem for p in (built / layout.release / "tests").glob("*.py")}
    assert public == {"kernel_layout", "dense_size", "sequential_model", "functional_model",
                      "layer_outputs", "param_count"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_release_init_ignores_file_name(built: Path, name: str) -> None:
    nb = _read(built / layout.release / name)
    inits = [c.source for c in nb.cells if "otter.Notebook(" in c.source]
    assert len(inits) == 1 and 'otter.Notebook(tests_dir="tests")' in inits[0]
    code = _code(nb)
    installer = next(i for i, s in enumerate(code) if "otter-grader" in s)
    assert code.index(inits[0]) == installer + 1, "init must follow the Colab install cell"


def test_requirements(built: Path) -> None:
    student = (built / layout.release / "requirements.txt").read_text()
    assert "tensorflow>=2.21,<2.22" in student and "tensorflow-cpu" not in student
    assert "otter-grader" in student
    env = entries(built / layout.otter_zip)["environment.yml"].decode()
    assert "tensorflow-cpu==2.21.*" in env and "python=3.11" in env
    assert all(f"- {req}\n" in env for req in ("keras>=3.10,<4", "numpy", "pillow"))


# the in-kernel checks ------------------------------------------------------------------------

def test_zip_ships_only_the_checks(built: Path) -> None:
    """Only the modules the in-kernel checks import ship (editing cli, lms, report... changes
    neither artefact), and they import nothing that does not ship."""
    package = {n.removeprefix("files/") for n in entries(built / layout.otter_zip)
               if n.startswith("files/")}
    assert package == {rel.as_posix() for _, rel in shipped_files(ASSIGNMENT)}
    assert {"layerwise/native.py", "layerwise/harvest/engine.py", "layerwise/plain.py",
            "layerwise/assignments/cnn_keras/checks/models.py",
            "layerwise/assignments/cnn_keras/harvest.py"} <= package
    assert not {n for n in package if n.split("/")[1] in ("cli", "lms", "report", "build",
                                                           "grade", "execute")}
    assert "layerwise/assignments/cnn_keras/examples.py" not in package  # it quotes the answers
    assert missing_imports(ASSIGNMENT) == {}
    for lang in layout.langs:  # nbgrader hands students every file beside the notebook
        folder = built / layout.nbgrader_source(lang).parent
        assert [p.name for p in folder.iterdir()] == [layout.notebook_name(lang)], lang


RUN_CELL = """
import ast, sys
# no kit: neither the editable install's finder nor the checkout; a student's own `layerwise` first
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path[:] = [STUDENT] + [p for p in sys.path if p and not p.startswith(KIT)]
try:
    import layerwise
except ImportError as e:
    assert "the student module" in str(e), e
else:
    raise AssertionError("the kit is importable: the test proves nothing")
def cnn_param_count(input_shape, kernel_shape, n_filters, use_bias=True):
    c, h, w = input_shape; kh, kw = kernel_shape
    return (kh * kw * c * n_filters + n_filters * use_bias
            + ((h - kh + 1) // 2) * ((w - kw + 1) // 2) * n_filters + use_bias)
tree = ast.parse(CELL)
last = ast.Expression(tree.body.pop().value)
exec(compile(tree, "cell", "exec"), globals())
print(eval(compile(last, "cell", "eval"), globals()))
assert not [m for m in sys.modules if m.split(".")[0] == "layerwise"], "checks left behind"
try:
    import layerwise.assignments.cnn_keras.checks.numbers
except ImportError as e:
    assert "the student module" in str(e), e
else:
    raise AssertionError("a check can be imported after the cell")
"""


def test_hidden_cell_grades_on_its_own(built: Path, tmp_path: Path) -> None:
    """A graded cell carries the checks: run with no kit installed nor beside it, and a
    student's own `layerwise` module first on the path, it scores an answer; afterwards no
    check can be imported by the cells that follow."""
    nb = _read(built / layout.nbgrader_source("pt"))
    cell = next(c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "param_count_tests")
    fake = tmp_path / "student" / "layerwise"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('the student module was used')\n")
    script = (f"STUDENT = {str(tmp_path / 'student')!r}\nKIT = {str(REPO / 'autograder')!r}\n"
              f"CELL = {cell.source!r}\n{RUN_CELL}")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1] == "10.0"


def _otter_tests(built: Path) -> dict[str, str]:
    return {n.removeprefix("tests/").removesuffix(".py"): d.decode()
            for n, d in entries(built / layout.otter_zip).items() if n.startswith("tests/")}


def test_otter_hidden_cases_share_the_points_exactly(built: Path) -> None:
    """One hidden test per case; their points add up to exactly the question's (so public tests
    are worth exactly 0 and a full score is exact)."""
    config = json.loads(entries(built / layout.otter_zip)["otter_config.json"])
    assert config["show_hidden"] is True
    for name, text in _otter_tests(built).items():
        decorators = re.findall(r"@test_case\(points=([^,]+), hidden=(True|False)\)", text)
        hidden = [float(p) for p, h in decorators if h == "True"]
        assert all(p == "None" for p, h in decorators if h == "False")
        assert len(hidden) >= 4 and sum(hidden) == BY_ID[name].points, name
        assert "eN" not in "\n".join(ln for ln in text.splitlines() if "check_case(" in ln)


@pytest.mark.parametrize("lang", layout.langs)
def test_nbgrader_graded_cells_hold_only_the_score(built: Path, lang: str) -> None:
    nb = _read(built / layout.nbgrader_source(lang))
    meta = {c.metadata["nbgrader"]["grade_id"]: (c, c.metadata["nbgrader"]) for c in nb.cells
            if "nbgrader" in c.metadata}
    for q in QUESTIONS:
        cell, m = meta[f"{q.id}_tests"]
        assert m["grade"] and m["locked"] and not m["solution"] and m["points"] == q.points
        visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS\n")
        assert all(ln.startswith("#") for ln in visible.splitlines()), visible
        code, after = hidden.split("\n### END HIDDEN TESTS")
        assert not after.strip()
        assert code.startswith("def _layerwise_score(")
        assert f"_layerwise_score(globals(), {q.id!r}, [" in code
        assert "from layerwise" not in code.partition("def _layerwise_score(")[0]
        public, pm = meta[f"{q.id}_public"]
        assert not pm["grade"] and pm["locked"] and not pm["solution"]
        assert "assert " in public.source and "HIDDEN" not in public.source
        assert nb.cells.index(public) + 1 == nb.cells.index(cell)
    cell, m = meta["reflection_answer"]
    assert cell.cell_type == "markdown" and m["grade"] and m["solution"] and not m["locked"]
    config = (built / NBGRADER_CONFIG).read_text()
    assert "ClearHiddenTests" in config  # feedback does not reveal the hidden cases


# (c) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", layout.langs)
def test_solutions_ran_clean(built: Path, lang: str) -> None:
    nb = _read(built / layout.solution(lang))
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, cell.source[:80]
        for out in cell.outputs:
            assert out.output_type != "error", (cell.source[:80], out.get("evalue"))
            assert "execution" not in cell.metadata
    checks = _check_cells(nb)
    assert len(checks) == 6
    for cell in checks:
        results = [o.data["text/plain"] for o in cell.outputs if o.output_type == "execute_result"]
        assert results and "All test cases passed!" in results[0], (cell.source, results)


# (d) ------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def blank_run(built: Path, tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    """The pt release notebook executed as a student receives it (release/tests next to it)."""
    work = tmp_path_factory.mktemp("student")
    shutil.copytree(built / layout.release / "tests", work / "tests")
    nb = _read(built / layout.release / NOTEBOOKS[0])
    return execute(nb, work, allow_errors=True)


def test_blank_release_reaches_the_end(blank_run: nbformat.NotebookNode) -> None:
    code = [c for c in blank_run.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    errors = [o.ename for c in code for o in c.outputs if o.output_type == "error"]
    assert errors and set(errors) <= STUDENT_ERRORS, errors
    assert "NotImplementedError" in errors


def test_blank_release_checks_report_failures(blank_run: nbformat.NotebookNode) -> None:
    checks = _check_cells(blank_run)
    assert len(checks) == 6
    for cell in checks:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        text = "".join(o.data["text/plain"] for o in cell.outputs
                       if o.output_type == "execute_result")
        assert "results:" in text and "All test cases passed!" not in text, (cell.source, text)
        assert "NotImplementedError" in text, text


# (e) ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["release", "solutions"])
def test_editions_share_code(built: Path, kind: str) -> None:
    paths = ([layout.release / name for name in NOTEBOOKS] if kind == "release"
             else [layout.solution(lang) for lang in layout.langs])
    pt, en = (_read(built / path) for path in paths)
    assert _code(pt) == _code(en)
    assert [c.cell_type for c in pt.cells] == [c.cell_type for c in en.cells]
    assert pt.metadata["layerwise"] == {"assignment": "cnn_keras", "lang": "pt"}
    assert en.metadata["layerwise"] == {"assignment": "cnn_keras", "lang": "en"}


def test_nbgrader_editions_share_code(built: Path) -> None:
    """cnn_keras_en is cnn_keras with English text: same code, same nbgrader cells and points."""
    pt, en = (_read(built / layout.nbgrader_source(lang)) for lang in layout.langs)
    assert _code(pt) == _code(en)
    assert [(c.cell_type, c.metadata.get("nbgrader")) for c in pt.cells] == \
        [(c.cell_type, c.metadata.get("nbgrader")) for c in en.cells]
    assert pt.metadata["layerwise"]["lang"] == "pt" and en.metadata["layerwise"]["lang"] == "en"
    text = {lang: "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            for lang, nb in zip(layout.langs, (pt, en), strict=True)}
    assert "**Questão `kernel_layout`" in text["pt"] and "**Question `kernel_layout`" in text["en"]
    assert "Questão" not in text["en"]


# nbgrader --------------------------------------------------------------------------------------

def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("lang", layout.langs)
def test_nbgrader_grades_solution_full(built: Path, tmp_path: Path, lang: str) -> None:
    name = layout.edition(lang)
    course = tmp_path / "course"
    shutil.copytree(built / NBGRADER, course)
    _nbgrader(course, "generate_assignment", name, "--force")
    released = _read(course / "release" / name / f"{name}.ipynb")
    text = nbformat.writes(released)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    answers = [c.source for c in released.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == 6
    assert all("raise NotImplementedError()" in a and "np.transpose(" not in a for a in answers)
    # the notebook alone: the checks travel in the hidden cells nbgrader strips
    assert [p.name for p in (course / "release" / name).iterdir()] == [f"{name}.ipynb"]
    submitted = course / "submitted" / "alice" / name
    submitted.mkdir(parents=True)
    shutil.copy(course / "source" / name / f"{name}.ipynb", submitted)
    _nbgrader(course, "autograde", name, "--force")
    _nbgrader(course, "export")
    header, row = (course / "grades.csv").read_text().splitlines()[:2]
    grades = dict(zip(header.split(","), row.split(","), strict=True))
    assert grades["student_id"] == "alice"
    assert float(grades["score"]) == float(grades["max_score"]) == 100.0
