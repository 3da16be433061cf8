"""The walk over a page's tree of sections: the title and opening paragraphs, then each
heading classified and read as a family section (lists, "Levels", "Specialties", "Hiring
Process", "Career Ladder"), a level or specialty, a container of levels, or a section not
understood; in a folder, one page per level."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ladder.handbook.context import Context
from ladder.handbook.coverage import PageItem
from ladder.handbook.hiring import HiringReader, is_stage_list
from ladder.handbook.inline import plain
from ladder.handbook.level_parts import MARKET_RE, PART_KINDS, LevelReader
from ladder.handbook.lists import LIST_OF_KIND
from ladder.handbook.markdown import BulletList, Document, Other, Paragraph, Section, Table
from ladder.handbook.metadata import read_metadata_comment
from ladder.handbook.phrases import (
    Kind,
    classify_heading,
    find_grade,
    find_reports_to,
    grade_subject,
    sentences,
)
from ladder.handbook.stages import is_stage_heading
from ladder.handbook.state import Entity
from ladder.handbook.titles import RANK_WORDS, Abbreviations, slugify

_FAMILY_KINDS = {Kind.LEVELS, Kind.SPECIALTIES, Kind.HIRING_PROCESS, Kind.CAREER_LADDER}
# The files read as pages; the suffix is dropped when a title is made from a file name.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".txt", ".html.md", ".erb")


class PageWalk(LevelReader, HiringReader):
    """Walks the sections of the pages, filling the state."""

    def read_documents(self, index: Document, level_pages: Sequence[Document]) -> None:
        for doc in (index, *level_pages):
            for note in doc.notes:
                self.warn(note.file, note.line, note.message)
            for sec in doc.root.walk():
                for block in sec.blocks:
                    if isinstance(block, BulletList):
                        for item in block.items:
                            if item.text:
                                self.page_items[(doc.file, item.line)] = PageItem(
                                    doc.file, item.line, item.text, sec.title, sec.line
                                )
        self.source_file = Path(index.file).name
        if level_pages:
            self.source_file = f"{Path(index.file).parent.name}/{self.source_file}"
        fm = index.front_matter
        self.read_metadata(index)
        root = index.root
        title = fm.get("title")
        top = [c for c in root.children if c.depth == 1]
        wrapper = len(top) == 1 and root.children[0] is top[0] and not self.is_level_like(top[0])
        for section in top:
            section.memo.clear()  # read again once the page's abbreviations are known
        self.keys_cache.clear()
        if wrapper:
            # A single "# Family" heading wraps the whole page.
            h1 = top[0]
            if not isinstance(title, str) or not title.strip():
                title = h1.title
            root = Section(
                0,
                "",
                "",
                1,
                index.file,
                [*root.blocks, *h1.blocks],
                [*h1.children, *root.children[1:]],
            )
        if not isinstance(title, str) or not title.strip():
            title = _title_from_file(index.file)
            self.warn(index.file, 1, f"no title in front matter or heading; using {title!r}")
        self.title = plain(title.strip())
        description = fm.get("description")
        if isinstance(description, str) and description.strip():
            self.description = plain(description.strip())
        self.family_id = slugify(self.title) or "family"
        all_text = "\n".join(
            [self.title, self.description or "", *(_doc_text(d) for d in (index, *level_pages))]
        )
        self.abbreviations = Abbreviations.from_text(all_text)
        self.abbreviations = _with_context_abbreviations(self.abbreviations, self.context)
        self.keys_cache.clear()
        self.context = self.context.without(self.family_id)

        self.top_hiring_lines = [
            sec.line
            for sec in root.children
            if classify_heading(sec.title)[0] is Kind.HIRING_PROCESS
        ]
        for block in root.blocks:
            if isinstance(block, Paragraph):
                self.intro.append(block.text)
                self.loose_sentence(block, index.file)
            elif isinstance(block, BulletList):
                self.warn(index.file, block.line, "list before the first heading not kept")
        if not level_pages:
            self.visit(root.children, "family", index.file)
            return
        # A folder: each level page is a level.  They are read first, so that the index
        # page's summaries of them ("## Job Grades", "### Senior X") are recognised as
        # such rather than read as levels of their own.
        self.in_level_page = True
        for page in level_pages:
            self.read_level_page(page)
        self.in_level_page = False
        self.folder_index = True
        self.visit(root.children, "family", index.file)
        self.folder_index = False
        for sec, entity in self.deferred_hiring:
            if not self.stages:
                self.hiring_section(sec)
            elif entity is not None:
                # The level page's own words for the process: a list of the level.
                self.warn(
                    sec.file,
                    sec.line,
                    f"hiring process of the level page {entity.title!r} kept as a list of the "
                    "level: the family's is on the index page",
                )
                self.list_section(entity, sec.title, sec)
            else:
                self.warn(
                    sec.file,
                    sec.line,
                    "hiring process of a level page not kept: the family's is on the index page",
                )
                self.section_not_placed(sec.file, sec.line, sec.title, "hiring process repeated")

    def has_direct_parts(self, sec: Section) -> bool:
        """Sub-sections such as "Job Grade", "Responsibilities" or "Senior X Requirements"
        (a prefix that names another role, as in "CSM Responsibilities" under "Handbook
        Directory", does not count)."""
        found = sec.memo.get("parts")
        if found is None:
            found = False
            for child in sec.children:
                kind, prefix = classify_heading(child.title)
                if kind is Kind.PERFORMANCE_INDICATORS and not prefix:
                    continue  # "## How you'll be measured" > "### Performance Indicators"
                if kind in PART_KINDS and (not prefix or self.names_same(prefix, sec.title)):
                    found = True
                    break
            sec.memo["parts"] = found
        return found

    def own_level_sentences(self, sec: Section) -> bool:
        """A grade, reports-to or market-justification sentence right under the heading,
        about the heading's role (not "The Legal Intern is a grade 4" under
        "## Compensation")."""
        found = sec.memo.get("own-sentences")
        if found is None:
            subjects = _level_sentence_subjects(sec)
            found = any(not subject or self.names_same(subject, sec.title) for subject in subjects)
            sec.memo["own-sentences"] = found
        return found

    def has_bare_parts(self, sec: Section) -> bool:
        """Sub-sections "Job Grade", "Responsibilities"... naming no role: the section's
        own parts ("Benefits Requirements" under "## Benefits" with levels under it is a
        list of the group, not a part of a level "Benefits")."""
        for child in sec.children:
            kind, prefix = classify_heading(child.title)
            if kind in PART_KINDS and not prefix:
                return True
            if kind is Kind.OTHER:
                # After another heading, a bare "Job Grade" is that heading's.
                return False
        return False

    def is_level_like(self, sec: Section) -> bool:
        """A heading with a grade, a reports-to sentence or level sub-sections."""
        return self.own_level_sentences(sec) or self.has_direct_parts(sec)

    def has_level_children(self, sec: Section) -> bool:
        """Sub-headings that are levels (not one repeating the heading's own title)."""
        return any(
            classify_heading(c.title)[0] is Kind.OTHER
            and self.is_level_like(c)
            and not self.names_same_exactly(c.title, sec.title)
            for c in sec.children
        )

    def read_metadata(self, doc: Document) -> None:
        """The ``<!-- ladder-data ... -->`` comment of a page written by the exporter."""
        for sec in doc.root.walk():
            for block in sec.blocks:
                if isinstance(block, Other) and block.kind == "comment":
                    meta, problem = read_metadata_comment(block.text)
                    if problem:
                        self.warn(doc.file, block.line, problem)
                    if meta is not None:
                        self.meta = meta
                        self.meta_line = block.line

    def read_level_page(self, doc: Document) -> None:
        root = doc.root
        fm_title = doc.front_matter.get("title")
        before = len(self.levels)
        headings = [c for c in root.children]
        level_like = [
            c
            for c in headings
            if self.is_level_like(c) or classify_heading(c.title)[0] is Kind.OTHER
        ]
        if (len(headings) == 1 and level_like) or any(
            classify_heading(c.title)[0] is Kind.OTHER and self.is_level_like(c) for c in headings
        ):
            self.visit(headings, "levels", doc.file)
        if len(self.levels) == before:
            # No level heading: the page itself is the level.
            title = (
                fm_title
                if isinstance(fm_title, str) and fm_title.strip()
                else _title_from_file(doc.file)
            )
            section = Section(
                1, plain(title.strip()), title, 1, doc.file, root.blocks, root.children
            )
            self.visit([section], "levels", doc.file)

    def visit(self, children: Sequence[Section], ctx: str | Entity, file: str) -> None:
        current: Entity | None = ctx if isinstance(ctx, Entity) else None
        for index, sec in enumerate(children):
            kind, prefix = classify_heading(sec.title)
            if kind in PART_KINDS and _combined(prefix):
                # "## Responsibilities and Requirements": a heading grouping the parts.
                for block in sec.blocks:
                    if isinstance(block, BulletList):
                        target = ctx if isinstance(ctx, Entity) else None
                        self.add_list(target, sec.title, block, sec.file)
                self.visit(sec.children, ctx if isinstance(ctx, Entity) else "family", sec.file)
                continue
            if (
                kind in LIST_OF_KIND
                and prefix
                and current is None
                and not isinstance(ctx, Entity)
                and self.match_entity(prefix, [*self.levels, *self.specialties]) is None
                and not self.names_family(prefix)
            ):
                # "## Benefits Requirements" outside any level, naming none: a list of the
                # family under its heading, not a level made up from the heading.
                self.list_section(None, sec.title, sec)
                self.visit(sec.children, "family", sec.file)
                continue
            if kind in PART_KINDS:
                target = self.part_target(sec, prefix, ctx, current)
                if target is None:
                    self.family_part(sec, kind)
                else:
                    self.add_part(target, kind, sec)
                    if target.kind == "level":
                        current = target
                continue
            if kind is Kind.LEVELS:
                self.after_specialties = False
                if isinstance(ctx, Entity):
                    # On a level's page, a list of the other levels: a list of the level.
                    self.list_section(ctx, sec.title, sec)
                    self.visit(sec.children, ctx, sec.file)
                else:
                    self.levels_section(sec)
                continue
            if kind is Kind.SPECIALTIES:
                self.visit_specialties(sec)
                self.after_specialties = True
                current = None
                if ctx == "levels":
                    # "### Specialties" written at the levels' depth: the headings after
                    # it are the specialties.
                    ctx = "specialties"
                continue
            if kind in (Kind.HIRING_PROCESS, Kind.CAREER_LADDER):
                self.after_specialties = False
            if kind is Kind.HIRING_PROCESS:
                self.hiring_heading(sec, ctx)
                continue
            if kind is Kind.CAREER_LADDER:
                self.career_section(sec)
                continue
            if kind in (Kind.INTRO, Kind.OTHER) and not isinstance(ctx, Entity):
                titled = self.titled_level_section(sec)
                if titled is not None:
                    # "## Role", then "Senior X" on a line of its own: the level Senior X.
                    current = self.level_or_specialty(titled)
                    continue
            if kind is Kind.INTRO:
                self.intro_section(sec, ctx)
                continue
            if not sec.title:
                self.visit(sec.children, ctx, file)
                continue
            if isinstance(ctx, Entity):
                current = self.entity_subsection(ctx, sec, children[index + 1 :]) or current
                continue
            if ctx == "specialties":
                current = self.specialty_or_level(sec)
                continue
            after = children[index + 1 :]
            if (
                ctx == "levels"
                and current is not None
                and current.kind == "level"
                and not self.level_evidence(sec, after)
                and not self.level_title(sec.title)
            ):
                # "### Strategic Deal Leadership" after the Staff level's parts, with a list
                # and nothing of a level: a list of the level above.
                self.entity_subsection(current, sec, after)
                continue
            if ctx == "family" and self.family_heading(sec, children[index + 1 :]):
                continue
            if (
                ctx == "levels"
                or self.is_level_like(sec)
                or self.row_for(sec.title) is not None
                or _grade_follows(sec, children[index + 1 :])
            ):
                if (
                    self.has_level_children(sec)
                    and not self.has_bare_parts(sec)
                    and not self.own_level_sentences(sec)
                ):
                    self.container(sec, ctx)
                    continue
                if self.folder_index:
                    self.index_level_section(sec)
                    continue
                current = self.level_or_specialty(sec)
                continue
            if self.has_level_children(sec):
                self.container(sec, ctx)
                continue
            self.unknown_section(sec)

    def level_evidence(self, sec: Section, after: Sequence[Section]) -> bool:
        """A grade or reports-to sentence, level parts, a levels-table row, or a grade or
        part heading right after it."""
        return (
            self.is_level_like(sec)
            or self.row_for(sec.title) is not None
            or _grade_follows(sec, after)
            or self.parts_follow(sec, after)
            or self.has_level_children(sec)
        )

    def level_title(self, title: str) -> bool:
        """Whether a heading reads as a level's title: rank words, or a word of the
        family's title or of a level's title (role words such as "Manager" aside)."""
        words = {w.lower() for w in _WORD_RE.findall(title)} - _GENERIC_WORDS
        if words & RANK_WORDS:
            return True
        known = {w.lower() for w in _WORD_RE.findall(self.title)}
        for entity in self.levels:
            known |= {w.lower() for w in _WORD_RE.findall(entity.title)}
        return bool(words & (known - _GENERIC_WORDS))

    def parts_follow(self, sec: Section, after: Sequence[Section]) -> bool:
        """The next heading is a part naming this one ("### X", then "### X
        Responsibilities" at the same depth)."""
        if not after or sec.children:
            return False
        kind, prefix = classify_heading(after[0].title)
        return kind in PART_KINDS and bool(prefix) and self.names_same(prefix, sec.title)

    def family_heading(self, sec: Section, after: Sequence[Section]) -> bool:
        """A heading that repeats the family's title ("## Brand Designer" on the Brand
        Designer page) with no grade or reports-to of its own: the family's section, its
        lists the family's.  ``True`` when it was read as such."""
        if not self.names_same_exactly(sec.title, self.title) and not self.opening_section(
            sec, after
        ):
            return False
        if self.own_level_sentences(sec) or _grade_follows(sec, after):
            return False
        if any(classify_heading(c.title)[0] is Kind.JOB_GRADE for c in sec.children):
            return False
        for block in sec.blocks:
            if isinstance(block, Paragraph) and not self.levels_started:
                self.intro.append(block.text)
            elif isinstance(block, BulletList):
                self.add_list(None, "responsibilities", block, sec.file)
        self.visit(sec.children, "family", sec.file)
        return True

    def titled_level_section(self, sec: Section) -> Section | None:
        """A generic heading ("## Role") whose first paragraph starts with a line that is
        a title ("Senior Absence Management Specialist") followed by a grade or reports-to
        sentence about that title, with part headings under it: the level so titled, as a
        section headed by that line."""
        if not sec.blocks or not isinstance(sec.blocks[0], Paragraph):
            return None
        if not self.has_bare_parts(sec):
            return None
        first = sec.blocks[0]
        if not first.first_line or not first.raw.startswith(first.first_line):
            return None
        title = plain(first.first_line).strip()
        if not title or len(title) > 80 or title[-1] in ".:;,!?" or find_grade(title):
            return None
        if find_reports_to(title) is not None:
            return None
        rest_raw = first.raw[len(first.first_line) :].strip()
        rest = Paragraph(plain(rest_raw), rest_raw, first.line + 1)
        probe = Section(sec.depth, title, first.first_line, first.line, sec.file, [rest], [])
        subjects = _level_sentence_subjects(probe)
        if not any(subject and self.names_same(subject, title) for subject in subjects):
            return None
        return Section(
            sec.depth,
            title,
            first.first_line,
            first.line,
            sec.file,
            [rest, *sec.blocks[1:]],
            sec.children,
        )

    def opening_section(self, sec: Section, after: Sequence[Section]) -> bool:
        """The page's opening section ("## FinOps Engineering Roles at GitLab" with
        "### Requirements" and "### Responsibilities" shared by all roles): before any
        level, with lists under bare part headings but no grade, reports-to, job-grade
        heading or table row of its own, while the headings after it give their levels
        grades.  Its lists are the family's."""
        if self.levels_started or self.row_for(sec.title) is not None:
            return False
        if not self.has_bare_parts(sec) or self.own_level_sentences(sec):
            return False
        if any(
            classify_heading(c.title)[0] in (Kind.JOB_GRADE, Kind.MARKET_JUSTIFICATION)
            for c in sec.children
        ):
            return False
        return not _has_grade_sentence([sec]) and _has_grade_sentence(after)

    def hiring_heading(self, sec: Section, ctx: str | Entity) -> None:
        """A "Hiring Process" heading.  A family has one process, the first; another
        level's own is a list of that level; on a folder's level pages they wait for the
        index page's."""
        family_later = any(line > sec.line for line in self.top_hiring_lines)
        if self.in_level_page:
            self.deferred_hiring.append((sec, ctx if isinstance(ctx, Entity) else None))
        elif isinstance(ctx, Entity) and (self.stages or family_later):
            self.warn(
                sec.file,
                sec.line,
                f"hiring process of {ctx.title!r} kept as a list of the level: the "
                + ("family's is the first one" if self.stages else "family's follows"),
            )
            self.list_section(ctx, sec.title, sec)
            self.visit(sec.children, ctx, sec.file)
        elif self.stages:
            self.warn(
                sec.file,
                sec.line,
                f"another hiring process ({sec.title!r}) not kept: the first one is the family's",
            )
            self.section_not_placed(sec.file, sec.line, sec.title, "another process")
        else:
            self.hiring_section(sec)

    def hiring_subsection(self, sec: Section) -> bool:
        """A heading under "Hiring Process" that is something else: a family section
        ("### Career Ladder"), or a heading with its own Responsibilities/Requirements
        (and no stage name), a specialty written after the hiring process."""
        kind, _ = classify_heading(sec.title)
        if kind in (Kind.CAREER_LADDER, Kind.LEVELS, Kind.SPECIALTIES):
            self.visit([sec], "family", sec.file)
            return True
        if is_stage_heading(sec.title) or not self.has_direct_parts(sec):
            return False
        self.visit([sec], "specialties", sec.file)
        return True

    def index_level_section(self, sec: Section) -> None:
        """A heading of a folder's index page that looks like a level.  The levels are the
        level pages: a summary of one of them gives its grade when its page gives none
        and is otherwise not kept; a heading naming none of them is a family section."""
        entity = self.match_entity(sec.title, self.levels)
        if entity is None:
            for block in sec.blocks:
                if isinstance(block, BulletList):
                    self.add_list(None, sec.title, block, sec.file)
                elif isinstance(block, Paragraph) and not self.levels_started:
                    self.intro.append(block.text)
            self.visit(sec.children, "family", sec.file)
            return
        for block in sec.blocks:
            if isinstance(block, Paragraph) and entity.grade is None:
                grade = find_grade(block.text)
                if grade is not None and len(block.text) < 200:
                    entity.grade = grade
        self.warn(
            sec.file,
            sec.line,
            f"{sec.title!r} on the index page summarises a level its own page defines; not kept",
        )
        self.section_not_placed(sec.file, sec.line, sec.title, "summary of a level page")

    def container(self, sec: Section, ctx: str | Entity) -> None:
        """A heading grouping levels ("## Engineering levels").  A list of the group
        ("### Benefits Requirements" under "## Benefits") is a list of the family under
        its heading."""
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                if not self.levels and not self.levels_started:
                    self.intro.append(block.text)
                else:
                    self.warn(sec.file, block.line, "paragraph between levels not kept")
            elif isinstance(block, Table):
                self.levels_table(block, sec.file)
            elif isinstance(block, BulletList):
                # A list of the group: the family's, under the group's heading.
                self.add_list(None, sec.title, block, sec.file)
        children = []
        for child in sec.children:
            kind, prefix = classify_heading(child.title)
            if kind in LIST_OF_KIND and prefix and self.names_same(prefix, sec.title):
                self.list_section(None, child.title, child)
                self.visit(child.children, "family", child.file)
            else:
                children.append(child)
        self.visit(children, "levels" if ctx == "family" else ctx, sec.file)

    def intro_section(self, sec: Section, ctx: str | Entity) -> None:
        """ "Overview", "About the role": the family's opening paragraphs, or a level's
        description when under a level."""
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                if isinstance(ctx, Entity):
                    # "#### Summary" of a level: its description, grade, reports-to.
                    self.entity_paragraph(ctx, block, sec.file)
                elif not self.levels_started:
                    self.intro.append(block.text)
                    self.loose_sentence(block, sec.file)
                else:
                    self.warn(sec.file, block.line, f"paragraph under {sec.title!r} not kept")
            elif isinstance(block, BulletList):
                # "## Overview" with a list: a list of the family (or level) of its own.
                self.add_list(ctx if isinstance(ctx, Entity) else None, sec.title, block, sec.file)
        self.visit(sec.children, ctx, sec.file)

    def unknown_section(self, sec: Section) -> None:
        """A heading that is neither a level nor a known section.  Its lists are a list
        of the family under the heading's name; a grade or reports-to sentence in it is
        kept for a page that turns out to define a single level; family sections and
        levels under it ("Levels", "Hiring Process", a level heading after a stray
        heading) are still read."""
        grade_tables = [
            b
            for b in sec.blocks
            if isinstance(b, Table) and any("grade" in h.lower() for h in b.header)
        ]
        kept = grade_tables or any(isinstance(b, BulletList) for b in sec.blocks)
        for block in sec.blocks:
            if isinstance(block, BulletList):
                self.add_list(None, sec.title, block, sec.file)
            elif isinstance(block, Table) and any(block is t for t in grade_tables):
                # "### Renewals Manager Job Family" over a (role, grade) table.
                self.levels_table(block, sec.file)
            elif isinstance(block, Paragraph):
                self.loose_sentence(block, sec.file)
                if kept and not self.levels_started:
                    # The family's opening words, under the heading of its table or list.
                    self.intro.append(block.text)
                elif kept:
                    self.warn(sec.file, block.line, f"paragraph under {sec.title!r} not kept")
        if not kept and any(isinstance(b, Paragraph | Table) for b in sec.blocks):
            self.warn(sec.file, sec.line, f"section {sec.title!r} not understood; not kept")
            self.section_not_placed(sec.file, sec.line, sec.title, "not understood")
        for child in sec.children:
            kind, prefix = classify_heading(child.title)
            if (
                kind in _FAMILY_KINDS
                or kind in (Kind.OTHER, Kind.INTRO)
                or (kind in PART_KINDS and not prefix)
            ):
                self.visit([child], "family", sec.file)
            else:
                self.warn(
                    child.file,
                    child.line,
                    f"section {child.title!r} under {sec.title!r} not understood; not kept",
                )
                self.section_not_placed(child.file, child.line, child.title, "not understood")

    def loose_sentence(self, block: Paragraph, file: str) -> None:
        """A grade or reports-to sentence outside any level (for a single-level page)."""
        text = block.text
        for sentence in sentences(text):
            grade = find_grade(sentence)
            if grade is not None and len(sentence) < 200:
                self.loose_grades.append((grade, sentence, block.line, file))
                break
        reports = find_reports_to(text)
        if reports is not None:
            self.loose_reports.append((reports[0], reports[1], text, block.line, file))

    def new_level(self, sec: Section, kind: Literal["level", "specialty"] = "level") -> Entity:
        self.levels_started = True
        title = sec.title
        in_title = _TITLE_GRADE_RE.search(title) if kind == "level" else None
        if in_title:  # "Senior Backend Engineer (Grade 7)"
            title = title[: in_title.start()].rstrip(" ,:-\u2013\u2014") or title
        entity = Entity(kind, title, sec.line, sec.file, sec.depth)
        if in_title and title != sec.title:
            entity.grade = int(in_title.group(1))
        self.add_name(entity, title)
        (self.levels if kind == "level" else self.specialties).append(entity)
        self.entity_blocks(entity, sec)
        self.visit(sec.children, entity, sec.file)
        return entity

    def part_subsection(self, entity: Entity, sec: Section) -> Entity | None:
        if classify_heading(sec.title)[0] is Kind.SPECIALTIES:
            # "#### Specialties" nested in a level: the specialties follow.
            self.visit_specialties(sec)
            self.after_specialties = True
            return None
        return self.entity_subsection(entity, sec)

    def entity_subsection(
        self, entity: Entity, sec: Section, after: Sequence[Section] = ()
    ) -> Entity | None:
        """A heading without a known kind under a level or specialty: another level, a
        heading that repeats the level's title (its sentences are the level's), or the
        heading of another list of the level."""
        if _rank_only(sec.title) and self.match_entity(sec.title, [entity], partial=True):
            # "### Senior" on the Senior Backend Engineer's page: the level itself.
            self.entity_blocks(entity, sec)
            self.visit(sec.children, entity, sec.file)
            return None
        if (
            self.is_level_like(sec) or (self.after_specialties and self.parts_follow(sec, after))
        ) and not self.entity_matches(entity, sec.title):
            if self.in_level_page:
                # A level page is one level: what looks like another is a specialty.
                self.new_level(sec, "specialty")
                return None
            return self.level_or_specialty(sec)
        has_list = any(isinstance(b, BulletList) for b in sec.blocks)
        if self.entity_matches(entity, sec.title):
            for block in sec.blocks:
                if isinstance(block, Paragraph):
                    self.entity_paragraph(entity, block, sec.file)
            if not has_list:
                self.visit(sec.children, entity, sec.file)
                return None
        if has_list and self.entity_matches(entity, sec.title):
            order = [Kind.RESPONSIBILITIES, Kind.REQUIREMENTS, Kind.PERFORMANCE_INDICATORS]
            missing = next((k for k in order if k not in entity.parts_seen), None)
            if missing is not None:
                self.warn(
                    sec.file,
                    sec.line,
                    f"heading {sec.title!r} names no section; read as "
                    f"{LIST_OF_KIND[missing].replace('_', ' ')} (the next one missing)",
                )
                entity.parts_seen.add(missing)
                self.list_section(entity, LIST_OF_KIND[missing], sec)
                return None
        if has_list:
            # "Projects you might work on", "Additional skills": a list of its own.
            self.list_section(entity, sec.title, sec)
            self.visit(sec.children, entity, sec.file)
            return None
        if sec.children:
            self.visit(sec.children, entity, sec.file)
        if any(isinstance(b, Paragraph | Table) for b in sec.blocks):
            self.warn(
                sec.file,
                sec.line,
                f"section {sec.title!r} under {entity.title!r} not understood; not kept",
            )
            self.section_not_placed(sec.file, sec.line, sec.title, "not understood")
        return None

    def visit_specialties(self, sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                self.warn(sec.file, block.line, f"paragraph under {sec.title!r} not kept")
            elif isinstance(block, BulletList):
                # A plain list of specialty names.
                for item in block.items:
                    name = _NAME_SPLIT_RE.split(item.text, maxsplit=1)
                    entity = Entity("specialty", name[0], item.line, sec.file, sec.depth + 1)
                    if len(name) > 1 and name[1]:
                        # "Development - for changes related to ...": the specialty and
                        # its one responsibility.
                        self.place(
                            sec.file,
                            item.line,
                            "specialty",
                            entity,
                            "responsibilities",
                            "specialty",
                        )
                    else:
                        self.place(sec.file, item.line, "specialty", entity, "", "specialty")
                    self.add_name(entity, entity.title)
                    if len(name) > 1 and name[1]:
                        entity.lists["responsibilities"] = [name[1]]
                    else:
                        self.warn(sec.file, item.line, f"specialty {name[0]!r} has no items")
                    self.specialties.append(entity)
        self.visit(sec.children, "specialties", sec.file)

    def level_or_specialty(self, sec: Section) -> Entity:
        """A level, or a specialty when a "Specialties" heading came before it and it has
        no grade of its own (specialties written among the levels)."""
        if not self.after_specialties:
            return self.new_level(sec)
        entity = self.specialty_or_level(sec)
        if entity.kind == "level":
            self.after_specialties = False
        return entity

    def specialty_or_level(self, sec: Section) -> Entity:
        strong = (
            _own_grade_sentence(sec)
            or any(
                classify_heading(c.title)[0] in (Kind.JOB_GRADE, Kind.MARKET_JUSTIFICATION)
                for c in sec.children
            )
            or self.row_for(sec.title) is not None
        )
        return self.new_level(sec, "level" if strong else "specialty")

    def family_part(self, sec: Section, kind: Kind) -> None:
        if kind in LIST_OF_KIND or kind is Kind.NICE_TO_HAVE:
            self.list_section(None, LIST_OF_KIND.get(kind, sec.title), sec)
            grouped = kind in LIST_OF_KIND and not any(
                isinstance(b, BulletList) for b in sec.blocks
            )
            for child in sec.children:
                if (
                    grouped
                    and classify_heading(child.title)[0] is Kind.OTHER
                    and not (self.is_level_like(child) or self.has_level_children(child))
                ):
                    # Sub-headings that only group the family's list.
                    self.list_section(None, LIST_OF_KIND[kind], child)
                    self.visit(child.children, "family", sec.file)
                else:
                    self.visit([child], "family", sec.file)
            return
        if kind is Kind.JOB_GRADE and sec.children and self.folder_index:
            # "## Job Grades" on a folder's index page: summaries of the level pages.
            self.visit(sec.children, "family", sec.file)
            return
        if kind is Kind.JOB_GRADE and self.has_level_children(sec):
            # "### Job Grades" holding the levels.
            self.container(sec, "family")
            return
        if kind in (Kind.JOB_GRADE, Kind.REPORTS_TO):
            # Outside any level: kept for a page that defines a single level.
            found = False
            for block in sec.blocks:
                if isinstance(block, Paragraph):
                    before = len(self.loose_grades) + len(self.loose_reports)
                    self.loose_sentence(block, sec.file)
                    found = found or len(self.loose_grades) + len(self.loose_reports) > before
            if found:
                return
        self.warn(sec.file, sec.line, f"section {sec.title!r} outside any level not kept")
        self.section_not_placed(sec.file, sec.line, sec.title, "outside any level")

    def levels_section(self, sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Table):
                self.levels_table(block, sec.file)
            elif isinstance(block, Paragraph):
                if not self.levels:
                    self.intro.append(block.text)
                else:
                    self.warn(sec.file, block.line, "paragraph under the levels heading not kept")
            elif isinstance(block, BulletList):
                for item in block.items:
                    if self.row_from_text(item.text, item.raw, item.line, sec.file):
                        self.place(sec.file, item.line, "family", None, "", "level_row")
        self.visit(sec.children, "levels", sec.file)

    def career_section(self, sec: Section) -> None:
        """The career ladder: its paragraphs, and its list items as the moves.  A list of
        hiring steps there is the hiring process; levels or family sections under the
        heading ("## Career paths" > "### Job Grades" > levels) are read as such."""
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                self.career_text.append(block.text)
            elif isinstance(block, BulletList):
                if is_stage_list(block) and not self.stages:
                    steps = Section(
                        sec.depth, sec.title, sec.raw_title, sec.line, sec.file, [block], []
                    )
                    self.warn(
                        sec.file,
                        block.line,
                        f"hiring steps under {sec.title!r} read as the hiring process",
                    )
                    self.hiring_section(steps)
                    continue
                for item in block.items:
                    if item.text:
                        self.career_moves.append(item.text)
                        self.place(sec.file, item.line, "career_ladder", None, sec.title, "move")
        for child in sec.children:
            kind, _ = classify_heading(child.title)
            if (
                kind in _FAMILY_KINDS
                or kind in PART_KINDS
                or self.is_level_like(child)
                or self.has_level_children(child)
            ):
                self.visit([child], "family", child.file)
                continue
            self.warn(
                child.file,
                child.line,
                f"heading {child.title!r} under the career ladder read as part of it",
            )
            self.career_section(child)


def _combined(prefix: str) -> bool:
    """The prefix of "Responsibilities and Requirements": itself a part's name."""
    m = _AND_END_RE.search(prefix)
    if not prefix or not m:
        return False
    kind, rest = classify_heading(prefix[: m.start()])
    return kind in PART_KINDS and not rest


_AND_END_RE = re.compile(r"\s*(?:,|\band\b|&)\s*$", re.I)


def _rank_only(title: str) -> bool:
    words = [w.lower() for w in _WORD_RE.findall(title)]
    return bool(words) and all(w in RANK_WORDS for w in words)


_WORD_RE = re.compile(r"[A-Za-z]+")
_GENERIC_WORDS = frozenset(
    {"and", "of", "the", "a", "an", "for", "to", "in", "at", "with", "on", "or", "team"}
)


def _grade_follows(sec: Section, after: Sequence[Section]) -> bool:
    """A heading with no parts of its own followed by a sibling "Job Grade" heading that
    names no other role ("## Contract Manager", then "## Job Grades"): a level whose
    parts are written at its own depth."""
    if not after or sec.children:
        return False
    kind, prefix = classify_heading(after[0].title)
    return kind is Kind.JOB_GRADE and not prefix


def _title_from_file(file: str) -> str:
    stem = Path(file).name
    for suffix in MARKDOWN_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = _NUMBER_PREFIX_RE.sub("", stem)
    words = _FILE_WORD_SPLIT_RE.split(stem)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "Untitled"


def _doc_text(doc: Document) -> str:
    parts: list[str] = []
    for sec in doc.root.walk():
        parts.append(sec.title)
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, BulletList):
                parts.extend(i.text for i in block.walk())
            elif isinstance(block, Table):
                parts.extend(" ".join(r) for r in block.rows)
    return "\n".join(parts)


def _with_context_abbreviations(abbreviations: Abbreviations, context: Context) -> Abbreviations:
    texts = [f.title for f in context.families] + [t for f in context.families for t in f.texts]
    texts += [n for lv in context.levels for n in lv.names]
    if not texts:
        return abbreviations
    extra = Abbreviations.from_text("\n".join(texts))
    defined = dict(extra.defined)
    defined.update(abbreviations.defined)
    return Abbreviations(defined, abbreviations.text)


def _has_grade_sentence(sections: Sequence[Section]) -> bool:
    """A grade sentence anywhere in the sections or under them."""
    return any(
        isinstance(block, Paragraph) and len(block.text) < 200 and find_grade(block.text)
        for top in sections
        for sec in top.walk()
        for block in sec.blocks
    )


def _own_grade_sentence(sec: Section) -> bool:
    """A grade sentence, or a reports-to sentence about a named role ("The Senior X
    reports to...", not "This role reports to...")."""
    for block in sec.blocks:
        if isinstance(block, Paragraph):
            if find_grade(block.text) is not None and len(block.text) < 200:
                return True
            reports = find_reports_to(block.text)
            if reports is not None and reports[0]:
                return True
    return False


def _level_sentence_subjects(sec: Section) -> list[str]:
    """The roles the level sentences under a heading are about ("" for "They report
    to...", a market justification or a grade sentence without a subject)."""
    subjects: list[str] = []
    for block in sec.blocks:
        if isinstance(block, Paragraph):
            text = block.text
            reports = find_reports_to(text)
            if reports is not None:
                subjects.append(reports[0])
            elif MARKET_RE.match(text):
                subjects.append("")
            elif find_grade(text) is not None and len(text) < 200:
                subjects.append(grade_subject(text) or "")
    return subjects


# Patterns used inline above, compiled once when the module loads.
_NAME_SPLIT_RE = re.compile(r"\s*[:\u2013\u2014]\s+|\s+-\s+")
_NUMBER_PREFIX_RE = re.compile(r"^\d+[_-]+")
_FILE_WORD_SPLIT_RE = re.compile(r"[-_\s]+")
_TITLE_GRADE_RE = re.compile(
    r"\s*[(\[,:\u2013\u2014-]\s*(?:job\s+)?grade\s*:?\s*(\d{1,2})\s*[)\]]?\s*$", re.I
)
