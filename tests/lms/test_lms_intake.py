"""Canvas, Moodle and Gradescope downloads read through `layerwise.intake.collect.collect`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from layerwise.intake.collect import collect
from layerwise.intake.names import parse_canvas, parse_moodle, resubmission_number
from layerwise.intake.submission import Submission


def notebook(tag: str) -> bytes:
    return json.dumps({"cells": [], "metadata": {"tag": tag}, "nbformat": 4,
                       "nbformat_minor": 5}).encode()


def make_zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def by_student(subs: list[Submission]) -> dict[str, Submission]:
    return {s.student: s for s in subs}


def tag(sub: Submission) -> str:
    return json.loads(sub.content)["metadata"]["tag"]


GRADESCOPE_METADATA = b"""\
submission_2002:
  :submitters:
  - :name: Alice Silva
    :sid: '111'
    :email: alice@example.edu
  :created_at: 2024-03-02 09:00:00.123456789 Z
  :score: 0.0
submission_1001:
  :submitters:
  - :name: Alice Silva
    :sid: '111'
    :email: alice@example.edu
  :created_at: 2024-03-01 09:00:00.000000000 Z
  :history: []
submission_3003:
  :submitters:
  - :name: Bruno Souza
    :sid: '222'
    :email: bruno@example.edu
  - :name: Carla Lima
    :sid: '333'
    :email: carla@example.edu
  :created_at: 2024-03-01 12:00:00.000000000 Z
