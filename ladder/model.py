"""Typed model of the career ladder: families, levels, specialties, hiring stages.

Every class is a frozen dataclass built by :mod:`ladder.build` from the YAML files in
``ladder/data``; the format is documented in ``ladder/README.md``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

#: The three lists a level carries and inherits separately.
Kind = Literal["responsibilities", "requirements", "performance_indicators"]
KINDS: tuple[Kind, ...] = ("responsibilities", "requirements", "performance_indicators")
#: Each kind as a heading, and as one item of it.
KIND_LABELS: Mapping[Kind, str] = MappingProxyType(
    {
        "responsibilities": "Responsibilities",
        "requirements": "Requirements",
        "performance_indicators": "Performance indicators",
    }
)
KIND_SINGULAR: Mapping[Kind, str] = MappingProxyType(
    {
        "responsibilities": "responsibility",
        "requirements": "requirement",
        "performance_indicators": "performance indicator",
    }
)


class Track(StrEnum):
    INDIVIDUAL_CONTRIBUTOR = "individual_contributor"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return "Individual contributor" if self is Track.INDIVIDUAL_CONTRIBUTOR else "Manager"


class Role(StrEnum):
    """Who takes part in a hiring-process stage."""

    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    PEER = "peer"
    TEAM_MEMBER = "team_member"
    EXECUTIVE = "executive"


class Severity(StrEnum):
    ERROR = "error"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation finding, located in a data file."""

    file: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.severity is Severity.NOTE:
            return f"{where}: note: {self.message}"
        return f"{where}: {self.message}"


#: Curly quotes to straight ones, for comparing and searching text.
STRAIGHT_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Text for comparison: NFKC, straight quotes, single spaces, casefolded, no final stop."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(STRAIGHT_QUOTES)
    return " ".join(text.split()).casefold().rstrip(" .")


def item_key(text: str, items: tuple[str, ...] = ()) -> str:
    """What makes two items the same item: their normalised text and nested bullets."""
    if not items:
        return normalise(text)
    return "\n".join([normalise(text), *(normalise(sub) for sub in items)])


@dataclass(frozen=True, slots=True)
class Item:
    """A bullet: its text and the bullets nested under it."""

    text: str
    items: tuple[str, ...] = ()
    key: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", item_key(self.text, self.items))


@dataclass(frozen=True, slots=True)
class OtherList:
    """A list the page gives under a heading that is none of the three kinds
    ("Projects you might work on", "Nice-to-haves"): its heading and its items."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    licence: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Extends:
    """Ids (levels or families) whose lists a level inherits, per kind."""

    responsibilities: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    performance_indicators: tuple[str, ...] = ()

    def of(self, kind: Kind) -> tuple[str, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ReportsTo:
    """The level(s) a level reports to (any of them), and the page's words."""

    levels: tuple[str, ...] = ()
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    family: str
    title: str
    track: Track
    short_title: str | None = None
    grade: int | None = None
    reports_to: ReportsTo | None = None
    description: tuple[str, ...] = ()
    market_justification: str | None = None
    defined_elsewhere: str | None = None
    extends: Extends = Extends()
    responsibilities: tuple[Item, ...] = ()
    requirements: tuple[Item, ...] = ()
    performance_indicators: tuple[Item, ...] = ()
    other_lists: tuple[OtherList, ...] = ()
    notes: tuple[str, ...] = ()
    source_line: int | None = None

    @property
    def name(self) -> str:
        """The short title when there is one, else the title."""
        return self.short_title or self.title

    def own(self, kind: Kind) -> tuple[Item, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Specialty:
    id: str
    family: str
    title: str
    applies_to: tuple[str, ...] = ()
    responsibilities: tuple[Item, ...] = ()
    requirements: tuple[Item, ...] = ()
    performance_indicators: tuple[Item, ...] = ()
    other_lists: tuple[OtherList, ...] = ()
    notes: tuple[str, ...] = ()
    source_line: int | None = None

    def own(self, kind: Kind) -> tuple[Item, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]

    def applies_to_level(self, level_id: str) -> bool:
        """Whether the specialty exists at this level of its family (no list: at every one)."""
        return not self.applies_to or level_id in self.applies_to


@dataclass(frozen=True, slots=True)
class ConductedBy:
    text: str
    roles: tuple[Role, ...] = ()
    level: str | None = None
    selected_by: Role | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    name: str
    text: tuple[str, ...]
    duration_minutes: int | None = None
    conducted_by: ConductedBy | None = None
    format: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source_line: int | None = None
    #: Which scorecard criteria the stage assesses (selectors, see pipelines/focus.py);
    #: ``None`` keeps the default for the stage's kind.
    scorecard_focus: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class HiringProcess:
    stages: tuple[Stage, ...]
    intro: tuple[str, ...] = ()
    outro: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Move:
    """A career move out of the family, as the page words it."""

    text: str
    family: str | None = None
    level: str | None = None


@dataclass(frozen=True, slots=True)
class CareerLadder:
    text: tuple[str, ...]
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True, slots=True)
class Measure:
    text: str
    segments: tuple[str, ...] = ()
    lead_in: str | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    id: str
    title: str
    context: tuple[Item, ...]
    measures: tuple[Measure, ...]
    url: str | None = None
    source_line: int | None = None


