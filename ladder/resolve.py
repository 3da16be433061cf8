"""Inheritance, specialty variants, level diffs and career paths, as pure functions.

A level's resolved list of a kind (responsibilities, requirements, performance indicators)
is, in order: the resolved lists of every id in its ``extends`` for that kind (a level's
resolved list, or a family's family-level list), then its own items. Items whose normalised
text was already seen are dropped, keeping their first origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ladder.model import (
    KINDS,
    Family,
    Item,
    Kind,
    Ladder,
    Level,
    Move,
    Specialty,
    Track,
    item_key,
    normalise,
)

OriginKind = Literal["level", "family", "specialty"]


class ResolutionError(Exception):
    """The ladder cannot answer the question asked (unknown id, cycle)."""


class UnknownIdError(ResolutionError):
    pass


class UnknownSpecialtyError(UnknownIdError):
    """The level's family has no specialty of that id."""

    def __init__(self, family: Family, specialty_id: str) -> None:
        super().__init__(f"family {family.id!r} has no specialty {specialty_id!r}")
        self.family = family
        self.specialty_id = specialty_id


class SpecialtyNotApplicableError(UnknownIdError):
    """The specialty exists in the level's family, but not at that level."""

    def __init__(self, specialty: Specialty, level: Level) -> None:
        super().__init__(f"specialty {specialty.id!r} does not apply to level {level.id!r}")
        self.specialty = specialty
        self.level = level


class CycleError(ResolutionError):
    def __init__(self, kind: str, path: tuple[str, ...]) -> None:
        super().__init__(f"extends cycle in {kind}: {' -> '.join(path)}")
        self.kind = kind
        self.path = path


@dataclass(frozen=True, slots=True)
class ResolvedItem:
    """An item of a resolved list and where it comes from."""

    text: str
    items: tuple[str, ...]
    origin: str
    origin_kind: OriginKind = "level"
    key: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", item_key(self.text, self.items))

    @classmethod
    def of(cls, item: Item, origin: str, origin_kind: OriginKind = "level") -> ResolvedItem:
        return cls(item.text, item.items, origin, origin_kind, item.key)


@dataclass(frozen=True, slots=True)
class ResolvedLevel:
    level: Level
    family: Family
    specialty: Specialty | None
    responsibilities: tuple[ResolvedItem, ...]
    requirements: tuple[ResolvedItem, ...]
    performance_indicators: tuple[ResolvedItem, ...]

    def of(self, kind: Kind) -> tuple[ResolvedItem, ...]:
        return getattr(self, kind)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class ListDiff:
    added: tuple[ResolvedItem, ...]
    kept: tuple[ResolvedItem, ...]
    dropped: tuple[ResolvedItem, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.dropped)


@dataclass(frozen=True, slots=True)
class LevelDiff:
    """From level ``source`` to level ``target``: per kind, what is added, kept and dropped."""

    source: ResolvedLevel
    target: ResolvedLevel
    responsibilities: ListDiff
    requirements: ListDiff
    performance_indicators: ListDiff

    def of(self, kind: Kind) -> ListDiff:
        return getattr(self, kind)  # type: ignore[no-any-return]

    @property
    def is_empty(self) -> bool:
        return not any(self.of(kind).changed for kind in KINDS)


def get_level(ladder: Ladder, level_id: str) -> Level:
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        raise UnknownIdError(f"unknown level {level_id!r}")
    return level


def _resolve(
    ladder: Ladder,
    level_id: str,
    kind: Kind,
    stack: tuple[str, ...],
    memo: dict[str, tuple[ResolvedItem, ...]],
) -> tuple[ResolvedItem, ...]:
    if level_id in stack:
        raise CycleError(kind, (*stack[stack.index(level_id) :], level_id))
    cached = memo.get(level_id)
    if cached is not None:
        return cached
    level = get_level(ladder, level_id)
    inner = (*stack, level_id)
    out: list[ResolvedItem] = []
    seen: set[str] = set()

    def add(item: ResolvedItem) -> None:
        key = item.key
        if key not in seen:
            seen.add(key)
            out.append(item)

    for parent in level.extends.of(kind):
        if parent in ladder.levels_by_id:
            for resolved in _resolve(ladder, parent, kind, inner, memo):
                add(resolved)
        elif parent in ladder.families_by_id:
            for item in ladder.families_by_id[parent].own(kind):
                add(ResolvedItem.of(item, parent, "family"))
        else:
            raise UnknownIdError(f"level {level_id!r} extends unknown id {parent!r}")
    for item in level.own(kind):
        add(ResolvedItem.of(item, level_id))
    result = tuple(out)
    memo[level_id] = result
    return result


