"""Why a notebook was stopped or interrupted, in words for the student. The worker gives a code
and its values; `message` keeps the technical English line for the TA."""

from __future__ import annotations

from layerwise.messages import Msg

REASONS: dict[str, Msg] = {
    "notebook_timeout": Msg("O notebook foi parado após {seconds} s no total.",
                            "The notebook was stopped after {seconds} s in total."),
    "cell_timeout": Msg("A célula {cell} rodou por mais de {seconds} s e foi parada "
                        "(ela ignorou a interrupção).",
                        "Cell {cell} ran longer than {seconds} s and was stopped "
                        "(it ignored the interrupt)."),
    "harness_timeout": Msg("O notebook passou de {seconds} s no total enquanto suas funções eram "
                           "chamadas.",
                           "The notebook went past {seconds} s in total while your functions "
                           "were being called."),
    "interrupted": Msg("A célula {cell} rodou por mais de {seconds} s e foi interrompida (como "
                       "faz o botão Interrupt do Jupyter); as células seguintes rodaram e foram "
                       "corrigidas.",
                       "Cell {cell} ran longer than {seconds} s and was interrupted (as "
                       "Jupyter's Interrupt button does); the cells after it ran and were "
                       "graded."),
    "memory": Msg("O notebook usou mais de {mb} MB de memória.",
                  "The notebook used more than {mb} MB of memory."),
    "memory_error": Msg("O notebook passou do limite de memória (MemoryError).",
                        "The notebook went over its memory limit (MemoryError)."),
    "crashed_cell": Msg("O processo terminou ({how}) na célula {cell}.",
                        "The process ended ({how}) in cell {cell}."),
    "crashed_harness": Msg("O processo terminou ({how}) enquanto suas funções eram chamadas.",
                           "The process ended ({how}) while your functions were being called."),
    "disk_full": Msg("Ele encheu seus {mb} MB de espaço em disco.",
                     "It filled its {mb} MB of disk space."),
    "shell_escape": Msg("A célula {cell} pede um comando de shell (`{command}`): na correção não "
                        "há shell nem rede, então ele não foi executado (o resto da célula rodou).",
                        "Cell {cell} asks for a shell command (`{command}`): grading has no shell "
                        "and no network, so it was not run (the rest of the cell ran)."),
}
"""The worker's reason codes (execute/zygote.py) and their sentences."""
VALUE_CHARS = {"command": 100}
"""How much of a value a sentence quotes (40 characters unless said here)."""


def reason_text(reason: object) -> Msg | None:
    """A worker's reason ({"code": ..., values}) in both languages; None when not one of ours."""
    if not isinstance(reason, dict) or reason.get("code") not in REASONS:
        return None
    values = {k: str(v)[:VALUE_CHARS.get(k, 40)] for k, v in reason.items()
              if isinstance(k, str) and isinstance(v, str | int | float)}
    template = REASONS[str(reason["code"])]
    try:
        return Msg(template.pt.format_map(values), template.en.format_map(values))
    except (KeyError, ValueError):
        return None
