"""Words a TA reads in both languages: status names and language names, for the dashboard and
the exports (the longer status sentences a student reads are `student.STATUS_TEXT`)."""

from __future__ import annotations

from enum import StrEnum

from layerwise.messages import Msg
from layerwise.status import Status

LANGS = ("pt", "en")
"""The languages every page and message exists in."""


class Lang(StrEnum):
    """A TA's choice of language (`grade --lang`, `export --lang`)."""

    pt = "pt"
    en = "en"


STATUS_NAMES: dict[str, Msg] = {
    Status.graded: Msg("corrigido", "graded"),
    Status.invalid: Msg("inválido", "invalid"),
    Status.timeout: Msg("tempo esgotado", "timed out"),
    Status.crashed: Msg("interrompido por falha", "crashed"),
    Status.memory: Msg("memória esgotada", "out of memory"),
    Status.grader_error: Msg("erro do corretor", "grader error"),
}

LANGUAGE_NAMES: dict[str, Msg] = {
    "pt": Msg("português", "Portuguese"),
    "en": Msg("inglês", "English"),
}

YES_NO: dict[bool, Msg] = {True: Msg("sim", "yes"), False: Msg("não", "no")}


def status_name(status: str, lang: str) -> str:
    """A status in words (its code when unknown: an older or newer run folder)."""
    name = STATUS_NAMES.get(status)
    return name.get(lang) if name else status


def language_name(code: str, lang: str) -> str:
    """A notebook's language in words, in `lang`."""
    name = LANGUAGE_NAMES.get(code)
    return name.get(lang) if name else code
