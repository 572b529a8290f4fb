"""Helpers of the service's tests: a real `layerwise serve` process, a private PostgreSQL
cluster, and a student's or instructor's HTTP client."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "autograder" / "examples" / "cnn_keras"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "demo-teacher-pw"
TEACHER = "teacher@example.edu"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "autograder"), "TF_CPP_MIN_LOG_LEVEL": "3",
            "TF_ENABLE_ONEDNN_OPTS": "1", "LAYERWISE_PASSWORD": PASSWORD}


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "layerwise.cli", *args], env=env(),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def demo(data: Path, base: str, db: str = "") -> dict[str, str]:
    """Load the example course; student id -> sign-in link."""
    out = cli("serve-admin", "demo", "--data", str(data), "--base-url", base,
              *(["--db", db] if db else []))
    return {line.split("\t")[0]: line.split("\t")[2] for line in out.splitlines()
            if line.count("\t") == 2}


@dataclass
class Server:
    """A `layerwise serve` process."""

    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 90) -> None:
        if self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def start(data: Path, port: int, db: str = "", workers: int = 2, wait: float = 180) -> Server:
    """Start the service and wait until /healthz answers."""
    log = data / f"serve-{port}-{int(time.time() * 1000)}.log"
    args = [sys.executable, "-m", "layerwise.cli", "serve", "--data", str(data), "--port",
            str(port), "--workers", str(workers), "--kit", str(ROOT),
            *(["--db", db] if db else [])]
    proc = subprocess.Popen(args, env=env(), cwd=ROOT, stdout=open(log, "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(server.base + "/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop(signal.SIGKILL)
    raise RuntimeError(f"serve did not start: {log.read_text()[-3000:]}")


@contextmanager
def running(data: Path, db: str = "", workers: int = 2) -> Iterator[Server]:
    server = start(data, free_port(), db, workers)
    try:
        yield server
    finally:
        server.stop()


def signed_in(base: str, link: str) -> httpx.Client:
    """A student's client, signed in with their link."""
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=60)
    response = client.get(link.replace(base, ""))
    assert response.status_code == 200, response.text[:300]
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def teacher(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=60)
    form = client.get("/login").text
    response = client.post("/login", data={"csrf": csrf_of(form), "email": TEACHER,
                                           "password": PASSWORD})
    assert response.status_code == 200 and "/logout" in response.text, response.text[:300]
    return client


def submit(client: httpx.Client, aid: int, path: Path, name: str | None = None) -> httpx.Response:
    csrf = csrf_of(client.get(f"/assignment/{aid}").text)
    return client.post(f"/assignment/{aid}/submit", data={"csrf": csrf},
                       files={"notebook": (name or path.name, path.read_bytes(),
                                           "application/x-ipynb+json")})


def submission_id(response: httpx.Response) -> int:
    found = re.search(r"/submission/(\d+)", str(response.url))
    assert found, (response.status_code, response.text[:300])
    return int(found.group(1))


def wait_done(client: httpx.Client, sid: int, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(f"/submission/{sid}/status.json").json()
        if state["state"] == "done":
            return dict(state)
        time.sleep(0.4)
    raise AssertionError(f"submission {sid} not graded within {timeout} s: {state}")


@dataclass
class Cluster:
    """A private PostgreSQL server."""

    port: int
    as_pg: list[str]

    def new_db(self) -> str:
        """A SQLAlchemy URL of a new, empty database."""
        name = f"lw_{uuid.uuid4().hex[:12]}"
        subprocess.run([*self.as_pg, str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "postgres", name], check=True, capture_output=True)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def postgres() -> Iterator[Cluster]:
    """A private PostgreSQL 15 cluster in a temporary folder, run as the `postgres` user (initdb
    refuses root); stopped and removed after."""
    if not (PG_BIN / "initdb").is_file():
        raise RuntimeError(f"PostgreSQL 15 not found in {PG_BIN}")
    folder = Path(tempfile.mkdtemp(prefix="lw-pg-"))
    as_pg = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster runs as `postgres`
        shutil.chown(folder, "postgres", "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run([*as_pg, str(PG_BIN / "initdb"), "-D", str(folder / "db"), "-A", "trust",
                    "-U", "postgres", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(folder / "db"), "-w", "-l",
                    str(folder / "log"), "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)
    try:
        yield Cluster(port, as_pg)
    finally:
        subprocess.run([*as_pg, str(PG_BIN / "pg_ctl"), "-D", str(folder / "db"), "-m", "fast",
                        "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