@dataclass(frozen=True, slots=True)
class Expectations:
    title: str
    items: tuple[Expectation, ...]
    source: Source | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Competency:
    id: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class CompetencySet:
    id: str
    title: str
    competencies: tuple[Competency, ...]
    intro: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    title: str
    levels: tuple[Level, ...]
    description: str | None = None
    source: Source | None = None
    intro: tuple[str, ...] = ()
    competencies: str | None = None
    responsibilities: tuple[Item, ...] = ()
    requirements: tuple[Item, ...] = ()
    performance_indicators: tuple[Item, ...] = ()
    other_lists: tuple[OtherList, ...] = ()
    specialties: tuple[Specialty, ...] = ()
    career_ladder: CareerLadder | None = None
    hiring_process: HiringProcess | None = None
    expectations: Expectations | None = None
    notes: tuple[str, ...] = ()
    file: str = ""

    def own(self, kind: Kind) -> tuple[Item, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]

    def specialty(self, specialty_id: str) -> Specialty | None:
        for specialty in self.specialties:
            if specialty.id == specialty_id:
                return specialty
        return None

    def specialties_for(self, level_id: str) -> tuple[Specialty, ...]:
        """The family's specialties that apply to one of its levels."""
        return tuple(s for s in self.specialties if s.applies_to_level(level_id))


def _index_levels(families: tuple[Family, ...]) -> Mapping[str, Level]:
    return MappingProxyType({lv.id: lv for fam in families for lv in fam.levels})


def _index_families(families: tuple[Family, ...]) -> Mapping[str, Family]:
    return MappingProxyType({fam.id: fam for fam in families})


@dataclass(frozen=True, slots=True)
class Ladder:
    """All families and competency sets, and the content hash they were loaded from."""

    families: tuple[Family, ...]
    competency_sets: tuple[CompetencySet, ...] = ()
    version: str = ""
    levels_by_id: Mapping[str, Level] = field(init=False, repr=False, compare=False)
    families_by_id: Mapping[str, Family] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels_by_id", _index_levels(self.families))
        object.__setattr__(self, "families_by_id", _index_families(self.families))

    def level(self, level_id: str) -> Level:
        """The level with this id; ``KeyError`` if there is none."""
        return self.levels_by_id[level_id]

    def family(self, family_id: str) -> Family:
        """The family with this id; ``KeyError`` if there is none."""
        return self.families_by_id[family_id]

    def family_of(self, level_id: str) -> Family:
        return self.families_by_id[self.levels_by_id[level_id].family]

    def competency_set(self, set_id: str) -> CompetencySet | None:
        for competency_set in self.competency_sets:
            if competency_set.id == set_id:
                return competency_set
        return None
