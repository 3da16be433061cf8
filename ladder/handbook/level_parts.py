"""The parts of a level or specialty: the paragraphs and lists right under its heading,
its grade and reports-to sentences, its part sections ("Job Grade", "Responsibilities",
"Senior X Requirements"...) and the rows of a levels table."""

from __future__ import annotations

import re

from ladder.handbook.inline import links
from ladder.handbook.lists import LIST_OF_KIND, ListReader
from ladder.handbook.markdown import BulletList, Item, Other, Paragraph, Section, Table
from ladder.handbook.matching import ARTICLE_RE
from ladder.handbook.phrases import (
    Kind,
    classify_heading,
    find_grade,
    find_reports_to,
    grade_subject,
    parse_inheritance,
    reports_target,
)
from ladder.handbook.state import Entity, TableRow

_LIST_PARTS = frozenset({Kind.RESPONSIBILITIES, Kind.REQUIREMENTS, Kind.PERFORMANCE_INDICATORS})

# Headings that name a part of a level (or of the family outside any level).
PART_KINDS = {
    Kind.JOB_GRADE,
    Kind.RESPONSIBILITIES,
    Kind.REQUIREMENTS,
    Kind.NICE_TO_HAVE,
    Kind.PERFORMANCE_INDICATORS,
    Kind.MARKET_JUSTIFICATION,
    Kind.REPORTS_TO,
}


