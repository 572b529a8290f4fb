"""The hostile class: each submission is the solved notebook plus one cell (or one edit), with the
status and score a TA would expect from it. Also broken files and unsafe archives.

Everything that names a place on the host (a port the test listens on, a marker file a pickle
would create, the run folder) is filled in from a `Places` when the notebooks are written.
"""

from __future__ import annotations

import copy
import io
import json
import os
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from layerwise.assignments.cnn_keras.examples import MUTANTS, P, T
from layerwise.build.examples import apply

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = ROOT / "solutions" / "cnn_keras.ipynb"
FULL = 100.0
TOKEN = "secret-xyz"
"""Set in the grader's environment as CANVAS_TOKEN: no output may ever contain it."""


@dataclass(frozen=True)
class Places:
    """Host paths and ports the hostile code aims at (the test checks none was reached)."""

    port: int
    udp_port: int
    marker: Path
    out: Path
    parent: Path
    tmp_canary: Path


@dataclass(frozen=True)
class Hostile:
    """One hostile or broken submission and what grading it must give."""

    name: str
    code: str
    status: str
    score: float | Callable[[float], bool]
    where: str = "start"
    """"start": a new cell right after the imports (the solved functions are defined later);
    "end": a new last cell (it overrides the solved functions)."""
    edit: tuple[str, str] | None = None
    """A text substitution in the solved notebook's code (as `layerwise.examples` does)."""
    message: str = ""
    """Text the status message must contain."""


PIPE = '''
import os


def _progress_pipe():
    """The pipe the grader's watcher reads "cell N" / "done" lines from."""
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                return int(fd)
        except OSError:
            pass
'''

DONE = '''
os.write(_progress_pipe(), b"harvest\\ndone\\n")  # claim the harness finished
os._exit(0)
'''

NO_KERNEL = (T, 'raise NotImplementedError("channels_l2f")')
"""Edit for cheats: the student did not finish channels_l2f (honest grade 85), and the answer
is not anywhere in their own notebook."""


