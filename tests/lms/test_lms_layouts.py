"""Every download layout the LMSs write, read as their source code names it.

Moodle: mod/assign/classes/downloader.php ``get_student_prefix`` and
``load_submissionplugin_filelist``, the expectations of mod/assign/tests/downloader_test.php.
Canvas: lib/content_zipper.rb ``get_filename`` / ``add_upload_submission``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from layerwise.intake.collect import collect, describe, summarize
from layerwise.intake.names import DEFAULT_TEAM, parse_moodle
from layerwise.intake.submission import Submission


def notebook(tag: str) -> bytes:
    return json.dumps({"cells": [], "metadata": {"tag": tag}, "nbformat": 4,
                       "nbformat_minor": 5}).encode()


def tag(sub: Submission) -> str:
    return json.loads(sub.content)["metadata"]["tag"]


def make_zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def moodle_prefix(name: str, unique_id: str = "") -> str:
    """downloader.php: ``clean_filename(str_replace('_', ' ', $name) . '_' . $uniqueid)``
    (team submissions without a group have no id)."""
    cleaned = name.replace("_", " ")
    return f"{cleaned}_{unique_id}" if unique_id else cleaned


def moodle4(prefix: str, file: str = "cnn_keras.ipynb", folders: bool = True) -> str:
    """4.x: ``<prefix>_assignsubmission_file`` + the file's path; flat: '/' becomes '_'."""
    path = f"{prefix}_assignsubmission_file/{file}"
    return path if folders else path.replace("/", "_")


def by_student(subs: list[Submission]) -> dict[str, Submission]:
    return {s.student: s for s in subs}


def test_moodle4_folders_three_students_same_file_name(tmp_path: Path) -> None:
    """The Moodle 4 default: every student's file is cnn_keras.ipynb in their own folder."""
    people = [("Alice Silva", "12345", "alice"), ("Bruno_Souza", "12346", "bruno"),
              ("João Araújo", "12347", "joao")]
    archive = make_zip(tmp_path / "moodle4.zip", [
        (moodle4(moodle_prefix(name, pid)), notebook(t)) for name, pid, t in people])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"Alice_Silva_12345", "Bruno_Souza_12346", "Joao_Araujo_12347"}
    assert skipped == []
    for (name, pid, t), student in zip(people, sorted(got), strict=True):
        sub = got[student]
        assert (sub.lms, sub.lms_user_id, sub.name, tag(sub), sub.file) == (
            "moodle", pid, name.replace("_", " "), t, "cnn_keras.ipynb")
    summary = summarize(subs, skipped)
    assert summary["students"] == 3 and summary["by_lms"] == {"moodle": 3}
    assert describe(summary).startswith("intake: 3 students (moodle 3)")


def test_moodle4_without_folders(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "flat.zip", [
        (moodle4(moodle_prefix("Alice Silva", "501"), folders=False), notebook("alice")),
        (moodle4(moodle_prefix("Bruno Souza", "502"), "old/v1.ipynb", folders=False),
         notebook("bruno-old")),
        (moodle4(moodle_prefix("Bruno Souza", "502"), folders=False), notebook("bruno"))])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"Alice_Silva_501", "Bruno_Souza_502"}
    assert got["Bruno_Souza_502"].lms_user_id == "502" and tag(got["Bruno_Souza_502"]) == "bruno"
    [reason] = [s.reason for s in skipped]
    assert "older" not in reason  # Moodle's download says nothing about which is newer
    assert reason.startswith("not graded: Bruno_Souza_502 handed in several notebooks and Moodle "
                             "does not say which is newer; Bruno Souza_502_assignsubmission_file_"
                             "cnn_keras.ipynb was graded")


def test_moodle_blind_marking(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "blind.zip", [
        (moodle4(moodle_prefix("Participant", pid)), notebook(pid))
        for pid in ("70001", "70002", "70003")])
    subs, _ = collect([archive])
    assert sorted((s.student, s.lms_user_id, s.name) for s in subs) == [
        ("Participant_70001", "70001", "Participant"), ("Participant_70002", "70002",
                                                         "Participant"),
        ("Participant_70003", "70003", "Participant")]


def test_moodle_team_submissions(tmp_path: Path) -> None:
    """Teams are named by group (``<group>_<groupid>``); students in no group share the
    localized "Default group" folder, which has no id."""
    archive = make_zip(tmp_path / "teams.zip", [
        (moodle4(moodle_prefix("Grupo_A", "17")), notebook("a")),
        (moodle4(moodle_prefix("Grupo B", "18")), notebook("b")),
        (moodle4(moodle_prefix("Default group")), notebook("default")),
        (moodle4(moodle_prefix("Default group")).replace("file/", "onlinetext/")
         .replace(".ipynb", ".html"), b"<p>notes</p>")])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert set(got) == {"Grupo_A_17", "Grupo_B_18", "Default_group"}
    assert (got["Grupo_A_17"].lms_user_id, got["Grupo_A_17"].name) == ("17", "Grupo A")
    assert got["Default_group"].lms_user_id == DEFAULT_TEAM
    assert any("students in no group" in n for n in got["Default_group"].notes)
    assert [s.reason for s in skipped] == ["not a notebook (.html) (moodle submission of "
                                           "Default_group)"]


