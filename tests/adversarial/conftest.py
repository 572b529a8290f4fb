"""The hostile class graded once per session (one `grade()` run), with everything the tests
check afterwards: the records, host snapshots before/after, what reached the test's listeners;
and the honest notebooks graded alone, whose cached reference the other runs reuse.
"""

from __future__ import annotations

import hashlib
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adversarial_cases import ROOT, TOKEN, Places, write_class, write_honest
from hostile_settings import LIMITS, SEED, records_of, seeded_run_folder
from layerwise.execute.sandbox import bwrap_works
from layerwise.grade.run import Options, grade


def snapshot(*roots: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Path -> hash of content (or link target) for every file under the roots."""
    found: dict[str, str] = {}
    for root in roots:
        paths = [root] if not root.is_dir() or root.is_symlink() else sorted(root.rglob("*"))
        for path in paths:
            if any(path == s or s in path.parents for s in skip):
                continue
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                found[str(path)] = "dir"
    return found


class Listener:
    """A TCP and a UDP socket on the host's loopback that no submission may reach."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.tcp.setblocking(False)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)

    def arrived(self) -> list[str]:
        got = []
        for sock, what in ((self.tcp, "tcp connection"), (self.udp, "udp datagram")):
            try:
                if sock is self.tcp:
                    conn, _ = sock.accept()
                    conn.close()
                else:
                    sock.recv(4096)
                got.append(what)
            except BlockingIOError:
                pass
        return got

    def close(self) -> None:
        self.tcp.close()
        self.udp.close()


@pytest.fixture(scope="session")
def honest_alone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The two honest notebooks graded in a run of their own (same seed and limits). Its
    cached reference harvest serves the other runs of this folder."""
    folder = tmp_path_factory.mktemp("honest_alone")
    write_honest(folder / "in")
    info = grade([folder / "in"], folder / "run",
                 Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=1, seed=SEED,
                         limits=LIMITS))
    return {"info": info, "records": records_of(folder / "run"),
            "reference": folder / "run" / ".reference"}


@pytest.fixture(scope="session")
def reference_cache(honest_alone: dict[str, Any]) -> Path:
    return honest_alone["reference"]


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, reference_cache: Path
                ) -> Iterator[dict[str, Any]]:
    """Grade the hostile class and two honest notebooks in ONE run, inside bubblewrap."""
    if not bwrap_works():  # unconfined, these submissions would really delete files
        pytest.skip("the hostile class runs only inside bubblewrap (apt-get install bubblewrap)")
    parent = tmp_path_factory.mktemp("adversarial")
    out = seeded_run_folder(parent / "run", reference_cache)
    listener = Listener()
    fd, name = tempfile.mkstemp(prefix="layerwise-canary-", dir="/tmp")
    os.close(fd)
    tmp_canary = Path(name)
    tmp_canary.write_text('{"canary": "in /tmp"}')
    (parent / "canary.txt").write_text("in the test's tmp dir")
    places = Places(port=listener.tcp.getsockname()[1], udp_port=listener.udp.getsockname()[1],
                    marker=parent / "unpickled.txt", out=out, parent=parent,
                    tmp_canary=tmp_canary)
    expected = write_class(parent / "submissions", places)
    write_honest(parent / "honest")
    watched = (ROOT / "solutions", parent, tmp_canary)
    before = snapshot(*watched, skip=(out,))
    previous = os.environ.get("CANVAS_TOKEN")
    os.environ["CANVAS_TOKEN"] = TOKEN
    started = time.monotonic()
    try:
        info = grade([parent / "submissions", parent / "honest"], out,
                     Options(solution=ROOT / "solutions" / "cnn_keras.ipynb", workers=2,
                             seed=SEED, limits=LIMITS))
    finally:
        if previous is None:
            os.environ.pop("CANVAS_TOKEN", None)
        else:
            os.environ["CANVAS_TOKEN"] = previous
    seconds = time.monotonic() - started
    time.sleep(0.5)  # anything still in flight to the listeners
    yield {"out": out, "info": info, "records": records_of(out), "expected": expected,
           "before": before, "after": snapshot(*watched, skip=(out,)), "places": places,
           "arrived": listener.arrived(), "seconds": seconds}
    listener.close()
    tmp_canary.unlink(missing_ok=True)
