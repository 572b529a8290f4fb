"""Benchmark (not a test): `layerwise serve` under a deadline rush and a steady trickle, next to
`layerwise grade`'s batch throughput on the same notebooks, same machine, same run.

    python autograder/bench/bench_serve.py [--rush 300] [--window 60] [--steady 60] [--rate 1]
                                           [--clients 30] [--workers 2]

The rush posts `--rush` submissions of the realistic example class (bench.py's scaled class,
without the notebook that hangs) from `--clients` concurrent signed-in students, spread evenly
over `--window` seconds; the steady part posts `--steady` more at `--rate` per second. Upload to
feedback is measured from the moment a client starts its POST to the grade's commit in the
database (one machine, one clock). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ENV, run_layerwise, scaled_class
from layerwise.serve.db import make_engine, sessions
from layerwise.serve.models import Submission

BIN = Path(sys.executable).parent
REFUSED: list[str] = []
"""Why a POST got no receipt: a server error or no answer (each one counts as lost)."""
REJECTED: list[str] = []
"""Notebooks refused at upload with a 4xx and a message (not lost: the student is told)."""


def cli(*args: str) -> str:
    done = subprocess.run([str(BIN / "layerwise"), *args], env=ENV, capture_output=True,
                          text=True, check=True)
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [str(BIN / "layerwise"), "serve", "--data", str(data), "--port", str(port), "--workers",
         str(workers), "--timeout", "30", "--cell-timeout", "10"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=open(data / "serve.log", "wb"),  # noqa: SIM115
        start_new_session=True)
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("serve did not start: see " + str(data / "serve.log"))


def students(data: Path, base: str, n: int) -> list[str]:
    roster = data / "roster.csv"
    with open(roster, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "name"])
        writer.writerows([f"b{i:04d}", f"Bench Student {i}"] for i in range(n))
    cli("serve-admin", "roster", "1", str(roster), "--data", str(data))
    out = cli("serve-admin", "links", "1", "--data", str(data), "--base-url", base)
    return [line.split("\t")[2] for line in out.splitlines()
            if line.count("\t") == 2 and line.startswith("b")]


class Client:
    """A signed-in student posting notebooks."""

    def __init__(self, base: str, link: str) -> None:
        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=120)
        self.http.get(link.replace(base, ""))
        page = self.http.get("/assignment/1").text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found, page[:300]
        self.csrf = found.group(1)

    def post(self, path: Path) -> tuple[float, int | None]:
        t0 = time.time()
        try:
            response = self.http.post("/assignment/1/submit", data={"csrf": self.csrf},
                                      files={"notebook": (path.name, path.read_bytes())})
        except httpx.HTTPError as exc:
            REFUSED.append(f"{path.name}: {type(exc).__name__}: {exc}")
            return t0, None
        found = re.search(r"/submission/(\d+)", response.headers.get("location", ""))
        if found:
            return t0, int(found.group(1))
        if response.status_code < 500:  # a notebook refused at upload (the class has one)
            REJECTED.append(f"{path.name}: HTTP {response.status_code}")
            return t0, 0
        REFUSED.append(f"{path.name}: HTTP {response.status_code} {response.text[-300:]}")
        return t0, None


def phase(clients: list[Client], notebooks: list[Path], interval: float) -> dict[int, float]:
    """Post every notebook, one each `interval` s, from the clients in turn (a thread each);
    submission id -> the time its POST started. A refused POST is recorded under a negative
    id (it counts as lost)."""
    posted: dict[int, float] = {}
    lock = threading.Lock()
    todo: queue.Queue[tuple[float, Path] | None] = queue.Queue()
    start = time.time() + 0.5
    for i, path in enumerate(notebooks):
        todo.put((start + i * interval, path))

    def work(client: Client) -> None:
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            at, path = item  # type: ignore[misc]
            time.sleep(max(0.0, at - time.time()))
            t0, sid = client.post(path)
            if sid == 0:
                continue
            with lock:
                posted[sid if sid is not None else -len(posted) - 1] = t0

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return posted


def wait_graded(url: str, posted: dict[int, float], timeout: float) -> dict[int, float]:
    """Submission id -> seconds from its upload to its grade, once all are graded (or the
    timeout passes)."""
    factory = sessions(make_engine(url))
    wanted = {sid for sid in posted if sid > 0}
    deadline = time.time() + timeout
    while True:
        with factory() as session:
            rows = session.query(Submission.id, Submission.graded_at).filter(
                Submission.id.in_(wanted), Submission.graded_at.is_not(None)).all()
        if len(rows) == len(wanted) or time.time() > deadline:
            return {sid: graded.timestamp() - posted[sid] for sid, graded in rows}
        time.sleep(1)


def summary(name: str, posted: dict[int, float], took: dict[int, float]) -> dict[str, Any]:
    values = sorted(took.values())
    ends = [posted[sid] + took[sid] for sid in took]
    span = (max(ends) - min(posted.values())) if ends else float("nan")
    q = statistics.quantiles(values, n=20, method="inclusive") if len(values) >= 2 else values * 19
    return {"name": name, "n": len(posted), "p50": statistics.median(values) if values else 0,
            "p95": q[18] if q else 0, "max": max(values, default=0),
            "throughput": len(values) / span if span else 0,
            "lost": len(posted) - len(took)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rush", type=int, default=300)
    ap.add_argument("--window", type=float, default=60.0)
    ap.add_argument("--steady", type=int, default=60)
    ap.add_argument("--rate", type=float, default=1.0)
    ap.add_argument("--clients", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-batch", action="store_true", help="skip the `layerwise grade` run")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    notebooks = sorted(scaled_class(work / "class", max(args.rush, args.steady),
                                    include_slow=False).glob("*.ipynb"))
    data, port = work / "data", free_port()
    base = f"http://127.0.0.1:{port}"
    data.mkdir()
    cli("serve-admin", "demo", "--data", str(data), "--base-url", base)
    links = students(data, base, args.clients)
    proc = start(data, port, args.workers)
    url = f"sqlite:///{(data / 'layerwise.sqlite3').resolve()}"
    rows = []
    try:
        clients = [Client(base, link) for link in links]
        warm = phase(clients[:1], notebooks[:1], 0)  # the reference runs once, before timing
        wait_graded(url, warm, 600)
        rush = phase(clients, notebooks[: args.rush], args.window / max(1, args.rush))
        rows.append(summary(f"rush: {args.rush} in {args.window:g} s", rush,
                            wait_graded(url, rush, 1800)))
        steady = phase(clients, notebooks[: args.steady], 1 / args.rate)
        rows.append(summary(f"steady: {args.rate:g}/s for {args.steady} s", steady,
                            wait_graded(url, steady, 600)))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=120)
    batch = None
    if not args.no_batch:
        folder = work / "batch"
        folder.mkdir()
        for path in notebooks[: args.rush]:
            (folder / path.name).write_bytes(path.read_bytes())
        batch = run_layerwise(folder, work / "batch-out", workers=args.workers)
    print(f"\n`layerwise serve`, {args.workers} workers, {os.cpu_count()} cores, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    print("| load | submissions | upload→feedback p50 | p95 | max | throughput | lost |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['name']} | {r['n']} | {r['p50']:.2f} s | {r['p95']:.2f} s | "
              f"{r['max']:.2f} s | {r['throughput']:.2f}/s | {r['lost']} |")
    if batch:
        info = json.loads((work / "batch-out" / "run.json").read_text())
        grading = float(info["timings"]["grading_s"])
        print(f"| `layerwise grade` batch, same notebooks | {batch['n']} | — | — | — | "
              f"{batch['n'] / grading:.2f}/s grading ({batch['n'] / batch['wall']:.2f}/s with "
              f"start, {batch['wall']:.1f} s) | 0 |")
    for line in REJECTED:
        print(f"refused at upload, with a message to the student (not lost): {line}")
    for line in REFUSED:
        print(f"lost: {line}")
    if any(r["lost"] for r in rows):
        print(f"submissions lost: the work folder {work} is kept (serve.log)")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
