"""What Canvas and Moodle bulk downloads encode in their file and folder names.

Canvas ("Download Submissions", lib/content_zipper.rb ``add_upload_submission``): every file sits
at the top of the zip, named ``<sortable name>[_LATE]_<user id>_<attachment id>_<file name>``,
where the sortable name is "Last, First" lowercased with everything but letters, digits and
``_`` removed (``silvaalice``). Anonymous grading replaces name and user id by
``anon_<anonymous id>`` (``[LATE_]anon_x7Kq2_<attachment id>_<file>``). In a group assignment
each group's file is named after the group (its sortable name is set to the group's name) and
carries one member's user id. Older Canvas wrote ``late`` in lower case and dashes in the name
(``silva--alice-late_12345``). A file name a student already used gets ``name-1.ipynb``; the
attachment id, a site-wide counter, orders uploads.

Moodle ("Download all submissions", mod/assign/classes/downloader.php): a prefix names each
submission, ``<Full Name>_<participant id>``, ``Participant_<participant id>`` under blind
marking, ``<Group name>_<group id>`` for team submissions and ``<Default group>`` (the
localized "defaultteam" string, no id) for students in no group. Underscores in names become
spaces, so the id is the last ``_<digits>`` before the plugin. With "download in folders" (the
default) the prefix names a folder: ``<prefix>_assignsubmission_file/`` in Moodle 4.x,
``<prefix>_assignsubmission_file_/`` in 3.x; without it, every file is ``<prefix>_assignsubmission_
file_<file name>`` at the top (mod/assign/tests/downloader_test.php). The participant id is the
assignment's own id for the student (the grading worksheet's ``Participant <id>``), not the
Moodle user id.

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
_PLUGIN = r"(?P<plugin>assignsubmission_[a-z]+)(?:_(?P<rest>.*))?"
_MOODLE = re.compile(r"^(?P<name>.+)_(?P<pid>\d+)_" + _PLUGIN + "$")
_MOODLE_DEFAULT_TEAM = re.compile(r"^(?P<name>[^_]+)_" + _PLUGIN + "$")

ANONYMOUS_PREFIX = "anon_"
"""A Canvas reference starting with this is an anonymous id, not a user id."""
DEFAULT_TEAM = "default_team"
"""The Moodle reference of the team of students in no group (its folder has no id)."""


@dataclass(frozen=True)
class CanvasName:
    """A file from a Canvas submissions zip."""

    login: str
    """The squashed sortable name (``silvaalice``, or a group's name); ``anon_<id>`` under
    anonymous grading."""
    user_id: str
    """Canvas user id; empty under anonymous grading."""
    attachment_id: int
    late: bool
    file: str
    """The file name the student uploaded, as Canvas stored it (``lab-1.ipynb``)."""
    resubmission: int
    """The ``-N`` Canvas appended to a re-used file name (0 for none)."""

    @property
    def ref(self) -> str:
        """What the upload addresses: the user id, or ``anon_<anonymous id>``."""
        return self.user_id or self.login


@dataclass(frozen=True)
class MoodleName:
    """A file from a Moodle "Download all submissions" zip."""

    full_name: str
    """The student's full name, "Participant" (blind marking) or the team's name."""
    participant_id: str
    """The participant id, or the group id of a team; `DEFAULT_TEAM` for the default team."""
    plugin: str
    file: str
    """The file's path inside the submission (``lab.ipynb``, ``sub/lab.ipynb``)."""

    @property
    def default_team(self) -> bool:
        return self.participant_id == DEFAULT_TEAM


def resubmission_number(file: str) -> int:
    """The ``N`` of ``name-N.ext`` (0 when there is none)."""
    match = _RESUBMISSION.match(PurePosixPath(file).stem)
    return int(match["n"]) if match else 0


def parse_canvas(file_name: str) -> CanvasName | None:
    """The parts of a Canvas download name, or None when the name is not one."""
    anon = _CANVAS_ANON.match(file_name)
    if anon:
        return CanvasName(login=f"{ANONYMOUS_PREFIX}{anon['anon']}", user_id="",
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
    """The Moodle submission folder (or file-name prefix) along `path`, the deepest one, or
    None."""
    parts = path.parts
    for index in range(len(parts) - 1, -1, -1):
        part = parts[index]
        match = _MOODLE.match(part)
        team = None if match else _MOODLE_DEFAULT_TEAM.match(part)
        found = match or team
        if not found:
            continue
        rest = "/".join([found["rest"] or "", *parts[index + 1:]]).strip("/")
        if not rest:  # a folder with nothing below it, or a flat name with no file
            continue
        return MoodleName(full_name=found["name"].strip(),
                          participant_id=match["pid"] if match else DEFAULT_TEAM,
                          plugin=found["plugin"], file=rest)
    return None
