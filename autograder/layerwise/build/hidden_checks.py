"""The grader's checks carried inside nbgrader's hidden test cells, never beside the notebook.

nbgrader copies every file beside a source notebook into the student release, so the checks
cannot sit there (they hold the answers: a lesson's checks may compute every layer). Each graded
cell instead carries, between its HIDDEN TESTS markers (stripped at release, restored by
`nbgrader autograde`), the checks' modules as compressed data and `score`, which imports them
from memory for the length of the cell and drops them after. The grading environment needs only
the lesson's own requirements, and a student's kernel never has a check to import: not while
they work, and not in the cells that run after a graded cell at autograde time.

The loader is written here by hand because the standard library's `zipimport` reads only files
on disk, and a file would stay readable by the student's later cells.
"""

from __future__ import annotations

import base64
import inspect
import json
import zlib

from layerwise.assignment import Assignment

from .package import shipped_files


def bundle(assignment: Assignment) -> str:
    """The modules the in-kernel checks of `assignment` import ({path: source}, as JSON),
    compressed and base64-encoded; the same text for the same sources."""
    files = {rel.as_posix(): src.read_text(encoding="utf-8")
             for src, rel in shipped_files(assignment)}
    text = json.dumps(files, sort_keys=True, ensure_ascii=False)
    return base64.b64encode(zlib.compress(text.encode(), 9)).decode()


def score(env: dict[str, object], question: str, entries: list[str], bundle: str) -> float:
    """Points earned on `question` (`layerwise.native.score_cases`), with the checks imported from
    `bundle` for the length of this call only. Written to run alone in a notebook cell."""
    import base64
    import importlib
    import importlib.abc
    import importlib.util
    import json
    import sys
    import zlib

    files = json.loads(zlib.decompress(base64.b64decode(bundle)))
    tops = {path.split("/")[0] for path in files}

    class Checks(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
            base = fullname.replace(".", "/")
            for name, package in ((f"{base}/__init__.py", True), (f"{base}.py", False)):
                if name in files:
                    return importlib.util.spec_from_loader(fullname, self, origin=name,
                                                           is_package=package)
            return None

        def create_module(self, spec):  # type: ignore[no-untyped-def]
            return None

        def exec_module(self, module):  # type: ignore[no-untyped-def]
            name = module.__spec__.origin
            module.__file__ = name
            exec(compile(files[name], name, "exec"), module.__dict__)

    def take() -> dict[str, object]:
        return {m: sys.modules.pop(m) for m in list(sys.modules) if m.split(".")[0] in tops}

    finder = Checks()
    displaced = take()  # a module of the same name already imported must not stand in for them
    sys.meta_path.insert(0, finder)
    try:
        native = importlib.import_module("layerwise.native")
        return float(native.score_cases(env, question, entries))
    finally:
        sys.meta_path.remove(finder)
        take()  # the checks go; what was imported before comes back as it was
        sys.modules.update(displaced)  # type: ignore[arg-type]


def cell_code(question_id: str, entries: list[str], checks: str) -> str:
    """The hidden code of one graded cell: `score`'s definition, then its call, whose value (the
    cell's result) is the points earned: nbgrader's partial credit."""
    loader = inspect.getsource(score).replace("def score(", "def _layerwise_score(", 1)
    return (f"{loader}\n\n"
            f"_layerwise_score(globals(), {question_id!r}, {entries!r},\n"
            f"                 {checks!r})\n")
