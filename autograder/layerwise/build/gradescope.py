"""The Gradescope autograder zip that grades with the kit's own engine
(`autograder/gradescope/<name>-layerwise.zip`), following Gradescope's specification
(gradescope-autograders.readthedocs.io/en/latest/specs/):

    setup.sh                      installs Python 3.11, the pinned requirements and the kit
                                  (and bubblewrap where apt allows); the zip's files root only
    run_autograder                grades /autograder/submission with `layerwise grade`
    layerwise-gradescope.json     the assignment, its seed, limits, and the lesson's late
                                  penalty and rate limit (`Assignment.gradescope`)
    reference/reference.json/.npz the reference harvest of that seed, computed here
    requirements.txt              the kit's dependencies, pinned to the versions tested here
    kit/                          the kit's package (a pyproject made from its metadata, and
                                  layerwise/): the engine and this lesson alone when it is the
                                  kit's, no other lesson, no example class (they quote solutions)
    packages/                     a course's lesson package (no example class) and a dist-info
                                  registering it

The reference solution itself is not shipped: the zip holds only its harvest, read by the
grader's process as root, never by a submission's.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from layerwise import __version__, plain, registry
from layerwise.assignment import Assignment
from layerwise.execute.limits import Limits
from layerwise.policies import GradescopePolicy

from .layout import Layout
from .package import assignment_root
from .zips import EPOCH

CONFIG = "layerwise-gradescope.json"
REFERENCE = "reference/reference"
KIT = "kit"
PACKAGES = "packages"
"""Course packages (outside the kit) copied into the image's site-packages."""
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
# LAYERWISE_PYTHON (a Python 3.11) skips the Miniforge download; LAYERWISE_VENV moves the venv.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${LAYERWISE_VENV:-/opt/layerwise}"
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] && [ -z "${LAYERWISE_NO_APT:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap \\
    curl ca-certificates >/dev/null || echo "apt: bubblewrap not installed (no sandbox)"
fi
if [ -z "${LAYERWISE_PYTHON:-}" ]; then
  curl -fsSL -o /tmp/miniforge.sh \\
    "https://github.com/conda-forge/miniforge/releases/latest/download/Miniforge3-Linux-$(uname -m).sh"
  bash /tmp/miniforge.sh -b -p /opt/miniforge >/dev/null
  /opt/miniforge/bin/conda create -y -q -p /opt/python311 python=3.11 >/dev/null
  LAYERWISE_PYTHON=/opt/python311/bin/python3.11
fi
"$LAYERWISE_PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -r "$HERE/requirements.txt"
"$VENV/bin/python" -m pip install -q --no-deps "$HERE/kit"
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
if [ -d "$HERE/packages" ]; then
  cp -r "$HERE/packages/." "$SITE/"
fi
"$VENV/bin/python" -m compileall -q "$SITE" >/dev/null || true
chmod -R go+rX "$VENV"       # submissions import the installed kit...
chmod -R go-rwx "$HERE"      # ...never the reference, nor these files,
"$VENV/bin/python" - <<'PY'  # ...nor the lessons' checkers and example classes
import os
from layerwise.execute.sandbox import hidden_files
for path in hidden_files():
    os.chmod(path, 0o600)
PY
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission, as root, in /autograder.
exec "${LAYERWISE_VENV:-/opt/layerwise}/bin/python" -m layerwise.lms.gradescope_run \
  "${AUTOGRADER_ROOT:-/autograder}"
"""


@dataclass(frozen=True)
class GradescopeSettings:
    """The zip's time limits (its late penalty and rate limit are the lesson's own,
    `Assignment.gradescope`)."""

    limits: Limits = field(default_factory=lambda: Limits(notebook_seconds=600, cell_seconds=120))


def pinned_requirements() -> list[str]:
    """The kit's runtime requirements (Linux), pinned to the versions installed here."""
    from packaging.requirements import Requirement

    lines = []
    for text in importlib.metadata.requires("layerwise") or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is not None and not marker.evaluate({"sys_platform": "linux", "extra": ""}):
            continue
        lines.append(f"{requirement.name}=={importlib.metadata.version(requirement.name)}")
    return sorted(lines, key=str.lower)


def _kit_pyproject(data_files: list[str], target: str) -> str:
    """A pyproject for the shipped package, from the installed kit's own metadata (its scripts,
    and the one assignment at `target` when it is the kit's; its dependencies come pinned in
    requirements.txt)."""
    dist = importlib.metadata.distribution("layerwise")
    points = dist.entry_points
    groups: dict[str, list[str]] = {}
    for ep in points:
        if ep.group != registry.GROUP or ep.value == target:
            groups.setdefault(ep.group, []).append(f'{ep.name} = "{ep.value}"')
    scripts = "\n".join(groups.pop("console_scripts", []))
    sections = "".join(f'\n[project.entry-points."{group}"]\n' + "\n".join(lines) + "\n"
                       for group, lines in sorted(groups.items()))
    data = ", ".join(f'"{name}"' for name in data_files)
    return (f'[build-system]\nrequires = ["setuptools>=68"]\n'
            f'build-backend = "setuptools.build_meta"\n\n'
            f'[project]\nname = "layerwise"\nversion = "{dist.version}"\n'
            f'requires-python = ">=3.11"\n\n[project.scripts]\n{scripts}\n{sections}\n'
            f'[tool.setuptools.packages.find]\ninclude = ["layerwise*"]\n\n'
            f"[tool.setuptools.package-data]\nlayerwise = [{data}]\n")


