"""What a student receives holds nothing the grader knows (issue #20).

The student's view is every artefact a student gets: `release/<lesson>/` (the otter path: the
notebooks, their metadata, the public tests, requirements.txt) and the student release that
`nbgrader generate_assignment` makes from a copy of `autograder/nbgrader/` (nbgrader copies every
file beside a source notebook). None of it may hold a grader-side module, a hidden case or its
generator, an expected value, or code that passes a hidden check: every `.py` found there is
imported and each function it defines is called, as each question's graded function, on the
question's hidden cases (decoded from the grader's own course) and compared by the kit's checks.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from layerwise import native, registry
from layerwise.assignment import Assignment
from layerwise.build.layout import NBGRADER, Layout
from layerwise.build.package import shipped_files

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [registry.get(n) for n in sorted(registry.registered())
           if (ROOT / "source" / f"{n}.py").is_file()]
PAYLOAD = re.compile(r"eN[0-9A-Za-z+/]{60,}={0,2}")
"""A case encoded by `layerwise.native.encode` (zlib, then base64: always starts with "eN")."""


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.fixture(scope="module")
def student_view(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Label -> folder of everything students receive, on every path."""
    view = {f"release/{a.name}": ROOT / Layout(a).release for a in LESSONS}
    course = tmp_path_factory.mktemp("student-view") / "course"
    shutil.copytree(ROOT / NBGRADER, course, ignore=shutil.ignore_patterns(
        "gradebook.db", "release", "submitted", "autograded", "feedback", "__pycache__"))
    for a in LESSONS:
        for lang in a.editions:
            edition = a.edition(lang)
            _nbgrader(course, "generate_assignment", edition, "--force")
            view[f"nbgrader release/{edition}"] = course / "release" / edition
    return view


def _files(view: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    for label, folder in view.items():
        assert folder.is_dir(), label
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield f"{label}/{path.relative_to(folder).as_posix()}", path


def _grader_modules() -> dict[str, str]:
    """Path in the kit -> source of every module the grader's checks are made of."""
    return {rel.as_posix(): src.read_text(encoding="utf-8")
            for a in LESSONS for src, rel in shipped_files(a)}


def _signatures(source: str) -> set[str]:
    """The `def`/`class` lines of a module: text no notebook a student receives should quote."""
    return {ln.strip() for ln in source.splitlines()
            if re.match(r"\s*(def|class) \w+", ln) and len(ln.strip()) >= 25}


def test_no_grader_module_reaches_a_student(student_view: dict[str, Path]) -> None:
    modules = _grader_modules()
    signatures = set().union(*map(_signatures, modules.values()))
    leaks = []
    for label, path in _files(student_view):
        if any(label.endswith("/" + rel) for rel in modules):
            leaks.append(f"{label}: a copy of the grader's module")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if quoted := sorted(s for s in signatures if s in text):
            leaks.append(f"{label}: quotes the grader's {quoted[:3]}")
    assert not leaks, "\n".join(leaks)


def test_no_hidden_case_nor_expected_value_reaches_a_student(
        student_view: dict[str, Path]) -> None:
    leaks = []
    for label, path in _files(student_view):
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in ("BEGIN HIDDEN TESTS", "hidden=True", "hidden: true", "make_cases",
                       "score_cases", "check_case"):
            if needle in text:
                leaks.append(f"{label}: {needle}")
        if PAYLOAD.search(text):
            leaks.append(f"{label}: an encoded case (inputs and expected values)")
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            if any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
                leaks.append(f"{label}: executed outputs (the solution's values)")
    assert not leaks, "\n".join(leaks)


# code that passes a hidden check -----------------------------------------------------------------

def _hidden_cases(assignment: Assignment) -> dict[str, list[dict[str, Any]]]:
    """Question -> its hidden cases (inputs, expected), decoded from the grader's nbgrader
    course (grader side: students never receive it)."""
    notebook = ROOT / Layout(assignment).nbgrader_source(assignment.editions[0])
    out: dict[str, list[dict[str, Any]]] = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        lists = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.List)] \
            if cell.cell_type == "code" else []
        for node in (e for n in lists for e in n.elts):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and PAYLOAD.fullmatch(node.value):
                data = native.decode(node.value)
                if data["case"].get("hidden"):
                    out.setdefault(data["question"], []).append(data)
    assert set(out) == set(assignment.question_ids) - {q.id for q in assignment.questions
                                                        if not q.cases}, out.keys()
    return out


def _functions(path: Path) -> list[tuple[str, Callable[..., Any]]]:
    """Every function a `.py` file defines, imported as a module of its own (a file that cannot
    be imported passes nothing)."""
    spec = importlib.util.spec_from_file_location(f"student_view_{abs(hash(path))}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec.loader.exec_module(module)
    except BaseException:  # whatever it raises, it defines nothing usable
        return []
    defined = [n.name for n in ast.parse(path.read_text(encoding="utf-8")).body
               if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    # as the module holds them (otter's public tests are `test_case` objects, called the same way)
    return [(f"{path.name}:{name}", vars(module)[name]) for name in defined
            if callable(vars(module).get(name)) and not inspect.isclass(vars(module)[name])]


def _passes(assignment: Assignment, question: str, function: Callable[..., Any],
            cases: list[dict[str, Any]]) -> list[str]:
    """The hidden cases of `question` that `function`, as its graded function, passes."""
    name = assignment.question(question).function
    passed = []
    for data in cases:
        try:
            result = native._run_one({name: function}, question, data)
        except Exception:  # a candidate that breaks the check passes nothing
            continue
        if result.passed:
            passed.append(data["case"]["id"])
    return passed


@pytest.mark.parametrize("assignment", LESSONS, ids=lambda a: a.name)
def test_no_code_a_student_receives_passes_a_hidden_check(
        student_view: dict[str, Path], assignment: Assignment) -> None:
    hidden = _hidden_cases(assignment)
    candidates = [f for _, path in _files(student_view) if path.suffix == ".py"
                  for f in _functions(path)]
    assert candidates, "the public tests at least define functions"
    passing = []
    with native.quiet_stderr():
        for label, function in candidates:
            for question, cases in hidden.items():
                if won := _passes(assignment, question, function, cases):
                    passing.append(f"{label} passes {question} {won}")
    assert not passing, "\n".join(passing)


def test_the_hidden_check_catches_a_real_answer() -> None:
    """The previous test can fail: the reference's own NumPy layers pass the hidden cases."""
    from layerwise.assignments.cnn_numpy.checks import layers

    numpy_lesson = registry.get("cnn_numpy")
    hidden = _hidden_cases(numpy_lesson)
    assert _passes(numpy_lesson, "relu", layers.relu, hidden["relu"]) == \
        [d["case"]["id"] for d in hidden["relu"]]
