"""Benchmark (not a test): `layerwise grade` next to `otter run` and `nbgrader autograde` on the
same notebooks, same machine, same run; then how layerwise scales with the class size.

    python autograder/bench/bench.py [--class-size 200] [--sample 5] [--scale 10,100,1000]

Prints markdown tables: per-submission wall and CPU time and peak memory per grader, and the
layerwise total for each class size. Peak memory per worker is sampled from /proc (the worker's
process tree: its zygote plus the current child). A run that finishes writes its tables into
docs/benchmarks.md, between the page's marker comments (`--no-docs`: print only).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from layerwise.tfenv import TF_ENV

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "autograder" / "examples" / "cnn_keras"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", **TF_ENV}
DOCS_PAGE = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


class Tee(io.StringIO):
    """Keeps what is printed while printing it."""

    def __init__(self, out: Any) -> None:
        super().__init__()
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.out.flush()


def machine() -> str:
    """The CPU's model name (from /proc/cpuinfo) and its core count."""
    try:
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        model = ""
    return f"{os.cpu_count()} cores, {model or platform.machine()}"


def write_tables(page: Path, tables: str, how: str) -> None:
    """Put this run's tables between the page's markers, replacing the last run's; the tables'
    headings go two levels down, under the page's own."""
    text = page.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise SystemExit(f"{page} needs one {START} and one {END} after it: tables not written")
    body = "\n".join("##" + line if line.startswith("#") else line
                     for line in tables.strip().splitlines())
    head, rest = text.split(START, 1)
    page.write_text(f"{head}{START}\n{how}\n\n{body}\n{END}{rest.split(END, 1)[1]}",
                    encoding="utf-8")


def scaled_class(target: Path, size: int, include_slow: bool = True) -> Path:
    """`size` notebooks cycling through the example class (hang/crash kept: it is a class)."""
    sources = sorted(p for p in CLASS.glob("*.ipynb") if include_slow or p.stem not in ("hang",))
    target.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        src = sources[i % len(sources)]
        shutil.copy(src, target / f"s{i:04d}_{src.stem}.ipynb")
    return target


class TreeSampler:
    """Peak resident memory of each direct child process tree of `root_pid`, sampled."""

    def __init__(self, root_pid: int) -> None:
        self.root, self.peaks, self._stop = root_pid, {}, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _children() -> dict[int, list[int]]:
        kids: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    ppid = int(Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                kids.setdefault(ppid, []).append(int(name))
        return kids

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _tree_rss(self, pid: int, kids: dict[int, list[int]]) -> int:
        return self._rss(pid) + sum(self._tree_rss(k, kids) for k in kids.get(pid, []))

    def _run(self) -> None:
        while not self._stop.is_set():
            kids = self._children()
            stack, workers = [self.root], []
            while stack:  # every zygote (python -m layerwise.execute.zygote) under the root
                pid = stack.pop()
                for k in kids.get(pid, []):
                    try:
                        cmd = Path(f"/proc/{k}/cmdline").read_bytes()
                    except OSError:
                        continue
                    if b"layerwise.execute.zygote" in cmd:
                        workers.append(k)
                    else:
                        stack.append(k)
            for w in workers:
                self.peaks[w] = max(self.peaks.get(w, 0), self._tree_rss(w, kids))
            time.sleep(0.05)

    def __enter__(self) -> TreeSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.thread.join()


def run_layerwise(folder: Path, out: Path, executor: str = "local", workers: int = 2
                  ) -> dict[str, Any]:
    cmd = [str(BIN / "layerwise"), "grade", str(folder), "--out", str(out), "--seed", "2026",
           "--workers", str(workers), "--executor", executor, "--timeout", "30",
           "--cell-timeout", "10", "--force"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with TreeSampler(proc.pid) as sampler:
        proc.wait()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    import json

    records = [json.loads(p.read_text()) for p in out.glob("*/grading.json")]
    if not records:
        raise SystemExit(f"layerwise graded nothing in {folder} (run the command by hand: {cmd})")
    per = [r["stats"].get("elapsed") or 0 for r in records if r.get("stats")]
    own = [r["stats"].get("wall") or 0 for r in records if r.get("stats")]
    floor = [r["stats"]["student_s"] for r in records if "student_s" in (r.get("stats") or {})]
    # The command's own CPU plus each submission's child (measured by its worker with wait4):
    # workers live inside bubblewrap and are not reaped by the command, so rusage misses them.
    children_cpu = sum(r["stats"].get("cpu") or 0 for r in records if r.get("stats"))
    n = len(records)
    return {"n": n, "wall": wall, "cpu": (after.ru_utime + after.ru_stime
                                          - before.ru_utime - before.ru_stime) + children_cpu,
            "median_per_worker": statistics.median(per) if per else float("nan"),
            "median_student_code": statistics.median(own) if own else float("nan"),
            "median_floor": statistics.median(floor) if floor else float("nan"),
            "peak_worker_mb": max(sampler.peaks.values(), default=0) / 2**20}


def _otter_one(nb: Path, work: Path) -> tuple[float, float, float]:
    """`otter run` on one notebook: (wall s, CPU s, peak MB)."""
    zip_path = ROOT / "autograder" / "otter" / "cnn_keras-autograder.zip"
    out = work / f"otter-{nb.stem}"
    out.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "otter"), "run", "-a", str(zip_path), "-o", str(out), str(nb)],
                   env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            after.ru_maxrss / 1024)


