"""The coverage report of an import: every list item of the page, where it was placed
(which level, specialty, the family, the hiring process, the career ladder) and as what
(a responsibility, a requirement, a performance indicator, an item of another list, an
inheritance sentence, a grade, a stage...), and every item and section that was not
placed, with its line.

An *item* is a top-level list item of the page (``-``, ``*``, ``+``, ``1.``), continuation
lines and nested bullets included; nested bullets are part of their item and are not
counted on their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CoverageReport", "PageItem", "Placement", "UnplacedSection"]

#: How an item was placed: its text kept in a list ("item"), read as an inheritance
#: reference ("inheritance"), or read as a fact of the page.
HOW = (
    "item",
    "inheritance",
    "grade",
    "reports_to",
    "stage",
    "stage_format",
    "move",
    "level_row",
    "specialty",
)


@dataclass(frozen=True, slots=True)
class PageItem:
    """A top-level list item of the page, and the heading it is under."""

    file: str
    line: int
    text: str
    section: str
    section_line: int


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one item went.

    ``where`` is ``level``, ``specialty``, ``family``, ``hiring_process`` or
    ``career_ladder``; ``target`` the id of the level or specialty (the family's id for
    ``family``) and ``title`` its title; ``kind`` the list it is in
    (``responsibilities``, ``requirements``, ``performance_indicators``, or the heading of
    another list), empty for facts that are not list items; ``how`` one of
    :data:`HOW`.
    """

    file: str
    line: int
    text: str
    where: str
    target: str
    title: str
    kind: str
    how: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "text": self.text,
            "where": self.where,
            "target": self.target,
            "title": self.title,
            "kind": self.kind,
            "how": self.how,
        }


@dataclass(frozen=True, slots=True)
class UnplacedSection:
    file: str
    line: int
    title: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "title": self.title, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """How many of the page's list items were placed, where and as what, and what was not."""

    items: tuple[PageItem, ...] = ()
    placements: tuple[Placement, ...] = ()
    unplaced_items: tuple[PageItem, ...] = ()
    unplaced_sections: tuple[UnplacedSection, ...] = field(default=())

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def placed(self) -> int:
        return len(self.placements)

    @property
    def complete(self) -> bool:
        return not self.unplaced_items and not self.unplaced_sections

    def counts(self) -> list[tuple[str, str, str, Counter[str]]]:
        """Per target, in the order first placed: ``(where, target, title, {kind: n})``;
        an item that is not in a list (a grade, a stage) counts under its ``how``."""
        out: dict[tuple[str, str], tuple[str, Counter[str]]] = {}
        for p in self.placements:
            key = (p.where, p.target)
            if key not in out:
                out[key] = (p.title, Counter())
            listed = p.how in ("item", "inheritance") or (p.how == "specialty" and p.kind)
            label = p.kind if listed else p.how
            out[key][1][label] += 1
        return [(w, t, title, c) for (w, t), (title, c) in out.items()]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "placed": self.placed,
            "unplaced": len(self.unplaced_items),
            "targets": [
                {"where": w, "target": t, "title": title, "counts": dict(c)}
                for w, t, title, c in self.counts()
            ],
            "placements": [p.as_dict() for p in self.placements],
            "unplaced_items": [
                {"file": i.file, "line": i.line, "text": i.text, "section": i.section}
                for i in self.unplaced_items
            ],
            "unplaced_sections": [s.as_dict() for s in self.unplaced_sections],
        }

    def render(self, display: Any = str) -> str:
        """The report as text: totals, counts per target, then what was not placed."""
        lines = [f"coverage: {self.placed} of {self.total} list items placed"]
        for where, target, title, counts in self.counts():
            parts = ", ".join(f"{k} {n}" for k, n in counts.items())
            name = f"{where} {target}" if where in ("level", "specialty") else where
            shown = f" ({title})" if title and where in ("level", "specialty") else ""
            lines.append(f"  {name}{shown}: {parts}")
        if self.unplaced_items:
            count = len(self.unplaced_items)
            lines.append(f"not placed: {count} item{'' if count == 1 else 's'}")
            for item in self.unplaced_items:
                text = item.text if len(item.text) <= 70 else item.text[:69] + "…"
                lines.append(f"  {display(item.file)}:{item.line}: under {item.section!r}: {text}")
        if self.unplaced_sections:
            count = len(self.unplaced_sections)
            lines.append(f"not placed: {count} section{'' if count == 1 else 's'}")
            for sec in self.unplaced_sections:
                lines.append(f"  {display(sec.file)}:{sec.line}: {sec.title!r}: {sec.reason}")
        return "\n".join(lines) + "\n"
