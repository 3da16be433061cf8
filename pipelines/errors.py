"""The errors of the hiring-pipeline rules.

Every refusal is a :class:`PipelineError` whose message says why in plain words, so the web
pages and the API can show it as it is (the API answers 409 with it).
"""

from __future__ import annotations

from collections.abc import Sequence


class PipelineError(Exception):
    """A hiring-pipeline rule refused the request; ``str(error)`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanError(PipelineError):
    """A family's hiring process cannot be turned into a pipeline plan."""

    def __init__(self, family_id: str, problems: Sequence[str]) -> None:
        self.family_id = family_id
        self.problems = tuple(problems)
        super().__init__(
            f"The hiring process of {family_id} cannot be planned: " + "; ".join(self.problems)
        )


class FocusError(PipelineError):
    """A stage-focus mapping names an unknown key or selector."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid stage focus: " + "; ".join(self.problems))


class TransitionError(PipelineError):
    """An application cannot make the requested move."""


class UnknownStageError(TransitionError):
    """The application is at a stage that the plan does not have."""


class ApplicationClosedError(TransitionError):
    """The application is declined, withdrawn or hired: nothing moves it any more."""


class WrongStatusError(TransitionError):
    """The move needs another status (e.g. hiring needs an offer)."""


class WrongStageError(TransitionError):
    """The move is not possible from the application's current stage."""


class StageNotClearedError(TransitionError):
    """The stage's evidence does not allow leaving it, and nobody overrode the rule."""

    def __init__(self, message: str, stage_ids: Sequence[str]) -> None:
        super().__init__(message)
        self.stage_ids = tuple(stage_ids)


class HiringManagerOnlyError(TransitionError):
    """Only the hiring manager may do this (override a rule, approve references or an offer)."""


class ReasonRequiredError(TransitionError):
    """The move needs a written reason and none was given."""


class UnknownReasonError(TransitionError):
    """A decline reason that is not one of the listed reasons."""


class HistoryError(PipelineError):
    """A recorded history of transitions does not chain (a move starts where none ended)."""


class ScorecardError(PipelineError):
    """A scorecard cannot be accepted."""


class InvalidScorecardError(ScorecardError):
    """A submitted scorecard has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        details = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"The scorecard has {count} {noun}: {details}")


__all__ = [
    "ApplicationClosedError",
    "FocusError",
    "HiringManagerOnlyError",
    "HistoryError",
    "InvalidScorecardError",
    "PipelineError",
    "PlanError",
    "ReasonRequiredError",
    "ScorecardError",
    "StageNotClearedError",
    "TransitionError",
    "UnknownStageError",
    "WrongStageError",
    "WrongStatusError",
]
