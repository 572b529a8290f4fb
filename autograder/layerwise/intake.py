"""From what a TA hands over (notebooks, folders, zip archives) to a list of submissions.

Archives are read without extracting to disk: entries with absolute or `..` paths, symlinks and
oversized or over-compressed entries are reported and skipped. Identity (student id, and LMS
name, user id and late flag where an LMS parser recognizes the file name) travels with each
submission into every output.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200
"""A zip entry expanding more than this many times its compressed size is a zip bomb."""


@dataclass
class Submission:
    """One student's notebook, read into memory, with who they are."""

    student: str
    content: bytes
    origin: str
    name: str = ""
    lms: str = ""
    lms_user_id: str = ""
    late: bool = False
    notes: list[str] = field(default_factory=list)

    def identity(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("content")
        return data


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


def _zip_entries(path: Path, skipped: list[Skipped]) -> list[tuple[str, bytes]]:
    entries: list[tuple[str, bytes]] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        skipped.append(Skipped(str(path), f"not a readable zip archive: {exc}"))
        return entries
    with archive:
        for info in archive.infolist():
            where = f"{path.name}:{info.filename}"
            if info.is_dir():
                continue
            pure = PurePosixPath(info.filename.replace("\\", "/"))
            mode = info.external_attr >> 16
            if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", info.filename):
                skipped.append(Skipped(where, "unsafe path in archive (absolute or ..)"))
            elif stat.S_ISLNK(mode):
                skipped.append(Skipped(where, "symbolic link in archive"))
            elif info.file_size > MAX_ENTRY_BYTES or (
                    info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
                skipped.append(Skipped(where, "entry too large or too compressed (zip bomb?)"))
            elif pure.suffix.lower() == ".zip":
                skipped.append(Skipped(where, "nested archive"))
            else:
                try:
                    with archive.open(info) as fh:
                        entries.append((info.filename, fh.read(MAX_ENTRY_BYTES + 1)))
                except (RuntimeError, NotImplementedError, zipfile.BadZipFile, EOFError, OSError,
                        zlib.error) as exc:  # encrypted, unknown compression, corrupt
                    skipped.append(Skipped(where, f"unreadable archive entry: {exc}"[:300]))
    return entries


def _read(file: Path) -> bytes:
    """A file's bytes, at most one more than an archive entry may hold (a 5 GB video in the
    download folder is not read into memory; an oversize notebook is still reported)."""
    with open(file, "rb") as fh:
        return fh.read(MAX_ENTRY_BYTES + 1)


def collect(paths: list[Path]) -> tuple[list[Submission], list[Skipped]]:
    """Every notebook under `paths`, one submission per student id (LMS parsers may refine)."""
    from layerwise.lms import identify

    found: list[tuple[str, str, bytes]] = []  # (origin, file name, content)
    skipped: list[Skipped] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink())
            for file in files:
                if file.is_symlink():
                    skipped.append(Skipped(str(file), "symbolic link"))
                elif file.suffix.lower() == ".zip":
                    found += [(f"{file}:{n}", n, c) for n, c in _zip_entries(file, skipped)]
                elif not any(part.startswith(".") for part in file.relative_to(path).parts):
                    found.append((str(file), file.name, _read(file)))
        elif path.suffix.lower() == ".zip":
            found += [(f"{path}:{n}", n, c) for n, c in _zip_entries(path, skipped)]
        elif path.is_file():
            found.append((str(path), path.name, _read(path)))
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
    return identify(found, skipped)