def hostile(places: Places) -> list[Hostile]:
    """The list: (name, code, expected status, expected score or score rule)."""
    p = places
    return [
        # -- resources --------------------------------------------------------------------
        # A stuck cell is interrupted as Jupyter's Interrupt does; the cells after it run.
        Hostile("infinite_loop", "while True:\n    pass\n", "graded", FULL,
                message="was interrupted"),
        # One that ignores the interrupt is stopped for good after the grace.
        Hostile("infinite_loop_ignoring_interrupt", '''
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
''', "timeout", 0, message="ran longer than"),
        # One endless function costs its own question only: the harness stops calling a
        # function that ran out of time, so the rest of the notebook is still graded.
        Hostile("loop_in_function", "def dense_input_size(*args, **kwargs):\n"
                "    while True:\n        pass\n", "graded", 85, where="end"),
        Hostile("memory_bomb", "hog = []\nwhile True:\n    hog.append(np.ones(10_000_000))"
                "  # 80 MB more each time\n", "memory", 0),
        Hostile("memory_bomb_in_fork", '''
import os

pid = os.fork()
if pid == 0:  # the forked copy eats the memory; the notebook's own process stays small
    try:
        hog = [np.ones(10_000_000) for _ in range(40)]  # at most 3.2 GB
    finally:
        os._exit(0)
os.waitpid(pid, 0)
''', "memory", 0, message="processes together"),
        # Every process of the submission counts towards its memory: a fork bomb ends on the
        # memory limit (or on the process limit and then the cell's time limit).
        Hostile("fork_bomb", '''
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
''', "memory", 0),
        Hostile("disk_fill", '''
with open("big.bin", "wb") as fh:  # 100 MB: more than the 64 MB one file may take
    for _ in range(100):
        fh.write(bytes(1_000_000))
''', "graded", FULL),
        # Many files each under the per-file limit: the disk quota (a tmpfs of Limits.disk_mb,
        # 256 MB) stops them, the full disk leaves no room for results, and the next
        # submission of the worker starts with an empty one.
        Hostile("disk_fill_many_files", '''
for i in range(12):  # 12 x 32 MB: more than the 256 MB of disk space
    try:
        with open(f"fill_{i}.bin", "wb") as fh:
            for _ in range(32):
                fh.write(bytes(2**20))
    except OSError:
        break
''', "crashed", 0, message="256 MB of disk space"),
        Hostile("print_100mb", '''
import sys

for _ in range(100):
    print("x" * 1_000_000)
    sys.stderr.write("y" * 10_000)
''', "graded", FULL),
        # -- ending the process -----------------------------------------------------------
        # os._exit kills the kernel: in Jupyter the cells after it never run either.
        Hostile("os_exit", "import os\n\nos._exit(0)\n", "crashed", 0, message="code 0"),
        # IPython catches SystemExit like any exception: Jupyter shows it and keeps the kernel,
        # and the grader keeps running the cells after a failing cell. The answers are right.
        Hostile("sys_exit", "import sys\n\nsys.exit(1)\n", "graded", FULL),
        Hostile("raise_systemexit", 'raise SystemExit("done here")\n', "graded", FULL),
        Hostile("segfault", "import ctypes\n\nctypes.string_at(0)\n", "crashed", 0,
                message="SIGSEGV"),
        # Only the grader's own memory watcher makes a submission "memory": a SIGKILL it
        # sends itself is a crash, named.
        Hostile("sigkill_self", "import os\n\nos.kill(os.getpid(), 9)\n", "crashed", 0,
                message="signal 9 (SIGKILL)"),
        # Shell escapes are skipped at once (no shell, no network): had one run, the answer
        # to kernel_layout would be gone.
        Hostile("shell_escapes", '''
!echo ran > shell_ran.txt
%pip install --quiet numpy
listing = !ls
get_ipython().run_cell_magic("bash", "", "echo ran > shell_ran.txt\\n")
import os

if os.path.exists("shell_ran.txt") or listing:
    def channels_l2f(W):
        raise RuntimeError("a shell command ran")
''', "graded", FULL, where="end"),
        # The grader's side is not even readable from the sandbox: its checkers (some hold
        # correct code, to recompute known mistakes) cannot be imported nor read.
        Hostile("import_checkers", '''
stolen = []
for module in ("layerwise.assignments.cnn_keras.checks.kernel_layout",
               "layerwise.assignments.cnn_numpy.checks.layers"):
    try:
        imported = __import__(module, fromlist=["check"])
        if getattr(imported, "check", None) or getattr(imported, "conv", None):
            stolen.append(module)
    except Exception:
        pass
if stolen:
    def channels_l2f(W):
        raise RuntimeError(f"imported {stolen}")
''', "graded", FULL, where="end"),
        Hostile("realtime_signal", "import os\nimport signal\n\n"
                "os.kill(os.getpid(), signal.SIGRTMIN + 6)\n", "crashed", 0,
                message="signal 40"),
        Hostile("kill_others", '''
import os
import signal

me = os.getpid()
for pid in range(1, 1000):
    if not os.path.exists(f"/proc/{me}/task/{pid}"):  # not one of its own threads
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
''', "graded", FULL),
        # A daemon that outlives its notebook and spoils whoever is graded next in the same
        # folder: it must be killed with its submission (the honest ones come after it).
        Hostile("lingering_daemon", '''
import os
import signal
import time

job = os.getcwd()
pid = os.fork()
if pid == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        first = os.stat(os.path.join(job, "cells.json")).st_ino
        end = time.monotonic() + 180
        while time.monotonic() < end:
            try:
                if os.stat(os.path.join(job, "cells.json")).st_ino != first:
                    for name in ("harvest.json", "harvest.npz", "cells.json"):
                        try:
                            os.remove(os.path.join(job, name))
                        except OSError:
                            pass
            except OSError:
                pass
            time.sleep(0.05)
    os._exit(0)
os.waitpid(pid, 0)
''', "graded", FULL),
        # Ordinary student habits that must not break grading.
        Hostile("chdir_away", 'import os\n\nos.chdir("/")\n', "graded", FULL),
        Hostile("input_call", 'name = input("Seu nome / your name: ")\n', "graded", FULL),
        # -- files ------------------------------------------------------------------------
        Hostile("fake_results", f'''
import json
import os

fake = {{"score": 100, "total": 100, "status": "graded", "tests": []}}
for folder in (".", "..", "../..", os.path.expanduser("~"), "/tmp", "{p.out}",
               "{p.out}/fake_results"):
    for name in ("results.json", "grading.json", "run.json", "grades.csv"):
        try:
            with open(os.path.join(folder, name), "w") as fh:
                fh.write(json.dumps(fake) if name.endswith(".json") else
                         "student,total\\nfake_results,100\\n")
        except OSError:
            pass
''', "graded", 85, edit=NO_KERNEL),
        Hostile("delete_everything", f'''
import os
import time

start, deleted = time.monotonic(), []
for target in (".", "..", os.path.expanduser("~"), "/tmp", "/work", "/root", "{p.parent}",
               "{p.tmp_canary}", "{ROOT / 'solutions'}"):
    if os.path.isfile(target):
        try:
            os.remove(target)
            deleted.append(target)
        except OSError:
            pass
    for root, dirs, files in os.walk(target, topdown=False):
        if time.monotonic() - start > 5:
            break
        for name in files + dirs:
            path = os.path.join(root, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    os.rmdir(path)
                else:
                    os.remove(path)
                deleted.append(path)
            except OSError:
                pass
print(len(deleted), "deleted")
''', "graded", FULL),
        # The grader reads child_error.txt / harvest.* from the job's folder: as symlinks they
        # would make it read host files (the grader's own environment) into the feedback.
        Hostile("symlink_results", f'''
import os

os.symlink("/proc/self/environ", "child_error.txt")
os.symlink("{p.tmp_canary}", "harvest.json")
os._exit(1)
''', "crashed", 0),
        Hostile("symlink_harvest", PIPE + f'''
os.symlink("{p.tmp_canary}", "harvest.json")
os.symlink("/proc/self/environ", "harvest.npz")
''' + DONE, "crashed", 0, message="missing"),
        # -- forged results ---------------------------------------------------------------
        Hostile("pickle_harvest", PIPE + f'''
import json

import numpy as np


class Payload:
    def __reduce__(self):
        return (exec, ("open('{p.marker}', 'w').write('unpickled')",))


boom = np.empty(1, dtype=object)
boom[0] = Payload()
np.savez("harvest.npz", a0=boom)
with open("harvest.json", "w") as fh:
    json.dump({{"functions": {{}}, "questions": {{"kernel_layout": {{"seed-1": {{
        "__array__": "a0"}}}}}}}}, fh)
''' + DONE, "crashed", 0, message="Object arrays cannot be loaded"),
        Hostile("forged_harvest", PIPE + '''
import json

import numpy as np

np.savez("harvest.npz", a0=np.zeros(1))
with open("harvest.json", "w") as fh:  # plain data, but not what the harness writes
    json.dump({"functions": {}, "questions": {"kernel_layout": {"seed-1": {
        "type": "numpy.ndarray", "value": "boom", "input_after": 1}}}}, fh)
''' + DONE, "crashed", 0, message="tampered"),
        Hostile("deep_json_harvest", PIPE + '''
import numpy as np

np.savez("harvest.npz", a0=np.zeros(1))
with open("harvest.json", "w") as fh:
    fh.write("[" * 200_000 + "]" * 200_000)
''' + DONE, "crashed", 0, message="tampered"),
        # The harness runs in the submission's process, so it can be patched: what it then
        # writes is checked like a forged file (a wrong type must not crash the grader).
        Hostile("patch_harness", '''
import layerwise.assignments.cnn_keras.harvest as harvest

harvest.plain_number = lambda value: {"type": "float", "value": "12", "integral": "yes"}
''', "crashed", 0, message="tampered"),
        Hostile("forged_events", PIPE + '''
os.write(_progress_pipe(), b"cell \\ncell x y\\ncell 123456789012\\nmemory\\n" + b"z" * 70_000
         + b"\\n")
''', "graded", FULL),
        # -- cheating ---------------------------------------------------------------------
        Hostile("copy_answers", f'''
import glob
import os

import layerwise

needle = "np.transpose(np.asarray(W), " + "(2, 3, 1, 0))"  # the answer, never written whole
package = os.path.dirname(layerwise.__file__)
places = ["{ROOT / 'solutions' / 'cnn_keras.ipynb'}",
          "{ROOT / 'autograder' / 'examples' / 'class' / 'full_marks.ipynb'}",
          *glob.glob(package + "/**/*.py", recursive=True),
          *glob.glob(package + "/**/*.pyc", recursive=True),
          *glob.glob("/tmp/**/*.ipynb", recursive=True), *glob.glob("/work/**/*.ipynb"),
          *glob.glob("../**/cells.json", recursive=True)]
for path in places:
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("latin-1")
    except OSError:
        continue
    if needle in text:
        exec("def channels_l2f(W):\\n    return " + needle + ".copy()")
        break
try:
    from layerwise.assignments.cnn_keras.examples import T as stolen

    exec("def channels_l2f(W):\\n    " + stolen)
except Exception:
    pass
''', "graded", 85, where="end", edit=NO_KERNEL),
        Hostile("monkeypatch_numpy", '''
import numpy.testing


def channels_l2f(W):
    return np.asarray(W).copy()  # wrong: the axes are not moved


np.allclose = np.array_equal = np.array_equiv = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
for name in dir(np.testing):
    if name.startswith("assert_"):
        setattr(np.testing, name, lambda *args, **kwargs: None)
''', "graded", 85, where="end"),
        # The pooling-without-channels_first mistake costs the Sequential question (20): faking
        # equality in Keras must not win it back.
        Hostile("monkeypatch_keras", '''
keras.Model.__eq__ = lambda self, other: True
keras.Model.summary = lambda self, *args, **kwargs: print("all layers right")
keras.ops.all = lambda *args, **kwargs: True
keras.ops.allclose = lambda *args, **kwargs: True
''', "graded", 80, where="end",
                edit=(P, 'layers.MaxPooling2D(pool_size=(2, 2), name="max_pool_1")')),
        # Breaking Python's own builtins breaks Keras under the harness too: crashed, 0.
        Hostile("monkeypatch_builtins", '''
import builtins

_isinstance = builtins.isinstance


def channels_l2f(W):  # a list, made to pass for an ndarray
    return np.transpose(np.asarray(W), (2, 3, 1, 0)).tolist()


builtins.isinstance = lambda obj, kind: True if kind is np.ndarray else _isinstance(obj, kind)
builtins.all = lambda iterable=(): True
builtins.any = lambda iterable=(): True
''', "crashed", 0, where="end"),
        Hostile("ndarray_subclass", '''
class ndarray(np.ndarray):
    """Calls itself numpy.ndarray and equals anything."""

    __module__ = "numpy"
    __hash__ = None

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


def channels_l2f(W):
    W = np.asarray(W)
    return np.zeros(W.shape[::-1], W.dtype).view(ndarray)  # wrong values
''', "graded", 85, where="end"),
        # -- what the functions return ----------------------------------------------------
        Hostile("returns_list", "def channels_l2f(W):\n"
                "    return np.transpose(np.asarray(W), (2, 3, 1, 0)).tolist()\n",
                "graded", 85, where="end"),
        Hostile("returns_string", '''
def dense_input_size(img_height, img_width, f_height, f_width, n_filters, pool_size=2):
    conv_height, conv_width = img_height - f_height + 1, img_width - f_width + 1
    return str((conv_height // pool_size) * (conv_width // pool_size) * n_filters)
''', "graded", 85, where="end"),
        Hostile("returns_nan", 'def cnn_param_count(*args, **kwargs):\n    return float("nan")\n',
                "graded", 90, where="end"),
        Hostile("returns_inf", 'def dense_input_size(*args, **kwargs):\n    return float("inf")\n',
                "graded", 85, where="end"),
        Hostile("nan_layer_outputs", '''
_layer_outputs = layer_outputs


def layer_outputs(model, X):
    return {name: out * np.nan for name, out in _layer_outputs(model, X).items()}
''', "graded", 80, where="end"),
        Hostile("broadcast_10gb", "def channels_l2f(W):\n    return np.broadcast_to(np.float32(1),"
                " (50_000, 50_000, 1, 1))  # 10 GB, zero bytes\n", "graded", 85, where="end"),
        Hostile("wrong_dtype", "def channels_l2f(W):\n"
                "    return np.transpose(np.asarray(W), (2, 3, 1, 0)).astype(np.float16)\n",
                "graded", 85, where="end"),
        Hostile("wrong_shape", "def channels_l2f(W):\n"
                "    return np.transpose(np.asarray(W), (2, 3, 1, 0))[None]\n",
                "graded", 85, where="end"),
        # -- reaching out -----------------------------------------------------------------
        Hostile("network", f'''
import socket

tried = []
for family, address in ((socket.AF_INET, ("127.0.0.1", {p.port})),
                        (socket.AF_INET, ("localhost", {p.port})),
                        (socket.AF_INET6, ("::1", {p.port}))):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(address)
            s.sendall(b"hello from the sandbox")
        tried.append(f"{{address}}: CONNECTED")
    except OSError as exc:
        tried.append(f"{{address}}: {{exc}}")
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"hello from the sandbox", ("127.0.0.1", {p.udp_port}))
except OSError as exc:
    tried.append(f"udp: {{exc}}")
raise RuntimeError("network: " + "; ".join(tried))
''', "graded", FULL),
        # What it finds goes where a student could read it: a cell error (grading.json), a
        # function's return (cnn_param_count would then fail: 90), and files it tries to leave.
        Hostile("env_tokens", f'''
import glob
import os

found = [f"{{k}}={{v}}" for k, v in os.environ.items() if "TOKEN" in k or "secret" in v]
for path in [*glob.glob("/proc/*/environ"), *glob.glob("/proc/*/cmdline")]:
    try:
        with open(path, "rb") as fh:
            data = fh.read().decode("latin-1")
    except OSError:
        continue
    if "TOKEN" in data or "secret-" in data:
        found.append(path + ": " + data)
report = "; ".join(found) or "nothing"
for folder in (".", "..", os.path.expanduser("~"), "/tmp", "{p.parent}"):
    try:
        with open(os.path.join(folder, "loot.txt"), "w") as fh:
            fh.write(report)
    except OSError:
        pass
_real_param_count = cnn_param_count


def cnn_param_count(*args, **kwargs):
    return report if found else _real_param_count(*args, **kwargs)


raise RuntimeError("tokens: " + report[:1500])
''', "graded", FULL, where="end"),
    ]


