"""What an assignment gives the engine. The engine knows no lesson: it grades any assignment that
registers, by name, in the entry-point group `layerwise.assignments`.

An assignment is a package with the trust boundary visible in its modules:

- **questions** (`Question`): id, points, the student's function, titles, which case list it
  runs on, whether its failures are drawn layer by layer;
- **cases** (`make_cases(seed)`): the seed's examples and hidden randomized inputs;
- **student side** (a module run in the student's process, `Assignment.student_side`): a
  harvester per question calls the student's function on a case and keeps what it returned
  as plain data; it knows no expected value;
- **grader side**: a checker per question compares a harvested record with the reference's
  (the same harvester run on the solution) and names the mistake; the fields a record may
  hold, checked before the grader reads one; bilingual diagnoses;
- **options**: the fast `predict`, modules workers import once, the example class.

`layerwise assignments` lists what is registered; README "Writing your own assignment" walks
through the steps with the second lesson as the example.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from layerwise.harvest.values import RecordSpec
from layerwise.messages import LANGUAGES, Msg

if TYPE_CHECKING:  # only the lessons that set a policy import (and ship) it
    from layerwise.policies import GradescopePolicy

Case = dict[str, Any]
"""One case: an "id", "hidden", and the inputs the harvester needs (plain data)."""
CaseSet = dict[str, Any]
"""Every case of a seed: case lists by name (e.g. "models": [case, ...]), plus "seed"."""
Record = dict[str, Any]
"""What a harvester kept of one call: plain data only (dicts, lists, numbers, text, arrays)."""


@dataclass(frozen=True)
class Question:
    """A graded question: the student writes `function`; it is run on `cases`."""

    id: str
    points: float
    function: str
    title: Msg
    cases: str
    """The case list it runs on (a key of the case set; questions may share one)."""
    draws: bool = False
    """A failing case is drawn in the feedback: the first diverging layer (or map) of the
    expected and given outputs side by side (the checker puts them in `CaseResult.arrays`)."""


class Context(Protocol):
    """What a harvester may use besides the student's function and the case."""

    ns: dict[str, Any]
    """The notebook's namespace after its cells ran."""
    reference: bool
    """True when the harvest is the reference solution's (the expected values)."""

    def keep(self, key: str, case_id: str, value: Any) -> None:
        """Keep plain data for the grader's side (e.g. the weights a reference case used,
        which `Assignment.student_inputs` hands to the students)."""


Harvester = Callable[[Any, Case, Context], Record]
"""(the student's function, one case, the context) -> the record of that call."""


Checker = Callable[[Case, Record, Record], Any]
"""(case, the reference's record, the student's record) -> a `compare.base.CaseResult`."""


def same_inputs(cases: CaseSet, reference: dict[str, Any]) -> CaseSet:
    """Students receive the cases as they are."""
    return cases


@dataclass(frozen=True)
class Assignment:
    """Everything the engine needs to build, grade and report one assignment."""

    name: str
    """Its id: file names (`source/<name>.py`, `release/<name>/`), the nbgrader assignment,
    the otter zip, every record of a run."""
    title: Msg
    questions: tuple[Question, ...]
    make_cases: Callable[[int], CaseSet]
    """The cases of a seed (the same seed always gives the same cases)."""
    student_side: str
    """The module the submission's process imports: `HARVESTERS` (question id -> Harvester).
    It must not import the grader's side."""
    checkers: str
    """The grader side: the module of `CHECKERS` (question id -> Checker). Only the grader's
    process imports it; inside the sandbox its files are not even readable, so a submission can
    neither call a checker nor read what it computes."""
    fields: Mapping[str, RecordSpec]
    """Per question, the type of each field a record may hold (`harvest.values.RecordSpec`):
    the worker refuses a harvest whose records do not match before the grader reads it."""
    diagnoses: Mapping[str, Msg]
    """Mistake code -> what the student reads about it (both languages)."""
    student_inputs: Callable[[CaseSet, dict[str, Any]], CaseSet] = same_inputs
    """The cases as the students' processes receive them, given the reference harvest."""
    picture_reasons: Mapping[str, Msg] = field(default_factory=dict)
    """Why a failing drawn question has no picture (a checker's `no_picture` code)."""
    editions: tuple[str, ...] = ("pt", "en")
    """Languages of the notebook, among `messages.LANGUAGES` (pt and en: every text a student
    reads is a `Msg` of those two); the first is the default edition (`<name>.ipynb`)."""
    fast_predict: bool = False
    """Serve the students' `keras.Model.predict` by direct calls while grading."""
    preload: tuple[str, ...] = ()
    """Modules every worker imports once, before forking a child per submission."""
    examples: str = ""
    """The module of its example class (`MUTANTS`, `STYLES`): build-time only, never
    importable by a submission."""
    native_seed: int = 2026
    """Seed of the hidden cases built into the otter zip and the nbgrader course."""
    requirements: tuple[str, ...] = ("numpy",)
    """What the students' notebook needs, as pip requirements: `release/<name>/
    requirements.txt` (the engine adds otter-grader for `grader.check`)."""
    grader_requirements: tuple[str, ...] | None = None
    """What the otter autograder's image installs, when it differs from `requirements`
    (e.g. tensorflow-cpu on a Linux grader without a GPU)."""
    gradescope: GradescopePolicy | None = None
    """The Gradescope zip's late penalty and rate limit (default: none)."""

    @property
    def max_total(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def all_diagnoses(self) -> dict[str, Msg]:
        """Every mistake a student of this assignment may read about: the engine's and its
        own."""
        from layerwise.messages import DIAGNOSES

        return {**DIAGNOSES, **self.diagnoses}

    def edition(self, lang: str) -> str:
        """An edition's name (its notebook's stem, its nbgrader assignment): `<name>` for the
        first language, `<name>_<lang>` for the others."""
        return self.name if lang == self.editions[0] else f"{self.name}_{lang}"

    def checker_table(self) -> Mapping[str, Checker]:
        """The grader side's checkers (imported on first use)."""
        return _checkers(self.checkers)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def problems(self) -> list[str]:
        """What is missing for the engine to grade it (empty when complete)."""
        found = []
        ids = self.question_ids
        if len(set(ids)) != len(ids):
            found.append("question ids repeat")
        if not self.editions or not set(self.editions) <= set(LANGUAGES):
            found.append(f"editions {self.editions} must be among {', '.join(LANGUAGES)} (the "
                         "engine's feedback exists in those languages only)")
        checkers = self.checker_table()
        for q in self.questions:
            for what, table in (("checker", checkers), ("field list", self.fields)):
                if q.id not in table:
                    found.append(f"question {q.id!r} has no {what}")
        return found


@functools.cache
def _checkers(module: str) -> Mapping[str, Checker]:
    table: Mapping[str, Checker] = importlib.import_module(module).CHECKERS
    return table
