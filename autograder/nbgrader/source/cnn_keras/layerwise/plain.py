"""Plain data on disk: JSON for structure, `.npz` for arrays, never pickles.

A nested value of dicts, lists, scalars and ndarrays is saved as ``stem.json`` with each array
replaced by ``{"__array__": key}`` and the arrays in ``stem.npz``. Loading refuses pickled or
object arrays and anything larger than the given limits.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

ARRAY_TAG = "__array__"
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_NPZ_BYTES = 200 * 1024 * 1024


class PlainDataError(ValueError):
    """The plain data on disk is missing, malformed or too large."""


def _split(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, np.ndarray):
        key = f"a{len(arrays)}"
        arrays[key] = value
        return {ARRAY_TAG: key}
    if isinstance(value, dict):
        return {str(k): _split(v, arrays) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_split(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def dumps(value: Any) -> tuple[str, dict[str, np.ndarray]]:
    """The JSON text and the arrays of a nested value."""
    arrays: dict[str, np.ndarray] = {}
    return json.dumps(_split(value, arrays)), arrays


def pack(value: Any, *, stable: bool = False) -> tuple[str, bytes]:
    """The JSON text and the `.npz` bytes of a nested value (for sending, not saving). With
    `stable`, the same value always gives the same bytes (fixed timestamps in the archive), for
    files that are committed."""
    import io

    text, arrays = dumps(value)
    buffer = io.BytesIO()
    if not stable:
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        return text, buffer.getvalue()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, member.getvalue())
    return text, buffer.getvalue()


def unpack(text: str, npz: bytes, *, max_npz: int = MAX_NPZ_BYTES) -> Any:
    """Read what :func:`pack` made, refusing pickles, object arrays and oversize data."""
    import io

    if len(npz) > max_npz or len(text) > MAX_JSON_BYTES:
        raise PlainDataError("plain data larger than the size limit")
    try:
        with np.load(io.BytesIO(npz), allow_pickle=False) as arrays:
            return _join(json.loads(text), arrays)
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        if isinstance(exc, PlainDataError):
            raise
        raise PlainDataError(f"unreadable plain data: {exc}") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def save(stem: Path, value: Any) -> None:
    """Write ``stem.npz`` then ``stem.json`` (the JSON last: its presence means complete)."""
    text, npz = pack(value)
    _atomic_write(stem.with_suffix(".npz"), npz)
    _atomic_write(stem.with_suffix(".json"), text.encode())


def _join(value: Any, arrays: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {ARRAY_TAG}:
            key = value[ARRAY_TAG]
            if not isinstance(key, str) or key not in arrays.files:
                raise PlainDataError(f"missing array {key!r}")
            return arrays[key]
        return {k: _join(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_join(v, arrays) for v in value]
    return value


def load(stem: Path, *, max_json: int = MAX_JSON_BYTES, max_npz: int = MAX_NPZ_BYTES) -> Any:
    """Read what :func:`save` wrote, refusing pickles, object arrays and oversize files."""
    json_path, npz_path = stem.with_suffix(".json"), stem.with_suffix(".npz")
    for path, limit in ((json_path, max_json), (npz_path, max_npz)):
        if not path.is_file():
            raise PlainDataError(f"{path.name} is missing")
        if path.stat().st_size > limit:
            raise PlainDataError(f"{path.name} is larger than {limit} bytes")
    try:
        value = json.loads(json_path.read_text())
        with np.load(npz_path, allow_pickle=False) as npz:
            total = 0
            for key in npz.files:
                info = npz.zip.getinfo(key + ".npy")
                total += info.file_size
                if total > max_npz * 4:
                    raise PlainDataError("arrays expand beyond the size limit")
            return _join(value, npz)
    except (ValueError, OSError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        if isinstance(exc, PlainDataError):
            raise
        raise PlainDataError(f"unreadable plain data: {exc}") from exc
