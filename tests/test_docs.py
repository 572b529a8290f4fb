"""The documentation: the MkDocs site builds with no warning (a broken link or a page missing
from the nav fails), the README stays short and its links resolve, and `make bench` writes its
tables into docs/benchmarks.md between the markers."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "WARNING" not in log, log
    for page in ("index.html", "tutorials/ta/index.html", "reference/statuses/index.html",
                 "lms/moodle/index.html", "benchmarks/index.html", "serve/index.html"):
        assert (site / page).is_file(), page
    assert (site / "img" / "dashboard-pt.png").is_file()


def test_readme_is_short_and_its_links_resolve() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 120
    for command in ("make demo", "make test", "make serve"):
        assert command in text
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if "://" not in t]
    assert any(t.startswith("docs/") for t in local)
    missing = [t for t in local if not (ROOT / t).exists()]
    assert missing == [], f"README links to missing files: {missing}"


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "autograder/bench/bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_writes_its_tables_between_the_markers(tmp_path: Path) -> None:
    bench = _bench()
    real = ROOT / "docs" / "benchmarks.md"
    page = tmp_path / "benchmarks.md"
    page.write_text(real.read_text(encoding="utf-8"), encoding="utf-8")
    before, after = real.read_text(encoding="utf-8").split(bench.START)[0], \
        real.read_text(encoding="utf-8").split(bench.END)[1]
    tables = "# layerwise benchmark (2 cores)\n\n## Scaling\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    bench.write_tables(page, tables, "Measured by a test.")
    text = page.read_text(encoding="utf-8")
    assert text.startswith(before) and text.endswith(after)  # the rest of the page kept
    inside = text.split(bench.START)[1].split(bench.END)[0]
    assert "Measured by a test." in inside and "### layerwise benchmark" in inside
    assert "#### Scaling" in inside and "| 1 | 2 |" in inside
    assert "2026-12-05" not in inside  # the last run's tables replaced, not kept
    bench.write_tables(page, tables, "Again.")  # a second run replaces the first
    assert page.read_text(encoding="utf-8").count("| 1 | 2 |") == 1