class LevelReader(ListReader):
    """Reads what belongs to one level or specialty."""

    def entity_blocks(self, entity: Entity, sec: Section) -> None:
        """Paragraphs and lists directly under a level or specialty heading.  A short
        label right above a list ("**Requirements:**", "Market Justification") names the
        list: one of the kinds, or another list of the level."""
        for n, block in enumerate(sec.blocks):
            after = sec.blocks[n + 1] if n + 1 < len(sec.blocks) else None
            label = label_of(block, after)
            if label is not None:
                continue
            before = sec.blocks[n - 1] if n else None
            named = label_of(before, block) if before is not None else None
            if isinstance(block, BulletList) and named is not None:
                kind, _ = classify_heading(named)
                if kind in LIST_OF_KIND:
                    self.add_list(entity, LIST_OF_KIND[kind], block, sec.file)
                    entity.parts_seen.add(kind)
                else:
                    self.add_list(entity, named, block, sec.file)
                continue
            if isinstance(block, Paragraph):
                self.entity_paragraph(entity, block, sec.file)
            elif isinstance(block, BulletList):
                if entity.kind == "specialty":
                    self.add_list(entity, "responsibilities", block, sec.file)
                    entity.parts_seen.add(Kind.RESPONSIBILITIES)
                else:
                    self.level_list(entity, block, sec.file)
            elif isinstance(block, Table):
                self.levels_table(block, sec.file)
            elif isinstance(block, Other) and block.kind == "quote":
                self.warn(sec.file, block.line, "block quote not kept")

    def level_list(self, entity: Entity, block: BulletList, file: str) -> None:
        """A list right under a level heading: "Job Grade: 7" and "Reports to: X" lines,
        the rest read as responsibilities."""
        rest: list[Item] = []
        for item in block.items:
            reports = find_reports_to(item.text) if not item.children else None
            grade = find_grade(item.text) if len(item.text) < 40 else None
            if reports is not None and entity.reports_to is None and len(item.text) < 120:
                self.set_reports_to(entity, reports[1], item.text, item.line)
                self.place(file, item.line, entity.kind, entity, "", "reports_to")
            elif grade is not None and not item.children:
                self.set_grade(entity, grade, item.text, item.line, file)
                self.place(file, item.line, entity.kind, entity, "", "grade")
            else:
                rest.append(item)
        if rest:
            self.warn(
                file,
                rest[0].line,
                f"list directly under level {entity.title!r} read as responsibilities",
            )
            self.add_list(entity, "responsibilities", BulletList(rest, rest[0].line), file)
            entity.parts_seen.add(Kind.RESPONSIBILITIES)

    def entity_paragraph(self, entity: Entity, block: Paragraph, file: str) -> None:
        text = block.text
        mj = MARKET_RE.match(text)
        if mj:
            entity.market_justification = (mj.group(1) or "").strip() or None
            return
        reports = find_reports_to(text)
        if reports is not None and entity.reports_to is None:
            subject, target = reports
            self.set_reports_to(entity, target, text, block.line)
            if subject:
                entity.sentence_names.append(subject)
                self.add_name(entity, subject)
            return
        grade = find_grade(text)
        if grade is not None and len(text) < 200:
            self.set_grade(entity, grade, text, block.line, file)
            return
        inheritance = parse_inheritance(text)
        if inheritance is not None:
            inheritance = self.comma_title(inheritance, block.raw)
        if inheritance is not None and inheritance.corresponding:
            entity.corresponding = True
            return
        if (
            inheritance is not None
            and inheritance.refs
            and entity.kind == "level"
            and len(text) < 200
            and self.accept_inheritance(inheritance, block.raw, entity)
        ):
            # "Everything in the Associate X role, plus:" above the level's list.
            kind = _PARAGRAPH_KINDS.get(inheritance.kind_word[:4], "responsibilities")
            ref = self.add_ref(entity, kind, inheritance, text, links(block.raw), block.line, file)
            if ref is not None and inheritance.rest:
                self.append_item(entity, kind, inheritance.rest)
            return
        entity.description.append(text)

    def set_reports_to(self, entity: Entity, target: str, text: str, line: int) -> None:
        """Record a reports-to sentence; a grade in it ("... and is grade 7", "at grade 7")
        is the level's grade when nothing else on the page gives one."""
        entity.reports_to = target
        entity.reports_line = line
        entity.reports_grade = find_grade(text)

    def set_grade(
        self, entity: Entity, grade: int, text: str, line: int, file: str, where: str = ""
    ) -> None:
        """Record a grade sentence; one that names another level of the page ("The
        Director is a grade 11" under the Senior Director) is read as this level's, with
        a warning."""
        subject = grade_subject(text)
        if subject:
            other = self.match_entity(subject, [e for e in self.levels if e is not entity])
            if other is not None and not self.entity_matches(entity, subject):
                self.warn(
                    file,
                    line,
                    f"grade sentence names {subject!r}{where}; grade {grade} read as "
                    f"{entity.title!r}'s",
                )
                subject = None
        if subject:
            entity.sentence_names.append(subject)
            self.add_name(entity, subject)
        if entity.grade is not None and entity.grade != grade:
            self.warn(file, line, f"second grade {grade} for {entity.title!r}; {entity.grade} kept")
            return
        entity.grade = grade

    def part_target(
        self, sec: Section, prefix: str, ctx: str | Entity, current: Entity | None
    ) -> Entity | None:
        """The level or specialty a part heading ("Senior X Requirements") belongs to;
        ``None`` for the family."""
        if isinstance(ctx, Entity):
            if prefix and current is not None and current is not ctx:
                named = self.match_entity(prefix, [current])
                if named is not None:
                    return named
            return ctx
        if not prefix:
            kind = classify_heading(sec.title)[0]
            if current is not None and (
                sec.depth > current.depth
                or (sec.depth == current.depth and kind is Kind.JOB_GRADE)
                or (
                    sec.depth == current.depth
                    and current.kind == "level"
                    and kind in (Kind.RESPONSIBILITIES, Kind.REQUIREMENTS)
                    and kind not in current.parts_seen
                    and (
                        current.flat
                        or not (current.parts_seen & _LIST_PARTS or any(current.other.values()))
                    )
                )
            ):
                if sec.depth == current.depth and kind is not Kind.JOB_GRADE:
                    current.flat = True
                # A "Job Grade" heading is never the family's, even at the level's depth;
                # nor are the first "Responsibilities"/"Requirements" after a level whose
                # parts are all written at its own depth ("## VP", "## Responsibilities").
                return current
            return None
        candidates = [e for e in (*self.levels, *self.specialties)]
        if self.folder_index:
            # On a folder's index page, "Frontend Engineer Performance Indicators" is the
            # family's, not the level page "Intermediate Frontend Engineer"'s.
            return None
        if current is not None:
            named = self.match_entity(prefix, [current])
            if named is not None:
                return named
        named = self.match_entity(prefix, candidates)
        if named is not None and (
            self.entity_matches(named, prefix) or not self.names_family(prefix)
        ):
            # ("Frontend Engineer Performance Indicators" names the family, not the
            # "Intermediate Frontend Engineer" it loosely matches.)
            return named
        if self.names_family(prefix):
            return None
        if current is not None and sec.depth <= current.depth:
            # A sibling of the levels that names none of them: the family's
            # ("### Legal Operations and Contracts Performance Indicators").
            return None
        if current is not None:
            self.warn(
                sec.file,
                sec.line,
                f"heading {sec.title!r} does not name {current.title!r}; read as part of it",
            )
            return current
        self.warn(
            sec.file,
            sec.line,
            f"no level heading for {prefix!r}; level created from the heading {sec.title!r}",
        )
        entity = Entity("level", prefix, sec.line, sec.file, sec.depth)
        self.add_name(entity, prefix)
        self.levels.append(entity)
        self.levels_started = True
        return entity

    def add_part(self, entity: Entity, kind: Kind, sec: Section) -> None:
        _, prefix = classify_heading(sec.title)
        if prefix:
            self.add_name(entity, prefix)
        entity.parts_seen.add(kind)
        if kind is Kind.JOB_GRADE:
            self.grade_section(entity, sec)
        elif kind is Kind.MARKET_JUSTIFICATION:
            texts = [b.text for b in sec.blocks if isinstance(b, Paragraph)]
            if texts:
                entity.market_justification = " ".join(texts)
            else:
                self.warn(sec.file, sec.line, "empty market justification")
        elif kind is Kind.REPORTS_TO:
            for block in sec.blocks:
                if isinstance(block, Paragraph | BulletList):
                    text = (
                        block.text
                        if isinstance(block, Paragraph)
                        else (block.items[0].text if block.items else "")
                    )
                    reports = find_reports_to(text)
                    target = reports[1] if reports else ARTICLE_RE.sub("", reports_target(text))
                    self.set_reports_to(entity, target, text, block.line)
                    break
        elif kind is Kind.NICE_TO_HAVE:
            # Optional requirements: a list of their own, under the page's heading.
            self.list_section(entity, sec.title, sec)
        else:
            self.list_section(entity, LIST_OF_KIND[kind], sec)
        grouped = kind in LIST_OF_KIND and not any(isinstance(b, BulletList) for b in sec.blocks)
        current = entity
        for child in sec.children:
            child_kind, child_prefix = classify_heading(child.title)
            if child_kind in PART_KINDS:
                # After a level written inside this part ("#### Senior Manager, X" under
                # "### Manager Requirements"), the parts that follow are that level's.
                owner = current
                if child_prefix and current is not entity:
                    owner = self.match_entity(child_prefix, [current, entity]) or current
                self.add_part(owner, child_kind, child)
            elif grouped and child_kind is Kind.OTHER and not self.is_level_like(child):
                # "## Responsibilities" > "### Directed Work", "### Leadership Work": the
                # sub-headings only group the responsibilities.
                self.list_section(entity, LIST_OF_KIND[kind], child)
                for grandchild in child.children:
                    grand_kind, _ = classify_heading(grandchild.title)
                    if grand_kind in PART_KINDS:
                        self.add_part(entity, grand_kind, grandchild)
                    else:
                        self.part_subsection(entity, grandchild)
            else:
                # "##### Technical" under "#### Job Grade": another list of the level.
                found = self.part_subsection(entity, child)
                if found is not None and found.kind == "level" and found is not entity:
                    current = found

    def part_subsection(self, entity: Entity, sec: Section) -> Entity | None:
        """A heading of no known kind under a part of a level; the level it starts, if
        any (the walk reads it)."""
        raise NotImplementedError

    def is_level_like(self, sec: Section) -> bool:
        """Whether a heading is a level (the walk decides)."""
        raise NotImplementedError

    def grade_section(self, entity: Entity, sec: Section) -> None:
        found = False
        for block in sec.blocks:
            if isinstance(block, BulletList) and found:
                # A list after the grade sentence, with no heading of its own: the level's
                # responsibilities, as a list right under the level heading would be.
                self.level_list(entity, block, sec.file)
                continue
            texts: list[tuple[str, int]] = []
            if isinstance(block, Paragraph):
                texts = [(block.text, block.line)]
            elif isinstance(block, BulletList):
                texts = [(i.text, i.line) for i in block.walk()]
            elif isinstance(block, Table):
                texts = [
                    (" ".join(r), ln) for r, ln in zip(block.rows, block.row_lines, strict=False)
                ]
            for text, line in texts:
                grade = find_grade(text, bare=True)
                if grade is None:
                    continue
                self.set_grade(
                    entity, grade, text, line, sec.file, f" under the heading {sec.title!r}"
                )
                found = True
                break
        if not found:
            self.warn(sec.file, sec.line, f"no grade found under {sec.title!r}")

    def levels_table(self, table: Table, file: str) -> None:
        header = [h.lower() for h in table.header]
        title_col = next(
            (i for pattern in _TITLE_COLUMN_RES for i, h in enumerate(header) if pattern.search(h)),
            0,
        )
        grade_col = next((i for i, h in enumerate(header) if "grade" in h), None)
        if grade_col == title_col:
            grade_col = None
        for cells, raw_cells, line in zip(
            table.rows, table.raw_rows, table.row_lines, strict=False
        ):
            if title_col >= len(cells) or not cells[title_col]:
                self.warn(file, line, "levels table row without a title not kept")
                continue
            title = cells[title_col]
            found = links(raw_cells[title_col])
            url = found[0].url if found else ""
            grade = None
            if grade_col is not None and grade_col < len(cells):
                grade = find_grade(cells[grade_col], bare=True)
                if grade is None and cells[grade_col].strip(" -\u2013\u2014"):
                    self.warn(
                        file,
                        line,
                        f"grade {cells[grade_col]!r} of {title!r} is not a whole number; not kept",
                    )
            else:
                for i, cell in enumerate(cells):
                    if i != title_col:
                        grade = find_grade(cell, bare=True)
                        if grade is not None:
                            break
            self.rows.append(TableRow(title, url, grade, line, file))

    def row_from_text(self, text: str, raw: str, line: int, file: str) -> bool:
        found = links(raw)
        grade = find_grade(text)
        title = _ROW_TITLE_END_RE.split(text, maxsplit=1)[0].strip()
        if found:
            title = found[0].text
        if title:
            self.rows.append(TableRow(title, found[0].url if found else "", grade, line, file))
        return bool(title)