"""


def test_canvas_names_are_parsed() -> None:
    plain = parse_canvas("silvaalice_101_5001_cnn_keras.ipynb")
    assert plain and (plain.login, plain.user_id, plain.attachment_id, plain.late, plain.file) \
        == ("silvaalice", "101", 5001, False, "cnn_keras.ipynb")
    late = parse_canvas("souzabruno_LATE_102_5003_cnn_keras-2.ipynb")
    assert late and late.late and late.user_id == "102" and late.resubmission == 2
    old = parse_canvas("lima--carla-late_103_5005_trabalho.ipynb")
    assert old and old.late and old.login == "lima--carla" and old.user_id == "103"
    anon = parse_canvas("LATE_anon_x7Kq2_5006_cnn.ipynb")
    assert anon and anon.late and anon.login == "anon_x7Kq2" and anon.user_id == ""
    assert parse_canvas("cnn_keras.ipynb") is None
    assert resubmission_number("a-3.ipynb") == 3 and resubmission_number("a.ipynb") == 0


def test_moodle_names_are_parsed() -> None:
    folder = parse_moodle(Path("Alice Silva_301_assignsubmission_file_/sub/cnn.ipynb"))
    assert folder and (folder.full_name, folder.participant_id, folder.file) == (
        "Alice Silva", "301", "sub/cnn.ipynb")
    flat = parse_moodle(Path("Carla Lima_303_assignsubmission_file_cnn.ipynb"))
    assert flat and flat.full_name == "Carla Lima" and flat.file == "cnn.ipynb"
    assert parse_moodle(Path("cnn_keras.ipynb")) is None


def test_canvas_zip(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "submissions.zip", [
        ("silvaalice_101_5001_cnn_keras.ipynb", notebook("alice-first")),
        ("souzabruno_LATE_102_5003_cnn_keras.ipynb", notebook("bruno")),
        ("silvaalice_101_5002_cnn_keras-1.ipynb", notebook("alice-resubmitted")),
        ("souzabruno_LATE_102_5004_relatorio.pdf", b"%PDF-1.4"),
        ("limacarla_late_103_5005_trabalho.ipynb", notebook("carla")),
        ("__MACOSX/._silvaalice_101_5001_cnn_keras.ipynb", b"\x00\x05"),
    ])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"silvaalice_101", "souzabruno_102", "limacarla_103"}
    alice = got["silvaalice_101"]
    assert tag(alice) == "alice-resubmitted"
    assert (alice.lms, alice.lms_user_id, alice.name, alice.late) == (
        "canvas", "101", "silvaalice", False)
    assert any("2 notebooks" in n and "attachment id" in n for n in alice.notes)
    assert (alice.file, alice.lms_file_id) == ("cnn_keras-1.ipynb", "5002")
    assert got["souzabruno_102"].late and got["limacarla_103"].late
    reasons = {s.origin.split(":", 1)[1]: s.reason for s in skipped}
    assert "not a notebook (.pdf)" in reasons["souzabruno_LATE_102_5004_relatorio.pdf"]
    assert "souzabruno_102" in reasons["souzabruno_LATE_102_5004_relatorio.pdf"]
    assert "older notebook" in reasons["silvaalice_101_5001_cnn_keras.ipynb"]
    assert reasons["__MACOSX/._silvaalice_101_5001_cnn_keras.ipynb"] == "macOS archive metadata"


def test_canvas_attachment_id_breaks_ties(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "c.zip", [
        ("silvaalice_101_6002_b.ipynb", notebook("later-upload")),
        ("silvaalice_101_6001_a.ipynb", notebook("earlier-upload")),
    ])
    subs, _ = collect([archive])
    assert tag(subs[0]) == "later-upload"
    assert "attachment id" in subs[0].notes[-1]


def test_moodle_zip(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "moodle.zip", [
        ("Alice Silva_301_assignsubmission_file_/old/cnn_v1.ipynb", notebook("alice-v1")),
        ("Alice Silva_301_assignsubmission_file_/cnn_keras.ipynb", notebook("alice-final")),
        ("Bruno Souza_302_assignsubmission_file_/relatorio.docx", b"PK"),
        ("Bruno Souza_302_assignsubmission_onlinetext_/onlinetext.html", b"<p>hi</p>"),
        ("Carla Lima_303_assignsubmission_file_cnn.ipynb", notebook("carla")),
        ("João Araújo_304_assignsubmission_file_/cnn.ipynb", notebook("joao")),
    ])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"Alice_Silva_301", "Carla_Lima_303", "Joao_Araujo_304"}
    alice = got["Alice_Silva_301"]
    assert tag(alice) == "alice-final"
    assert (alice.lms, alice.lms_user_id, alice.name) == ("moodle", "301", "Alice Silva")
    assert any("Moodle does not say which of Alice_Silva_301's notebooks is newer" in n
               for n in alice.notes)
    assert got["Joao_Araujo_304"].name == "João Araújo"
    bruno = [s.reason for s in skipped if "Bruno Souza" in s.origin]
    assert len(bruno) == 2 and all("not a notebook" in r for r in bruno)
    assert all("Bruno_Souza_302" in r for r in bruno)


def test_moodle_extracted_folder(tmp_path: Path) -> None:
    root = tmp_path / "download"
    for name, tag_ in (("Alice Silva_301", "alice"), ("Bruno Souza_302", "bruno")):
        folder = root / f"{name}_assignsubmission_file_"
        folder.mkdir(parents=True)
        (folder / "cnn_keras.ipynb").write_bytes(notebook(tag_))
    subs, skipped = collect([root])
    got = by_student(subs)
    assert set(got) == {"Alice_Silva_301", "Bruno_Souza_302"} and not skipped
    assert tag(got["Bruno_Souza_302"]) == "bruno"
    assert got["Bruno_Souza_302"].lms_user_id == "302"


def test_gradescope_zip(tmp_path: Path) -> None:
    root = "assignment_77_export/"
    archive = make_zip(tmp_path / "gradescope.zip", [
        (root + "submission_metadata.yml", GRADESCOPE_METADATA),
        (root + "submission_2002/cnn_keras.ipynb", notebook("alice-new")),
        (root + "submission_1001/cnn_keras.ipynb", notebook("alice-old")),
        (root + "submission_3003/cnn_keras.ipynb", notebook("group")),
        (root + "submission_3003/README.md", b"# notes"),
        (root + "submission_9999/cnn_keras.ipynb", notebook("unlisted")),
    ])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"Alice_Silva_111", "Bruno_Souza_222", "Carla_Lima_333",
                        "submission_9999"}
    alice = got["Alice_Silva_111"]
    assert tag(alice) == "alice-new"  # newest by created_at, although read first
    assert (alice.lms, alice.lms_user_id, alice.name) == ("gradescope", "111", "Alice Silva")
    assert any("created_at" in n for n in alice.notes)
    assert any("2024-03-02T09:00:00.123456" in n for n in alice.notes)
    assert tag(got["Bruno_Souza_222"]) == tag(got["Carla_Lima_333"]) == "group"
    assert any("group submission: Bruno Souza, Carla Lima" in n
               for n in got["Carla_Lima_333"].notes)
    assert any("not in submission_metadata.yml" in n for n in got["submission_9999"].notes)
    reasons = [s.reason for s in skipped]
    assert any("not a notebook (.md)" in r for r in reasons)
    assert any("older notebook of Alice_Silva_111" in r for r in reasons)
    assert not any("submission_metadata.yml" in s.origin for s in skipped)


def test_gradescope_extracted_folder(tmp_path: Path) -> None:
    root = tmp_path / "export"
    (root / "submission_2002").mkdir(parents=True)
    (root / "submission_3003").mkdir()
    (root / "submission_metadata.yml").write_bytes(GRADESCOPE_METADATA)
    (root / "submission_2002" / "cnn_keras.ipynb").write_bytes(notebook("alice"))
    (root / "submission_3003" / "cnn_keras.ipynb").write_bytes(notebook("group"))
    subs, skipped = collect([root])
    assert set(by_student(subs)) == {"Alice_Silva_111", "Bruno_Souza_222", "Carla_Lima_333"}
    assert not skipped


def test_unreadable_gradescope_metadata_is_reported(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "g.zip", [
        ("submission_metadata.yml", b"{{ not: yaml"),
        ("submission_1/cnn_keras.ipynb", notebook("x")),
    ])
    subs, skipped = collect([archive])
    assert any("Gradescope metadata not read" in s.reason for s in skipped)
    assert [s.student for s in subs] == ["submission_1"]


def test_plain_files_keep_the_stem_and_never_merge(tmp_path: Path) -> None:
    """Same-named notebooks in different folders are different students: no LMS says they
    are one student's, so both are graded, each under its folder."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "alice.ipynb").write_bytes(notebook("alice-a"))
    (tmp_path / "b" / "alice.ipynb").write_bytes(notebook("alice-b"))
    (tmp_path / "a" / "bob.ipynb").write_bytes(notebook("bob"))
    (tmp_path / "a" / "notes.txt").write_text("hello")
    subs, skipped = collect([tmp_path])
    got = by_student(subs)
    assert set(got) == {"a_alice", "b_alice", "bob"}
    assert got["bob"].lms == "" and got["bob"].notes == []
    assert (tag(got["a_alice"]), tag(got["b_alice"])) == ("alice-a", "alice-b")
    assert any("other folders also hold alice.ipynb" in n for n in got["b_alice"].notes)
    assert not any(s.unidentified for s in subs)
    reasons = {Path(s.origin).name: s.reason for s in skipped}
    assert reasons == {"notes.txt": "not a notebook (.txt)"}


