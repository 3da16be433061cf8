"""Write family data as a handbook job-family page.

The page follows the layout of the handbook's job-family pages: front matter with the
title and description, the opening paragraphs, the family's responsibilities and
requirements, a "Levels" table with grades, one "###" section per level (reports-to and
grade sentences, "Job Grade", "Responsibilities", "Requirements", "Performance
Indicators" sub-sections, inheritance written as "Extends the ... responsibilities"),
the specialties, the family's performance indicators, the career ladder and the hiring
process (a "###" heading per stage, or a numbered list when every stage is one item whose
words give its name, as the page wrote it).

The page is checked by importing it again: whatever the importer would not read back
exactly (source lines, notes, and any reading the handbook wording cannot carry) is
written to the ``ladder-data`` comment that closes the page (see
:mod:`ladder.handbook.metadata`), so that ``import(export(f)) == f``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ladder.handbook.context import Context
from ladder.handbook.importer import import_text
from ladder.handbook.inline import escape, escape_start
from ladder.handbook.mapping import family_mapping
from ladder.handbook.metadata import METADATA_MARK, diff_ops
from ladder.handbook.phrases import Kind, classify_heading
from ladder.handbook.stages import list_stage_name
from ladder.handbook.titles import slugify
from ladder.model import Ladder

__all__ = ["export_family", "export_mapping"]

_KIND_WORDS = {
    "responsibilities": "responsibilities",
    "requirements": "requirements",
    "performance_indicators": "performance indicators",
}
_KIND_HEADINGS = {
    "responsibilities": "Responsibilities",
    "requirements": "Requirements",
    "performance_indicators": "Performance Indicators",
}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _paragraph(text: Any) -> str:
    return escape_start(escape(_text(text)))


def _inline(text: Any) -> str:
    return escape(_text(text))


def _items(items: Sequence[Any]) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            lines.append(f"- {_inline(item.get('text', ''))}")
            for sub in item.get("items") or ():
                lines.append(f"  - {_inline(sub)}")
        else:
            lines.append(f"- {_inline(item)}")
    return lines


class _FlowList(list[Any]):
    """A short list written on one line: ``[levels, 3, source_line]``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_FlowList, _represent_flow)


def metadata_comment(overrides: list[dict[str, Any]]) -> list[str]:
    """The overrides as an HTML comment (invisible on the rendered page) closing it."""
    meta = {"overrides": [{**op, "path": _FlowList(op["path"])} for op in overrides]}
    options: dict[str, Any] = {"sort_keys": False, "allow_unicode": True, "width": 100}
    text = yaml.dump(meta, Dumper=_Dumper, **options)
    if "-->" in text:
        # Every string double-quoted, so that ">" can be written as an escape.
        text = yaml.dump(meta, Dumper=_Dumper, default_style='"', **options)
        text = text.replace("-->", "--\\x3E")
    return [f"<!-- {METADATA_MARK}", *text.rstrip("\n").split("\n"), "-->"]


