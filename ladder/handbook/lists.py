"""Lists of a page: bullets into items (a bullet with sub-bullets is an item with
``items``), the kind of list a section holds (responsibilities, requirements, performance
indicators), and inheritance sentences written in a list, kept as references rather than
items."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ladder.handbook.inline import Link, links, plain
from ladder.handbook.markdown import BulletList, Item, Other, Paragraph, Section, Table
from ladder.handbook.matching import TitleMatcher
from ladder.handbook.phrases import Inheritance, Kind, parse_inheritance
from ladder.handbook.state import LIST_KINDS, Entity, InheritanceRef, ListKind, PendingRef

LIST_OF_KIND: dict[Kind, ListKind] = {
    Kind.RESPONSIBILITIES: "responsibilities",
    Kind.REQUIREMENTS: "requirements",
    Kind.PERFORMANCE_INDICATORS: "performance_indicators",
}


class ListReader(TitleMatcher):
    """Reads the lists of a section into the family's or an entity's lists."""

    def list_section(self, entity: Entity | None, kind: str, sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                inheritance = parse_inheritance(block.text) if kind in LIST_KINDS else None
                if inheritance is not None and self.accept_inheritance(
                    inheritance, block.raw, entity
                ):
                    ref = self.add_ref(
                        entity,
                        kind,
                        inheritance,
                        block.text,
                        links(block.raw),
                        block.line,
                        sec.file,
                    )
                    if ref is not None and inheritance.rest:
                        self.append_item(entity, kind, inheritance.rest)
                    continue
                self.warn(
                    sec.file,
                    block.line,
                    f"paragraph under {sec.title!r} not kept: {_short(block.text)!r}",
                )
            elif isinstance(block, BulletList):
                self.add_list(entity, kind, block, sec.file)
            elif isinstance(block, Table):
                for row in block.rows:
                    text = next((c for c in row if c), "")
                    if text:
                        self.append_item(entity, kind, text)
                self.warn(
                    sec.file, block.line, f"table under {sec.title!r} read as a list (first column)"
                )
            elif isinstance(block, Other) and block.kind in ("html", "code"):
                self.warn(sec.file, block.line, f"{block.kind} block under {sec.title!r} not kept")

    def add_list(self, entity: Entity | None, kind: str, block: BulletList, file: str) -> None:
        """The items of a list into the entity's (or the family's) list ``kind``: one of
        the three kinds, or the heading of another list."""
        where = "family" if entity is None else entity.kind
        for item in block.items:
            if not item.text:
                continue
            inheritance = parse_inheritance(item.text) if kind in LIST_KINDS else None
            if inheritance is not None:
                inheritance = self.comma_title(inheritance, item.raw)
            if inheritance is not None and self.accept_inheritance(inheritance, item.raw, entity):
                self.place(file, item.line, where, entity, kind, "inheritance")
                rest = [inheritance.rest] if inheritance.rest else []
                rest.extend(child.text for child in item.children if child.text)
                ref = self.add_ref(
                    entity, kind, inheritance, item.text, links(item.raw), item.line, file, True
                )
                if ref is None:
                    # Not an inheritance the data can hold: the item stays as written.
                    self.place(file, item.line, where, entity, kind, "item")
                    self.append_item(entity, kind, _item_value(item, self, file))
                elif inheritance.continues:
                    # The sentence says more than the reference: kept whole, as well.
                    self.append_item(entity, kind, _item_value(item, self, file))
                elif inheritance.corresponding or not inheritance.refs:
                    # "In addition to the corresponding ... level": the rule of specialties.
                    for value in rest:
                        self.append_item(entity, kind, value)
                else:
                    self.append_item(
                        entity, kind, PendingRef(ref, _item_value(item, self, file), rest)
                    )
                continue
            self.place(file, item.line, where, entity, kind, "item")
            self.append_item(entity, kind, _item_value(item, self, file))

    def append_item(self, entity: Entity | None, kind: str, value: Any) -> None:
        if isinstance(value, str) and not value:
            return
        if kind in LIST_KINDS:
            target = self.family_lists if entity is None else entity.lists
        else:
            target = self.family_other if entity is None else entity.other
        target.setdefault(kind, []).append(value)

    def comma_title(self, inheritance: Inheritance, raw: str) -> Inheritance:
        """The reference with the words after its comma when they make a title that
        names a level ("a Manager, Regional Marketing, the Senior Manager ...")."""
        if not inheritance.comma_tail or len(inheritance.refs) != 1:
            return inheritance
        longer = f"{inheritance.refs[0]}, {inheritance.comma_tail}"
        if not self.resolve_any(longer, links(raw)):
            return inheritance
        return replace(
            inheritance,
            refs=(longer,),
            rest=inheritance.tail_rest,
            continues=False,
            comma_tail="",
            tail_rest="",
        )

    def accept_inheritance(self, inheritance: Inheritance, raw: str, entity: Entity | None) -> bool:
        """Whether an inheritance-looking sentence really is one."""
        if inheritance.corresponding or inheritance.kind_word:
            return True
        if _STRONG_LEAD_RE.match(plain(raw)):
            return True
        return all(self.resolve_any(ref, links(raw)) for ref in inheritance.refs)

    def add_ref(
        self,
        entity: Entity | None,
        kind: str,
        inheritance: Inheritance,
        text: str,
        found_links: list[Link],
        line: int,
        file: str,
        item: bool = False,
    ) -> InheritanceRef | None:
        """Record an inheritance sentence of a level; ``None`` when it is not one the data
        can hold (at family level, in a specialty, naming the corresponding level of
        another family from a level): the caller keeps the words."""
        ref = InheritanceRef(inheritance, text, found_links, line, file, item)
        fate = "kept as an item" if item else "not kept"
        if entity is None:
            self.warn(file, line, f"inheritance sentence at family level {fate}: {text!r}")
            return None
        if inheritance.corresponding:
            entity.corresponding = True
            if entity.kind == "level":
                self.warn(
                    file,
                    line,
                    f"{text!r} names the corresponding level of another family; {fate}",
                )
                return None
            return ref
        if entity.kind == "specialty":
            self.warn(file, line, f"{text!r} in a specialty {fate}")
            return None
        entity.refs.setdefault(kind, []).append(ref)
        return ref


def _item_value(item: Item, importer: ListReader, file: str) -> Any:
    if not item.children:
        return item.text
    sub: list[str] = []
    for child in item.children:
        sub.append(child.text)
        for grandchild in child.children:
            importer.warn(
                file, grandchild.line, "third-level bullet flattened into the list above it"
            )
            sub.extend(g.text for g in grandchild.walk())
    sub = [s for s in sub if s]
    if not sub:
        return item.text
    return {"text": item.text, "items": sub}


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


_STRONG_LEAD_RE = re.compile(
    r"^\s*(?:includes?\s+all|meets?|has|have|holds|covers|inherits?)\b", re.I
)
