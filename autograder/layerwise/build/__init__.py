"""`layerwise build`: release, solutions, otter zip and nbgrader course from the one source."""

from .pipeline import build

__all__ = ["build"]
