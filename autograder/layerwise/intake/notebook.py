"""Reading a submitted notebook: its code cells and its language, or why it cannot be read."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
"""The most of a notebook ever read: a larger one is invalid."""

IRI_GRAMMAR = "rfc3987_syntax"
"""jsonschema's optional checker of the "iri" format: it builds a Lark grammar when imported
(about 1 s here, python-jsonschema/jsonschema#1392)."""


@contextmanager
def _without_iri_grammar() -> Iterator[None]:
    """Import nbformat (which imports jsonschema) without building the IRI grammar.

    nbformat validates with fastjsonschema, or jsonschema without a format checker: no "iri"
    format is ever checked, so the grammar is pure start-up cost for every grading process (a
    Gradescope container pays it per submission). jsonschema skips an optional checker whose
    module cannot be imported; the block lasts only while nbformat is imported, in the grader's
    own process: a submission's process is another interpreter and imports what it likes.
    """
    blocked = IRI_GRAMMAR not in sys.modules
    if blocked:
        sys.modules[IRI_GRAMMAR] = None  # type: ignore[assignment]  # `import` raises ImportError
    try:
        yield
    finally:
        if blocked and sys.modules.get(IRI_GRAMMAR, ...) is None:
            del sys.modules[IRI_GRAMMAR]


with _without_iri_grammar():
    import nbformat

CHECKER_CELL = re.compile(
    r"\A\s*(?:#[^\n]*\n\s*)*(?:"
    r"grader\.check\(\s*[\"'][\w-]+[\"']\s*\)"
    r"|grader\.check_all\(\s*\)"
    r"|import otter\s*\n\s*grader\s*=\s*otter\.Notebook\([^)]*\)"
    r")\s*\Z")
"""A cell otter generated to run the public checks: not run when grading (its tests/ folder is
not in the sandbox, and the grader checks the functions itself); kept as an empty cell."""


SUPPORTED_VERSIONS = (3, 4)
"""nbformat major versions read (3 is upgraded to 4)."""


class InvalidNotebook(ValueError):
    """The file is not a notebook we can run; the message says why, for the student."""


@dataclass
class Notebook:
    cells: list[str]
    language: str
    assignment: str | None = None
    """The assignment `layerwise build` wrote into its metadata (None when it is not there)."""


def read_notebook(content: bytes) -> Notebook:
    if len(content) > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"notebook larger than {MAX_NOTEBOOK_BYTES // 2**20} MB")
    try:
        text = content.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is fine
    except UnicodeDecodeError as exc:
        raise InvalidNotebook(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    if not text.lstrip().startswith("{"):
        raise InvalidNotebook("not a Jupyter notebook: the file is not a JSON object")
    try:
        original = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        version = original.get("nbformat")
        if version not in SUPPORTED_VERSIONS:
            raise InvalidNotebook(f"nbformat {version} is not supported (open it in Jupyter and "
                                  "save it again)")
        # Older notebooks (nbformat 3: Jupyter before 4.0, IPython Notebook) are upgraded the
        # way Jupyter upgrades them when it opens them.
        nb = original if version == 4 else nbformat.convert(original, 4)
    except InvalidNotebook:
        raise
    except RecursionError as exc:
        raise InvalidNotebook("not a Jupyter notebook: its JSON is nested too deeply") from exc
    except Exception as exc:  # nbformat raises several types for bad JSON/schema
        raise InvalidNotebook(f"not a Jupyter notebook: {str(exc)[:200]}") from exc
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise InvalidNotebook(f"invalid notebook: {exc.message[:200]}") from exc
    cells = ["" if CHECKER_CELL.match(c.source) else c.source
             for c in nb.cells if c.cell_type == "code"]
    if not cells:
        raise InvalidNotebook("the notebook has no code cells")
    ours = nb.metadata.get("layerwise")
    lang = ours.get("lang") if isinstance(ours, dict) else None
    named = ours.get("assignment") if isinstance(ours, dict) else None
    if lang not in ("pt", "en"):
        text_md = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
        lang = "en" if text_md.count(" the ") > text_md.count(" de ") else "pt"
    return Notebook(cells, lang, named if isinstance(named, str) else None)
