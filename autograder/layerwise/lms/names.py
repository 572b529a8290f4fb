"""What Canvas and Moodle bulk downloads encode in their file and folder names.

Canvas ("Download Submissions"): every file sits at the top of the zip, named
``<sortable name>[_LATE]_<user id>_<attachment id>_<file name>``, where the sortable name is
"Last, First" lowercased with everything but letters, digits and ``_`` removed
(``silvaalice``). Anonymous grading replaces name and user id by ``anon_<anonymous id>``. Older
Canvas wrote ``late`` in lower case and dashes in the name (``silva--alice-late_12345``). A
student who uploads a file whose name they already used gets ``name-1.ipynb``, ``name-2.ipynb``.

Moodle ("Download all submissions"): ``<Full Name>_<participant id>_assignsubmission_file_`` is
a folder holding the student's files (or, without "download in folders", a prefix of each file
name). The participant id is the assignment's own id for the student, the one Moodle's grading
worksheet shows as ``Participant <id>``; it is not the Moodle user id.

Canvas attachment ids are site-wide counters, so a real one has at least three digits; asking
for that keeps plain names such as ``lab_1_2_final.ipynb`` from passing for Canvas ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

_CANVAS = re.compile(
    r"^(?P<name>.*?)[_-](?:(?P<late>late)_)?(?P<uid>\d+)_(?P<aid>\d{3,})_(?P<file>.+)$",
    re.IGNORECASE)
_CANVAS_ANON = re.compile(
    r"^(?:(?P<late>late)_)?anon_(?P<anon>[A-Za-z0-9]+)_(?P<aid>\d{3,})_(?P<file>.+)$",
    re.IGNORECASE)
_RESUBMISSION = re.compile(r"^(?P<base>.+)-(?P<n>\d+)$")
_MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<pid>\d+)_(?P<plugin>assignsubmission_[a-z]+)_(?P<rest>.*)$")


@dataclass(frozen=True)
class CanvasName:
    """A file from a Canvas submissions zip."""

    login: str
    """The squashed sortable name (``silvaalice``); ``anon_<id>`` under anonymous grading."""
    user_id: str
    """Canvas user id; empty under anonymous grading."""
    attachment_id: int
    late: bool
    file: str
    """The file name the student uploaded, as Canvas stored it (``cnn_keras-1.ipynb``)."""
    resubmission: int
    """The ``-N`` Canvas appended to a re-uploaded file name (0 for none)."""


@dataclass(frozen=True)
class MoodleName:
    """A file from a Moodle "Download all submissions" zip."""

    full_name: str
    participant_id: str
    plugin: str
    file: str


def resubmission_number(file: str) -> int:
    """The ``N`` of ``name-N.ext`` (0 when there is none)."""
    match = _RESUBMISSION.match(PurePosixPath(file).stem)
    return int(match["n"]) if match else 0


def parse_canvas(file_name: str) -> CanvasName | None:
    """The parts of a Canvas download name, or None when the name is not one."""
    anon = _CANVAS_ANON.match(file_name)
    if anon:
        return CanvasName(login=f"anon_{anon['anon']}", user_id="",
                          attachment_id=int(anon["aid"]), late=bool(anon["late"]),
                          file=anon["file"], resubmission=resubmission_number(anon["file"]))
    match = _CANVAS.match(file_name)
    if not match:
        return None
    login = match["name"].strip("-_")
    return CanvasName(login=login, user_id=match["uid"], attachment_id=int(match["aid"]),
                      late=bool(match["late"]), file=match["file"],
                      resubmission=resubmission_number(match["file"]))


def parse_moodle(path: PurePosixPath) -> MoodleName | None:
    """The Moodle student folder (or file-name prefix) along `path`, or None."""
    parts = path.parts
    for index, part in enumerate(parts):
        match = _MOODLE.match(part)
        if not match:
            continue
        rest = "/".join([match["rest"], *parts[index + 1:]]).strip("/")
        return MoodleName(full_name=match["name"].strip(), participant_id=match["pid"],
                          plugin=match["plugin"], file=rest or part)
    return None