def resolve_items(ladder: Ladder, level_id: str, kind: Kind) -> tuple[ResolvedItem, ...]:
    """The level's full list of ``kind``, in order, each item with its origin."""
    return _resolve(ladder, level_id, kind, (), {})


def specialty_for(ladder: Ladder, level_id: str, specialty_id: str) -> Specialty:
    """The specialty of the level's family with this id, if it applies to the level.

    Raises :class:`UnknownSpecialtyError` or :class:`SpecialtyNotApplicableError` (both
    an :class:`UnknownIdError`) otherwise.
    """
    level = get_level(ladder, level_id)
    family = ladder.family(level.family)
    specialty = family.specialty(specialty_id)
    if specialty is None:
        raise UnknownSpecialtyError(family, specialty_id)
    if not specialty.applies_to_level(level_id):
        raise SpecialtyNotApplicableError(specialty, level)
    return specialty


def specialty_labels(ladder: Ladder) -> tuple[tuple[str, str], ...]:
    """Each specialty id of the ladder once, with a name that fits every family using it:
    its title where the families agree, else the id in words ("public-sector" is
    "Public Sector Customer Success Manager" in one family and "... Architect" in another,
    so "Public Sector")."""
    titles: dict[str, set[str]] = {}
    for family in ladder.families:
        for specialty in family.specialties:
            titles.setdefault(specialty.id, set()).add(specialty.title)
    return tuple(
        (
            specialty_id,
            next(iter(names)) if len(names) == 1 else specialty_id.replace("-", " ").title(),
        )
        for specialty_id, names in titles.items()
    )


def specialty_levels(ladder: Ladder) -> dict[str, tuple[str, ...]]:
    """For each specialty id of the ladder, the levels it applies to, in every family that
    has it (the ids of :func:`specialty_labels`; what a form's specialty choices follow)."""
    levels: dict[str, list[str]] = {}
    for family in ladder.families:
        for specialty in family.specialties:
            levels.setdefault(specialty.id, []).extend(
                level.id for level in family.levels if specialty.applies_to_level(level.id)
            )
    return {specialty_id: tuple(ids) for specialty_id, ids in levels.items()}


def applicable_specialty(ladder: Ladder, level_id: str, specialty_id: str | None) -> str | None:
    """``specialty_id`` if it names a specialty that applies to the level, else None.

    What a person's specialty becomes at another level: kept where it exists, dropped
    where it does not.
    """
    if not specialty_id:
        return None
    try:
        specialty_for(ladder, level_id, specialty_id)
    except ResolutionError:
        return None
    return specialty_id


_Memos = dict[Kind, dict[str, tuple[ResolvedItem, ...]]]


def resolve_level(ladder: Ladder, level_id: str, specialty_id: str | None = None) -> ResolvedLevel:
    """The level's resolved lists; with a specialty, the specialty's items follow."""
    return _resolve_level(ladder, level_id, specialty_id, {kind: {} for kind in KINDS})


def _resolve_level(
    ladder: Ladder, level_id: str, specialty_id: str | None, memos: _Memos
) -> ResolvedLevel:
    level = get_level(ladder, level_id)
    specialty = None if specialty_id is None else specialty_for(ladder, level_id, specialty_id)
    lists: dict[Kind, tuple[ResolvedItem, ...]] = {}
    for kind in KINDS:
        items = _resolve(ladder, level_id, kind, (), memos[kind])
        if specialty is not None and specialty.own(kind):
            seen = {item.key for item in items}
            extra: list[ResolvedItem] = []
            for item in specialty.own(kind):
                resolved = ResolvedItem.of(item, specialty.id, "specialty")
                if resolved.key not in seen:
                    seen.add(resolved.key)
                    extra.append(resolved)
            items = (*items, *extra)
        lists[kind] = items
    return ResolvedLevel(
        level,
        ladder.family(level.family),
        specialty,
        lists["responsibilities"],
        lists["requirements"],
        lists["performance_indicators"],
    )


def diff_lists(source: tuple[ResolvedItem, ...], target: tuple[ResolvedItem, ...]) -> ListDiff:
    source_keys = {item.key for item in source}
    target_keys = {item.key for item in target}
    return ListDiff(
        added=tuple(item for item in target if item.key not in source_keys),
        kept=tuple(item for item in target if item.key in source_keys),
        dropped=tuple(item for item in source if item.key not in target_keys),
    )


