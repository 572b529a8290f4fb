"""Among one student's files, the notebook graded is the one that can be read and names the
assignment; "older" is said only when the LMS's data says so, else every candidate is listed
and the choice explained (issue #21)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from layerwise.intake.collect import collect, describe, summarize
from layerwise.intake.submission import Submission

ROOT = Path(__file__).resolve().parents[2]
VALID = (ROOT / "autograder" / "examples" / "cnn_keras" / "full_marks.ipynb").read_bytes()
BROKEN = b"this is junk"  # 12 bytes, not JSON
MOODLE = "Full Name_12345_assignsubmission_file"
OLDER = re.compile(r"\bolder\b")


def naming(assignment: str | None, tag: str = "") -> bytes:
    """The valid example notebook, naming `assignment` (None: no layerwise metadata)."""
    nb = json.loads(VALID)
    if assignment is None:
        nb["metadata"].pop("layerwise")
    else:
        nb["metadata"]["layerwise"]["assignment"] = assignment
    nb["metadata"]["tag"] = tag
    return json.dumps(nb).encode()


def make_zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def only(subs: list[Submission]) -> Submission:
    assert len(subs) == 1, [s.student for s in subs]
    return subs[0]


def test_moodle_folder_valid_notebook_beats_a_broken_one_in_either_order(tmp_path: Path) -> None:
    for order, files in enumerate(([("meu_trabalho.ipynb", VALID), ("broken.ipynb", BROKEN)],
                                   [("broken.ipynb", BROKEN), ("meu_trabalho.ipynb", VALID)])):
        archive = make_zip(tmp_path / f"moodle{order}.zip",
                           [(f"{MOODLE}/{name}", data) for name, data in files])
        subs, skipped = collect([archive])
        sub = only(subs)
        assert sub.student == "Full_Name_12345" and sub.file == "meu_trabalho.ipynb"
        assert sub.content == VALID
        [aside] = skipped
        assert aside.origin.endswith("broken.ipynb") and not OLDER.search(aside.reason)
        assert aside.reason.startswith("not graded: cannot be read (not a Jupyter notebook")
        assert sub.choice is not None
        assert sub.choice.why == "the only one that is a notebook of cnn_keras"
        summary = summarize(subs, skipped)
        listed = summary["choices"]["Full_Name_12345"]["candidates"]
        assert [c["origin"].rpartition("/")[2] for c in listed] == ["meu_trabalho.ipynb",
                                                                    "broken.ipynb"]
        assert listed[0]["found"] == "a notebook of cnn_keras"
        assert listed[1]["found"].startswith("cannot be read")
        text = describe(summary)
        assert "Full_Name_12345: graded" in text and "broken.ipynb: cannot be read" in text
        assert not OLDER.search(text)


def test_the_same_folder_on_disk(tmp_path: Path) -> None:
    folder = tmp_path / "download" / MOODLE
    folder.mkdir(parents=True)
    (folder / "meu_trabalho.ipynb").write_bytes(VALID)
    (folder / "broken.ipynb").write_bytes(BROKEN)
    subs, skipped = collect([tmp_path / "download"])
    assert only(subs).file == "meu_trabalho.ipynb" and len(skipped) == 1


def test_canvas_newest_by_attachment_id_and_the_older_one_is_not_read(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "canvas.zip", [
        ("silvaalice_101_5001_cnn_keras.ipynb", naming("cnn_keras", "first")),
        ("silvaalice_101_5007_cnn_keras-1.ipynb", naming("cnn_keras", "second"))])
    subs, skipped = collect([archive])
    sub = only(subs)
    assert json.loads(sub.content)["metadata"]["tag"] == "second"
    [aside] = skipped
    assert aside.reason == ("older notebook of silvaalice_101 by Canvas attachment id (kept "
                            "silvaalice_101_5007_cnn_keras-1.ipynb)")
    assert sub.choice is not None
    assert sub.choice.why == "a notebook of cnn_keras, the newest by Canvas attachment id"
    assert sub.choice.candidates[1][1] == "not read: older by Canvas attachment id"


def test_canvas_newest_broken_loses_to_an_older_valid_one(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "canvas.zip", [
        ("silvaalice_101_5001_cnn_keras.ipynb", naming("cnn_keras", "valid")),
        ("silvaalice_101_5007_cnn_keras-1.ipynb", BROKEN)])
    subs, skipped = collect([archive])
    assert json.loads(only(subs).content)["metadata"]["tag"] == "valid"
    [aside] = skipped
    assert aside.origin.endswith("5007_cnn_keras-1.ipynb") and not OLDER.search(aside.reason)
    assert aside.reason.startswith("not graded: cannot be read")


GRADESCOPE = b"""\
submission_2:
  :submitters:
  - :name: Alice Silva
    :sid: '111'
  :created_at: 2024-03-02 09:00:00.000000000 Z
