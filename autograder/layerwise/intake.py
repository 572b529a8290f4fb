"""From what a TA hands over (notebooks, folders, zip archives) to a list of submissions.

What matters is decided from names and sizes alone (``stat``, the zip's central directory):
only notebooks and Gradescope's ``submission_metadata.yml`` are ever read, a notebook only when
it is graded (an older duplicate never is), and never more than `MAX_NOTEBOOK_BYTES` + 1 of it.
Archives are read without extracting to disk: entries with absolute or `..` paths, symlinks,
nested archives and oversized, over-compressed or encrypted notebooks are reported and skipped.
Identity (student id, and LMS name, id and late flag where an LMS layout is recognized) travels
with each submission into every output.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_ENTRY_BYTES = 50 * 1024 * 1024
"""The most any file the intake reads may hold (Gradescope's metadata)."""
MAX_RATIO = 200
"""A zip entry expanding more than this many times its compressed size is a zip bomb."""
NOTEBOOK_SUFFIX = ".ipynb"
GRADESCOPE_METADATA = "submission_metadata.yml"
READABLE_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                        zipfile.ZIP_LZMA}

Reader = Callable[[int], bytes]
"""Reads at most the given number of bytes of one file or archive entry."""


class UnreadableEntry(OSError):
    """A file or archive entry that could not be read when it was needed."""


def worth_reading(name: str) -> bool:
    """Whether the intake ever reads a file of this name: notebooks and Gradescope metadata."""
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.suffix.lower() == NOTEBOOK_SUFFIX or pure.name == GRADESCOPE_METADATA


@dataclass(frozen=True)
class Entry:
    """One file of the input, known by name and size; its bytes are read only on demand."""

    origin: str
    """Where it is, as the TA knows it (``class.zip:folder/cnn.ipynb``, ``sub/cnn.ipynb``)."""
    container: str
    """The zip it is in, or the folder given on the command line ("" for a lone file)."""
    path: PurePosixPath
    """Inside the zip; for files on disk, from the given folder (its own name first) or as
    given."""
    size: int
    read: Reader = field(repr=False, compare=False)


@dataclass
class Submission:
    """One student's notebook (read when asked for), with who they are."""

    student: str
    origin: str
    name: str = ""
    lms: str = ""
    lms_user_id: str = ""
    """The LMS's reference for the student: Canvas user id or ``anon_<id>``, Moodle
    participant id, team group id or ``default_team``, Gradescope sid or email."""
    late: bool = False
    notes: list[str] = field(default_factory=list)
    file: str = ""
    """The notebook's file name as the student uploaded it."""
    size: int = 0
    """Its size in bytes, from the archive or the disk."""
    lms_file_id: str = ""
    """The LMS's id of that file (Canvas attachment id), to notice a resubmission."""
    unidentified: bool = False
    """True when the LMS download's name for this entry could not be read: graded under a
    unique id made from its path, and reported."""
    source: Reader | None = field(default=None, repr=False, compare=False)

    @property
    def content(self) -> bytes:
        """The notebook's bytes (at most one more than `MAX_NOTEBOOK_BYTES`), read now."""
        if self.source is None:
            return b""
        try:
            return self.source(MAX_NOTEBOOK_BYTES + 1)
        except UnreadableEntry as exc:
            from layerwise.notebook import InvalidNotebook

            raise InvalidNotebook(str(exc)) from exc

    def identity(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "source"}


@dataclass
class Skipped:
    """An input that was not graded, and why."""

    origin: str
    reason: str


RUN_FILE_SUFFIXES = (".json", ".csv", ".html", ".part", ".txt", ".log", ".zip", ".npz")
"""A student folder must never take the name of a file of the run folder (run.json, grades.csv,
index.html...): ids ending like one get their last dot replaced."""