def _solved() -> nbformat.NotebookNode:
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def notebook(case: Hostile) -> nbformat.NotebookNode:
    """The solved notebook with the case's edit and its cell."""
    nb = _solved()
    if case.edit:
        old, new = case.edit
        cell = next(c for c in nb.cells if c.cell_type == "code" and old in c.source)
        cell.source = cell.source.replace(old, new, 1)
    added = nbformat.v4.new_code_cell(case.code.strip() + "\n")
    if case.where == "end":
        nb.cells.append(added)
    else:
        imports = next(i for i, c in enumerate(nb.cells)
                       if c.cell_type == "code" and "import keras" in c.source)
        nb.cells.insert(imports + 1, added)
    return nb


# -- honest submissions -----------------------------------------------------------------------
def honest() -> dict[str, nbformat.NotebookNode]:
    """A correct notebook and one with a realistic mistake (reshape instead of transpose)."""
    reshape = next(m for m in MUTANTS if m.name == "reshape")
    return {"honest_full_marks": _solved(), "honest_mistake": apply(_solved(), reshape)}


HONEST_TOTALS = {"honest_full_marks": FULL, "honest_mistake": 85.0}

# -- files that only look like notebooks: (file name, bytes) -> message ---------------------------

BROKEN: dict[str, str] = {
    "invalid_json.ipynb": "JSON", "json_list.ipynb": "not a JSON object",
    "deep_json.ipynb": "nested too deeply", "nbformat2.ipynb": "nbformat 2 is not supported",
    "nbformat5.ipynb": "nbformat version 5", "no_cells.ipynb": "no code cells",
    "markdown_only.ipynb": "no code cells", "binary.ipynb": "UTF-8",
    "huge_55mb.ipynb": "larger than", "latin1.ipynb": "UTF-8",
}
"""Malformed notebooks: file name -> text the `invalid` message must contain."""


