"""Bilingual feedback: every text a student reads exists in Portuguese and English."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("pt", "en")
"""The languages every message exists in: fixed (see docs/new-lesson.md, "Languages")."""


@dataclass(frozen=True)
class Msg:
    """One message in both languages."""

    pt: str
    en: str

    def __add__(self, other: Msg) -> Msg:
        return Msg(f"{self.pt} {other.pt}", f"{self.en} {other.en}")

    def get(self, lang: str) -> str:
        return self.pt if lang == "pt" else self.en

    def both(self) -> str:
        return self.pt if self.pt == self.en else f"{self.pt} / {self.en}"


DIAGNOSES: dict[str, Msg] = {
    "function_missing": Msg(
        "A função não foi definida (ou foi renomeada): o corretor chama exatamente esse nome.",
        "The function is not defined (or was renamed): the grader calls exactly that name."),
    "not_implemented": Msg(
        "A função ainda não foi implementada (levanta NotImplementedError).",
        "The function is not implemented yet (raises NotImplementedError)."),
    "not_ndarray": Msg("Devolva um np.ndarray (não lista, tensor ou subclasse).",
                       "Return an np.ndarray (not a list, tensor or subclass)."),
}
"""The engine's own diagnoses, for any function of any assignment; an assignment adds its own
(`Assignment.diagnoses`)."""
