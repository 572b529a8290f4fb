"""An assignment is a plug-in: the engine names no lesson, a course registers its own package by
entry point, and a seventh question added in a copy of a lesson flows through build, grade,
grades.csv, feedback, the otter zip and the nbgrader course without an engine change."""

from __future__ import annotations

import ast
import base64
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path
from typing import Any

import pytest
from layerwise import registry
from layerwise.build.zips import entries

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autograder" / "layerwise"


def lesson_words() -> set[str]:
    """Every registered assignment's name, question ids and function names."""
    words: set[str] = set()
    for name in registry.registered():
        assignment = registry.get(name)
        words |= {assignment.name, *assignment.question_ids,
                  *(q.function for q in assignment.questions)}
    return words


def test_no_lesson_is_named_in_an_engine_module() -> None:
    words = lesson_words()
    assert {"cnn_keras", "layer_outputs", "channels_l2f"} <= words
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "assignments" in path.relative_to(PACKAGE).parts:
            continue
        text = path.read_text(encoding="utf-8")
        for word in words:
            for match in re.finditer(rf"\b{re.escape(word)}\b", text):
                found.append(f"{path.relative_to(PACKAGE)}:{text.count(chr(10), 0, match.start()) + 1}"
                             f" {word}")
    assert not found, found


def test_every_registered_assignment_is_complete_and_listed() -> None:
    names = sorted(registry.registered())
    assert "cnn_keras" in names
    for name in names:
        assert registry.get(name).problems() == []
    listed = subprocess.run([sys.executable, "-c", "from layerwise.cli import main; main()",
                             "assignments"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COLUMNS": "250"})
    assert listed.returncode == 0, listed.stderr
    for name in names:
        assert name in listed.stdout


SEVENTH = '''
# %% [raw]
# # BEGIN QUESTION
# name: relu_value
# points: 5

# %% [markdown]
# **Questão `relu_value` (5 pontos).** Escreva `relu_at(x)`: a ReLU de um número, `max(0, x)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
def relu_at(x):
    """max(0, x), as a float."""
    # BEGIN SOLUTION NO PROMPT
    return max(0.0, float(x))
    # END SOLUTION
    """ # BEGIN PROMPT
    raise NotImplementedError("relu_at: complete esta função / complete this function")
    """ # END PROMPT


# %% [raw]
# # END SOLUTION

# %% [raw]
# # BEGIN TESTS

# %%
def test_relu_value_seed(relu_at):
    assert relu_at(-2) == 0 and relu_at(3) == 3, "ReLU: max(0, x)"

test_relu_value_seed(relu_at)


# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

'''

PLUGIN = {
    "lesson7/__init__.py": '''
        """A course's variation of the first lesson: one more question (relu_value)."""

        from dataclasses import replace

        from layerwise.assignment import Question
        from layerwise.assignments.cnn_keras import ASSIGNMENT as BASE
        from layerwise.messages import Msg

        from lesson7.harvest import FIELDS


        def make_cases(seed):
            cases = BASE.make_cases(seed)
            cases["relu_points"] = [{"id": "seed-1", "hidden": False, "x": -2.0},
                                    {"id": "hidden-1", "hidden": True, "x": 3.5 + seed % 3}]
            return cases


        ASSIGNMENT = replace(
            BASE, name="lesson7", title=Msg("Lição 7", "Lesson 7"), editions=("pt",),
            questions=(*BASE.questions, Question("relu_value", 5, "relu_at",
                                                 Msg("ReLU num ponto", "ReLU at a point"),
                                                 "relu_points")),
            make_cases=make_cases, student_side="lesson7.harvest", examples="",
            checkers="lesson7.checks", fields=FIELDS,
            diagnoses={**BASE.diagnoses,
                       "relu_negative": Msg("A ReLU de um negativo é 0.", "ReLU(x<0) is 0.")})
    ''',
    "lesson7/harvest.py": '''
        """Student side: the first lesson's harvesters and one for relu_at."""

        from layerwise.assignments.cnn_keras.harvest import FIELDS as BASE_FIELDS
        from layerwise.assignments.cnn_keras.harvest import HARVESTERS as BASE
        from layerwise.harvest.values import BOOL, NUMBER, RecordSpec, call, plain_number


        def relu_value(fn, case, ctx):
            value, error = call(fn, case["x"])
            return {"error": error} if error else plain_number(value)


        HARVESTERS = {**BASE, "relu_value": relu_value}
        FIELDS = {**BASE_FIELDS,
                  "relu_value": RecordSpec({"value": NUMBER, "integral": BOOL}, required=("value",))}
    ''',
    "lesson7/checks.py": '''
        """Grader side: the first lesson's checkers and one for relu_value."""

        from layerwise.assignments.cnn_keras.checks import CHECKERS as BASE
        from layerwise.compare.base import CaseResult, error_result
        from layerwise.messages import Msg


        def check(case, expected, given):
            failed = error_result(case, given, f"{expected['value']:g}")
            if failed:
                return failed
            ok = given["value"] == expected["value"]
            return CaseResult(case["id"], case["hidden"], ok, f"{expected['value']:g}",
                              f"{given['value']:g}",
                              None if ok else Msg("ReLU errada.", "Wrong ReLU."),
                              None if ok else "relu_negative")


        CHECKERS = {**BASE, "relu_value": check}
    ''',
    "lesson7-0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: lesson7\nVersion: 0.1\n",
    "lesson7-0.1.dist-info/entry_points.txt":
        "[layerwise.assignments]\nlesson7 = lesson7:ASSIGNMENT\n",
}


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-c", "from layerwise.cli import main; main()", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-4000:])
    return done


@pytest.fixture(scope="module")
def seventh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A course package registered by entry point (a dist-info on PYTHONPATH), its source with
    a seventh question, built and graded by the command line."""
    tmp = tmp_path_factory.mktemp("seventh")
    packages, kit = tmp / "packages", tmp / "kit"
    for name, text in PLUGIN.items():
        path = packages / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    source = (ROOT / "source" / "cnn_keras.py").read_text(encoding="utf-8")
    source = source.replace("# name: cnn_keras\n", "# name: lesson7\n", 1)
    reflection = "# %% [raw]\n# # BEGIN QUESTION\n# name: reflection\n"
    assert source.count(reflection) == 1
    source = source.replace(reflection, SEVENTH.lstrip() + reflection)
    (kit / "source").mkdir(parents=True)
    (kit / "source" / "lesson7.py").write_text(source, encoding="utf-8")
    checkout = str(PACKAGE.parent)  # this checkout's layerwise, not whichever is installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(packages), checkout])}
    listed = _cli("assignments", env={**env, "COLUMNS": "250"}, cwd=kit)
    _cli("build", "--assignment", "lesson7", env=env, cwd=kit)
    picked = kit / "picked"  # two of the built example class: grading all of it adds nothing
    picked.mkdir()
    for name in ("full_marks", "blank"):
        shutil.copy(kit / "autograder" / "examples" / "lesson7" / f"{name}.ipynb", picked)
    _cli("grade", "picked", "--out", "run", "--seed", "2026", "--workers", "1", env=env,
         cwd=kit)
    return {"kit": kit, "listed": listed.stdout}


def test_a_course_registers_its_own_assignment(seventh: dict[str, Any]) -> None:
    assert "lesson7" in seventh["listed"] and "relu_value" in seventh["listed"]


def test_the_seventh_question_is_graded(seventh: dict[str, Any]) -> None:
    run = seventh["kit"] / "run"
    with open(run / "grades.csv", newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert list(rows["full_marks"])[-1] == "relu_value"
    assert float(rows["full_marks"]["relu_value"]) == 5
    assert float(rows["full_marks"]["total"]) == 105
    assert float(rows["blank"]["relu_value"]) == 0
    info = json.loads((run / "run.json").read_text())
    assert info["assignment"] == "lesson7" and info["max_total"] == 105
    record = json.loads((run / "blank" / "grading.json").read_text())
    assert record["assignment"] == "lesson7"
    seventh_q = next(q for q in record["questions"] if q["id"] == "relu_value")
    assert seventh_q["cases"] == 2 and seventh_q["title"]["en"] == "ReLU at a point"
    html = (run / "blank" / "feedback.html").read_text()
    assert 'id="q-relu_value"' in html and "ReLU num ponto" in html


def test_the_seventh_question_reaches_otter_and_nbgrader(seventh: dict[str, Any]) -> None:
    kit = seventh["kit"]
    zipped = entries(kit / "autograder" / "otter" / "lesson7-autograder.zip")
    assert "tests/relu_value.py" in zipped and "files/lesson7/harvest.py" in zipped
    test = zipped["tests/relu_value.py"].decode()
    assert test.count("hidden=True") == 2 and "check_case" in test
    config = json.loads(zipped["otter_config.json"])
    assert config["show_hidden"] is True
    course = kit / "autograder" / "nbgrader" / "source" / "lesson7"
    notebook = json.loads((course / "lesson7.ipynb").read_text())
    graded = [c for c in notebook["cells"]
              if c["metadata"].get("nbgrader", {}).get("grade_id") == "relu_value_tests"]
    assert len(graded) == 1 and graded[0]["metadata"]["nbgrader"]["points"] == 5
    assert [p.name for p in course.iterdir()] == ["lesson7.ipynb"]  # nothing else to hand out
    code = "".join(graded[0]["source"]).split("### BEGIN HIDDEN TESTS\n")[1]
    call = [n for n in ast.walk(ast.parse(code.split("### END HIDDEN TESTS")[0]))
            if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "_layerwise_score"]
    carried = json.loads(zlib.decompress(base64.b64decode(call[0].args[3].value)))
    assert "lesson7/harvest.py" in carried and "layerwise/native.py" in carried
    assert (kit / "release" / "lesson7" / "tests" / "relu_value.py").is_file()