def test_a_folder_per_student_names_the_students(tmp_path: Path) -> None:
    for student in ("alice", "bob", "carla"):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "cnn_keras.ipynb").write_bytes(notebook(student))
    subs, skipped = collect([tmp_path / "class"])
    got = by_student(subs)
    assert set(got) == {"alice", "bob", "carla"} and not skipped
    assert all(tag(got[s]) == s for s in got)


def test_two_canvas_zips_do_not_mix_with_gradescope_metadata(tmp_path: Path) -> None:
    gradescope = make_zip(tmp_path / "g.zip", [
        ("submission_metadata.yml", GRADESCOPE_METADATA),
        ("submission_2002/cnn.ipynb", notebook("alice")),
    ])
    other = make_zip(tmp_path / "o.zip", [("submission_2002/cnn.ipynb", notebook("other"))])
    subs, _ = collect([gradescope, other])
    got = by_student(subs)
    assert tag(got["Alice_Silva_111"]) == "alice"
    assert tag(got["cnn"]) == "other"


def test_plain_names_that_look_a_little_like_canvas(tmp_path: Path) -> None:
    assert parse_canvas("lab_1_2_final.ipynb") is None
    (tmp_path / "lab_1_2_final.ipynb").write_bytes(notebook("x"))
    subs, _ = collect([tmp_path / "lab_1_2_final.ipynb"])
    assert (subs[0].student, subs[0].lms) == ("lab_1_2_final", "")
