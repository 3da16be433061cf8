"""Search the ladder: levels whose title matches, and items containing every word asked for.

Each item is searched where it is written (a level's own items, a family's family-wide
lists, a specialty's items), so an inherited item is found once, at its origin.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ladder.model import (
    KINDS,
    STRAIGHT_QUOTES,
    Family,
    Item,
    Kind,
    Ladder,
    Level,
    Specialty,
)

MIN_QUERY = 2
MAX_HITS = 60


def fold(text: str) -> str:
    """Text for matching: NFKC, straight quotes, single spaces, casefolded."""
    return " ".join(
        unicodedata.normalize("NFKC", text).translate(STRAIGHT_QUOTES).split()
    ).casefold()


def search_terms(query: str) -> tuple[str, ...]:
    """The query's words, folded, each once, in order."""
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
    """Levels whose title matches, and at most ``limit`` items that contain every word."""
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
