"""The two requirements files: the grader image's and the students' (any OS)."""

from __future__ import annotations

GRADER: tuple[str, ...] = (
    "tensorflow-cpu==2.21.*",
    "keras>=3.10,<4",
    "numpy",
    "pillow",
)

STUDENT: tuple[str, ...] = (
    "tensorflow>=2.21,<2.22",
    "keras>=3.10,<4",
    "numpy",
    "pillow",
    "otter-grader>=7,<8",
)


def text(lines: tuple[str, ...]) -> str:
    """A requirements file's content, one requirement a line."""
    return "\n".join(lines) + "\n"