def _other_lessons(assignment: Assignment) -> set[Path]:
    """The folders of every registered lesson package but `assignment`'s, and every example
    class (they quote solutions): what the zip's kit leaves out."""
    own = lesson_package(assignment)
    left: set[Path] = set()
    for name in registry.registered():
        other = registry.get(name)
        folder = lesson_package(other)
        if folder is not None and folder != own:
            left.add(folder)
        spec = importlib.util.find_spec(other.examples) if other.examples else None
        if spec and spec.origin:
            left.add(Path(spec.origin).resolve())
    return left


def lesson_package(assignment: Assignment) -> Path | None:
    """The folder of the package holding the assignment's student side."""
    spec = importlib.util.find_spec(assignment.student_side.rpartition(".")[0])
    locations = spec.submodule_search_locations if spec else None
    return Path(next(iter(locations))).resolve() if locations else None


def _kit_files(assignment: Assignment) -> dict[str, bytes]:
    """The kit's installable package, from wherever it is installed: the engine and this
    assignment's package when it is the kit's, no other lesson, no example class."""
    package = Path(registry.__file__).resolve().parent
    left = _other_lessons(assignment)
    files, data = {}, []
    for path in sorted(package.rglob("*")):
        resolved = path.resolve()
        if not path.is_file() or "__pycache__" in path.parts \
                or any(resolved == p or p in resolved.parents for p in left):
            continue
        rel = path.relative_to(package).as_posix()
        files[f"{KIT}/layerwise/{rel}"] = path.read_bytes()
        if path.suffix != ".py":
            data.append(rel)
    files[f"{KIT}/pyproject.toml"] = _kit_pyproject(data, registry.target_of(assignment)).encode()
    return files


def _course_files(assignment: Assignment) -> dict[str, bytes]:
    """A course's own package (not the kit's), for the image's site-packages, without its
    example class, and registered there (a dist-info naming its entry point) so the image
    hides its checkers from submissions like the kit's."""
    folder, top = assignment_root(assignment)
    if top == "layerwise":
        return {}
    spec = importlib.util.find_spec(assignment.examples) if assignment.examples else None
    examples = Path(spec.origin).resolve() if spec and spec.origin else None
    files = {f"{PACKAGES}/{p.relative_to(folder).as_posix()}": p.read_bytes()
             for p in sorted((folder / top).rglob("*.py"))
             if "__pycache__" not in p.parts and p.resolve() != examples}
    info = f"{PACKAGES}/{top}-0.0.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {top}\nVersion: 0.0\n".encode()
    files[f"{info}/entry_points.txt"] = (f"[{registry.GROUP}]\n{assignment.name} = "
                                         f"{registry.target_of(assignment)}\n").encode()
    return files


def _config(assignment: Assignment, settings: GradescopeSettings) -> dict[str, Any]:
    policy = assignment.gradescope or GradescopePolicy()
    return {"assignment": registry.target_of(assignment), "name": assignment.name,
            "seed": assignment.native_seed, "kit_version": __version__,
            "limits": settings.limits.to_dict(), "late_penalty": asdict(policy.late_penalty),
            "rate_limit": asdict(policy.rate_limit)}


def write_gradescope_zip(root: Path, assignment: Assignment, settings: GradescopeSettings
                         ) -> Path:
    """Write `root/autograder/gradescope/<name>-layerwise.zip` (byte-stable); returns it."""
    from layerwise.grade.reference import solution_hash

    from .native_tests import _reference

    layout = Layout(assignment)
    _, harvest = _reference(assignment.name, (root / layout.source).resolve())
    harvest = {**{k: v for k, v in harvest.items() if k != "timing"},  # byte-stable: no clock
               "seed": assignment.native_seed,
               "solution_hash": solution_hash(root / layout.solution(layout.default_lang))}
    text, npz = plain.pack(harvest, stable=True)
    files: dict[str, tuple[bytes, int]] = {
        "setup.sh": (SETUP.encode(), 0o755), "run_autograder": (RUN.encode(), 0o755),
        CONFIG: (json.dumps(_config(assignment, settings), indent=1).encode(), 0o644),
        f"{REFERENCE}.json": (text.encode(), 0o600), f"{REFERENCE}.npz": (npz, 0o600),
        "requirements.txt": ("\n".join(pinned_requirements()).encode() + b"\n", 0o644),
    }
    files |= {name: (data, 0o644) for name, data in _kit_files(assignment).items()}
    files |= {name: (data, 0o644) for name, data in _course_files(assignment).items()}
    target = root / layout.gradescope_zip
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            data, mode = files[name]
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.create_system = 3
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    target.write_bytes(buffer.getvalue())
    return target
