"""The ladder in words for the career pages: the picture's text alternative, labels, highlights.

Pure functions of the ladder; what the ladder itself knows (relations between levels,
specialties, search) is asked of :mod:`ladder`, never worked out again here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.careers.svg import FamilyLayout
from ladder.model import KIND_LABELS, KINDS, Family, Kind, Ladder, Level, Track
from ladder.resolve import extended_levels, reports_to_levels


def kinds_in_words(kinds: tuple[Kind, ...] | list[Kind]) -> str:
    """``responsibilities, requirements and performance indicators``."""
    words = [KIND_LABELS[kind].lower() for kind in kinds]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def family_grades(family: Family) -> tuple[int, int] | None:
    """The lowest and highest grade of the family's levels (None: no level has one)."""
    grades = [level.grade for level in family.levels if level.grade is not None]
    return (min(grades), max(grades)) if grades else None


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
    return tuple(
        Inherits(ladder.levels_by_id.get(target), ladder.families_by_id.get(target), tuple(kinds))
        for target, kinds in found.items()
    )


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
                    reports_to_levels(ladder, level.id),
                    tuple(extended_by.get(level.id, ())),
                )
                for level in column.levels
            )
            for column in layout.ladders
            if column.track is track
        )
        if ladders:
            tracks.append(TrackInWords(track, track.label, ladders))
    return tuple(tracks)


# --- search results ---------------------------------------------------------------------


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
