"""Leveling at the debrief: hire or not, and for a hire at which level of the ladder.

A hire is made at the requisition's level, or one level below or above it on the same
track (the ladder the level climbs, :func:`ladder.resolve.track_of`). A level other than
the requisition's needs a written rationale, and the ladder diff between the two levels is
what the hiring manager weighs it against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ladder.model import Ladder, Level
from ladder.resolve import LevelDiff, applicable_specialty, diff_levels, get_level, track_of
from pipelines.errors import PipelineError

#: The longest rationale kept (the same bound as a scorecard's notes).
MAX_RATIONALE = 20_000


class LevelingError(PipelineError):
    """A decision the leveling rules refuse; the message says which rule and why."""


class Outcome(StrEnum):
    HIRE = "hire"
    NO_HIRE = "no_hire"

    @property
    def label(self) -> str:
        return "Hire" if self is Outcome.HIRE else "No hire"


class Step(StrEnum):
    """Where a chosen level sits against the requisition's."""

    BELOW = "below"
    SAME = "same"
    ABOVE = "above"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


_STEP_LABELS = {
    Step.BELOW: "one level below",
    Step.SAME: "the requisition's level",
    Step.ABOVE: "one level above",
}


@dataclass(frozen=True, slots=True)
class LevelOption:
    level: Level
    step: Step


def level_options(ladder: Ladder, level_id: str) -> tuple[LevelOption, ...]:
    """The levels a hire for ``level_id`` may be made at, lowest first: the level below on
    the same track (if any), the level itself, and the level above (if any)."""
    track = track_of(ladder, level_id)
    at = next(i for i, level in enumerate(track) if level.id == level_id)
    options: list[LevelOption] = []
    if at > 0:
        options.append(LevelOption(track[at - 1], Step.BELOW))
    options.append(LevelOption(track[at], Step.SAME))
    if at + 1 < len(track):
        options.append(LevelOption(track[at + 1], Step.ABOVE))
    return tuple(options)


@dataclass(frozen=True, slots=True)
class Leveled:
    """A checked decision: what is recorded."""

    outcome: Outcome
    level_id: str | None
    step: Step | None
    rationale: str | None


def _clean(text: str | None) -> str | None:
    stripped = (text or "").strip()
    return stripped or None


def check_decision(
    ladder: Ladder,
    requisition_level_id: str,
    outcome: Outcome | str,
    level_id: str | None,
    rationale: str | None,
) -> Leveled:
    """The decision as recorded, or :class:`LevelingError` naming the broken rule.

    * no hire: no level; the rationale is optional;
    * hire: a level from :func:`level_options` (the requisition's when none is named);
      a level other than the requisition's needs a rationale.
    """
    try:
        chosen_outcome = Outcome(outcome)
    except ValueError:
        raise LevelingError(
            f"The decision must be 'hire' or 'no_hire', not {str(outcome)!r}."
        ) from None
    why = _clean(rationale)
    if why is not None and len(why) > MAX_RATIONALE:
        raise LevelingError(f"The rationale is longer than {MAX_RATIONALE:,} characters.")
    if chosen_outcome is Outcome.NO_HIRE:
        if level_id:
            raise LevelingError("A no-hire decision has no level.")
        return Leveled(chosen_outcome, None, None, why)
    chosen = level_id or requisition_level_id
    options = {option.level.id: option for option in level_options(ladder, requisition_level_id)}
    if chosen not in options:
        names = ", ".join(option.level.title for option in options.values())
        raise LevelingError(
            f"A hire for {get_level(ladder, requisition_level_id).title} is made at that "
            f"level or one level beside it on the same track ({names}), not at {chosen!r}."
        )
    option = options[chosen]
    if option.step is not Step.SAME and why is None:
        raise LevelingError(
            f"Hiring at {option.level.title}, {option.step.label}, needs a written rationale."
        )
    return Leveled(chosen_outcome, chosen, option.step, why)


def leveling_diff(
    ladder: Ladder,
    requisition_level_id: str,
    chosen_level_id: str,
    specialty_id: str | None = None,
) -> LevelDiff:
    """What the chosen level adds to (``added``) or lacks against (``dropped``) the
    requisition's level, list by list, as the ladder resolves them (with the specialty
    where it applies to the level)."""
    return diff_levels(
        ladder,
        requisition_level_id,
        chosen_level_id,
        applicable_specialty(ladder, requisition_level_id, specialty_id),
        applicable_specialty(ladder, chosen_level_id, specialty_id),
    )


__all__ = [
    "MAX_RATIONALE",
    "LevelOption",
    "Leveled",
    "LevelingError",
    "Outcome",
    "Step",
    "check_decision",
    "level_options",
    "leveling_diff",
]
