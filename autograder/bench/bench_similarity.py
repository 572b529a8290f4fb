"""Benchmark (not a test): `layerwise similarity` on a class of N notebooks synthesized by the
tests' disguise script (disguised copies, one to three levels deep, of the benchmark's
originals), with wrong answers shared along the copies.

    python autograder/bench/bench_similarity.py [--size 500] [--lesson cnn_numpy]

Prints a markdown table of the time of each step: fingerprinting every notebook, scoring every
pair on both signals, clusters, writing the report (similarity.html, a page per flagged pair,
JSON, CSV). Synthesizing the class is not timed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "similarity"))

from disguise import graded, release_cells, synthetic_class  # noqa: E402
from layerwise.similarity.answers import Wrong  # noqa: E402
from layerwise.similarity.clusters import clusters  # noqa: E402
from layerwise.similarity.pairs import CODE_THRESHOLD, Entry, score  # noqa: E402
from layerwise.similarity.report import write  # noqa: E402
from layerwise.similarity.run import Result, _entry, starter_fingerprints  # noqa: E402
from layerwise.similarity.store import notebook_fingerprints  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--lesson", default="cnn_numpy")
    args = parser.parse_args()
    functions = graded(args.lesson)
    t0 = time.perf_counter()
    notebooks = synthetic_class(args.lesson, args.size)
    synth = time.perf_counter() - t0
    rng = random.Random(1)
    steps: list[tuple[str, float, float]] = []
    clock = time.process_time

    t0, c0 = time.perf_counter(), clock()
    entries: list[Entry] = []
    for name, cells in notebooks.items():
        entry = _entry(name, notebook_fingerprints(cells, functions), "student")
        original = name.split(".", 1)[1]
        if "correct" not in original and "full_marks" not in original:  # its original's mistake
            entry.wrong = {(q, f"hidden-{c}"): Wrong(f"{original}:{q}:{c}", None, "")
                           for q in ("q1", "q2") for c in range(4)}
        entry.wrong[("q3", "seed")] = Wrong(f"noise{rng.randrange(40)}", None, "")
        entries.append(entry)
    starter = starter_fingerprints([release_cells(args.lesson)], functions)
    steps.append(("fingerprints (extract, normalize, winnow)", time.perf_counter() - t0,
                  clock() - c0))
    t0, c0 = time.perf_counter(), clock()
    pairs = score(entries, starter)
    steps.append(("pairs (code and answers)", time.perf_counter() - t0, clock() - c0))
    t0, c0 = time.perf_counter(), clock()
    groups = clusters(pairs)
    steps.append(("clusters (networkx)", time.perf_counter() - t0, clock() - c0))
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), clock()
        result = Result(Path(tmp), args.lesson, entries, pairs, groups, notebooks, {}, [],
                        CODE_THRESHOLD, starter)
        data = write(result)
        steps.append(("report (HTML, JSON, CSV)", time.perf_counter() - t0, clock() - c0))
    wall, cpu = sum(s[1] for s in steps), sum(s[2] for s in steps)
    print(f"{args.size} notebooks of {args.lesson} (synthesized in {synth:.1f} s, not timed); "
          f"{len(pairs)} pairs with something in common, {data['tiers']['both']} with both "
          f"signals high, {data['tiers']['either']} with one, {len(groups)} clusters\n")
    print("| step | wall s | CPU s |\n|---|---:|---:|")
    for name, seconds, used in steps:
        print(f"| {name} | {seconds:.2f} | {used:.2f} |")
    print(f"| **total** | **{wall:.2f}** | **{cpu:.2f}** |")


if __name__ == "__main__":
    main()
