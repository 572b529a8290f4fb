"""The kit's own errors: what stops a command (not a student's notebook), in one line that says
what to do. Every command prints it as `error: ...` and exits with code 2; a Python traceback
never reaches a TA for one of these."""

from __future__ import annotations


class LayerwiseError(Exception):
    """A problem of the run, the kit or the environment, stated for the person running it."""


class ConfigError(LayerwiseError):
    """An option, a file or a folder given to a command is not usable."""