submission_1:
  :submitters:
  - :name: Alice Silva
    :sid: '111'
  - :name: Bruno Souza
    :sid: '222'
  :created_at: 2024-03-01 09:00:00.000000000 Z
"""


def test_gradescope_newest_by_created_at(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "gs.zip", [
        ("export/submission_metadata.yml", GRADESCOPE),
        ("export/submission_1/cnn.ipynb", naming("cnn_keras", "group")),
        ("export/submission_2/cnn.ipynb", naming("cnn_keras", "alone"))])
    subs, skipped = collect([archive])
    alice = next(s for s in subs if s.lms_user_id == "111")
    assert json.loads(alice.content)["metadata"]["tag"] == "alone"
    assert [s.reason for s in skipped] == [
        "older notebook of Alice_Silva_111 by Gradescope created_at (kept cnn.ipynb)"]


def test_without_lms_order_every_candidate_is_listed_and_none_called_older(tmp_path: Path
                                                                         ) -> None:
    archive = make_zip(tmp_path / "moodle.zip", [
        (f"{MOODLE}/a.ipynb", naming("cnn_keras", "a")),
        (f"{MOODLE}/b.ipynb", naming("cnn_keras", "b"))])
    subs, skipped = collect([archive])
    sub = only(subs)
    assert json.loads(sub.content)["metadata"]["tag"] == "b"  # the last in the zip's order
    [aside] = skipped
    assert not OLDER.search(aside.reason) and "Moodle does not say which is newer" in aside.reason
    assert sub.choice is not None and not OLDER.search(sub.choice.why)
    assert [found for _, found in sub.choice.candidates] == ["a notebook of cnn_keras"] * 2
    text = describe(summarize(subs, skipped))
    assert f"{MOODLE}/a.ipynb: a notebook of cnn_keras" in text
    assert f"{MOODLE}/b.ipynb: a notebook of cnn_keras" in text


def test_the_assignment_asked_for_wins(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "moodle.zip", [
        (f"{MOODLE}/keras.ipynb", naming("cnn_keras", "keras")),
        (f"{MOODLE}/numpy.ipynb", naming("cnn_numpy", "numpy"))])
    for wanted in ("cnn_keras", "cnn_numpy"):
        sub = only(collect([archive], wanted)[0])
        assert json.loads(sub.content)["metadata"]["layerwise"]["assignment"] == wanted
        assert sub.choice is not None
        assert sub.choice.why == f"the only one that is a notebook of {wanted}"


def test_a_notebook_naming_the_assignment_beats_one_naming_none(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "moodle.zip", [
        (f"{MOODLE}/named.ipynb", naming("cnn_keras", "named")),
        (f"{MOODLE}/unnamed.ipynb", naming(None, "unnamed"))])
    subs, skipped = collect([archive])
    assert json.loads(only(subs).content)["metadata"]["tag"] == "named"
    assert "a notebook that names no assignment" in skipped[0].reason
