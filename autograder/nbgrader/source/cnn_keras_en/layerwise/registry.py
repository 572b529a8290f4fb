"""The assignments the engine can grade: those registered in the entry-point group
`layerwise.assignments` by any installed package (the kit registers its own two), found by name.

    [project.entry-points."layerwise.assignments"]
    my_lesson = "my_course.my_lesson:ASSIGNMENT"

An entry point's value names a module and the `Assignment` in it; `load` takes that value too, so
a process without the package's metadata (a student's kernel under otter or nbgrader, where the
checks are copied next to the notebook) finds the assignment by its module.
"""

from __future__ import annotations

import functools
import importlib
from importlib.metadata import entry_points

from layerwise.assignment import Assignment
from layerwise.errors import ConfigError

GROUP = "layerwise.assignments"
_TARGETS: dict[str, str] = {}
"""Name -> "module:attribute" of every assignment loaded in this process."""


class UnknownAssignment(ConfigError):
    """No registered assignment has that name."""


@functools.cache
def registered() -> dict[str, str]:
    """Name -> "module:attribute" of every registered assignment."""
    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


@functools.cache
def load(target: str) -> Assignment:
    """The assignment at "module:attribute" (an entry point's value)."""
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute or "ASSIGNMENT")
    if not isinstance(value, Assignment):
        raise ConfigError(f"{target} is not a layerwise Assignment")
    _TARGETS.setdefault(value.name, target)
    return value


def checked(assignment: Assignment) -> Assignment:
    """`assignment`, once the grader's side has confirmed it is complete (this imports its
    checkers: never inside the sandbox)."""
    problems = assignment.problems()
    if problems:
        raise ConfigError(f"assignment {assignment.name} is incomplete: " + "; ".join(problems))
    return assignment


def get(name: str) -> Assignment:
    """The registered assignment `name` (or the one at "module:attribute", registered or not:
    how an autograder image that holds a course's package finds it)."""
    if ":" in name:
        return checked(load(name))
    known = registered()
    if name not in known:
        raise UnknownAssignment(f"no assignment {name!r} is registered (registered: "
                                f"{', '.join(sorted(known)) or 'none'}); see `layerwise "
                                "assignments`")
    return checked(load(known[name]))


def target_of(assignment: Assignment) -> str:
    """The "module:attribute" a process without entry points loads `assignment` from."""
    for name, target in registered().items():
        if name == assignment.name:
            return target
    if assignment.name in _TARGETS:
        return _TARGETS[assignment.name]
    raise UnknownAssignment(f"assignment {assignment.name!r} is not registered")


def nbgrader_assignments() -> set[str]:
    """The nbgrader assignments `layerwise build` writes for the registered assignments: one
    per edition, `<name>` for the first and `<name>_<lang>` for the others."""
    names: set[str] = set()
    for name in registered():
        assignment = get(name)
        names |= {assignment.edition(lang) for lang in assignment.editions}
    return names


def choose(name: str | None, named_by_files: list[str], code: list[str] | None = None
           ) -> Assignment:
    """The assignment a command works on: the one asked for; else the one the notebooks'
    metadata names (written by `layerwise build`); else the only one registered; else the one
    whose graded functions the notebooks' `code` defines (clearly more than any other's)."""
    if name:
        return get(name)
    named = sorted({n for n in named_by_files if n})
    if len(named) == 1:
        return get(named[0])
    if len(named) > 1:
        raise ConfigError(f"the notebooks belong to several assignments ({', '.join(named)}): "
                          "grade them apart, with --assignment NAME")
    known = sorted(registered())
    if len(known) == 1:
        return get(known[0])
    text = "\n".join(code or [])
    defined = {n: sum(f"def {q.function}(" in text for q in get(n).questions) for n in known}
    best = sorted(defined, key=lambda n: -defined[n])
    if best and defined[best[0]] > 0 and (len(best) == 1 or defined[best[0]] > defined[best[1]]):
        return get(best[0])
    raise ConfigError("the notebooks do not say which assignment they are (no layerwise "
                      f"metadata): pass --assignment NAME ({', '.join(known)})")
