"""`layerwise new NAME`: a course folder holding a minimal, working lesson, rendered from the
templates shipped in `layerwise/templates/new/` (a path part `__name__` becomes the lesson's
name, `.j2` files are Jinja2 templates, `gitignore.j2` becomes `.gitignore`)."""

from __future__ import annotations

import keyword
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import jinja2

from layerwise.errors import ConfigError

TEMPLATES = "templates/new"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def check_name(name: str) -> str:
    """`name`, when it can be a lesson's name: a lowercase Python package name no installed
    module already has."""
    import importlib.util

    if not _NAME.match(name) or keyword.iskeyword(name):
        raise ConfigError(f"{name!r} cannot name a lesson: use lowercase letters, digits and _, "
                          "starting with a letter (it becomes a Python package)")
    if importlib.util.find_spec(name) is not None:
        raise ConfigError(f"{name!r} cannot name a lesson: a module of that name is already "
                          "importable here; choose another")
    return name


def _templates(folder: Traversable, prefix: tuple[str, ...] = ()
               ) -> list[tuple[tuple[str, ...], Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda t: t.name):
        if item.is_dir():
            found += _templates(item, (*prefix, item.name))
        elif item.name.endswith(".j2"):
            found.append(((*prefix, item.name), item))
    return found


def _target(parts: tuple[str, ...], name: str) -> Path:
    renamed = [p.replace("__name__", name).removesuffix(".j2") for p in parts]
    if renamed[-1] == "gitignore":
        renamed[-1] = ".gitignore"
    return Path(*renamed)


def write_lesson(name: str, folder: Path) -> list[Path]:
    """Write the course folder of lesson `name` into `folder` (new or empty); returns the
    written files."""
    check_name(name)
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} is not empty: `layerwise new` writes into a new folder "
                          "(choose another with --dir)")
    context = {"name": name, "title_pt": f"Lição {name}", "title_en": f"Lesson {name}"}
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)
    written = []
    for parts, template in _templates(resources.files("layerwise").joinpath(TEMPLATES)):
        path = folder / _target(parts, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.from_string(template.read_text(encoding="utf-8")).render(context),
                        encoding="utf-8")
        written.append(path)
    return written
