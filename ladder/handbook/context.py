"""Families already known to the importer (the other families of a ladder), used to
resolve references that leave the page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class _KnownLevel:
    id: str
    family: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _KnownFamily:
    id: str
    title: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """Families already known (other families of a ladder), used to resolve references
    that leave the page: a level of another family named by an inheritance sentence, a
    reports-to, a career move.  Build it with :meth:`from_mappings` or :meth:`from_ladder`.
    """

    families: tuple[_KnownFamily, ...] = ()
    levels: tuple[_KnownLevel, ...] = ()

    @classmethod
    def from_mappings(cls, families: Iterable[Mapping[str, Any]]) -> Context:
        known_families: list[_KnownFamily] = []
        known_levels: list[_KnownLevel] = []
        for family in families:
            if not isinstance(family, Mapping):
                continue
            family_id = str(family.get("id", ""))
            title = str(family.get("title", ""))
            texts = [title, str(family.get("description", "") or "")]
            known_families.append(_KnownFamily(family_id, title, tuple(t for t in texts if t)))
            for level in family.get("levels") or ():
                if isinstance(level, Mapping) and level.get("id"):
                    names = [str(level.get("title", "")), str(level.get("short_title", "") or "")]
                    known_levels.append(
                        _KnownLevel(str(level["id"]), family_id, tuple(n for n in names if n))
                    )
        return cls(tuple(known_families), tuple(known_levels))

    @classmethod
    def from_ladder(cls, ladder: Any, exclude: str | None = None) -> Context:
        """From a :class:`ladder.model.Ladder` (any object with ``families`` of the model)."""
        known_families: list[_KnownFamily] = []
        known_levels: list[_KnownLevel] = []
        for family in getattr(ladder, "families", ()):
            if family.id == exclude:
                continue
            texts = tuple(t for t in (family.title, family.description or "") if t)
            known_families.append(_KnownFamily(family.id, family.title, texts))
            for level in family.levels:
                names = tuple(n for n in (level.title, level.short_title or "") if n)
                known_levels.append(_KnownLevel(level.id, family.id, names))
        return cls(tuple(known_families), tuple(known_levels))

    def without(self, family_id: str) -> Context:
        return Context(
            tuple(f for f in self.families if f.id != family_id),
            tuple(lv for lv in self.levels if lv.family != family_id),
        )
