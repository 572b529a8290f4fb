"""A lesson's Gradescope policies (late penalty, rate limit), declared in its `Assignment` so
that every `layerwise build` writes them into the same zip; checked when declared."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from layerwise.errors import ConfigError


def _check(what: str, value: object, low: float, high: float) -> None:
    """A number in [low, high], or a one-line ConfigError naming the field."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or not math.isfinite(float(value)) or not low <= float(value) <= high:  # type: ignore[arg-type]
        raise ConfigError(f"Gradescope policy: {what} must be a number between {low:g} and "
                          f"{high:g}, not {value!r}")


@dataclass(frozen=True)
class LatePenalty:
    """Points off a late submission: `per_day` percent of its score for each day (or part of
    one) after the due date and `grace_minutes`, at most `max_percent`."""

    per_day: float = 0.0
    max_percent: float = 100.0
    grace_minutes: float = 0.0

    def __post_init__(self) -> None:
        _check("late_penalty.per_day", self.per_day, 0, 100)
        _check("late_penalty.max_percent", self.max_percent, 0, 100)
        _check("late_penalty.grace_minutes", self.grace_minutes, 0, 60 * 24 * 365)


@dataclass(frozen=True)
class RateLimit:
    """At most `submissions` graded submissions in any `hours` (0: no limit); one more keeps
    the last graded result (as Gradescope recommends) and says when the next one is graded."""

    submissions: int = 0
    hours: float = 24.0

    def __post_init__(self) -> None:
        if not isinstance(self.submissions, int) or isinstance(self.submissions, bool) \
                or self.submissions < 0:
            raise ConfigError("Gradescope policy: rate_limit.submissions must be a whole number "
                              f"at least 0, not {self.submissions!r}")
        _check("rate_limit.hours", self.hours, 1 / 60, 24 * 365)


@dataclass(frozen=True)
class GradescopePolicy:
    """What a lesson's Gradescope zip enforces besides the grades."""

    late_penalty: LatePenalty = field(default_factory=LatePenalty)
    rate_limit: RateLimit = field(default_factory=RateLimit)

    def __post_init__(self) -> None:
        if not isinstance(self.late_penalty, LatePenalty) \
                or not isinstance(self.rate_limit, RateLimit):
            raise ConfigError("Gradescope policy: late_penalty must be a LatePenalty and "
                              "rate_limit a RateLimit")