def broken_files() -> dict[str, bytes]:
    """The contents of the BROKEN files."""
    solved = nbformat.writes(_solved())
    empty = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    markdown = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("só texto")])
    huge = _solved()
    huge.cells[-1].outputs = [nbformat.v4.new_output(
        "display_data", {"image/png": "iVBORw0KGgo" * 5_000_000})]  # 55 MB of picture
    return {
        "invalid_json.ipynb": b'{"cells": [ this is not JSON',
        "json_list.ipynb": b"[1, 2, 3]",
        "deep_json.ipynb": b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "nbformat2.ipynb": json.dumps({"nbformat": 2, "nbformat_minor": 0, "metadata": {},
                                       "worksheets": []}).encode(),
        "nbformat5.ipynb": json.dumps({"nbformat": 5, "nbformat_minor": 0, "cells": [],
                                       "metadata": {}}).encode(),
        "no_cells.ipynb": empty.encode(),
        "markdown_only.ipynb": nbformat.writes(markdown).encode(),
        "binary.ipynb": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        "huge_55mb.ipynb": nbformat.writes(huge).encode(),
        "latin1.ipynb": solved.encode("latin-1", errors="replace"),
    }


def odd_but_valid() -> dict[str, bytes]:
    """Correct notebooks in unusual files: each must be graded with full marks."""
    with_bom = b"\xef\xbb\xbf" + nbformat.writes(_solved()).encode()
    odd_meta = _solved()
    odd_meta.metadata["layerwise"] = "en"  # not the dict the grader writes there
    solved = nbformat.writes(_solved()).encode()
    old = _solved()
    for cell in old.cells:
        cell.pop("id", None)
    jupyter3 = nbformat.writes(nbformat.convert(old, 3), version=3).encode()  # Jupyter < 4
    return {"utf8_bom.ipynb": with_bom, "metadata_not_dict.ipynb": nbformat.writes(odd_meta).encode(),
            "run.json.ipynb": solved, "grades.csv.ipynb": solved, "nbformat3.ipynb": jupyter3}


