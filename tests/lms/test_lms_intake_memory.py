"""The intake decides by name and size: what it does not grade it never reads (issue #14.6)."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path, PurePosixPath

from layerwise.intake.collect import collect
from layerwise.intake.entries import Entry
from layerwise.intake.identify import identify
from layerwise.intake.notebook import MAX_NOTEBOOK_BYTES, InvalidNotebook, read_notebook
from layerwise.registry import nbgrader_assignments

MB = 1024 * 1024


def notebook(tag: str) -> bytes:
    return json.dumps({"cells": [], "metadata": {"tag": tag}, "nbformat": 4,
                       "nbformat_minor": 5}).encode()


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk (nor memory to write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def stored_zip(path: Path, big_name: str, big_size: int, small: dict[str, bytes]) -> Path:
    """A zip with one large stored (uncompressed, so no zip bomb) entry, written in chunks."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in small.items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo(big_name)
        info.compress_type = zipfile.ZIP_STORED
        chunk = b"\0" * MB
        with zf.open(info, "w", force_zip64=True) as fh:
            for _ in range(big_size // MB):
                fh.write(chunk)
    return path


def test_large_non_notebooks_are_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    sparse(folder / "lecture_recording.mp4", 60 * MB)
    (folder / "alice.ipynb").write_bytes(notebook("alice"))
    archive = stored_zip(tmp_path / "moodle.zip", "Bruno Souza_302_assignsubmission_file/data.bin",
                         30 * MB, {"Bruno Souza_302_assignsubmission_file/cnn_keras.ipynb":
                                   notebook("bruno")})
    tracemalloc.start()
    try:
        submissions, skipped = collect([folder, archive])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB, f"the intake held {peak / MB:.1f} MB"
    assert sorted(s.student for s in submissions) == ["Bruno_Souza_302", "alice"]
    reasons = {Path(s.origin.split(":")[-1]).name: s.reason for s in skipped}
    assert reasons["lecture_recording.mp4"] == "not a notebook (.mp4)"
    assert reasons["data.bin"].startswith("not a notebook (.bin)")
    assert {json.loads(s.content)["metadata"]["tag"] for s in submissions} == {"alice", "bruno"}


def test_a_notebook_is_read_when_graded_and_only_up_to_the_cap(tmp_path: Path) -> None:
    huge = sparse(tmp_path / "huge.ipynb", MAX_NOTEBOOK_BYTES * 2)
    nbgrader_assignments()  # loaded once per process (1.4 MB of entry points), not per file
    tracemalloc.start()
    try:
        [submission], _ = collect([huge])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MB and submission.size == MAX_NOTEBOOK_BYTES * 2
    content = submission.content
    assert len(content) == MAX_NOTEBOOK_BYTES + 1
    try:
        read_notebook(content)
    except InvalidNotebook as exc:
        assert "larger than 20 MB" in str(exc)
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("an oversized notebook was accepted")


def test_older_duplicates_are_never_read() -> None:
    """A student's newest notebook (Canvas attachment id) that can be read and names the
    assignment is the only one read: the older ones are set aside unread."""
    reads: list[str] = []

    def entry(name: str) -> Entry:
        def read(limit: int) -> bytes:
            reads.append(name)
            return gradable(name)[:limit]
        return Entry(f"c.zip:{name}", "c.zip", PurePosixPath(name), 100, read)

    names = ["silvaalice_101_5001_cnn_keras.ipynb", "silvaalice_101_5003_cnn_keras-1.ipynb",
             "silvaalice_101_5002_cnn_keras-2.ipynb"]
    [kept], skipped = identify([entry(n) for n in names], [])
    assert reads == [names[1]]  # the newest, to know that it can be graded
    assert json.loads(kept.content)["metadata"]["tag"] == names[1]
    assert reads == [names[1], names[1]]
    assert sorted(s.origin for s in skipped) == [f"c.zip:{names[0]}", f"c.zip:{names[2]}"]
    assert all(s.reason.startswith("older notebook of silvaalice_101 by Canvas attachment id")
               for s in skipped)


def gradable(tag: str) -> bytes:
    """A notebook with a code cell that names its assignment, as `layerwise build` writes it."""
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "c1",
                                  "metadata": {}, "outputs": [], "source": "x = 1"}],
                       "metadata": {"tag": tag, "layerwise": {"assignment": "cnn_keras"}},
                       "nbformat": 4, "nbformat_minor": 5}).encode()


def test_a_corrupt_entry_is_an_invalid_notebook_not_a_crash(tmp_path: Path) -> None:
    archive = tmp_path / "c.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("alice.ipynb", notebook("alice") * 50)
    data = bytearray(archive.read_bytes())
    start = data.find(b"PK\x03\x04") + 30 + len("alice.ipynb")
    data[start:start + 40] = b"\xff" * 40  # garbage inside the compressed stream
    archive.write_bytes(bytes(data))
    [submission], _ = collect([archive])
    try:
        submission.content  # noqa: B018 - reading is the point
    except InvalidNotebook as exc:
        assert "could not be read" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a corrupt entry read as a notebook")