# The list an inheritance paragraph above a level's lists is about, by its kind word
# ("... all of the requirements of X"); responsibilities otherwise.
_PARAGRAPH_KINDS = {
    "requ": "requirements",
    "qual": "requirements",
    "perf": "performance_indicators",
    "kpi": "performance_indicators",
    "kpis": "performance_indicators",
    "indi": "performance_indicators",
}


def label_of(block: object, after: object) -> str | None:
    """The text of a paragraph that labels the list right after it: short, one line,
    not a sentence ("**Responsibilities:**", "Market Justification", "Nice to have:")."""
    if not isinstance(block, Paragraph) or not isinstance(after, BulletList):
        return None
    text = block.text.strip()
    if not text or len(text) > 60 or len(text.split()) > 8 or "\n" in block.raw:
        return None
    if (
        find_grade(text) is not None
        or find_reports_to(text) is not None
        or parse_inheritance(text) is not None
    ):
        return None
    kind, prefix = classify_heading(text.rstrip(":").strip())
    if kind in (Kind.JOB_GRADE, Kind.REPORTS_TO):
        return None
    # "Senior X Requirements" is a part heading's words, not a label; "Director of X
    # Hiring Process:" (a level's own process, as the exporter writes it) is a label.
    if kind not in (Kind.OTHER, Kind.HIRING_PROCESS) and prefix:
        return None
    if text.endswith(":"):
        return text.rstrip(":").strip() or None
    if text[-1] in ".!?,;)" or not (text[0].isupper() or text[0].isdigit()):
        return None
    if _LABEL_EMPHASIS_RE.fullmatch(block.raw.strip()) or kind is not Kind.OTHER:
        return text
    return None


_LABEL_EMPHASIS_RE = re.compile(r"(\*\*|__)[^*_]+\1:?")


# A "Market justification" paragraph, with its text after the colon.
MARKET_RE = re.compile(r"^market\s+justification\s*(?:[:.\-\u2013\u2014]\s*(.*))?$", re.I | re.S)


# Patterns used inline above, compiled once when the module loads.
_TITLE_COLUMN_RES = [
    re.compile(r"\b(?:role|title|position)\b"),
    re.compile(r"\b(?:job|name)\b"),
    re.compile(r"\blevel\b"),
]
_ROW_TITLE_END_RE = re.compile(r"\s*[:(,\u2013\u2014]\s*(?:job\s+)?grade\b|\s+-\s+|\s+\(", re.I)