def _summary(runs: list[tuple[float, float, float]]) -> dict[str, Any]:
    walls = [r[0] for r in runs]
    return {"n": len(runs), "wall": sum(walls), "median_per_worker": statistics.median(walls),
            "cpu": sum(r[1] for r in runs), "peak_worker_mb": max(r[2] for r in runs)}


def run_otter(notebooks: list[Path], work: Path) -> dict[str, Any]:
    return _summary([_otter_one(nb, work) for nb in notebooks])


def run_nbgrader(notebooks: list[Path], work: Path) -> dict[str, Any]:
    course = work / "course"
    shutil.copytree(ROOT / "autograder" / "nbgrader", course)
    nbg = str(BIN / "nbgrader")
    subprocess.run([nbg, "generate_assignment", "cnn_keras", "--force"], cwd=course, env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    for nb in notebooks:
        dest = course / "submitted" / nb.stem / "cnn_keras"
        dest.mkdir(parents=True)
        shutil.copy(nb, dest / "cnn_keras.ipynb")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([nbg, "autograde", "cnn_keras", "--force"], cwd=course, env=ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"n": len(notebooks), "wall": wall, "median_per_worker": wall / len(notebooks),
            "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "peak_worker_mb": after.ru_maxrss / 1024}


def _gradescope_image() -> Any:
    sys.path.insert(0, str(ROOT / "tests"))
    from gradescope_image import Image

    image = Image()
    image.ready()
    return image


GRADESCOPE_META = {"created_at": "2026-12-01T10:00:00+00:00", "previous_submissions": [],
                   "assignment": {"due_date": "2026-12-02T10:00:00+00:00"}}


def _gradescope_one(image: Any, nb: Path) -> tuple[float, float, float]:
    """`run_autograder` on one notebook: (wall s, CPU s as rusage sees it, no peak)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    image.run(nb, GRADESCOPE_META)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, float("nan")


def run_gradescope(notebooks: list[Path]) -> dict[str, Any]:
    """The kit's Gradescope zip: set up once (not timed: Gradescope builds the image once), then
    `run_autograder` per notebook in a simulated container (tests/gradescope_image.py)."""
    image = _gradescope_image()
    try:
        return _summary([_gradescope_one(image, nb) for nb in notebooks])
    finally:
        shutil.rmtree(image.folder, ignore_errors=True)


def run_gradescope_pairs(notebooks: list[Path], work: Path) -> tuple[dict[str, Any],
                                                                     dict[str, Any]]:
    """otter's zip and the kit's, alternately on each notebook: on a machine whose load
    changes, both medians then see the same load."""
    image = _gradescope_image()
    otter, kit = [], []
    try:
        for nb in notebooks:
            otter.append(_otter_one(nb, work))
            kit.append(_gradescope_one(image, nb))
            print(f"{nb.stem}: otter {otter[-1][0]:.2f} s, kit {kit[-1][0]:.2f} s, load "
                  f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(image.folder, ignore_errors=True)
    return _summary(kit), _summary(otter)


def print_gradescope(kit: dict[str, Any], otter: dict[str, Any]) -> None:
    print("\n## Gradescope: the kit's zip (simulated container) next to otter's\n")
    print("| grader | notebooks | total wall s | wall s / notebook | median wall s |"
          " CPU s / notebook | peak MB |")
    print("|---|---|---|---|---|---|---|")
    print(row("layerwise zip: run_autograder", kit))
    print(row("otter zip: otter run", otter))
    print(f"\nthe kit's zip takes {kit['median_per_worker'] / otter['median_per_worker']:.2f} "
          "of otter's median time per submission", flush=True)


def row(name: str, r: dict[str, Any]) -> str:
    return (f"| {name} | {r['n']} | {r['wall']:.1f} | {r['wall'] / r['n']:.2f} | "
            f"{r['median_per_worker']:.2f} | {r['cpu'] / r['n']:.2f} | {r['peak_worker_mb']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--class-size", type=int, default=200)
    parser.add_argument("--sample", type=int, default=8, help="notebooks for otter and nbgrader")
    parser.add_argument("--scale", default="10,100,1000")
    parser.add_argument("--gradescope", action="store_true",
                        help="also time the kit's Gradescope zip in a simulated container "
                             "(its setup installs a venv: minutes)")
    parser.add_argument("--no-docs", action="store_true",
                        help=f"print the tables only (default: also into {DOCS_PAGE.name})")
    parser.add_argument("--gradescope-only", action="store_true",
                        help="time only the two Gradescope zips, otter's and the kit's "
                             "alternately on each notebook of the sample (the same load)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="layerwise-bench-"))
    tee = Tee(sys.stdout)
    sys.stdout = tee
    try:
        graded = sorted(p for p in CLASS.glob("*.ipynb") if p.stem not in ("hang", "crash",
                                                                            "not_a_notebook"))
        sample = graded[:: max(1, len(graded) // args.sample)][: args.sample]  # across the class
        sample_dir = work / "sample"
        sample_dir.mkdir()
        for nb in sample:
            shutil.copy(nb, sample_dir)
        print(f"# layerwise benchmark ({os.cpu_count()} cores)\n")
        if args.gradescope_only:
            print_gradescope(*run_gradescope_pairs(sample, work))
            return
        print("## Same notebooks, three graders (per submission)\n")
        print("| grader | notebooks | total wall s | wall s / notebook | median wall s per worker |"
              " CPU s / notebook | peak MB per worker |")
        print("|---|---|---|---|---|---|---|")
        lw = run_layerwise(sample_dir, work / "lw-sample")
        print(row("layerwise grade (2 workers)", lw), flush=True)
        fresh = run_layerwise(sample_dir, work / "lw-fresh", executor="fresh")
        print(row("layerwise grade --executor fresh", fresh), flush=True)
        otter = run_otter(sample, work)
        print(row("otter run (kit zip)", otter), flush=True)
        print(row("nbgrader autograde", run_nbgrader(sample, work)), flush=True)
        print(f"\nlayerwise is {otter['median_per_worker'] / lw['median_per_worker']:.1f}x "
              "faster per submission per worker than `otter run` on these notebooks")
        if args.gradescope:
            print_gradescope(run_gradescope(sample), otter)
        print(f"\n## layerwise on the example class scaled to {args.class_size}\n")
        big = run_layerwise(scaled_class(work / "big", args.class_size), work / "lw-big")
        print("| notebooks | total wall s | median s per submission per worker | median s in the "
              "child (cells + harness) | median s in student code alone (the floor) | "
              "peak MB per worker |")
        print("|---|---|---|---|---|---|")
        print(f"| {big['n']} | {big['wall']:.1f} | {big['median_per_worker']:.2f} | "
              f"{big['median_student_code']:.2f} | {big['median_floor']:.2f} | "
              f"{big['peak_worker_mb']:.0f} |", flush=True)
        print("\n## Scaling (2 workers)\n")
        print("| notebooks | total wall s | s per notebook |")
        print("|---|---|---|")
        for size in (int(s) for s in args.scale.split(",") if s):
            r = run_layerwise(scaled_class(work / f"scale-{size}", size), work / f"lw-{size}")
            print(f"| {r['n']} | {r['wall']:.1f} | {r['wall'] / r['n']:.3f} |", flush=True)
    finally:
        sys.stdout = tee.out
        shutil.rmtree(work, ignore_errors=True)
    if not args.no_docs:
        how = (f"Measured by `make bench BENCH_ARGS=\"{' '.join(sys.argv[1:])}\"` on "
               f"{time.strftime('%Y-%m-%d')}, {machine()}, one run.")
        write_tables(DOCS_PAGE, tee.getvalue(), how)
        print(f"wrote the tables into {DOCS_PAGE}")


if __name__ == "__main__":
    main()
