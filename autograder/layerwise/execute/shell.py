"""The IPython shell a submission's cells run in, inside its own process.

It is IPython (so `!cmd`, `%magics` and top-level `await` parse as in Jupyter), with three
changes for grading:

- **Shell escapes are skipped at once**: `!cmd`, `x = !cmd`, `%pip`, `%conda`, `%sx`, `%%bash`
  and the like. The sandbox has no network, so a Colab leftover `!pip install ...` would spend
  seconds in pip's retries. The command is not run (as a failing command in Jupyter, the rest of
  the cell runs) and is recorded, so the feedback can say which cell asked for what.
- `%matplotlib` is a no-op: it chooses how plots are displayed, and nothing is displayed here.
- Tracebacks are not rendered: output goes nowhere and errors are recorded from `run_cell`'s
  result (IPython imports stack_data and pygments to draw the first one: ~0.5 s charged to the
  student for nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BLOCKED_LINE_MAGICS = ("pip", "conda", "mamba", "micromamba", "uv", "sx", "sc", "system")
BLOCKED_CELL_MAGICS = ("bash", "sh", "script", "perl", "ruby", "pypy", "python", "python2",
                       "python3", "sx", "system")
NO_OP_LINE_MAGICS = ("matplotlib",)
OFFLINE_ENV = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
"""Set in the submission's environment: a `pip` it starts some other way (`os.system`,
`subprocess`) fails at once instead of retrying a network that is not there."""
MAX_RECORDED = 20
COMMAND_CHARS = 200
EXIT_CODE = 127
"""What `_exit_code` holds after a skipped `!cmd` (the shell's "command not found")."""


@dataclass
class ShellEscapes:
    """The shell commands the notebook asked for, by cell: none of them ran."""

    cell: int = 0
    """The cell now running (set by the caller before each cell)."""
    seen: list[dict[str, Any]] = field(default_factory=list)

    def skip(self, command: str) -> None:
        if len(self.seen) < MAX_RECORDED:
            text = " ".join(str(command).split())[:COMMAND_CHARS]
            self.seen.append({"cell": self.cell, "command": text})


def make_shell(escapes: ShellEscapes) -> Any:
    """An InteractiveShell with history off, shell escapes skipped and tracebacks not drawn."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.text import SList
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell(config=config)

    def system(cmd: str) -> None:
        escapes.skip(f"!{cmd}")
        shell.user_ns["_exit_code"] = EXIT_CODE

    def getoutput(cmd: str, split: bool = True, depth: int = 0) -> Any:
        escapes.skip(f"!{cmd}")
        shell.user_ns["_exit_code"] = EXIT_CODE
        return SList() if split else ""

    shell.system = shell.system_piped = shell.system_raw = system  # type: ignore[method-assign]
    shell.getoutput = getoutput  # type: ignore[method-assign]

    def line_magic(name: str) -> Any:
        def skipped(line: str) -> None:
            escapes.skip(f"%{name} {line}".strip())
        return skipped

    def cell_magic(name: str) -> Any:
        def skipped(line: str, cell: str) -> None:
            first = cell.strip().splitlines()[0] if cell.strip() else ""
            escapes.skip(f"%%{name} {line} {first}".strip())
        return skipped

    def line_no_op(line: str) -> None:
        """A magic that only changes what would be displayed."""

    for name in BLOCKED_LINE_MAGICS:
        shell.register_magic_function(line_magic(name), "line", name)
    for name in BLOCKED_CELL_MAGICS:
        shell.register_magic_function(cell_magic(name), "cell", name)
    for name in NO_OP_LINE_MAGICS:
        shell.register_magic_function(line_no_op, "line", name)  # type: ignore[arg-type]
    shell.showtraceback = _no_display  # type: ignore[method-assign]
    shell.showsyntaxerror = _no_display  # type: ignore[method-assign]
    return shell


def _no_display(*args: Any, **kwargs: Any) -> None:
    """Stands in for what would only be displayed."""
