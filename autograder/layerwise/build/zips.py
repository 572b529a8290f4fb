"""Rewrite a zip deterministically: sorted entries, fixed timestamps."""

from __future__ import annotations

import zipfile
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)
_DEFAULT_MODE = 0o644 << 16


def entries(path: Path) -> dict[str, bytes]:
    """Name -> content of every file entry of a zip."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}


def rewrite_stable(src: Path, dest: Path) -> Path:
    """Copy zip `src` to `dest` with sorted entries dated 1980-01-01 (same names, contents and
    permissions), so the bytes depend only on what is inside; returns `dest`."""
    with zipfile.ZipFile(src) as zf:
        infos = sorted((i for i in zf.infolist() if not i.is_dir()), key=lambda i: i.filename)
        payload = [(i.filename, i.external_attr or _DEFAULT_MODE, zf.read(i)) for i in infos]
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as out:
        for name, mode, data in payload:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.create_system = 3
            info.external_attr = mode
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data, compresslevel=9)
    tmp.replace(dest)
    return dest