def safe_id(text: str) -> str:
    """A student id usable as a folder name, never the name of one of the run's own files."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._")[:80].strip("._")
    if cleaned.lower().endswith(RUN_FILE_SUFFIXES):
        head, _, tail = cleaned.rpartition(".")
        cleaned = f"{head}_{tail}"
    return cleaned or "student"


def _zip_reader(archive: Path, name: str) -> Reader:
    def read(limit: int) -> bytes:
        try:
            with zipfile.ZipFile(archive) as zf, zf.open(name) as fh:
                return fh.read(limit)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, EOFError, OSError,
                zlib.error, KeyError) as exc:  # corrupt, or changed since it was listed
            raise UnreadableEntry(f"archive entry {name} could not be read: {exc}"[:300]
                                  ) from exc
    return read


def _file_reader(path: Path) -> Reader:
    def read(limit: int) -> bytes:
        try:
            with open(path, "rb") as fh:
                return fh.read(limit)
        except OSError as exc:
            raise UnreadableEntry(f"{path} could not be read: {exc.strerror or exc}") from exc
    return read


def _zip_problem(info: zipfile.ZipInfo, pure: PurePosixPath) -> str | None:
    """Why an archive entry must not be used, judged from its header alone."""
    mode = info.external_attr >> 16
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", info.filename):
        return "unsafe path in archive (absolute or ..)"
    if stat.S_ISLNK(mode):
        return "symbolic link in archive"
    if pure.suffix.lower() == ".zip":
        return "nested archive"
    if not worth_reading(info.filename):
        return None  # never read: `identify` reports it as what it is
    if info.file_size > MAX_ENTRY_BYTES or (
            info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
        return "entry too large or too compressed (zip bomb?)"
    if info.flag_bits & 0x1:
        return "encrypted archive entry (a password is needed)"
    if info.compress_type not in READABLE_COMPRESSION:
        return f"unreadable archive entry: unknown compression method {info.compress_type}"
    return None


def _zip_entries(path: Path, skipped: list[Skipped]) -> list[Entry]:
    entries: list[Entry] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        skipped.append(Skipped(str(path), f"not a readable zip archive: {exc}"))
        return entries
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            pure = PurePosixPath(info.filename.replace("\\", "/"))
            problem = _zip_problem(info, pure)
            if problem:
                skipped.append(Skipped(f"{path}:{info.filename}", problem))
                continue
            entries.append(Entry(f"{path}:{info.filename}", str(path), pure, info.file_size,
                                 _zip_reader(path, info.filename)))
    return entries


def _disk_entry(file: Path, container: str, shown: PurePosixPath) -> Entry:
    return Entry(str(file), container, shown, file.stat().st_size, _file_reader(file))


def _first_time(path: Path, seen: set[str]) -> bool:
    """Whether `path` is met for the first time (a file given twice is read once)."""
    key = os.path.realpath(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _folder_entries(folder: Path, skipped: list[Skipped], seen: set[str]) -> list[Entry]:
    entries: list[Entry] = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        relative = file.relative_to(folder)
        if file.is_symlink():
            skipped.append(Skipped(str(file), "symbolic link"))
        elif not _first_time(file, seen):
            continue
        elif file.suffix.lower() == ".zip":
            entries += _zip_entries(file, skipped)
        elif not any(part.startswith(".") for part in relative.parts):
            shown = PurePosixPath(folder.name or str(folder), *relative.parts)
            entries.append(_disk_entry(file, str(folder), shown))
    return entries


def collect(paths: list[Path]) -> tuple[list[Submission], list[Skipped]]:
    """Every notebook under `paths`, one submission per student (see `layerwise.lms`)."""
    from layerwise.lms import identify

    entries: list[Entry] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            entries += _folder_entries(path, skipped, seen)
        elif not path.is_file():
            skipped.append(Skipped(str(path), "no such file or folder"))
        elif not _first_time(path, seen):
            continue
        elif path.suffix.lower() == ".zip":
            entries += _zip_entries(path, skipped)
        else:
            entries.append(_disk_entry(path, "", PurePosixPath(path.as_posix())))
    return identify(entries, skipped)


def summarize(submissions: list[Submission], skipped: list[Skipped]) -> dict[str, Any]:
    """What the intake found: students per LMS, entries graded under a made-up id, skips."""
    by_lms = Counter(s.lms or "plain files" for s in submissions)
    return {"students": len(submissions), "by_lms": dict(sorted(by_lms.items())),
            "unidentified": sorted(s.origin for s in submissions if s.unidentified),
            "set_aside": sum(1 for s in skipped if s.reason.startswith("older notebook")),
            "skipped": len(skipped)}


def describe(summary: dict[str, Any]) -> str:
    """The intake summary as one line for the terminal."""
    by_lms = ", ".join(f"{name} {n}" for name, n in summary.get("by_lms", {}).items())
    text = f"intake: {summary.get('students', 0)} students ({by_lms or 'none'})"
    if summary.get("set_aside"):
        text += f"; {summary['set_aside']} older notebooks set aside"
    if summary.get("skipped"):
        text += f"; {summary['skipped']} files skipped (listed above)"
    unidentified = summary.get("unidentified") or []
    if unidentified:
        text += (f"; {len(unidentified)} graded under an id made from the path (the LMS name "
                 "was not readable): " + ", ".join(unidentified))
    return text
