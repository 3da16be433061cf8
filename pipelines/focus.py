"""Which scorecard criteria each stage assesses, kept as data.

A focus is a list of *selectors*, each naming a group of criteria:

=========================  ================================================================
``requirements``           every requirement of the target level
``requirements:level``     the requirements the target level adds itself
``requirements:inherited`` the requirements it inherits (extended levels, the family)
``requirements:specialty`` the requirements the specialty adds
``competencies``           every competency of the family (the 7 pillars for CSM)
``competency:<id>``        one competency
=========================  ================================================================

:data:`DEFAULT_FOCUS` gives one per stage kind. A family can override it with a mapping
whose keys are stage kinds (``panel``) or stage ids (``panel-interview``; an id wins over a
kind), read by :func:`parse_focus`; a stage without a key keeps the default. Stages without
scorecards (screen, written assessment, reference check) assess no criteria by default.

The defaults: the hiring manager covers every requirement; the peer the inherited
requirements (the day-to-day craft) and the competencies; the panel, with its live
demonstration, what the level and the specialty add and the competencies; the executive
what the level adds and the competencies. Every criterion is then seen by at least two
interviewers of the default plan.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ladder.model import Ladder
from pipelines.errors import FocusError
from pipelines.plan import StageKind

REQUIREMENTS = "requirements"
LEVEL_REQUIREMENTS = "requirements:level"
INHERITED_REQUIREMENTS = "requirements:inherited"
SPECIALTY_REQUIREMENTS = "requirements:specialty"
COMPETENCIES = "competencies"
COMPETENCY_PREFIX = "competency:"

#: The selectors that name a fixed group (``competency:<id>`` is the other form).
GROUP_SELECTORS = frozenset(
    {
        REQUIREMENTS,
        LEVEL_REQUIREMENTS,
        INHERITED_REQUIREMENTS,
        SPECIALTY_REQUIREMENTS,
        COMPETENCIES,
    }
)

DEFAULT_FOCUS: Mapping[StageKind, tuple[str, ...]] = MappingProxyType(
    {
        StageKind.RECRUITER_SCREEN: (),
        StageKind.WRITTEN_ASSESSMENT: (),
        StageKind.HIRING_MANAGER: (REQUIREMENTS,),
        StageKind.PEER: (INHERITED_REQUIREMENTS, COMPETENCIES),
        StageKind.PANEL: (LEVEL_REQUIREMENTS, SPECIALTY_REQUIREMENTS, COMPETENCIES),
        StageKind.EXECUTIVE: (LEVEL_REQUIREMENTS, COMPETENCIES),
        StageKind.INTERVIEW: (REQUIREMENTS, COMPETENCIES),
        StageKind.REFERENCES: (),
    }
)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_KINDS = frozenset(kind.value for kind in StageKind)


@dataclass(frozen=True, slots=True)
class Focus:
    """The default focus with a family's overrides (keys: stage ids or stage kinds)."""

    overrides: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def selectors_for(self, kind: StageKind, stage_id: str | None = None) -> tuple[str, ...]:
        """The selectors of a stage: its id's override, its kind's override, or the default."""
        if stage_id is not None and stage_id in self.overrides:
            return self.overrides[stage_id]
        if kind.value in self.overrides:
            return self.overrides[kind.value]
        return DEFAULT_FOCUS[kind]


#: The focus without overrides.
DEFAULT = Focus()


def selector_problem(selector: object, competency_ids: Collection[str] | None = None) -> str | None:
    """Why a selector is invalid, or ``None``; ``competency_ids`` checks competency names."""
    if not isinstance(selector, str):
        return f"{selector!r} is not a selector"
    if selector in GROUP_SELECTORS:
        return None
    if selector.startswith(COMPETENCY_PREFIX):
        competency = selector.removeprefix(COMPETENCY_PREFIX)
        if not _SLUG.match(competency):
            return f"{selector!r} does not name a competency id"
        if competency_ids is not None and competency not in competency_ids:
            return f"{selector!r} names a competency the family does not have"
        return None
    groups = ", ".join(sorted(GROUP_SELECTORS))
    return f"unknown selector {selector!r} (known: {groups}, competency:<id>)"


def _key_problem(key: object, stage_ids: Collection[str] | None) -> str | None:
    if not isinstance(key, str) or not _SLUG.match(key.replace("_", "-")):
        return f"{key!r} is not a stage kind or stage id"
    if key in _KINDS:
        return None
    if stage_ids is not None and key not in stage_ids:
        return f"{key!r} is neither a stage kind nor a stage of the process"
    return None


def parse_focus(
    data: Mapping[str, Sequence[str]] | None = None,
    *,
    stage_ids: Collection[str] | None = None,
    competency_ids: Collection[str] | None = None,
) -> Focus:
    """A focus from a mapping ``{stage kind or stage id: [selector, …]}``.

    Raises :class:`FocusError` listing every problem at once. ``stage_ids`` and
    ``competency_ids``, when given, also check that the keys and competencies exist.
    """
    if not data:
        return DEFAULT
    problems: list[str] = []
    overrides: dict[str, tuple[str, ...]] = {}
    for key, selectors in data.items():
        key_problem = _key_problem(key, stage_ids)
        if key_problem is not None:
            problems.append(key_problem)
            continue
        if isinstance(selectors, str) or not isinstance(selectors, Sequence):
            problems.append(f"{key}: the selectors must be a list")
            continue
        for selector in selectors:
            problem = selector_problem(selector, competency_ids)
            if problem is not None:
                problems.append(f"{key}: {problem}")
        overrides[key] = tuple(selectors)
    if problems:
        raise FocusError(problems)
    return Focus(MappingProxyType(overrides))


__all__ = [
    "COMPETENCIES",
    "COMPETENCY_PREFIX",
    "DEFAULT",
    "DEFAULT_FOCUS",
    "GROUP_SELECTORS",
    "INHERITED_REQUIREMENTS",
    "LEVEL_REQUIREMENTS",
    "REQUIREMENTS",
    "SPECIALTY_REQUIREMENTS",
    "Focus",
    "family_focus",
    "parse_focus",
    "selector_problem",
]


def family_focus(ladder: Ladder, family_id: str) -> Focus:
    """The focus a family's data sets on its stages (``scorecard_focus``), over the defaults.

    Raises :class:`FocusError` naming each stage whose selectors are not understood.
    """
    family = ladder.families_by_id.get(family_id)
    if family is None or family.hiring_process is None:
        return DEFAULT
    stages = family.hiring_process.stages
    data = {s.id: s.scorecard_focus for s in stages if s.scorecard_focus is not None}
    if not data:
        return DEFAULT
    competency_set = ladder.competency_set(family.competencies) if family.competencies else None
    competency_ids = (
        [c.id for c in competency_set.competencies] if competency_set is not None else []
    )
    return parse_focus(data, stage_ids=[s.id for s in stages], competency_ids=competency_ids)
