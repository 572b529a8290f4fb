"""nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb layout: the student is the
folder, not the notebook's (shared) name."""

from __future__ import annotations

from pathlib import Path

from layerwise.intake.collect import collect


def test_nbgrader_submitted_folder(tmp_path: Path) -> None:
    for student in ("alice", "bob"):
        folder = tmp_path / "submitted" / student / "cnn_keras"
        folder.mkdir(parents=True)
        (folder / "cnn_keras.ipynb").write_text("{}")
    submissions, skipped = collect([tmp_path / "submitted"])
    assert sorted((s.student, s.lms) for s in submissions) == [("alice", "nbgrader"),
                                                                ("bob", "nbgrader")]
    assert skipped == []


def test_nbgrader_english_assignment_folder(tmp_path: Path) -> None:
    """The English assignment cnn_keras_en: submitted/<student>/cnn_keras_en/cnn_keras_en.ipynb."""
    for student, assignment in (("carol", "cnn_keras_en"), ("dave", "cnn_keras")):
        folder = tmp_path / "submitted" / student / assignment
        folder.mkdir(parents=True)
        (folder / f"{assignment}.ipynb").write_text("{}")
    other = tmp_path / "submitted" / "erin" / "other_assignment"
    other.mkdir(parents=True)
    (other / "cnn_keras_en.ipynb").write_text("{}")  # not a layerwise assignment folder
    submissions, skipped = collect([tmp_path / "submitted"])
    assert sorted((s.student, s.lms, s.name) for s in submissions) == [
        ("carol", "nbgrader", "carol"), ("cnn_keras_en", "", ""), ("dave", "nbgrader", "dave")]
    assert skipped == []
