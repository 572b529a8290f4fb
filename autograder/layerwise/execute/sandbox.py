"""How a worker is confined: bubblewrap when available, and a plain record of what is enforced."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import layerwise
from layerwise.errors import ConfigError
from layerwise.execute.netns import network_isolation_works
from layerwise.tfenv import TF_ENV

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc")
FIRST_UID = 100_000
WORKERS_PER_RUN = 64


def run_uid(index: int) -> int:
    """The unprivileged user of worker `index` of this run (when the grader is root). Each run
    gets its own range, so two runs on one machine never share a process limit or a cleanup."""
    return FIRST_UID + (os.getpid() % 20_000) * WORKERS_PER_RUN + index % WORKERS_PER_RUN


class SandboxMode(StrEnum):
    """How submissions are confined: bubblewrap when it works here (auto), bubblewrap or fail
    (bwrap), or nothing but the process limits (none, loudly warned)."""

    auto = "auto"
    bwrap = "bwrap"
    none = "none"


def sandbox_mode(value: str) -> SandboxMode:
    """`value` as a SandboxMode; anything else is an error, never a quiet fallback."""
    try:
        return SandboxMode(value)
    except ValueError:
        choices = ", ".join(m.value for m in SandboxMode)
        raise ConfigError(f"unknown sandbox {value!r}: choose one of {choices}") from None


def use_bubblewrap(mode: SandboxMode) -> bool:
    """Whether workers run inside bubblewrap; `bwrap` asked for and not working is an error."""
    if mode is SandboxMode.none:
        return False
    works = bwrap_works()
    if mode is SandboxMode.bwrap and not works:
        raise ConfigError("--sandbox bwrap: bubblewrap is not installed or cannot create "
                          "namespaces here (sudo apt-get install bubblewrap), or use --sandbox "
                          "auto")
    return works


@dataclass
class Enforcement:
    """What the sandbox enforces on this machine: written to run.json and shown by the CLI."""

    sandbox: str = "none"
    filesystem_isolated: bool = False
    network_isolated: bool = False
    own_user: bool = False
    pid_namespace: bool = False
    process_limit: bool = False
    disk_quota: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def bwrap_works() -> bool:
    """bubblewrap is installed and can create namespaces here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    try:
        probe = subprocess.run([exe, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid",
                                "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


@functools.cache
def bwrap_sizes_tmpfs() -> bool:
    """bubblewrap can limit a tmpfs's size (`--size`, bubblewrap 0.7 or later)."""
    exe = shutil.which("bwrap")
    try:
        probe = subprocess.run([exe or "bwrap", "--ro-bind", "/", "/", "--size", str(2**20),
                                "--tmpfs", "/tmp", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def python_readable_by_others() -> bool:
    """Whether another user can import this Python (a pyenv under /root cannot)."""
    for path in [Path(sys.base_prefix), *Path(sys.base_prefix).parents, Path(sys.prefix)]:
        if not path.stat().st_mode & 0o001:
            return False
    return True


def switch_user(use_bwrap: bool) -> bool:
    """Submissions run as their own unprivileged user: needs root, and a Python they can read."""
    return os.geteuid() == 0 and (use_bwrap or python_readable_by_others())


def enforcement(use_bwrap: bool) -> Enforcement:
    root = switch_user(use_bwrap)
    network = use_bwrap or (os.geteuid() == 0 and network_isolation_works())
    e = Enforcement(sandbox="bubblewrap" if use_bwrap else "none", own_user=root,
                    process_limit=root, network_isolated=network,
                    filesystem_isolated=use_bwrap, pid_namespace=use_bwrap,
                    disk_quota=use_bwrap and bwrap_sizes_tmpfs())
    if not use_bwrap:
        e.warnings.append(
            "bubblewrap is not available: submissions can READ any file this user can read "
            "(solutions/, other students' notebooks, the run folder) and write files with "
            "no total quota (only a size limit per file). Install it: "
            "sudo apt-get install bubblewrap")
    if use_bwrap and not e.disk_quota:
        e.warnings.append("this bubblewrap cannot size a tmpfs (0.7 or later can): no total "
                          "disk quota per submission, only a size limit per file")
    if not root:
        e.warnings.append(
            "submissions run as your own user (not root, or Python unreadable by others), "
            "with no process-count limit"
            + ("" if use_bwrap else ", and can signal your other processes"))
    if not network:
        e.warnings.append("the network is NOT isolated from submissions (no bubblewrap, and "
                          "no private network namespace here)")
    return e


def worker_pythonpath() -> list[str]:
    """Where a worker imports from besides its Python: the folder of the grader's own
    `layerwise` (a checkout, a `pip install --target`, anywhere) and the grader's PYTHONPATH, so
    the harness in the sandbox is the code the grader compares with."""
    entries = [str(Path(layerwise.__file__).resolve().parent.parent)]
    entries += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return list(dict.fromkeys(entries))


def lesson_dirs() -> list[str]:
    """The folder of every registered lesson's top package, wherever the grader imports it
    from (site-packages, a PYTHONPATH entry, a course folder an editable install points at).
    Only these folders are bound, never the folder around them: an editable install puts a
    course's root, with its solutions/ and run folders, on the grader's sys.path."""
    from layerwise import registry

    found: set[str] = set()
    for name in registry.registered():
        top = registry.get(name).student_side.split(".")[0]
        spec = importlib.util.find_spec(top)
        if spec is not None and spec.submodule_search_locations:
            found |= {str(Path(p).resolve()) for p in spec.submodule_search_locations}
    return sorted(found)


def _site_dirs() -> set[str]:
    """The grader's library folders on sys.path (site-packages and dist-packages, including
    those a .pth file adds, e.g. a venv layered on another's)."""
    return {p for p in sys.path
            if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()}


def _python_dirs() -> list[str]:
    lessons = lesson_dirs()
    holders = {str(Path(d).parent) for d in lessons}
    extra = [p for p in worker_pythonpath()[1:]
             if Path(p).is_dir() and str(Path(p).resolve()) not in holders]
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
             str(Path(layerwise.__file__).resolve().parent), *_site_dirs(), *lessons, *extra}
    real = {str(Path(p).resolve()) for p in paths}
    return sorted(real | paths)


def _module_files(module: str) -> list[Path]:
    """A module's files, or every file of a package, sources and compiled."""
    spec = importlib.util.find_spec(module) if module else None
    if spec is None or not spec.origin:
        return []
    source = Path(spec.origin).resolve()
    if source.name == "__init__.py":
        return [p for p in source.parent.rglob("*") if p.suffix in (".py", ".pyc")]
    return [source, *source.parent.glob(f"__pycache__/{source.stem}.*.pyc")]


def hidden_files() -> list[Path]:
    """Files no submission may read: every registered assignment's grader side (its checkers:
    they recompute known mistakes, some from correct code) and example class (its mutants quote
    the solution); inside bubblewrap /dev/null stands in their place. No worker imports them."""
    from layerwise import registry

    found: list[Path] = []
    for name in registry.registered():
        assignment = registry.get(name)
        found += _module_files(assignment.checkers) + _module_files(assignment.examples)
    return sorted({p for p in found if p.is_file()})


def bwrap_argv(scratch: Path, command: list[str], *, root: bool, disk_mb: int) -> list[str]:
    """bubblewrap command line for one worker: read-only system and Python, its own scratch
    folder writable, a private /tmp of `disk_mb` (where each submission runs), no network
    (loopback only), own PID namespace."""
    binds = [d for d in SYSTEM_DIRS if Path(d).exists()]
    python = [p for p in _python_dirs() if Path(p).exists()
              and not any(p == b or p.startswith(b + "/") for b in binds)]
    targets = sorted({*python, str(scratch)})
    argv = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc",
            "--unshare-net", "--unshare-uts", "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev"]
    if bwrap_sizes_tmpfs():
        argv += ["--size", str(disk_mb * 2**20)]
    argv += ["--tmpfs", "/tmp"]
    for d in binds:
        argv += ["--ro-bind", d, d]
    parents = sorted({str(parent) for t in targets for parent in Path(t).parents
                      if str(parent) not in ("/", "/tmp") and str(parent) not in binds})
    for parent in parents:
        argv += ["--perms", "0755", "--dir", parent]
    for p in python:
        if not any(p.startswith(q + "/") for q in python if q != p):
            argv += ["--ro-bind", p, p]
    for hidden in hidden_files():
        argv += ["--ro-bind", "/dev/null", str(hidden)]
    argv += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch), "--clearenv",
             "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin",
             "--setenv", "HOME", str(scratch), "--setenv", "LANG", "C.UTF-8",
             "--setenv", "PYTHONPATH", os.pathsep.join(worker_pythonpath())]
    for name, value in TF_ENV.items():
        argv += ["--setenv", name, value]
    if root:
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_CHOWN",
                 "--cap-add", "CAP_KILL", "--cap-add", "CAP_FOWNER"]
    # `env -i`: bubblewrap itself (PID 1 in the sandbox, whose /proc/1/environ a submission
    # running as the grader's own user could read) starts without the grader's tokens.
    return ["env", "-i", shutil.which("bwrap") or "bwrap", *argv[1:], *command]


def clean_env(scratch: Path) -> dict[str, str]:
    """The environment a worker starts with when there is no bubblewrap: no tokens, no secrets."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(scratch),
            "LANG": "C.UTF-8", "PYTHONPATH": os.pathsep.join(worker_pythonpath()), **TF_ENV}
