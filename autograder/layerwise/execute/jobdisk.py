"""A submission's private disk inside bubblewrap: the worker's /tmp, a tmpfs of Limits.disk_mb.
The grader's files are copied in, only regular result files are copied out, and it is emptied
(leaving the mounts bubblewrap placed in it) before and after every submission."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

PRIVATE_TMP = Path("/tmp")
"""Inside bubblewrap: the worker's own tmpfs of Limits.disk_mb, where each submission runs."""
JOB_FILES = ("cells.json", "inputs.json", "inputs.npz")
"""What the grader puts in a job's folder for the child."""


def mount_points(under: Path) -> set[Path]:
    """Mount points strictly below `under` (the scratch folder and, when Python lives under
    /tmp, its folders: bubblewrap mounts them inside the private /tmp)."""
    found = set()
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = Path(line.split()[4].replace("\\040", " "))
        if under in point.parents:
            found.add(point)
    return found


def wipe(folder: Path, keep: set[Path]) -> None:
    """Empty `folder` (what a submission wrote), without following links, leaving the mount
    points in `keep` and the folders that lead to them."""
    for entry in os.scandir(folder):
        path = Path(entry.path)
        if path in keep:
            continue
        if any(path in point.parents for point in keep):
            if entry.is_dir(follow_symlinks=False):
                wipe(path, keep)
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def copy_regular(source: Path, target: Path, names: tuple[str, ...]) -> None:
    """Copy the regular files among `names` (never through a link) from source to target."""
    for name in names:
        try:
            fd = os.open(source / name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                with open(fd, "rb", closefd=False) as src, open(target / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        finally:
            os.close(fd)


def disk_full(folder: Path, disk_mb: int) -> bool:
    """Whether the submission used (nearly) all of its disk space."""
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize < min(2**20, disk_mb * 2**20 // 64)
