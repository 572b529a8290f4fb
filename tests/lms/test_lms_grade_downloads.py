"""Real Moodle downloads graded for real (TensorFlow runs): every student under their LMS id.

The zips are built as mod/assign/classes/downloader.php names them: every student's file is
``cnn_keras.ipynb``, in a folder ``<prefix>_assignsubmission_file`` (Moodle 4.x), the prefix
being ``<Full Name>_<participant id>``, ``Participant_<id>`` (blind marking), ``<Group>_<group
id>`` or the default team's ``Default group`` (team submissions). One grading run for all.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
FULL = (CLASS / "full_marks.ipynb").read_bytes()
BLANK = (CLASS / "blank.ipynb").read_bytes()

ZIPS: dict[str, list[tuple[str, bytes]]] = {
    "moodle4.zip": [("Alice Silva_12345", FULL), ("Bruno Souza_12346", BLANK),
                    ("Carla Lima_12347", FULL)],
    "blind.zip": [("Participant_80001", BLANK), ("Participant_80002", FULL)],
    "teams.zip": [("Grupo A_17", FULL), ("Default group", BLANK)],
}
EXPECTED = {  # student id → (LMS reference, full marks?)
    "Alice_Silva_12345": ("12345", True), "Bruno_Souza_12346": ("12346", False),
    "Carla_Lima_12347": ("12347", True), "Participant_80001": ("80001", False),
    "Participant_80002": ("80002", True), "Grupo_A_17": ("17", True),
    "Default_group": ("default_team", False),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from layerwise.execute.limits import Limits
    from layerwise.grade.run import Options, grade

    where = tmp_path_factory.mktemp("downloads")
    zips = []
    for name, folders in ZIPS.items():
        with zipfile.ZipFile(where / name, "w", zipfile.ZIP_DEFLATED) as zf:
            for prefix, content in folders:
                zf.writestr(f"{prefix}_assignsubmission_file/cnn_keras.ipynb", content)
        zips.append(where / name)
    out = where / "run"
    options = Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=2, seed=2026,
                      limits=Limits(notebook_seconds=40, cell_seconds=12))
    info = grade(zips, out, options)
    records = {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grading.json")}
    return {"info": info, "records": records}


def test_every_student_is_graded_under_their_lms_id(graded: dict[str, Any]) -> None:
    records = graded["records"]
    assert set(records) == set(EXPECTED)
    for student, (ref, full) in EXPECTED.items():
        rec = records[student]
        assert rec["identity"]["lms"] == "moodle" and rec["identity"]["lms_user_id"] == ref
        assert rec["status"] == "graded", (student, rec["message"])
        assert (rec["total"] == rec["max_total"]) is full, (student, rec["total"])
        assert rec["identity"]["file"] == "cnn_keras.ipynb" and rec["identity"]["size"] > 0


def test_the_run_records_the_intake(graded: dict[str, Any]) -> None:
    info = graded["info"]
    assert info["intake"]["students"] == len(EXPECTED) == info["students"]
    assert info["intake"]["by_lms"] == {"moodle": len(EXPECTED)}
    assert info["intake"]["unidentified"] == [] and info["skipped_inputs"] == []
