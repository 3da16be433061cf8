"""What the career pages say about the ladder: words for the picture, search, relations.

Pure functions of the ladder (no Flask, no database), so the pages only arrange them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from app.careers.svg import FamilyLayout
from ladder.model import KINDS, Family, Item, Kind, Ladder, Level, Specialty, Track
from ladder.resolve import ResolutionError, extended_levels, specialty_for

KIND_LABELS: dict[Kind, str] = {
    "responsibilities": "Responsibilities",
    "requirements": "Requirements",
    "performance_indicators": "Performance indicators",
}
KIND_SINGULAR: dict[Kind, str] = {
    "responsibilities": "responsibility",
    "requirements": "requirement",
    "performance_indicators": "performance indicator",
}
TRACK_NAMES = {
    Track.INDIVIDUAL_CONTRIBUTOR: "Individual contributor",
    Track.MANAGER: "Manager",
}


def kinds_in_words(kinds: tuple[Kind, ...] | list[Kind]) -> str:
    words = [KIND_LABELS[kind].lower() for kind in kinds]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# --- the picture in words ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Inherits:
    """A level (or a family's family-wide lists) that a level extends, and for which lists."""

    level: Level | None
    family: Family | None
    kinds: tuple[Kind, ...]


@dataclass(frozen=True, slots=True)
class LevelInWords:
    level: Level
    extends: tuple[Inherits, ...]
    reports_to: tuple[Level, ...]
    extended_by: tuple[Level, ...]  # levels of other families that build on this one


@dataclass(frozen=True, slots=True)
class TrackInWords:
    track: Track
    label: str
    ladders: tuple[tuple[LevelInWords, ...], ...]


def inherits(ladder: Ladder, level: Level) -> tuple[Inherits, ...]:
    """What the level extends, one entry per target, with the lists it inherits from it."""
    found: dict[str, list[Kind]] = {}
    for kind in KINDS:
        for target in level.extends.of(kind):
            found.setdefault(target, []).append(kind)
    out = []
    for target, kinds in found.items():
        out.append(
            Inherits(
                ladder.levels_by_id.get(target),
                ladder.families_by_id.get(target),
                tuple(kinds),
            )
        )
    return tuple(out)


def describe_family(ladder: Ladder, layout: FamilyLayout) -> tuple[TrackInWords, ...]:
    """The family's picture as tracks of ladders of levels, for the text alternative."""
    extended_by: dict[str, list[Level]] = {}
    for other in ladder.levels_by_id.values():
        if other.family == layout.family.id:
            continue
        for parent in extended_levels(ladder, other.id):
            if parent.family == layout.family.id:
                extended_by.setdefault(parent.id, []).append(other)
    tracks = []
    for track in (Track.INDIVIDUAL_CONTRIBUTOR, Track.MANAGER):
        ladders = tuple(
            tuple(
                LevelInWords(
                    level,
                    inherits(ladder, level),
                    reports_to_levels(ladder, level),
                    tuple(extended_by.get(level.id, ())),
                )
                for level in column.levels
            )
            for column in layout.ladders
            if column.track is track
        )
        if ladders:
            tracks.append(TrackInWords(track, TRACK_NAMES[track], ladders))
    return tuple(tracks)


def reports_to_levels(ladder: Ladder, level: Level) -> tuple[Level, ...]:
    if level.reports_to is None:
        return ()
    return tuple(
        ladder.levels_by_id[i] for i in level.reports_to.levels if i in ladder.levels_by_id
    )


def family_grades(family: Family) -> tuple[int, int] | None:
    grades = [level.grade for level in family.levels if level.grade is not None]
    return (min(grades), max(grades)) if grades else None


def applicable_specialties(family: Family, level_id: str) -> tuple[Specialty, ...]:
    return tuple(s for s in family.specialties if not s.applies_to or level_id in s.applies_to)


def valid_specialty(ladder: Ladder, level_id: str, specialty_id: str | None) -> str | None:
    """The specialty id if it applies to the level, else None."""
    if not specialty_id:
        return None
    try:
        specialty_for(ladder, level_id, specialty_id)
    except ResolutionError:
        return None
    return specialty_id


# --- relations between two levels -------------------------------------------------------


def ancestors(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """Every level this one builds on, directly or not, nearest first."""
    out: list[Level] = []
    todo = list(extended_levels(ladder, level_id))
    while todo:
        level = todo.pop(0)
        if level in out or level.id == level_id:
            continue
        out.append(level)
        todo.extend(extended_levels(ladder, level.id))
    return tuple(out)


Relation = Literal["same", "target_builds_on_source", "source_builds_on_target", "unrelated"]


def relation(ladder: Ladder, source_id: str, target_id: str) -> Relation:
    if source_id == target_id:
        return "same"
    if any(level.id == source_id for level in ancestors(ladder, target_id)):
        return "target_builds_on_source"
    if any(level.id == target_id for level in ancestors(ladder, source_id)):
        return "source_builds_on_target"
    return "unrelated"


# --- search -----------------------------------------------------------------------------

MIN_QUERY = 2
MAX_HITS = 60
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def fold(text: str) -> str:
    """Text for matching: NFKC, straight quotes, single spaces, casefolded."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()


def search_terms(query: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in fold(query).split():
        seen[term] = None
    return tuple(seen)


@dataclass(frozen=True, slots=True)
class Hit:
    kind: Kind
    item: Item


@dataclass(slots=True)
class HitGroup:
    """The hits of one level, of a family's family-wide lists, or of a specialty."""

    family: Family
    level: Level | None = None
    specialty: Specialty | None = None
    title_match: bool = False
    hits: list[Hit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SearchResult:
    terms: tuple[str, ...]
    groups: tuple[HitGroup, ...]
    total: int  # matching items (titles are always shown and not counted)
    shown: int

    @property
    def truncated(self) -> bool:
        return self.shown < self.total


def _matches(terms: tuple[str, ...], *texts: str) -> bool:
    haystack = fold(" \n ".join(texts))
    return all(term in haystack for term in terms)


def search_ladder(ladder: Ladder, query: str, limit: int = MAX_HITS) -> SearchResult:
    """Levels whose title matches, and items that contain every word of the query.

    Each item is searched where it is written (a level's own items, a family's family-wide
    lists, a specialty's items), so an inherited item is found once, at its origin.
    """
    terms = search_terms(query)
    groups: list[HitGroup] = []
    total = shown = 0

    def collect(group: HitGroup, lists: list[tuple[Kind, tuple[Item, ...]]]) -> None:
        nonlocal total, shown
        for kind, items in lists:
            for item in items:
                if _matches(terms, item.text, *item.items):
                    total += 1
                    if shown < limit:
                        shown += 1
                        group.hits.append(Hit(kind, item))
        if group.hits or group.title_match:
            groups.append(group)

    if not terms:
        return SearchResult(terms, (), 0, 0)
    for family in ladder.families:
        collect(HitGroup(family), [(kind, family.own(kind)) for kind in KINDS])
        for level in family.levels:
            title_match = _matches(terms, level.title, level.short_title or "")
            group = HitGroup(family, level=level, title_match=title_match)
            collect(group, [(kind, level.own(kind)) for kind in KINDS])
        for specialty in family.specialties:
            collect(
                HitGroup(family, specialty=specialty),
                [(kind, specialty.own(kind)) for kind in KINDS],
            )
    return SearchResult(terms, tuple(groups), total, shown)


def highlight(text: str, terms: tuple[str, ...]) -> Markup:
    """``text`` escaped, with every occurrence of a term wrapped in ``<mark>``."""
    if not terms:
        return escape(text)
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[position : match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))  # noqa: S704 - every part is escaped above
