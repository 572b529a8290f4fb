"""The files of what a TA hands over, known by name and size: notebooks, folders, zip archives.

Archives are listed from their central directory, never extracted to disk: entries with absolute
or `..` paths, symlinks, nested archives and oversized, over-compressed or encrypted notebooks
are set aside with the reason. A path that cannot be used at all (missing, of another kind, a
damaged or empty zip) is an `IntakeError` that says what to do.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from layerwise.errors import ConfigError

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


class IntakeError(ConfigError):
    """A path given to a command cannot be graded; the message says why and what to do."""


class UnreadableEntry(OSError):
    """A file or archive entry that could not be read when it was needed."""


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
class Skipped:
    """An input that was not graded, and why."""

    origin: str
    reason: str


def worth_reading(name: str) -> bool:
    """Whether the intake ever reads a file of this name: notebooks and Gradescope metadata."""
    pure = PurePosixPath(name.replace("\\", "/"))
    return pure.suffix.lower() == NOTEBOOK_SUFFIX or pure.name == GRADESCOPE_METADATA


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


DAMAGED = "damaged or incomplete download"


def zip_entries(path: Path, aside: list[Skipped], given: bool = False) -> list[Entry]:
    """The usable entries of a zip archive. One given on the command line (`given`) that is
    damaged or empty is an `IntakeError`; one found in a folder is set aside."""
    entries: list[Entry] = []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        if given:
            raise IntakeError(f"{path}: {DAMAGED} (not a readable zip archive: {exc}): "
                              "download it again") from exc
        aside.append(Skipped(str(path), f"not a readable zip archive ({DAMAGED}): {exc}"))
        return entries
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if given and not infos:
            raise IntakeError(f"{path}: the zip archive is empty: download it again (was the "
                              "export finished?)")
        for info in infos:
            pure = PurePosixPath(info.filename.replace("\\", "/"))
            problem = _zip_problem(info, pure)
            if problem:
                aside.append(Skipped(f"{path}:{info.filename}", problem))
                continue
            entries.append(Entry(f"{path}:{info.filename}", str(path), pure, info.file_size,
                                 _zip_reader(path, info.filename)))
    return entries


def disk_entry(file: Path, container: str, shown: PurePosixPath) -> Entry:
    return Entry(str(file), container, shown, file.stat().st_size, _file_reader(file))


def first_time(path: Path, seen: set[str]) -> bool:
    """Whether `path` is met for the first time (a file given twice is read once)."""
    key = os.path.realpath(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def folder_entries(folder: Path, aside: list[Skipped], seen: set[str]) -> list[Entry]:
    """Every file under `folder` (hidden ones left out), zip archives listed inside."""
    entries: list[Entry] = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        relative = file.relative_to(folder)
        if file.is_symlink():
            aside.append(Skipped(str(file), "symbolic link"))
        elif not first_time(file, seen):
            continue
        elif file.suffix.lower() == ".zip":
            entries += zip_entries(file, aside)
        elif not any(part.startswith(".") for part in relative.parts):
            shown = PurePosixPath(folder.name or str(folder), *relative.parts)
            entries.append(disk_entry(file, str(folder), shown))
    return entries


def path_entries(path: Path, aside: list[Skipped], seen: set[str]) -> list[Entry]:
    """The entries of one path given on the command line, or an `IntakeError` saying why it
    cannot be graded."""
    if path.is_dir():
        return folder_entries(path, aside, seen)
    if not path.exists():
        raise IntakeError(f"{path}: no such file or folder: check the path (a notebook, a "
                          "folder or a zip archive)")
    if not path.is_file():
        raise IntakeError(f"{path} is not a notebook, a folder or a zip archive")
    if not first_time(path, seen):
        return []
    if path.suffix.lower() == ".zip":
        return zip_entries(path, aside, given=True)
    if path.suffix.lower() != NOTEBOOK_SUFFIX:
        raise IntakeError(f"{path} is not a notebook (.ipynb), a folder or a zip archive: "
                          "pass the notebooks, or the folder or zip the LMS exported")
    return [disk_entry(path, "", PurePosixPath(path.as_posix()))]