def diff_resolved(source: ResolvedLevel, target: ResolvedLevel) -> LevelDiff:
    return LevelDiff(
        source,
        target,
        diff_lists(source.responsibilities, target.responsibilities),
        diff_lists(source.requirements, target.requirements),
        diff_lists(source.performance_indicators, target.performance_indicators),
    )


def diff_levels(
    ladder: Ladder,
    source_id: str,
    target_id: str,
    source_specialty: str | None = None,
    target_specialty: str | None = None,
) -> LevelDiff:
    """What changes from one level to another, compared by normalised text."""
    return diff_resolved(
        resolve_level(ladder, source_id, source_specialty),
        resolve_level(ladder, target_id, target_specialty),
    )


def _sort_key(ladder: Ladder, level: Level) -> tuple[int, int, int]:
    """Grade (levels without one last), then the order of the data files."""
    families = [family.id for family in ladder.families]
    position = [lv.id for lv in ladder.family(level.family).levels].index(level.id)
    grade = level.grade if level.grade is not None else 1_000
    return (grade, families.index(level.family), position)


def extended_levels(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """The levels this level extends directly, in any list, first mention first."""
    level = get_level(ladder, level_id)
    out: list[Level] = []
    for kind in KINDS:
        for target in level.extends.of(kind):
            parent = ladder.levels_by_id.get(target)
            if parent is not None and parent not in out:
                out.append(parent)
    return tuple(out)


def ancestors(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """Every level this one builds on through ``extends`` (any kind), directly or not,
    nearest first."""
    out: dict[str, Level] = {}
    todo = list(extended_levels(ladder, level_id))
    while todo:
        level = todo.pop(0)
        if level.id in out or level.id == level_id:
            continue
        out[level.id] = level
        todo.extend(extended_levels(ladder, level.id))
    return tuple(out.values())


def _ancestors(ladder: Ladder, level_id: str) -> set[str]:
    return {level.id for level in ancestors(ladder, level_id)}


#: How two levels relate through ``extends``.
Relation = Literal["same", "target_builds_on_source", "source_builds_on_target", "unrelated"]


def relation(ladder: Ladder, source_id: str, target_id: str) -> Relation:
    """Whether one of two levels builds on the other (or they are the same level)."""
    if source_id == target_id:
        return "same"
    if source_id in _ancestors(ladder, target_id):
        return "target_builds_on_source"
    if target_id in _ancestors(ladder, source_id):
        return "source_builds_on_target"
    return "unrelated"


def next_levels(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """The levels one step up the same track.

    Those that extend this level directly (in any family) and do not also extend another of
    them, or, when none does, the levels of the same family and track at the next higher
    grade.
    """
    level = get_level(ladder, level_id)
    extenders = [
        other
        for other in ladder.levels_by_id.values()
        if other.track is level.track
        and other.id != level_id
        and any(level_id in other.extends.of(kind) for kind in KINDS)
    ]
    # "Includes the Intermediate and Senior roles": keep only the nearest of the extenders.
    extenders = [
        other
        for other in extenders
        if not any(
            candidate.id in _ancestors(ladder, other.id)
            for candidate in extenders
            if candidate is not other
        )
    ]
    if not extenders and level.grade is not None:
        grade = level.grade
        higher = [
            other
            for other in ladder.family(level.family).levels
            if other.track is level.track and other.grade is not None and other.grade > grade
        ]
        if higher:
            step = min(other.grade for other in higher if other.grade is not None)
            extenders = [other for other in higher if other.grade == step]
    return tuple(sorted(extenders, key=lambda other: _sort_key(ladder, other)))


def other_track_levels(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """The switch to the family's other track: its lowest-graded levels at or above this one.

    A Staff CSM (grade 9) may move to Manager, CSM (grade 9); a Manager, CSM back to the
    individual-contributor levels of grade 9. Levels without a grade have no switch.
    """
    level = get_level(ladder, level_id)
    if level.grade is None:
        return ()
    grade = level.grade
    other = [
        lv
        for lv in ladder.family(level.family).levels
        if lv.track is not level.track and lv.grade is not None and lv.grade >= grade
    ]
    if not other:
        return ()
    step = min(lv.grade for lv in other if lv.grade is not None)
    lowest = [lv for lv in other if lv.grade == step]
    # Of levels sharing the grade (Manager and Senior Manager, CSM), the entry: the one the
    # others build on.
    entry = [lv for lv in lowest if not any(o.id in _ancestors(ladder, lv.id) for o in lowest)]
    return tuple(sorted(entry, key=lambda lv: _sort_key(ladder, lv)))


def track_levels(ladder: Ladder, family_id: str, track: Track) -> tuple[Level, ...]:
    """A family's levels of one track, by grade."""
    levels = [lv for lv in ladder.family(family_id).levels if lv.track is track]
    return tuple(sorted(levels, key=lambda lv: _sort_key(ladder, lv)))


def track_of(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """The ladder a level climbs: the levels of its family and track linked to it by ``extends``.

    A family can hold several ladders of one track (the Customer Success Engineer levels
    beside the CSM levels); following ``extends`` in both directions, within the family
    and track, keeps them apart. Ordered by grade.
    """
    level = get_level(ladder, level_id)
    peers = {lv.id: lv for lv in ladder.family(level.family).levels if lv.track is level.track}
    neighbours: dict[str, set[str]] = {lid: set() for lid in peers}
    for lv in peers.values():
        for kind in KINDS:
            for target in lv.extends.of(kind):
                if target in peers:
                    neighbours[lv.id].add(target)
                    neighbours[target].add(lv.id)
    seen = {level_id}
    todo = [level_id]
    while todo:
        for other in neighbours[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)

    def rank(lv: Level) -> tuple[int, tuple[int, int, int]]:
        # Levels it builds on come first, whatever the grades say (the page gives the
        # Customer Success Engineer no grade); grade and file order break ties.
        return (len(_ancestors(ladder, lv.id) & seen), _sort_key(ladder, lv))

    return tuple(sorted((peers[lid] for lid in seen), key=rank))


def moves(ladder: Ladder, level_id: str) -> tuple[Move, ...]:
    """The career moves to other families that the level's family names."""
    family = ladder.family(get_level(ladder, level_id).family)
    return family.career_ladder.moves if family.career_ladder is not None else ()


def reports_to_levels(ladder: Ladder, level_id: str) -> tuple[Level, ...]:
    """The levels on the ladder that this level reports to (any of them), in data order."""
    level = get_level(ladder, level_id)
    if level.reports_to is None:
        return ()
    return tuple(
        ladder.levels_by_id[target]
        for target in level.reports_to.levels
        if target in ladder.levels_by_id
    )


def reports_to_chain(ladder: Ladder, level_id: str) -> tuple[tuple[Level, ...], ...]:
    """Each step up the reports-to chain: the level(s) reported to, then theirs, and so on.

    Stops at a level that names no one, and never visits a level twice (a cycle ends it).
    """
    seen = {level_id}
    current = [get_level(ladder, level_id)]
    steps: list[tuple[Level, ...]] = []
    while current:
        step: list[Level] = []
        for level in current:
            if level.reports_to is None:
                continue
            for target in level.reports_to.levels:
                boss = ladder.levels_by_id.get(target)
                if boss is not None and boss.id not in seen:
                    seen.add(boss.id)
                    step.append(boss)
        if step:
            steps.append(tuple(step))
        current = step
    return tuple(steps)


def resolve_all(ladder: Ladder) -> dict[str, ResolvedLevel]:
    """Every level resolved, and every level + specialty variant (``"level/specialty"``)."""
    out: dict[str, ResolvedLevel] = {}
    memos: _Memos = {kind: {} for kind in KINDS}
    for family in ladder.families:
        for level in family.levels:
            out[level.id] = _resolve_level(ladder, level.id, None, memos)
            for specialty in family.specialties_for(level.id):
                out[f"{level.id}/{specialty.id}"] = _resolve_level(
                    ladder, level.id, specialty.id, memos
                )
    return out


__all__ = [
    "CycleError",
    "LevelDiff",
    "ListDiff",
    "OriginKind",
    "Relation",
    "ResolutionError",
    "ResolvedItem",
    "ResolvedLevel",
    "SpecialtyNotApplicableError",
    "UnknownIdError",
    "UnknownSpecialtyError",
    "ancestors",
    "applicable_specialty",
    "diff_levels",
    "diff_lists",
    "diff_resolved",
    "extended_levels",
    "get_level",
    "item_key",
    "moves",
    "next_levels",
    "normalise",
    "other_track_levels",
    "relation",
    "reports_to_chain",
    "reports_to_levels",
    "resolve_all",
    "resolve_items",
    "resolve_level",
    "specialty_for",
    "specialty_labels",
    "specialty_levels",
    "track_levels",
    "track_of",
]