class _Writer:
    def __init__(
        self,
        data: Mapping[str, Any],
        names: Mapping[str, str],
        family_titles: Mapping[str, str],
        level_families: Mapping[str, str] | None = None,
    ) -> None:
        self.level_families = dict(level_families or {})
        self.data = data
        self.lines: list[str] = []
        self.family_id = _text(data.get("id", ""))
        self.levels = [lv for lv in data.get("levels") or () if isinstance(lv, Mapping)]
        self.page_levels = {
            _text(lv.get("id")): lv for lv in self.levels if not lv.get("defined_elsewhere")
        }
        self.names = dict(names)
        for lv in self.levels:
            self.names[_text(lv.get("id"))] = self.name(lv)
        self.family_titles = dict(family_titles)
        self.family_titles.setdefault(self.family_id, _text(data.get("title", "")))

    @staticmethod
    def name(level: Mapping[str, Any]) -> str:
        return _text(level.get("short_title") or level.get("title") or level.get("id", ""))

    def out(self, *lines: str) -> None:
        self.lines.extend(lines)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def heading(self, depth: int, text: str) -> None:
        self.blank()
        self.out("#" * depth + " " + _inline(text), "")

    def paragraphs(self, texts: Sequence[Any]) -> None:
        for text in texts:
            self.blank()
            self.out(_paragraph(text), "")

    def render(self, overrides: list[dict[str, Any]]) -> str:
        data = self.data
        front: dict[str, Any] = {"title": _text(data.get("title", ""))}
        if data.get("description"):
            front["description"] = _text(data["description"])
        self.out("---")
        for key, value in front.items():
            self.out(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        self.out("---", "")
        self.paragraphs(data.get("intro") or ())
        for kind in ("responsibilities", "requirements"):
            if data.get(kind):
                self.heading(2, _KIND_HEADINGS[kind])
                self.out(*_items(data[kind]))
        self.other_lists(2, data.get("other_lists"))
        if self.levels:
            self.levels_part()
        if data.get("specialties"):
            self.specialties(data["specialties"])
        if data.get("performance_indicators"):
            self.heading(2, _KIND_HEADINGS["performance_indicators"])
            self.out(*_items(data["performance_indicators"]))
        if isinstance(data.get("career_ladder"), Mapping):
            self.career(data["career_ladder"])
        if isinstance(data.get("hiring_process"), Mapping):
            self.hiring(data["hiring_process"])
        if overrides:
            self.blank()
            self.out(*metadata_comment(overrides))
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"

    def levels_part(self) -> None:
        self.heading(2, "Levels")
        self.out("| Role | Grade |", "| --- | --- |")
        for level in self.levels:
            title = _inline(level.get("title", "")).replace("|", "\\|")
            target = level.get("defined_elsewhere") or "#" + slugify(_text(level.get("title", "")))
            grade = level.get("grade")
            cell = f"Grade {grade}" if isinstance(grade, int) else ""
            self.out(f"| [{title}]({_text(target).replace(' ', '%20')}) | {cell} |")
        self.out("")
        for level in self.levels:
            if not level.get("defined_elsewhere"):
                self.level(level)

    def level(self, level: Mapping[str, Any]) -> None:
        name = self.name(level)
        self.heading(3, _text(level.get("title", "")))
        if level.get("market_justification"):
            self.paragraphs([f"Market Justification: {_text(level['market_justification'])}"])
        reports_to = level.get("reports_to")
        if isinstance(reports_to, Mapping):
            text = reports_to.get("text")
            if not text:
                text = "/".join(
                    self.names.get(_text(i), _text(i)) for i in reports_to.get("levels") or ()
                )
            if text:
                self.paragraphs([f"The {name} reports to the {_text(text)}."])
        self.paragraphs(level.get("description") or ())
        self.labelled_lists(level.get("other_lists"))
        grade = level.get("grade")
        if isinstance(grade, int):
            self.heading(4, f"{name} Job Grade")
            self.paragraphs([f"The {name} is a job grade level {grade}."])
        extends = level.get("extends")
        if not isinstance(extends, Mapping):
            extends = {}
        for kind in ("responsibilities", "requirements", "performance_indicators"):
            refs = list(extends.get(kind) or ())
            items = list(level.get(kind) or ())
            if not refs and not items:
                continue
            self.heading(4, f"{name} {_KIND_HEADINGS[kind]}")
            for ref in refs:
                self.out(f"- Extends the {self.reference(_text(ref), kind)} {_KIND_WORDS[kind]}")
            self.out(*_items(items))
        self.other_lists(4, level.get("other_lists"))

    def other_lists(self, depth: int, lists: Any) -> None:
        """Lists under headings of their own ("Projects you might work on")."""
        for other in lists or ():
            if isinstance(other, Mapping) and (depth == 2 or _as_heading(other)):
                self.heading(depth, _text(other.get("title", "")))
                self.out(*_items(other.get("items") or ()))

    def labelled_lists(self, lists: Any) -> None:
        """Lists of a level whose heading would read as something else ("Market
        Justification"): a label right above the list, under the level heading."""
        for other in lists or ():
            if isinstance(other, Mapping) and not _as_heading(other):
                self.blank()
                self.out(f"**{_inline(other.get('title', ''))}:**", "")
                self.out(*_items(other.get("items") or ()))

    def reference(self, ident: str, kind: str) -> str:
        """How an inheritance sentence names a level or a family."""
        if ident in self.page_levels:
            level = self.page_levels[ident]
            return f"[{_inline(self.name(level))}](#{slugify(_text(level.get('title', '')))})"
        if ident in self.family_titles:
            anchor = slugify(_KIND_HEADINGS[kind])
            return f"[{_inline(self.family_titles[ident])}](/job-families/{ident}/#{anchor})"
        if ident in self.level_families:
            # A level of another family: named, and linked to its page.
            family = self.level_families[ident]
            name = _inline(self.names.get(ident, ident))
            return f"[{name}](/job-families/{family}/#{ident})"
        return _inline(self.names.get(ident, ident))

    def specialties(self, specialties: Sequence[Any]) -> None:
        self.heading(2, "Specialties")
        for specialty in specialties:
            if not isinstance(specialty, Mapping):
                continue
            title = _text(specialty.get("title", ""))
            self.heading(3, title)
            self.labelled_lists(specialty.get("other_lists"))
            for kind in ("responsibilities", "requirements", "performance_indicators"):
                if specialty.get(kind):
                    self.heading(4, f"{title} {_KIND_HEADINGS[kind]}")
                    self.out(*_items(specialty[kind]))
            self.other_lists(4, specialty.get("other_lists"))

    def career(self, career: Mapping[str, Any]) -> None:
        self.heading(2, "Career Ladder")
        texts = list(career.get("text") or ())
        if texts:
            self.paragraphs(texts)
        else:
            self.out(
                *_items(
                    [m.get("text", "") for m in career.get("moves") or () if isinstance(m, Mapping)]
                )
            )

    def hiring(self, hiring: Mapping[str, Any]) -> None:
        self.heading(2, "Hiring Process")
        self.paragraphs(hiring.get("intro") or ())
        stages = [s for s in hiring.get("stages") or () if isinstance(s, Mapping)]
        if stages and all(_is_list_stage(s, n) for n, s in enumerate(stages, 1)):
            # Stages the page wrote as a list, one item each: written back the same way.
            self.blank()
            for number, stage in enumerate(stages, 1):
                self.out(f"{number}. {_paragraph(stage['text'][0])}")
                for line in _items(stage.get("format") or ()):
                    self.out("   " + line)
            self.out("")
            self.paragraphs(hiring.get("outro") or ())
            return
        for stage in stages:
            self.heading(3, _text(stage.get("name", "")))
            self.paragraphs(stage.get("text") or ())
            if stage.get("format"):
                self.blank()
                self.out(*_items(stage["format"]))
        self.paragraphs(hiring.get("outro") or ())


def _as_heading(other: Mapping[str, Any]) -> bool:
    """Whether a list of a level reads back from a heading of its title."""
    kind, _ = classify_heading(_text(other.get("title", "")))
    return kind in (Kind.OTHER, Kind.NICE_TO_HAVE, Kind.LEVELS)


def _is_list_stage(stage: Mapping[str, Any], number: int) -> bool:
    """A stage that is one list item: a single paragraph whose words give its name."""
    texts = stage.get("text")
    if not isinstance(texts, list) or len(texts) != 1 or not isinstance(texts[0], str):
        return False
    if any(not isinstance(f, str) for f in stage.get("format") or ()):
        return False
    text = texts[0]
    return (
        bool(text.strip())
        and "\n" not in text
        and list_stage_name(text, number) == stage.get("name")
    )


def export_mapping(
    data: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    family_titles: Mapping[str, str] | None = None,
    level_families: Mapping[str, str] | None = None,
    context: Context | None = None,
) -> str:
    """A handbook page for a family mapping (the shape of a ``ladder/data`` file).

    ``names`` gives display names of levels of other families (by id) and
    ``family_titles`` the titles of other families, for inheritance sentences that leave
    the family; ``context`` is what the page will be imported with (see
    :class:`ladder.handbook.Context`).  The page imports back to ``data`` exactly.
    """
    target = dict(data)
    # A file name no data names: the source is always written to the overrides, so
    # the page imports to the same data whatever it is called.
    file = "\u2060exported page"
    page = _Writer(data, names or {}, family_titles or {}, level_families).render([])
    # Checked without context (the page alone) and with it (inside the ladder).
    overrides = diff_ops(import_text(page, file).data, target)
    if context is not None:
        page = _Writer(data, names or {}, family_titles or {}, level_families).render(overrides)
        with_context = import_text(page, file, context=context).data
        overrides += diff_ops(with_context, target)
    if not overrides:
        return page
    page = _Writer(data, names or {}, family_titles or {}, level_families).render(overrides)
    if import_text(page, file, context=context).data != target:  # pragma: no cover
        # Not expected; the whole family then travels in the comment.
        page = _Writer(data, names or {}, family_titles or {}, level_families).render(
            [{"path": [], "value": target}]
        )
    return page


def export_family(ladder: Ladder, family_id: str) -> str:
    """The handbook page of a family of the ladder (``KeyError`` for an unknown id)."""
    family = ladder.family(family_id)
    names = {
        level.id: level.short_title or level.title
        for other in ladder.families
        for level in other.levels
    }
    titles = {other.id: other.title for other in ladder.families}
    level_families = {
        level.id: other.id
        for other in ladder.families
        if other.id != family_id
        for level in other.levels
    }
    return export_mapping(
        family_mapping(family),
        names=names,
        family_titles=titles,
        level_families=level_families,
        context=Context.from_ladder(ladder, exclude=family_id),
    )