ODD_STUDENTS = {"utf8_bom": "utf8_bom", "metadata_not_dict": "metadata_not_dict",
                "run.json": "run_json", "grades.csv": "grades_csv", "nbformat3": "nbformat3"}


# -- archives -----------------------------------------------------------------------------------
def _entry(name: str, mode: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    if mode is not None:
        info.external_attr = mode << 16
    return info


def archive() -> tuple[bytes, dict[str, str]]:
    """A class zip with one good notebook and every unsafe kind of entry: the bytes, and
    entry name -> text its `skipped` reason must contain."""
    good = nbformat.writes(_solved()).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("class/zipped_good.ipynb", good)
        z.writestr(_entry("../escaped.ipynb"), good)
        z.writestr(_entry("/etc/absolute.ipynb"), good)
        z.writestr(_entry("C:/Windows/drive.ipynb"), good)
        z.writestr(_entry("class/link.ipynb", stat.S_IFLNK | 0o777), "/etc/passwd")
        z.writestr(_entry("class/bomb.ipynb"), b" " * (60 * 1024 * 1024),
                   compress_type=zipfile.ZIP_DEFLATED)  # 60 MB of spaces in ~60 kB
        z.writestr(_entry("class/inner.zip"), b"PK\x05\x06" + bytes(18))
        z.writestr(_entry("class/locked.ipynb"), good)
    data = bytearray(buffer.getvalue())
    _encrypt_flag(data, b"class/locked.ipynb")
    return bytes(data), {
        "../escaped.ipynb": "unsafe path", "/etc/absolute.ipynb": "unsafe path",
        "C:/Windows/drive.ipynb": "unsafe path", "class/link.ipynb": "symbolic link",
        "class/bomb.ipynb": "zip bomb", "class/inner.zip": "nested archive",
        "class/locked.ipynb": "encrypted",
    }


def _encrypt_flag(data: bytearray, name: bytes) -> None:
    """Mark an entry as encrypted (general purpose flag bit 0) in its local and central
    headers: (signature, offset of the flag, of the name's length, of the name)."""
    for signature, flag_at, length_at, name_at in ((b"PK\x03\x04", 6, 26, 30),
                                                   (b"PK\x01\x02", 8, 28, 46)):
        at = data.find(signature)
        while at >= 0:
            length = int.from_bytes(data[at + length_at: at + length_at + 2], "little")
            if data[at + name_at: at + name_at + length] == name:
                data[at + flag_at] |= 1
            at = data.find(signature, at + 4)


# -- writing the class --------------------------------------------------------------------------
def write_class(folder: Path, places: Places) -> dict[str, Any]:
    """Every hostile, broken and odd file into `folder`; returns what each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = hostile(places)
    for case in cases:
        nbformat.write(notebook(case), folder / f"{case.name}.ipynb")
    for name, content in broken_files().items():
        (folder / name).write_bytes(content)
    for name, content in odd_but_valid().items():
        (folder / name).write_bytes(content)
    zipped, unsafe = archive()
    (folder / "class_archive.zip").write_bytes(zipped)
    os.symlink(SOLUTION, folder / "sneaky_link.ipynb")
    return {"hostile": cases, "broken": {Path(n).stem: m for n, m in BROKEN.items()},
            "unsafe": unsafe}


def write_honest(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in honest().items():
        nbformat.write(copy.deepcopy(nb), folder / f"{name}.ipynb")
