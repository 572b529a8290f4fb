"""nbgrader's submitted/<student>/<assignment>/<assignment>.ipynb layout: the student is the
folder, not the notebook's (shared) name."""

from __future__ import annotations

from pathlib import Path

from layerwise.intake import collect


def test_nbgrader_submitted_folder(tmp_path: Path) -> None:
    for student in ("alice", "bob"):
        folder = tmp_path / "submitted" / student / "cnn_keras"
        folder.mkdir(parents=True)
        (folder / "cnn_keras.ipynb").write_text("{}")
    submissions, skipped = collect([tmp_path / "submitted"])
    assert sorted((s.student, s.lms) for s in submissions) == [("alice", "nbgrader"),
                                                                ("bob", "nbgrader")]
    assert skipped == []