def test_moodle_names_are_parsed_in_every_version() -> None:
    from pathlib import PurePosixPath as P

    v4 = parse_moodle(P("Alice Silva_301_assignsubmission_file/sub/cnn.ipynb"))
    v3 = parse_moodle(P("Alice Silva_301_assignsubmission_file_/sub/cnn.ipynb"))
    assert v4 == v3 and v4 and (v4.full_name, v4.participant_id, v4.file) == (
        "Alice Silva", "301", "sub/cnn.ipynb")
    team = parse_moodle(P("Grupo padrão_assignsubmission_file_cnn.ipynb"))
    assert team and team.default_team and team.full_name == "Grupo padrão"
    assert parse_moodle(P("Alice Silva_301_assignsubmission_file")) is None  # a bare folder
    assert parse_moodle(P("lab_1_final.ipynb")) is None


def test_canvas_anonymous_and_group_files(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "canvas.zip", [
        ("anon_x7Kq2_5001_cnn_keras.ipynb", notebook("anon1")),
        ("LATE_anon_Ab3dE_5002_cnn_keras.ipynb", notebook("anon2")),
        ("grupo1_101_5003_cnn_keras.ipynb", notebook("group"))])  # group name, one member
    subs, _ = collect([archive])
    got = by_student(subs)
    assert set(got) == {"anon_x7Kq2", "anon_Ab3dE", "grupo1_101"}
    assert (got["anon_x7Kq2"].lms_user_id, got["anon_x7Kq2"].lms_file_id) == ("anon_x7Kq2",
                                                                              "5001")
    assert got["anon_Ab3dE"].late
    assert got["grupo1_101"].lms_user_id == "101"


def test_canvas_duplicates_ranked_by_attachment_id(tmp_path: Path) -> None:
    """``-N`` is only a re-used file name; the attachment id (a site-wide counter) tells which
    upload is newest."""
    archive = make_zip(tmp_path / "canvas.zip", [
        ("silvaalice_101_5004_cnn_keras-2.ipynb", notebook("older, renamed -2")),
        ("silvaalice_101_5009_cnn_keras.ipynb", notebook("newest"))])
    [alice], skipped = collect([archive])
    assert tag(alice) == "newest"
    assert "attachment id" in alice.notes[-1]
    assert [s.origin.split(":")[-1] for s in skipped] == ["silvaalice_101_5004_cnn_keras-2.ipynb"]


def test_an_unreadable_name_in_an_lms_download_is_graded_and_reported(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "moodle.zip", [
        (moodle4(moodle_prefix("Alice Silva", "301")), notebook("alice")),
        (moodle4(moodle_prefix("Bruno Souza", "302")), notebook("bruno")),
        ("cnn_keras.ipynb", notebook("who?")),
        ("renamed by hand/cnn_keras.ipynb", notebook("who else?"))])
    subs, skipped = collect([archive])
    got = by_student(subs)
    assert len(subs) == 4 and not skipped
    strays = [s for s in subs if s.unidentified]
    assert sorted(s.student for s in strays) == ["cnn_keras", "renamed_by_hand_cnn_keras"]
    assert all("identity not read" in s.notes[0] and "Moodle" in s.notes[0] for s in strays)
    summary = summarize(subs, skipped)
    assert summary["unidentified"] == sorted(s.origin for s in strays)
    assert "2 graded under an id made from the path" in describe(summary)
    assert not got["Alice_Silva_301"].unidentified


def test_student_ids_are_unique_across_layouts(tmp_path: Path) -> None:
    (tmp_path / "Alice_Silva_301.ipynb").write_bytes(notebook("plain"))
    archive = make_zip(tmp_path / "m.zip", [
        (moodle4(moodle_prefix("Alice Silva", "301")), notebook("moodle"))])
    subs, _ = collect([archive, tmp_path / "Alice_Silva_301.ipynb"])
    assert sorted(s.student for s in subs) == ["Alice_Silva_301", "Alice_Silva_301_2"]
    second = next(s for s in subs if s.student == "Alice_Silva_301_2")
    assert tag(second) == "plain" and "another submission is graded as" in second.notes[-1]


def test_a_file_given_twice_is_one_submission(tmp_path: Path) -> None:
    (tmp_path / "alice.ipynb").write_bytes(notebook("alice"))
    subs, skipped = collect([tmp_path, tmp_path / "alice.ipynb"])
    assert [s.student for s in subs] == ["alice"] and skipped == []
