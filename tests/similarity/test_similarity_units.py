"""The pieces: token normalization, stable fingerprints, answer buckets, tiers, clusters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from layerwise.similarity.answers import Wrong, bucket_of, normal_text, wrong_answers
from layerwise.similarity.clusters import clusters
from layerwise.similarity.code import MODULE, clean_cell, units
from layerwise.similarity.pairs import Entry, Pair, score
from layerwise.similarity.store import keep_code, notebook_fingerprints, read_code

CELL = '''def conv(X, K):
    """doc"""
    out = np.moveaxis(X, 1, -1)  # a comment
    print(out)
    return helper(out) + K


def helper(value):
    return value * 2
'''


def test_magics_and_shell_escapes_are_dropped_and_lines_kept() -> None:
    cleaned = clean_cell("!pip install x\n%matplotlib inline\nfiles = !ls\nx = 1\nnp.zeros?")
    assert cleaned.split("\n") == ["", "", "", "x = 1", ""]
    assert clean_cell("%%bash\necho hi") == ""
    kept = "if x:  # really?\n    y = a != b\nz = 1"
    assert clean_cell(kept) == kept


def test_local_names_are_normalized_library_calls_kept_helpers_followed() -> None:
    unit = units(["import numpy as np", CELL], ["conv"])["conv"]
    text = " ".join(unit.tokens)
    assert ".moveaxis np" in text and "out" not in unit.tokens and "print" not in unit.tokens
    assert "doc" not in text and text.count("FunctionDef") == 2  # the helper is part of conv
    renamed = CELL.replace("out", "resultado").replace("value", "v").replace("helper", "aux")
    assert units(["import numpy as np", renamed], ["conv"])["conv"].tokens == unit.tokens
    assert units(["import numpy as np", CELL], ["conv"])[MODULE].tokens[:1] == ["Import"]


def test_a_lone_surrogate_in_a_notebook_is_kept_as_a_question_mark(tmp_path: Path) -> None:
    """A notebook's JSON may hold "\\ud800": grading must still keep its code."""
    keep_code(tmp_path, ["x = 1  # \ud800", "def f(a):\n    return a"])
    cells = read_code(tmp_path)
    assert cells == ["x = 1  # ?", "def f(a):\n    return a"]
    assert notebook_fingerprints(cells, ["f"])[MODULE] == [] and "f" in units(cells, ["f"])


def test_fingerprints_are_the_same_in_another_process() -> None:
    """Not Python's salted `hash`: a later term's run compares with stored fingerprints."""
    here = notebook_fingerprints(["import numpy as np", CELL], ["conv"])
    code = ("import json; from layerwise.similarity.store import notebook_fingerprints as f; "
            f"print(json.dumps(f(['import numpy as np', {CELL!r}], ['conv'])))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": "12345", "PYTHONPATH": ":".join(sys.path)},
                           check=True)
    import json

    assert json.loads(other.stdout) == here and here["conv"]


def test_buckets_match_at_the_grading_tolerance_and_differ_beyond() -> None:
    a = {"type": "numpy.ndarray", "value": np.array([[1.0, 2.0, 0.0]])}
    close = {"type": "numpy.ndarray", "value": np.array([[1.0 + 1e-9, 2.0, 1e-7]])}
    far = {"type": "numpy.ndarray", "value": np.array([[1.01, 2.0, 0.0]])}
    reshaped = {"type": "numpy.ndarray", "value": np.array([1.0, 2.0, 0.0])}
    assert bucket_of("q", "c", a) == bucket_of("q", "c", close)
    assert len({bucket_of("q", "c", r) for r in (a, far, reshaped)}) == 3
    assert bucket_of("q", "c", a) != bucket_of("q", "other", a)
    err1 = {"error": {"ename": "ValueError", "evalue": "bad <obj at 0x7f12> in conv2d_3",
                      "traceback": "line 3"}}
    err2 = {"error": {"ename": "ValueError", "evalue": "bad <obj at 0x7faa> in conv2d_9",
                      "traceback": "line 40"}}
    assert bucket_of("q", "c", err1) == bucket_of("q", "c", err2)
    assert normal_text("x  at 0xdead conv_12") == "x at 0x# conv_#"


def test_wrong_answers_from_digests_or_from_the_records_text() -> None:
    """The digest kept at grading time when there is one; else the record's text; never what
    the starter gives (a missing function, NotImplementedError) nor a notebook not graded."""
    case = {"case": "h1", "passed": False, "given": "array[2] [1. 2.]", "layer": None,
            "diagnosis": None}
    starter = case | {"case": "h2", "diagnosis": "not_implemented"}
    passed = case | {"case": "h3", "passed": True}
    record = {"status": "graded", "questions": [{"id": "q", "case_results": [case, starter,
                                                                             passed]}]}
    old = wrong_answers(record)
    assert list(old) == [("q", "h1")] and old[("q", "h1")].given == "array[2] [1. 2.]"
    same_text = wrong_answers(record | {"questions": [{"id": "q", "case_results": [
        case | {"given": "array[2]  [1. 2.]"}]}]})
    assert same_text[("q", "h1")].bucket == old[("q", "h1")].bucket
    kept = wrong_answers(record | {"answers": {"q": {"h1": "abc"}}})
    assert kept[("q", "h1")].bucket == "abc"
    assert wrong_answers(record | {"status": "timeout"}) == {}


def _entry(name: str, code: dict[str, list[int]], wrong: dict[tuple[str, str], str]) -> Entry:
    return Entry(name, fingerprints={u: {h: (0, 1, 1) for h in hs} for u, hs in code.items()},
                 wrong={k: Wrong(b, None, "") for k, b in wrong.items()})


def test_tiers_rare_answers_across_questions_and_clusters() -> None:
    shared = list(range(100, 130))
    rare = {("q1", "c"): "r1", ("q2", "c"): "r2"}
    entries = [_entry("a", {"f": shared}, rare), _entry("b", {"f": shared}, rare),
               _entry("c", {"f": shared[:20] + list(range(900, 910))}, {("q1", "c"): "r1"}),
               *[_entry(f"s{i}", {"f": [1000 + i * 50 + j for j in range(30)]}, {})
                 for i in range(12)]]
    pairs = {(p.a, p.b): p for p in score(entries, set())}
    ab, ac = pairs[("a", "b")], pairs[("a", "c")]
    assert ab.tier == 1 and ab.code == 1.0 and ab.answers_high
    assert ac.code_high and not ac.answers_high and ac.tier == 2  # one question only
    assert ("s0", "s1") not in pairs
    assert clusters([ab, ac, Pair("x", "y")]) == [["a", "b", "c"]]


def test_starter_and_common_code_are_left_out() -> None:
    starter = set(range(100, 130))
    entries = [_entry(n, {"f": list(range(100, 130))}, {}) for n in "ab"]
    assert score(entries, starter) == []  # nothing beyond the starter: no pair
    common = [_entry(f"s{i}", {"f": list(range(500, 540))}, {}) for i in range(8)]
    assert all(not p.code_high for p in score(common, set()))  # everyone's code
    reference = _entry("ref", {"f": list(range(500, 540))}, {})
    reference.kind = "reference"
    flagged = [p for p in score([*common, reference], set()) if p.code_high]
    assert {(p.a, p.b) for p in flagged} == {("ref", f"s{i}") for i in range(8)}
