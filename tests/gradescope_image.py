"""The kit's Gradescope zip as Gradescope uses it, on this machine: `setup.sh` once (a fresh venv
from the local pip cache, with the zip's pinned requirements and kit; no Miniforge download, no
apt), then `run_autograder` per submission in a simulated container: bubblewrap, as root, with
/autograder/{source,submission,results} laid out as Gradescope lays them out.

`setup.sh` takes minutes (TensorFlow from the cache), so the session starts it as soon as the
tests are collected (tests/conftest.py) and the Gradescope tests wait for it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
ZIP = ROOT / "autograder" / "gradescope" / "cnn_keras-layerwise.zip"
SYSTEM = ("/usr", "/etc")
LINKS = {"/bin": "usr/bin", "/lib": "usr/lib", "/lib64": "usr/lib64", "/sbin": "usr/sbin"}


class Image:
    """The zip unpacked and set up, as Gradescope's image build does."""

    def __init__(self) -> None:
        # One image per test session, however many xdist workers ask: the first sets it up.
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))
        self.folder = Path(tempfile.gettempdir()) / f"layerwise-gradescope-image-{run}"
        self.source = self.folder / "source"
        self.venv = self.folder / "venv"
        self.log = self.folder / "setup.log"
        self.code = self.folder / "setup.rc"
        with FileLock(f"{self.folder}.lock"):
            if self.folder.exists():
                return
            with zipfile.ZipFile(ZIP) as archive:
                for info in archive.infolist():
                    path = archive.extract(info, self.source)
                    os.chmod(path, (info.external_attr >> 16) & 0o777 or 0o644)
            env = {**os.environ, "LAYERWISE_PYTHON": sys._base_executable,
                   "LAYERWISE_VENV": str(self.venv), "LAYERWISE_NO_APT": "1"}
            script = 'bash "$1" >"$2" 2>&1; echo $? >"$3.tmp" && mv "$3.tmp" "$3"'
            subprocess.Popen(["bash", "-c", script, "setup", str(self.source / "setup.sh"),
                              str(self.log), str(self.code)], env=env, start_new_session=True)

    def ready(self, timeout: float = 1500) -> None:
        deadline = time.monotonic() + timeout
        while not self.code.is_file():
            assert time.monotonic() < deadline, "setup.sh still running"
            time.sleep(1)
        assert self.code.read_text().strip() == "0", self.log.read_text()[-4000:]

    def run(self, notebook: Path | None, metadata: dict[str, Any],
            config: dict[str, Any] | None = None) -> dict[str, Any]:
        """`run_autograder` on one submission in a fresh /autograder (with the zip's settings
        replaced by `config`); its results.json."""
        self.ready()
        root = Path(tempfile.mkdtemp(prefix="layerwise-gradescope-run-"))
        shutil.copytree(self.source, root / "source", symlinks=True)
        if config is not None:
            (root / "source" / "layerwise-gradescope.json").write_text(json.dumps(config))
        (root / "submission").mkdir()
        (root / "results").mkdir()
        if notebook is not None:
            shutil.copy(notebook, root / "submission" / notebook.name)
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
        argv = ["bwrap", "--die-with-parent", "--unshare-pid", "--proc", "/proc", "--dev",
                "/dev", "--tmpfs", "/tmp"]
        for folder in SYSTEM:
            argv += ["--ro-bind", folder, folder]
        for link, target in LINKS.items():
            argv += ["--symlink", target, link] if Path(link).is_symlink() else \
                ["--ro-bind", link, link]
        base = str(Path(sys.base_prefix).resolve())
        argv += ["--ro-bind", base, base, "--ro-bind", str(self.venv), str(self.venv),
                 "--bind", str(root), "/autograder", "--chdir", "/autograder", "--clearenv",
                 "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/root",
                 "--setenv", "LAYERWISE_VENV", str(self.venv), "/autograder/source/run_autograder"]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
        results = root / "results" / "results.json"
        assert results.is_file(), (done.returncode, done.stdout[-3000:], done.stderr[-3000:])
        data: dict[str, Any] = json.loads(results.read_text())
        data["_stdout"] = done.stdout + done.stderr
        shutil.rmtree(root, ignore_errors=True)
        return data


_IMAGE: list[Image] = []


def start() -> Image:
    """The session's image (setting up in the background from the first call)."""
    if not _IMAGE:
        _IMAGE.append(Image())
    return _IMAGE[0]
