"""Import a job-family page (or a folder of pages) of the handbook into family data.

The result has exactly the shape of a ``ladder/data/<family>.yaml`` file read with
``yaml.safe_load`` (see ``ladder/README.md``).  The page is read in two passes:

1. :mod:`ladder.handbook.markdown` turns the text into a tree of sections; each heading
   is classified (:func:`ladder.handbook.phrases.classify_heading`) and the tree is walked
   to find the family-level lists, the levels (headings with a grade, a reports-to
   sentence or level sub-sections, headings under "Levels", rows of a levels table),
   the specialties, the hiring-process stages and the career ladder.
2. Titles are then compared (abbreviations the page defines or uses, synonyms such as
   "Sr." and "Vice President", plurals) to resolve the references between levels:
   inheritance sentences, reports-to, the role an interview is conducted by, the targets
   of career moves.

Whatever cannot be placed becomes an :class:`ImportWarning` with the file and line; the
import never raises on the content of a page.

Ids are slugs (:func:`ladder.handbook.phrases.slugify`).  A level id is made from its
title with the abbreviations of the page applied ("Senior Customer Success Engineer" on a
page that defines "Customer Success Engineer (CSE)" gives ``senior-cse``), "Vice
President" written ``vp``, the filler words *of, the, a, an, for, to, in, at, with*
and the word *Intermediate* dropped, and repeated words kept once.  A title made only of
rank words ("Senior", "Intermediate") is completed with the family title first.  A
specialty id is its title without the trailing words that name the role ("Public Sector
Customer Success Manager" gives ``public-sector``).  Stage ids are the slug of the
stage heading, or of the name given to a stage written as a list item
(:func:`ladder.handbook.phrases.stage_name`, else "Stage N").  Two objects with the same
id get ``-2``, ``-3``... and a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ladder.handbook.markdown import (
    BulletList,
    Document,
    Item,
    Link,
    Other,
    Paragraph,
    Section,
    Table,
    links,
    parse,
    plain,
)
from ladder.handbook.metadata import apply_metadata, read_metadata_comment
from ladder.handbook.phrases import (
    RANK_WORDS,
    Abbreviations,
    Inheritance,
    Kind,
    classify_heading,
    find_duration,
    find_grade,
    find_reports_to,
    grade_subject,
    is_stage_heading,
    is_stage_text,
    level_slug,
    parse_inheritance,
    reports_target,
    slugify,
    split_alternatives,
    stage_name,
    title_tokens,
)

__all__ = ["Context", "ImportResult", "ImportWarning", "import_path", "import_text"]

ListKind = Literal["responsibilities", "requirements", "performance_indicators"]
LIST_KINDS: tuple[ListKind, ...] = ("responsibilities", "requirements", "performance_indicators")
_PART_KINDS = {
    Kind.JOB_GRADE,
    Kind.RESPONSIBILITIES,
    Kind.REQUIREMENTS,
    Kind.NICE_TO_HAVE,
    Kind.PERFORMANCE_INDICATORS,
    Kind.MARKET_JUSTIFICATION,
    Kind.REPORTS_TO,
}
_FAMILY_ANCHORS = frozenset(
    ("performance-indicators", "responsibilities", "requirements", "kpis", "job-responsibilities")
)
_SENIORITY_WORDS = frozenset(
    ("associate", "junior", "senior", "staff", "principal", "distinguished", "fellow")
)
_FAMILY_KINDS = {Kind.LEVELS, Kind.SPECIALTIES, Kind.HIRING_PROCESS, Kind.CAREER_LADDER}
_LIST_OF_KIND: dict[Kind, ListKind] = {
    Kind.RESPONSIBILITIES: "responsibilities",
    Kind.REQUIREMENTS: "requirements",
    Kind.PERFORMANCE_INDICATORS: "performance_indicators",
}
_ROLE_NOUNS = frozenset(
    (
        "manager",
        "engineer",
        "leader",
        "leadership",
        "architect",
        "designer",
        "developer",
        "analyst",
        "specialist",
        "consultant",
        "representative",
        "director",
        "lead",
        "administrator",
        "scientist",
        "writer",
        "researcher",
        "partner",
        "executive",
        "advocate",
        "strategist",
        "coordinator",
        "officer",
        "owner",
        "operator",
    )
)
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx", ".txt", ".html.md", ".erb")
_INDEX_NAMES = ("index", "_index", "readme")


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something of the page the importer could not place, or read with a guess."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The family mapping (the shape of a ``ladder/data`` file) and the warnings."""

    data: dict[str, Any]
    warnings: list[ImportWarning]


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


# --------------------------------------------------------------------------- entities


@dataclass(slots=True)
class _Row:
    """A row of a levels table."""

    title: str
    url: str
    grade: int | None
    line: int
    file: str
    used: bool = False


@dataclass(slots=True)
class _Ref:
    """An inheritance sentence, waiting to be resolved."""

    inheritance: Inheritance
    text: str
    links: list[Link]
    line: int
    file: str


@dataclass(slots=True)
class _Entity:
    """A level or specialty as found on the page, before references are resolved."""

    kind: Literal["level", "specialty"]
    title: str
    line: int
    file: str
    depth: int
    grade: int | None = None
    reports_to: str | None = None
    reports_line: int = 0
    reports_grade: int | None = None  # a grade in the reports-to sentence ("and is grade 7")
    description: list[str] = field(default_factory=list)
    market_justification: str | None = None
    defined_elsewhere: str | None = None
    lists: dict[str, list[Any]] = field(default_factory=dict)
    refs: dict[str, list[_Ref]] = field(default_factory=dict)
    corresponding: bool = False
    names: Counter[str] = field(default_factory=Counter)
    sentence_names: list[str] = field(default_factory=list)
    parts_seen: set[Kind] = field(default_factory=set)
    id: str = ""
    keys: set[frozenset[str]] = field(default_factory=set)
    loose: set[frozenset[str]] = field(default_factory=set)


@dataclass(slots=True)
class _Stage:
    name: str
    line: int
    file: str
    paragraphs: list[Paragraph]
    bullets: list[str]


# --------------------------------------------------------------------------- the importer


class _Importer:
    def __init__(self, context: Context | None) -> None:
        self.context = context or Context()
        self.warnings: list[ImportWarning] = []
        self.title = ""
        self.family_id = ""
        self.description: str | None = None
        self.source_file = ""
        self.intro: list[str] = []
        self.family_lists: dict[str, list[Any]] = {}
        self.levels: list[_Entity] = []
        self.specialties: list[_Entity] = []
        self.rows: list[_Row] = []
        self.stages: list[_Stage] = []
        self.hiring_intro: list[str] = []
        self.hiring_outro: list[str] = []
        self.hiring_line = 0
        self.career_text: list[str] = []
        self.career_moves: list[str] = []
        self.meta: dict[str, Any] = {}
        self.meta_line = 1
        self.abbreviations = Abbreviations({})
        self.levels_started = False
        self._keys: dict[str, set[frozenset[str]]] = {}

    # -- warnings ----------------------------------------------------------------

    def warn(self, file: str, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(file, line, message))

    # -- documents -----------------------------------------------------------------

    def read_documents(self, index: Document, level_pages: Sequence[Document]) -> None:
        for doc in (index, *level_pages):
            for note in doc.notes:
                self.warn(note.file, note.line, note.message)
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
        self._keys.clear()
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
        self._keys.clear()
        self.context = self.context.without(self.family_id)

        for block in root.blocks:
            if isinstance(block, Paragraph):
                self.intro.append(block.text)
            elif isinstance(block, BulletList):
                self.warn(index.file, block.line, "list before the first heading not kept")
        self.visit(root.children, "family", index.file)
        for page in level_pages:
            self.read_level_page(page)

    def has_direct_parts(self, sec: Section) -> bool:
        """Sub-sections such as "Job Grade", "Responsibilities" or "Senior X Requirements"
        (a prefix that names another role, as in "CSM Responsibilities" under "Handbook
        Directory", does not count)."""
        found = sec.memo.get("parts")
        if found is None:
            found = False
            for child in sec.children:
                kind, prefix = classify_heading(child.title)
                if kind in _PART_KINDS and (not prefix or self.names_same(prefix, sec.title)):
                    found = True
                    break
            sec.memo["parts"] = found
        return found

    def names_same(self, a: str, b: str) -> bool:
        """Whether two titles name the same role, one possibly shorter ("Senior" and
        "Senior Backend Engineer", "Director of CSM" and "Director of Customer Success
        Management")."""
        keys_a, keys_b = self.keys_of(a), self.keys_of(b)
        if keys_a & keys_b or _loosen(keys_a) & _loosen(keys_b):
            return True
        return any(x < y or y < x for x in keys_a for y in keys_b)

    def is_level_like(self, sec: Section) -> bool:
        """A heading with a grade, a reports-to sentence or level sub-sections."""
        return _own_level_sentences(sec) or self.has_direct_parts(sec)

    def has_level_children(self, sec: Section) -> bool:
        return any(
            classify_heading(c.title)[0] is Kind.OTHER and self.is_level_like(c)
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

    # -- the walk --------------------------------------------------------------------

    def visit(self, children: Sequence[Section], ctx: str | _Entity, file: str) -> None:
        current: _Entity | None = ctx if isinstance(ctx, _Entity) else None
        for sec in children:
            kind, prefix = classify_heading(sec.title)
            if kind in _PART_KINDS:
                target = self.part_target(sec, prefix, ctx, current)
                if target is None:
                    self.family_part(sec, kind)
                else:
                    self.add_part(target, kind, sec)
                    if target.kind == "level":
                        current = target
                continue
            if kind is Kind.LEVELS:
                self.levels_section(sec)
                continue
            if kind is Kind.SPECIALTIES:
                self.visit_specialties(sec)
                current = None
                continue
            if kind is Kind.HIRING_PROCESS:
                self.hiring_section(sec)
                continue
            if kind is Kind.CAREER_LADDER:
                self.career_section(sec)
                continue
            if kind is Kind.INTRO:
                self.intro_section(sec, ctx)
                continue
            if not sec.title:
                self.visit(sec.children, ctx, file)
                continue
            if isinstance(ctx, _Entity):
                current = self.entity_subsection(ctx, sec) or current
                continue
            if ctx == "specialties":
                current = self.specialty_or_level(sec)
                continue
            if ctx == "levels" or self.is_level_like(sec) or self.row_for(sec.title) is not None:
                if (
                    self.has_level_children(sec)
                    and not self.has_direct_parts(sec)
                    and not (_own_level_sentences(sec))
                ):
                    self.container(sec, ctx)
                    continue
                current = self.new_level(sec)
                continue
            if self.has_level_children(sec):
                self.container(sec, ctx)
                continue
            self.unknown_section(sec)

    def container(self, sec: Section, ctx: str | _Entity) -> None:
        """A heading grouping levels ("## Engineering levels")."""
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                if not self.levels and not self.levels_started:
                    self.intro.append(block.text)
                else:
                    self.warn(sec.file, block.line, "paragraph between levels not kept")
            elif isinstance(block, Table):
                self.levels_table(block, sec.file)
            elif isinstance(block, BulletList):
                self.warn(sec.file, block.line, f"list under {sec.title!r} not kept")
        self.visit(sec.children, "levels" if ctx == "family" else ctx, sec.file)

    def intro_section(self, sec: Section, ctx: str | _Entity) -> None:
        """ "Overview", "About the role": the family's opening paragraphs, or a level's
        description when under a level."""
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                if isinstance(ctx, _Entity):
                    ctx.description.append(block.text)
                elif not self.levels_started:
                    self.intro.append(block.text)
                else:
                    self.warn(sec.file, block.line, f"paragraph under {sec.title!r} not kept")
            elif isinstance(block, BulletList):
                self.warn(sec.file, block.line, f"list under {sec.title!r} not kept")
        self.visit(sec.children, ctx, sec.file)

    def unknown_section(self, sec: Section) -> None:
        """A heading that is neither a level nor a known section; family sections under
        it ("Levels", "Hiring Process"...) are still read."""
        if sec.blocks or sec.children:
            self.warn(sec.file, sec.line, f"section {sec.title!r} not understood; not kept")
        for child in sec.children:
            kind, _ = classify_heading(child.title)
            if kind in _FAMILY_KINDS:
                self.visit([child], "family", sec.file)

    # -- levels --------------------------------------------------------------------------

    def new_level(self, sec: Section, kind: Literal["level", "specialty"] = "level") -> _Entity:
        self.levels_started = True
        title = sec.title
        in_title = _TITLE_GRADE_RE.search(title) if kind == "level" else None
        if in_title:  # "Senior Backend Engineer (Grade 7)"
            title = title[: in_title.start()].rstrip(" ,:-\u2013\u2014") or title
        entity = _Entity(kind, title, sec.line, sec.file, sec.depth)
        if in_title and title != sec.title:
            entity.grade = int(in_title.group(1))
        self.add_name(entity, title)
        (self.levels if kind == "level" else self.specialties).append(entity)
        self.entity_blocks(entity, sec)
        self.visit(sec.children, entity, sec.file)
        return entity

    def entity_blocks(self, entity: _Entity, sec: Section) -> None:
        """Paragraphs and lists directly under a level or specialty heading."""
        for block in sec.blocks:
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

    def level_list(self, entity: _Entity, block: BulletList, file: str) -> None:
        """A list right under a level heading: "Job Grade: 7" and "Reports to: X" lines,
        the rest read as responsibilities."""
        rest: list[Item] = []
        for item in block.items:
            reports = find_reports_to(item.text) if not item.children else None
            grade = find_grade(item.text) if len(item.text) < 40 else None
            if reports is not None and entity.reports_to is None and len(item.text) < 120:
                self.set_reports_to(entity, reports[1], item.text, item.line)
            elif grade is not None and not item.children:
                self.set_grade(entity, grade, item.text, item.line, file)
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

    def entity_paragraph(self, entity: _Entity, block: Paragraph, file: str) -> None:
        text = block.text
        mj = _MARKET_RE.match(text)
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
        if inheritance is not None and inheritance.corresponding:
            entity.corresponding = True
            return
        entity.description.append(text)

    def set_reports_to(self, entity: _Entity, target: str, text: str, line: int) -> None:
        """Record a reports-to sentence; a grade in it ("... and is grade 7", "at grade 7")
        is the level's grade when nothing else on the page gives one."""
        entity.reports_to = target
        entity.reports_line = line
        entity.reports_grade = find_grade(text)

    def set_grade(
        self, entity: _Entity, grade: int, text: str, line: int, file: str, where: str = ""
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
        self, sec: Section, prefix: str, ctx: str | _Entity, current: _Entity | None
    ) -> _Entity | None:
        """The level or specialty a part heading ("Senior X Requirements") belongs to;
        ``None`` for the family."""
        if isinstance(ctx, _Entity):
            if prefix and current is not None and current is not ctx:
                named = self.match_entity(prefix, [current])
                if named is not None:
                    return named
            return ctx
        if not prefix:
            if current is not None and sec.depth > current.depth:
                return current
            return None
        candidates = [e for e in (*self.levels, *self.specialties)]
        if current is not None:
            named = self.match_entity(prefix, [current])
            if named is not None:
                return named
        named = self.match_entity(prefix, candidates)
        if named is not None:
            return named
        if self.names_family(prefix):
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
        entity = _Entity("level", prefix, sec.line, sec.file, sec.depth)
        self.add_name(entity, prefix)
        self.levels.append(entity)
        self.levels_started = True
        return entity

    def add_part(self, entity: _Entity, kind: Kind, sec: Section) -> None:
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
                    target = reports[1] if reports else _ARTICLE_RE.sub("", reports_target(text))
                    self.set_reports_to(entity, target, text, block.line)
                    break
        elif kind is Kind.NICE_TO_HAVE:
            self.warn(
                sec.file,
                sec.line,
                f"{sec.title!r} (nice to have) not kept: the data has "
                "no place for optional requirements",
            )
        else:
            self.list_section(entity, _LIST_OF_KIND[kind], sec)
        for child in sec.children:
            child_kind, _ = classify_heading(child.title)
            if child_kind in _PART_KINDS:
                self.add_part(entity, child_kind, child)
            else:
                self.warn(
                    child.file, child.line, f"section {child.title!r} not understood; not kept"
                )

    def grade_section(self, entity: _Entity, sec: Section) -> None:
        found = False
        for block in sec.blocks:
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
            if found:
                break
        if not found:
            self.warn(sec.file, sec.line, f"no grade found under {sec.title!r}")

    def list_section(self, entity: _Entity | None, kind: ListKind, sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                inheritance = parse_inheritance(block.text)
                if inheritance is not None and self.accept_inheritance(
                    inheritance, block.raw, entity
                ):
                    self.add_ref(
                        entity,
                        kind,
                        inheritance,
                        block.text,
                        links(block.raw),
                        block.line,
                        sec.file,
                    )
                    if inheritance.rest:
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

    def add_list(
        self, entity: _Entity | None, kind: ListKind, block: BulletList, file: str
    ) -> None:
        for item in block.items:
            inheritance = parse_inheritance(item.text)
            if inheritance is not None and self.accept_inheritance(inheritance, item.raw, entity):
                self.add_ref(entity, kind, inheritance, item.text, links(item.raw), item.line, file)
                if inheritance.rest:
                    self.append_item(entity, kind, inheritance.rest)
                for child in item.children:
                    self.append_item(entity, kind, child.text)
                continue
            self.append_item(entity, kind, _item_value(item, self, file))

    def append_item(self, entity: _Entity | None, kind: ListKind, value: Any) -> None:
        if isinstance(value, str) and not value:
            return
        target = self.family_lists if entity is None else entity.lists
        target.setdefault(kind, []).append(value)

    def accept_inheritance(
        self, inheritance: Inheritance, raw: str, entity: _Entity | None
    ) -> bool:
        """Whether an inheritance-looking sentence really is one."""
        if inheritance.corresponding or inheritance.kind_word:
            return True
        if _STRONG_LEAD_RE.match(plain(raw)):
            return True
        return all(self.resolve_any(ref, links(raw)) for ref in inheritance.refs)

    def add_ref(
        self,
        entity: _Entity | None,
        kind: ListKind,
        inheritance: Inheritance,
        text: str,
        found_links: list[Link],
        line: int,
        file: str,
    ) -> None:
        ref = _Ref(inheritance, text, found_links, line, file)
        if entity is None:
            self.warn(file, line, f"inheritance sentence at family level not kept: {text!r}")
            return
        if inheritance.corresponding:
            entity.corresponding = True
            if entity.kind == "level":
                self.warn(
                    file,
                    line,
                    f"{text!r} names the corresponding level of another family; not kept",
                )
            return
        entity.refs.setdefault(kind, []).append(ref)

    def entity_subsection(self, entity: _Entity, sec: Section) -> _Entity | None:
        """A heading without a known kind under a level or specialty."""
        if self.is_level_like(sec) and not self.entity_matches(entity, sec.title):
            return self.new_level(sec)
        has_list = any(isinstance(b, BulletList) for b in sec.blocks)
        if has_list and (self.entity_matches(entity, sec.title) or not sec.children):
            order = [Kind.RESPONSIBILITIES, Kind.REQUIREMENTS, Kind.PERFORMANCE_INDICATORS]
            missing = next((k for k in order if k not in entity.parts_seen), None)
            if missing is not None:
                self.warn(
                    sec.file,
                    sec.line,
                    f"heading {sec.title!r} names no section; read as "
                    f"{_LIST_OF_KIND[missing].replace('_', ' ')} (the next one missing)",
                )
                entity.parts_seen.add(missing)
                self.list_section(entity, _LIST_OF_KIND[missing], sec)
                return None
        self.warn(
            sec.file,
            sec.line,
            f"section {sec.title!r} under {entity.title!r} not understood; not kept",
        )
        return None

    def visit_specialties(self, sec: Section) -> None:
        for block in sec.blocks:
            if isinstance(block, Paragraph):
                self.warn(sec.file, block.line, f"paragraph under {sec.title!r} not kept")
            elif isinstance(block, BulletList):
                # A plain list of specialty names.
                for item in block.items:
                    name = _NAME_SPLIT_RE.split(item.text, maxsplit=1)
                    entity = _Entity("specialty", name[0], item.line, sec.file, sec.depth + 1)
                    self.add_name(entity, entity.title)
                    if len(name) > 1 and name[1]:
                        entity.lists["responsibilities"] = [name[1]]
                    else:
                        self.warn(sec.file, item.line, f"specialty {name[0]!r} has no items")
                    self.specialties.append(entity)
        self.visit(sec.children, "specialties", sec.file)

    def specialty_or_level(self, sec: Section) -> _Entity:
        strong = (
            _own_level_sentences(sec)
            or any(
                classify_heading(c.title)[0] in (Kind.JOB_GRADE, Kind.MARKET_JUSTIFICATION)
                for c in sec.children
            )
            or self.row_for(sec.title) is not None
        )
        return self.new_level(sec, "level" if strong else "specialty")

    # -- family sections -------------------------------------------------------------

    def family_part(self, sec: Section, kind: Kind) -> None:
        if kind in _LIST_OF_KIND:
            self.list_section(None, _LIST_OF_KIND[kind], sec)
            for child in sec.children:
                self.visit([child], "family", sec.file)
            return
        self.warn(sec.file, sec.line, f"section {sec.title!r} outside any level not kept")

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
                    self.row_from_text(item.text, item.raw, item.line, sec.file)
        self.visit(sec.children, "levels", sec.file)

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
            self.rows.append(_Row(title, url, grade, line, file))

    def row_from_text(self, text: str, raw: str, line: int, file: str) -> None:
        found = links(raw)
        grade = find_grade(text)
        title = _ROW_TITLE_END_RE.split(text, maxsplit=1)[0].strip()
        if found:
            title = found[0].text
        if title:
            self.rows.append(_Row(title, found[0].url if found else "", grade, line, file))

    def row_for(self, title: str) -> _Row | None:
        keys = self.keys_of(title)
        for row in self.rows:
            if row.used:
                continue
            if row.url.startswith("#") and row.url[1:] == slugify(title):
                return row
            if keys & self.keys_of(row.title):
                return row
        loose = _loosen(keys)
        for row in self.rows:
            if not row.used and loose & _loosen(self.keys_of(row.title)):
                return row
        return None

    def hiring_section(self, sec: Section) -> None:
        """The stages are the headings under "Hiring Process", or the items of a list
        there, one stage per item."""
        self.hiring_line = sec.line
        lists = [b for b in sec.blocks if isinstance(b, BulletList)]
        stage_lists = [b for b in lists if _is_stage_list(b)]
        if lists and not stage_lists and not sec.children:
            stage_lists = lists  # a list alone under the heading: its items are the stages
        outro: list[str] = []
        if stage_lists:
            self.list_stages(sec, stage_lists, outro)
        else:
            for block in sec.blocks:
                if isinstance(block, Paragraph):
                    self.hiring_intro.append(block.text)
                elif isinstance(block, BulletList):
                    self.warn(
                        sec.file, block.line, "list in the hiring process introduction not kept"
                    )
            for child in sec.children:
                self.stage(child)
        if self.stages:
            last = self.stages[-1]
            closing: list[str] = []
            while len(last.paragraphs) > 1 and _is_outro(last.paragraphs[-1].text):
                closing.insert(0, last.paragraphs.pop().text)
            outro.extend(closing)
        self.hiring_outro.extend(outro)

    def list_stages(self, sec: Section, stage_lists: list[BulletList], outro: list[str]) -> None:
        """Stages written as list items.  Paragraphs before the first list are the intro,
        those after the last one the outro; a paragraph between two lists leads into the
        stage after it.  A heading in the section that names a stage adds its text to the
        list stage it names ("### Technical Interview" to the item about the technical
        interview), or is a stage of its own; any other heading is not kept."""
        chosen = {id(b) for b in stage_lists}
        indexes = [i for i, b in enumerate(sec.blocks) if id(b) in chosen]
        first, last = indexes[0], indexes[-1]
        pending: list[Paragraph] = []
        from_list: list[_Stage] = []
        for i, block in enumerate(sec.blocks):
            if isinstance(block, Paragraph):
                if i < first:
                    self.hiring_intro.append(block.text)
                elif i > last:
                    outro.append(block.text)
                else:
                    pending.append(block)
            elif isinstance(block, BulletList):
                if id(block) not in chosen:
                    where = "introduction " if i < first else ""
                    self.warn(
                        sec.file,
                        block.line,
                        f"list in the hiring process {where}names no stage; not kept",
                    )
                    continue
                for item in block.items:
                    if not item.text:
                        continue
                    stage = self.list_stage(item, sec.file)
                    if pending:
                        self.warn(
                            sec.file,
                            pending[0].line,
                            f"paragraph between hiring stages read as part of {stage.name!r}",
                        )
                        stage.paragraphs[:0] = pending
                        pending = []
                    from_list.append(stage)
        merged: set[int] = set()
        for child in sec.children:
            if not is_stage_heading(child.title):
                self.warn(
                    child.file,
                    child.line,
                    f"heading {child.title!r} in the hiring process is not a stage; not kept",
                )
                continue
            target = self.named_stage(child.title, from_list, merged)
            if target is None:
                self.stage(child)
                continue
            merged.add(id(target))
            extra = self.stage_parts(child)
            target.name = child.title
            target.paragraphs.extend(extra.paragraphs)
            target.bullets.extend(extra.bullets)

    def list_stage(self, item: Item, file: str) -> _Stage:
        emphasis = _LEAD_EMPHASIS_RE.match(item.raw)
        lead = plain(emphasis.group(2)) if emphasis else None
        name = list_stage_name(item.text, len(self.stages) + 1, lead)
        bullets = [sub.text for child in item.children for sub in child.walk() if sub.text]
        stage = _Stage(name, item.line, file, [Paragraph(item.text, item.raw, item.line)], bullets)
        self.stages.append(stage)
        return stage

    def named_stage(self, title: str, stages: list[_Stage], taken: set[int]) -> _Stage | None:
        """The list stage a heading names: the same words as its name, words that all
        appear in its item, or a name whose words all appear in the heading ("Screening"
        for "Screening Call")."""
        keys = title_tokens(title)
        if not keys:
            return None
        free = [s for s in stages if id(s) not in taken]
        for stage in free:
            if keys == title_tokens(stage.name):
                return stage
        for stage in free:
            if keys <= title_tokens(stage.paragraphs[-1].text):
                return stage
        for stage in free:
            if not stage.name.startswith("Stage ") and title_tokens(stage.name) <= keys:
                return stage
        return None

    def stage(self, sec: Section) -> None:
        stage = self.stage_parts(sec)
        if not stage.paragraphs and not stage.bullets:
            self.warn(sec.file, sec.line, f"hiring stage {sec.title!r} has no text")
        self.stages.append(stage)

    @staticmethod
    def stage_parts(sec: Section) -> _Stage:
        """A stage heading: its paragraphs and its bullets (the format)."""
        paragraphs: list[Paragraph] = []
        bullets: list[str] = []
        for part in sec.walk():
            for block in part.blocks:
                if isinstance(block, Paragraph):
                    paragraphs.append(block)
                elif isinstance(block, BulletList):
                    for item in block.walk():
                        bullets.append(item.text)
        return _Stage(sec.title, sec.line, sec.file, paragraphs, bullets)

    def career_section(self, sec: Section) -> None:
        for part in sec.walk():
            for block in part.blocks:
                if isinstance(block, Paragraph):
                    self.career_text.append(block.text)
                elif isinstance(block, BulletList):
                    for item in block.items:
                        self.career_moves.append(item.text)
            if part is not sec and part.title:
                self.warn(
                    part.file,
                    part.line,
                    f"heading {part.title!r} under the career ladder read as part of it",
                )

    # -- titles and references ---------------------------------------------------------

    def keys_of(self, title: str) -> set[frozenset[str]]:
        """The ways a title can be compared: its words with and without the page's
        abbreviations applied."""
        keys = self._keys.get(title)
        if keys is None:
            keys = {title_tokens(title, self.abbreviations), title_tokens(title)}
            keys.discard(frozenset())
            self._keys[title] = keys
        return keys

    def add_name(self, entity: _Entity, name: str) -> None:
        """Another name the page gives the entity (a sentence subject, a heading prefix)."""
        if name not in entity.names:
            keys = self.keys_of(name)
            entity.keys |= keys
            entity.loose |= _loosen(keys)
        entity.names[name] += 1

    def entity_keys(self, entity: _Entity) -> set[frozenset[str]]:
        return entity.keys

    def entity_loose(self, entity: _Entity) -> set[frozenset[str]]:
        return entity.loose

    def entity_matches(self, entity: _Entity, title: str) -> bool:
        keys = self.keys_of(title)
        return bool(keys & self.entity_keys(entity))

    def match_entity(
        self, title: str, entities: Sequence[_Entity], *, partial: bool = False
    ) -> _Entity | None:
        """The entity a title names: same words (abbreviations, synonyms and plurals
        folded), else the same words but "Intermediate", else (with ``partial``, for a
        title of rank words only) the one entity with those rank words and a subject
        ("Staff" names "Staff X")."""
        keys = self.keys_of(title)
        if not keys:
            return None
        exact = [e for e in entities if keys & self.entity_keys(e)]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            # Prefer the title over other names.
            by_title = [e for e in exact if keys & self.keys_of(e.title)]
            return by_title[0] if by_title else exact[0]
        loose = _loosen(keys)
        relaxed = [e for e in entities if loose & self.entity_loose(e)]
        if len(relaxed) == 1:
            return relaxed[0]
        if relaxed or not partial:
            return None
        # Rank words alone: "Staff" or "Intermediate" for "Staff Backend Engineer", and
        # "Senior" for the Senior X rather than the Senior Manager, X.
        if not all(k <= RANK_WORDS for k in keys):
            return None
        within = [
            e
            for e in entities
            if any(k < ek and not (ek - k) & RANK_WORDS for k in keys for ek in self.entity_keys(e))
        ]
        return within[0] if len(within) == 1 else None

    def names_family(self, text: str) -> bool:
        keys = self.keys_of(text)
        family_keys = self.keys_of(self.title)
        return any(k and k <= fk for k in keys for fk in family_keys)

    def resolve_any(self, ref: str, found_links: list[Link]) -> bool:
        return self.resolve_ref(ref, found_links, None) is not None

    def resolve_ref(self, ref: str, found_links: list[Link], kind: ListKind | None) -> str | None:
        """The id (level or family) an inheritance reference names, if any."""
        for link in found_links:
            anchor = link.url.split("#", 1)[1] if "#" in link.url else ""
            path = link.url.split("#", 1)[0].rstrip("/")
            if anchor and not path:  # "[Senior X](#senior-x)": a heading of this page
                for entity in self.levels:
                    if anchor == slugify(entity.title):
                        return entity.id or "?"
                if kind is not None and anchor in _FAMILY_ANCHORS:
                    return self.family_id  # "[the X responsibilities](#responsibilities)"
            segment = path.rsplit("/", 1)[-1] if path else ""
            if (
                segment
                and "job-famil" in path
                and _SLUG_SEGMENT_RE.fullmatch(segment)
                and (not anchor or anchor in _FAMILY_ANCHORS)
            ):
                return segment
        entities = [*self.levels, *self.specialties]
        found = self.match_entity(ref, entities, partial=False)
        if found is not None:
            return found.id or "?"
        if kind is not None and self.names_family(ref):
            return self.family_id
        known = self.match_known_level(ref)
        if known is not None:
            return known
        family = self.match_known_family(ref, strict=True)
        if family is not None and kind is not None:
            return family
        found = self.match_entity(ref, entities, partial=True)
        return (found.id or "?") if found is not None else None

    def match_known_level(self, text: str) -> str | None:
        keys = self.keys_of(text)
        if not keys:
            return None
        found = [
            lv.id
            for lv in self.context.levels
            if any(keys & self.keys_of(name) for name in lv.names)
        ]
        if len(found) >= 1:
            return found[0]
        loose = _loosen(keys)
        relaxed = [
            lv.id
            for lv in self.context.levels
            if any(loose & _loosen(self.keys_of(name)) for name in lv.names)
        ]
        return relaxed[0] if len(relaxed) == 1 else None

    def match_known_family(self, text: str, *, strict: bool) -> str | None:
        cleaned = _FAMILY_FILLER_RE.sub(" ", text)
        keys = self.keys_of(cleaned)
        for family in self.context.families:
            if keys & self.keys_of(family.title):
                return family.id
        if strict or not _FAMILY_WORD_RE.search(text):
            return None
        # "a senior leadership job family": a word only one family title has.
        words = {w for k in keys for w in k} - RANK_WORDS
        own = {w for k in self.keys_of(self.title) for w in k}
        matches = []
        for family in self.context.families:
            title_words = {w for k in self.keys_of(family.title) for w in k}
            others = {
                w
                for f in self.context.families
                if f is not family
                for k in self.keys_of(f.title)
                for w in k
            }
            distinctive = (title_words - others - own) & words
            if distinctive:
                matches.append(family.id)
        return matches[0] if len(matches) == 1 else None

    # -- building the data -----------------------------------------------------------

    def finish(self) -> dict[str, Any]:
        self.apply_reports_grades()
        self.apply_rows()
        self.assign_ids()
        self.promote_specialties()
        self.assign_ids()
        levels = [self.level_data(e) for e in self.levels]
        data: dict[str, Any] = {"id": self.family_id, "title": self.title}
        if self.description:
            data["description"] = self.description
        data["source"] = {"file": self.source_file}
        if self.intro:
            data["intro"] = list(self.intro)
        for kind in LIST_KINDS:
            if self.family_lists.get(kind):
                data[kind] = self.family_lists[kind]
        if not levels:
            self.warn(self.source_file, 1, "no level found on the page")
        data["levels"] = levels
        specialties = [self.specialty_data(e) for e in self.specialties]
        if specialties:
            data["specialties"] = specialties
        career = self.career_data()
        if career:
            data["career_ladder"] = career
        hiring = self.hiring_data()
        if hiring:
            data["hiring_process"] = hiring
        return data

    def apply_reports_grades(self) -> None:
        """A grade given only in the reports-to sentence is the level's grade."""
        for entity in self.levels:
            grade = entity.reports_grade
            if grade is None:
                continue
            if entity.grade is None:
                entity.grade = grade
            elif entity.grade != grade:
                self.warn(
                    entity.file,
                    entity.reports_line,
                    f"reports-to sentence gives grade {grade} for {entity.title!r}, the "
                    f"page gives {entity.grade} elsewhere; {entity.grade} kept",
                )

    def apply_rows(self) -> None:
        """Grades from the levels table; rows without a section become levels (placed
        where the table puts them), defined elsewhere when they link to another page."""
        matched: dict[int, _Entity] = {}
        for entity in self.levels:
            row = self.row_for(entity.title)
            if row is None:
                continue
            row.used = True
            matched[id(row)] = entity
            if entity.grade is None and row.grade is not None:
                entity.grade = row.grade
            elif row.grade is not None and entity.grade != row.grade:
                self.warn(
                    row.file,
                    row.line,
                    f"levels table gives grade {row.grade} for "
                    f"{entity.title!r}, the level gives {entity.grade}; the level's is kept",
                )
        cursor = 0
        for row in self.rows:
            if row.used:
                cursor = self.levels.index(matched[id(row)]) + 1 if id(row) in matched else cursor
                continue
            entity = _Entity("level", row.title, row.line, row.file, 0, grade=row.grade)
            self.add_name(entity, entity.title)
            if row.url and not row.url.startswith("#"):
                entity.defined_elsewhere = row.url
            else:
                self.warn(
                    row.file,
                    row.line,
                    f"level {row.title!r} is in the levels table but has no section on the page",
                )
            row.used = True
            self.levels.insert(cursor, entity)
            cursor += 1

    def assign_ids(self) -> None:
        seen: set[str] = {self.family_id}  # level ids must not be the family's
        for entity in self.levels:
            if not entity.id:
                entity.id = self.level_id(entity.title)
                if entity.id == self.family_id:
                    # "Product Designer" in the Product Designer family: the level without
                    # a rank word is the intermediate one.
                    words = {w.lower() for w in _ALNUM_RE.findall(entity.title)}
                    suffix = "level" if words & _SENIORITY_WORDS else "intermediate"
                    entity.id = f"{self.family_id}-{suffix}"
            entity.id = self.unique(entity.id, seen, entity)
        seen = set()
        vocabulary = set(_ROLE_NOUNS) | {w.lower() for w in _TITLE_WORD_RE.findall(self.title)}
        for entity in self.levels:
            vocabulary |= {w.lower() for w in _TITLE_WORD_RE.findall(entity.title)} - RANK_WORDS
        for entity in self.specialties:
            if not entity.id:
                entity.id = _specialty_slug(entity.title, vocabulary)
            entity.id = self.unique(entity.id, seen, entity)

    def unique(self, ident: str, seen: set[str], entity: _Entity) -> str:
        base, n = ident, 2
        if ident in seen:
            while f"{base}-{n}" in seen:
                n += 1
            ident = f"{base}-{n}"
            self.warn(
                entity.file, entity.line, f"id {base!r} is taken; {entity.title!r} gets {ident!r}"
            )
        seen.add(ident)
        return ident

    def level_id(self, title: str) -> str:
        words = [w.lower() for w in _ALNUM_RE.findall(title)]
        if words and all(w in RANK_WORDS for w in words):
            return level_slug(f"{title} {self.title}", self.abbreviations)
        return level_slug(title, self.abbreviations)

    def promote_specialties(self) -> None:
        """A "specialty" that a level extends is a level (a track under "Specialties")."""
        changed = True
        while changed:
            changed = False
            for entity in list(self.levels):
                for refs in entity.refs.values():
                    for ref in refs:
                        for text in ref.inheritance.refs:
                            target = self.match_entity(text, self.specialties)
                            if (
                                target is not None
                                and not target.corresponding
                                and (self.match_entity(text, self.levels) is None)
                            ):
                                self.warn(
                                    target.file,
                                    target.line,
                                    f"{target.title!r} "
                                    f"under the specialties is extended by "
                                    f"{entity.title!r}; read as a level",
                                )
                                self.specialties.remove(target)
                                target.kind = "level"
                                index = self.levels.index(entity)
                                self.levels.insert(index, target)
                                target.id = ""
                                changed = True

    def short_title(self, entity: _Entity) -> str | None:
        """The name the page's sentences use for the level, when it is not the title
        (nor the title in the plural, or with other punctuation)."""
        candidates = [n for n in entity.sentence_names if n and self.entity_matches(entity, n)]
        own = title_tokens(entity.title)
        if not candidates or any(title_tokens(c) == own for c in candidates):
            return None
        best = max(candidates, key=lambda c: (entity.names[c], -candidates.index(c)))
        return None if best == entity.title else best

    def level_data(self, entity: _Entity) -> dict[str, Any]:
        out: dict[str, Any] = {"id": entity.id, "title": entity.title}
        short = self.short_title(entity)
        if short:
            out["short_title"] = short
        if entity.grade is not None:
            out["grade"] = entity.grade
        out["track"] = _track(entity.title)
        out["source_line"] = entity.line
        if entity.reports_to:
            out["reports_to"] = self.reports_to_data(entity)
        if entity.description:
            out["description"] = list(entity.description)
        if entity.market_justification:
            out["market_justification"] = entity.market_justification
        if entity.defined_elsewhere:
            out["defined_elsewhere"] = entity.defined_elsewhere
        extends = self.extends_data(entity)
        if extends:
            out["extends"] = extends
        for kind in LIST_KINDS:
            if entity.lists.get(kind):
                out[kind] = entity.lists[kind]
        if (
            not any(entity.lists.get(k) for k in LIST_KINDS)
            and not extends
            and not (entity.defined_elsewhere)
        ):
            self.warn(entity.file, entity.line, f"level {entity.title!r} has no responsibilities")
        return out

    def extends_data(self, entity: _Entity) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for kind in LIST_KINDS:
            ids: list[str] = []
            for ref in entity.refs.get(kind, []):
                for text in ref.inheritance.refs:
                    target = self.resolve_ref(text, ref.links, kind)
                    if target is None:
                        target = _fallback_id(text, self)
                        self.warn(
                            ref.file,
                            ref.line,
                            f"{text!r} names no level of this page; kept as {target!r}",
                        )
                    if target == entity.id:
                        self.warn(
                            ref.file, ref.line, f"{ref.text!r} names the level itself; not kept"
                        )
                        continue
                    if target not in ids:
                        ids.append(target)
            if ids:
                out[kind] = ids
        return out

    def reports_to_data(self, entity: _Entity) -> dict[str, Any]:
        text = entity.reports_to or ""
        ids: list[str] = []
        parts = split_alternatives(text)
        resolved = [self.resolve_level(p, exclude=entity) for p in parts]
        if len(parts) > 1 and not all(resolved):
            whole = self.resolve_level(text, exclude=entity)
            if whole is not None:
                resolved = [whole]
        if all(resolved):
            ids = [r for r in resolved if r is not None]
        else:
            missing = [p for p, r in zip(parts, resolved, strict=True) if r is None]
            self.warn(
                entity.file,
                entity.reports_line,
                f"reports-to {', '.join(map(repr, missing))} names no known level; kept as text",
            )
        out: dict[str, Any] = {}
        if ids:
            out["levels"] = list(dict.fromkeys(ids))
        out["text"] = text
        return out

    def resolve_level(self, text: str, exclude: _Entity | None = None) -> str | None:
        text = _ARTICLE_RE.sub("", text.strip())
        levels = [e for e in self.levels if e is not exclude]
        entity = self.match_entity(text, levels, partial=False)
        if entity is not None:
            return entity.id
        known = self.match_known_level(text)
        if known is not None:
            return known
        entity = self.match_entity(text, levels, partial=True)
        return entity.id if entity is not None else None

    def specialty_data(self, entity: _Entity) -> dict[str, Any]:
        out: dict[str, Any] = {"id": entity.id, "title": entity.title, "source_line": entity.line}
        for kind in LIST_KINDS:
            if entity.lists.get(kind):
                out[kind] = entity.lists[kind]
        for refs in entity.refs.values():
            for ref in refs:
                self.warn(ref.file, ref.line, f"{ref.text!r} in a specialty not kept")
        if entity.description:
            self.warn(
                entity.file, entity.line, f"paragraphs of specialty {entity.title!r} not kept"
            )
        if not any(entity.lists.get(k) for k in LIST_KINDS):
            self.warn(entity.file, entity.line, f"specialty {entity.title!r} has no items")
        return out

    def career_data(self) -> dict[str, Any] | None:
        if not self.career_text and not self.career_moves:
            return None
        out: dict[str, Any] = {}
        if self.career_text:
            out["text"] = list(self.career_text)
        else:
            out["text"] = list(self.career_moves)
        targets = list(self.career_moves) if self.career_text else []
        for paragraph in self.career_text:
            targets.extend(_move_targets(paragraph))
        moves = []
        for target in targets:
            move: dict[str, Any] = {"text": target}
            family = self.match_known_family(target, strict=False)
            if family is not None:
                move["family"] = family
            else:
                level = self.match_known_level(target)
                if level is not None:
                    move["level"] = level
            moves.append(move)
        if moves:
            out["moves"] = moves
        return out

    def hiring_data(self) -> dict[str, Any] | None:
        if not self.stages:
            if self.hiring_intro:
                self.warn(
                    self.source_file, self.hiring_line, "hiring process without stages not kept"
                )
            return None
        out: dict[str, Any] = {}
        if self.hiring_intro:
            out["intro"] = list(self.hiring_intro)
        seen: set[str] = set()
        stages = []
        for stage in self.stages:
            ident = slugify(stage.name) or "stage"
            base, n = ident, 2
            while ident in seen:
                ident = f"{base}-{n}"
                n += 1
            seen.add(ident)
            stages.append(self.stage_data(stage, ident))
        out["stages"] = stages
        if self.hiring_outro:
            out["outro"] = list(self.hiring_outro)
        return out

    def stage_data(self, stage: _Stage, ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ident, "name": stage.name, "source_line": stage.line}
        texts = [p.text for p in stage.paragraphs]
        bullets = list(stage.bullets)
        if not texts:
            texts, bullets = bullets, []
        duration = find_duration(" ".join(texts)) or find_duration(stage.name)
        if duration:
            out["duration_minutes"] = duration
        conducted = self.conducted_by(stage.name, texts)
        if conducted:
            out["conducted_by"] = conducted
        if bullets:
            out["format"] = bullets
        if texts:
            out["text"] = texts
        return out

    def conducted_by(self, name: str, texts: list[str]) -> dict[str, Any] | None:
        joined = " ".join(texts)
        text = _conductor_text(joined)
        if text is None:
            return None
        out: dict[str, Any] = {"text": text}
        roles = _roles(text)
        level = None
        if not roles or roles == ["executive"]:
            count_match = _COUNT_RE.match(text)
            level = self.resolve_level(_COUNT_RE.sub("", text))
            if level is not None:
                # A manager level (a director, a VP) is the executive of the process; an
                # individual contributor level is a member of the team.
                entity = next((e for e in self.levels if e.id == level), None)
                manager = _track(entity.title) == "manager" if entity is not None else True
                count = 1
                if count_match:
                    raw = count_match.group(1).lower()
                    count = int(raw) if raw.isdigit() else _COUNT_WORDS.get(raw, 1)
                roles = ["executive"] if manager else ["team_member"] * max(1, min(count, 10))
        if not roles and _EXECUTIVE_RE.search(name):
            roles = ["executive"]
        if roles:
            out["roles"] = roles
        if level is not None:
            out["level"] = level
        selected = _SELECTED_BY_RE.search(joined)
        if selected:
            selector = _roles(selected.group(1))
            if selector:
                out["selected_by"] = selector[0]
        return out


# --------------------------------------------------------------------------- helpers


def _title_from_file(file: str) -> str:
    stem = Path(file).name
    for suffix in _MARKDOWN_SUFFIXES:
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


def _own_level_sentences(sec: Section) -> bool:
    found = sec.memo.get("sentences")
    if found is None:
        found = sec.memo["sentences"] = _find_level_sentences(sec)
    return found


def _find_level_sentences(sec: Section) -> bool:
    for block in sec.blocks:
        if isinstance(block, Paragraph):
            text = block.text
            if find_reports_to(text) is not None:
                return True
            if _MARKET_RE.match(text):
                return True
            if find_grade(text) is not None and len(text) < 200:
                return True
    return False


_LOOSE_WORDS = frozenset({"intermediate", "mid"})


def _loosen(keys: set[frozenset[str]]) -> set[frozenset[str]]:
    """Keys without "intermediate": "Customer Success Architect" names the
    "Customer Success Architect (Intermediate)"."""
    loose = {k - _LOOSE_WORDS for k in keys}
    loose.discard(frozenset())
    return loose


def _item_value(item: Item, importer: _Importer, file: str) -> Any:
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


_MARKET_RE = re.compile(r"^market\s+justification\s*(?:[:.\-\u2013\u2014]\s*(.*))?$", re.I | re.S)
_STRONG_LEAD_RE = re.compile(
    r"^\s*(?:includes?\s+all|meets?|has|have|holds|covers|inherits?)\b", re.I
)
_ARTICLE_RE = re.compile(r"^(?:the|a|an|their|our)\s+", re.I)
_MANAGER_TITLE_RE = re.compile(
    r"\b(?:director|vp|svp|evp|avp|vice[\s-]+president|head\s+of|chief|officer|supervisor"
    r"|c[a-z]o)\b"
    r"|^(?:(?:senior|sr\.?|associate|group|executive|general|regional|area)\s+)*managers?\b"
    r"|\bmanagers?\s*(?:,|of\b|-|\u2013|\u2014)"
    r"|\b(?:engineering|development|team|people|support|design|security|infrastructure"
    r"|quality|research|frontend|backend|fullstack|delivery)\s+managers?\b",
    re.IGNORECASE,
)


def _track(title: str) -> str:
    """``manager`` for titles that manage people (Manager, X; Director; VP; Head of;
    Engineering Manager), else ``individual_contributor`` (a "Customer Success Manager"
    or "Product Manager" manages accounts or products, not people)."""
    return "manager" if _MANAGER_TITLE_RE.search(title) else "individual_contributor"


def _specialty_slug(title: str, vocabulary: set[str]) -> str:
    text = _PAREN_RE.sub(" ", title)
    pieces = [p for p in _TITLE_PIECES_RE.split(text) if p.strip()]
    if len(pieces) > 1:
        rest = [
            p for p in pieces if not all(w.lower() in vocabulary for w in _TITLE_WORD_RE.findall(p))
        ]
        text = " ".join(rest or pieces)
    words = _SPECIALTY_WORD_RE.findall(text)
    while len(words) > 1 and words[-1].lower() in vocabulary | {
        "specialty",
        "speciality",
        "specialist",
        "track",
    }:
        words.pop()
    return slugify(" ".join(words)) or slugify(title) or "specialty"


def _fallback_id(text: str, importer: _Importer) -> str:
    text = text.strip()
    if _ID_RE.fullmatch(text):
        return text
    return level_slug(text, importer.abbreviations)


_OUTRO_RE = re.compile(
    r"^(?:additional|more|further)\s+(?:details|information)\b|\bhiring\s+page\b"
    r"|\b(?:about|on)\s+our\s+(?:hiring\s+|interview(?:ing)?\s+)?process\b",
    re.IGNORECASE,
)


def _is_outro(text: str) -> bool:
    return bool(_OUTRO_RE.search(text))


_NOT_CONDUCTOR = (
    r"(?!(?:the\s+|a\s+|our\s+|qualified\s+)?candidates?\b|you\b|they\b|we\b|it\b|this\b)"
)
_ROLE_NOUN = (
    r"(?:recruiters?|managers?|engineers?|designers?|leads?|directors?|team\s+members?"
    r"|interviewers?|panel|executives?|peers?|vp|president|head|partners?|specialists?)"
)
_CONDUCTOR_RES = [
    re.compile(r"\bconducted\s+by\s+(?P<x>[^.,;]+)", re.I),
    re.compile(r"\b(?:is|will\s+be)\s+(?:held\s+)?with\s+(?P<x>[^.;]+)", re.I),
    re.compile(r"\b(?:typically\s+|usually\s+|will\s+)?includes?\s+(?P<x>[^.;]+)", re.I),
    re.compile(
        r"(?:^|[.!?]\s+|,\s+)" + _NOT_CONDUCTOR + r"(?P<x>(?:[A-Z][\w'\u2019-]*)"
        r"(?:\s+(?!will\b)[\w'\u2019-]+){0,8}?)\s+will\s+"
        r"(?!be\b|not\b|need\b|have\b)(?:provide|send|complete|conduct|run|lead|"
        r"schedule|perform|review|reach|contact|invite|share|hold|meet|interview|ask|"
        r"carry)\b",
        re.I,
    ),
    re.compile(
        r"(?:^|[.!?]\s+)" + _NOT_CONDUCTOR + r"(?P<x>(?:the|a|an|one\s+of\s+our|two|three)\s+"
        r"(?:[\w-]+\s+){0,3}?" + _ROLE_NOUN + r")\s+(?:reviews?|conducts?|interviews?|runs?"
        r"|leads?|meets?|holds?|schedules?|sends?|provides?|asks?|assesses?|evaluates?)\b"
        # "a panel interview with ...", "the panel review is ...": a noun, not a verb.
        r"(?!\s+(?:with|by|is|are|was|will|lasts?|of|consists?|takes?|includes?)\b)",
        re.I,
    ),
    re.compile(
        r"\b(?:call|chat|conversation|meeting|session|screen(?:ing)?)\s+with\s+(?P<x>[^.;]+)",
        re.I,
    ),
    re.compile(r"\b(?:interview|meet|talk|speak)\s+with\s+(?P<x>[^.;]+)", re.I),
    # "Half an hour with the Head of Data": "with" a title or a role.
    re.compile(
        r"\bwith\s+(?P<x>(?:(?:the|a|an|our|your|one\s+of\s+(?:our|the)|two|three)\s+)?"
        r"(?:(?-i:[A-Z])[^.;]*|(?:[\w-]+\s+){0,3}?" + _ROLE_NOUN + r"\b[^.;]*))",
        re.I,
    ),
]
_CONDUCTOR_TAIL_RE = re.compile(
    r"\s*\([^()]*\)\s*$"
    r"|,?\s+(?:for|in|over|lasting)\s+(?:about\s+|around\s+|up\s+to\s+)?(?:\d+|an?|one|two"
    r"|three|half)\b.*$"
    r"|\s+(?:for\s+(?:a|an|the|about)|via|using|in\s+order\s+to)\b.*$"
    r"|,?\s+and\s+(?:lasts|takes|is|will|should|typically|usually|last)\b.*$"
    r"|,\s+(?:who|which|where)\b.*$"
    r"|,?\s+(?:with|and|in)\s+(?:the\s+)?following\b.*$",
    re.I,
)


def _is_stage_list(block: BulletList) -> bool:
    """A list whose items are, for at least half of them, steps of a hiring process."""
    found = sum(1 for item in block.items if is_stage_text(item.text))
    return found > 0 and 2 * found >= len(block.items)


def list_stage_name(text: str, number: int, lead: str | None = None) -> str:
    """The name of the ``number``-th hiring stage written as the list item ``text``
    (:func:`ladder.handbook.phrases.stage_name`, told who the stage is with), else
    "Stage N"."""
    return stage_name(text, _conductor_text(text), lead) or f"Stage {number}"


def _conductor_text(text: str) -> str | None:
    """Who conducts a stage, in the page's words: "conducted by X", "is with X",
    "includes X", "X will provide ...", "The X reviews ...", "a call with X", "an
    interview with X", and last "with" a title or a role ("half an hour with the Head
    of Data")."""
    for pattern in _CONDUCTOR_RES:
        m = pattern.search(text)
        if m:
            found = m.group("x").strip(" ,:")
            previous = None
            while previous != found:
                previous = found
                found = _CONDUCTOR_TAIL_RE.sub("", found).strip(" ,:")
            if found and len(found) < 120:
                return found
    return None


_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_MOVE_TAIL_RE = re.compile(r"\s+(?:roles?|positions?|jobs?|tracks?)$", re.I)
_ROLE_PATTERNS: list[tuple[str, str]] = [
    ("recruiter", r"recruit(?:er|ers|ing\s+partner|ing\s+team)|talent\s+acquisition|sourcer"),
    (
        "hiring_manager",
        r"hiring\s+manager|manager\s+of\s+the\s+team|(?:their|your)\s+future\s+"
        r"manager",
    ),
    ("peer", r"individual\s+contributor|\bpeers?\b"),
    (
        "team_member",
        r"(?:(?P<count>\d+|one|two|three|four|five|a|an)\s+(?:other\s+|more\s+)?)?"
        r"(?:team[\s-]+members?|members?\s+of\s+the\s+team|colleagues?)",
    ),
    (
        "executive",
        r"\bexecutives?\b|\b[se]?vps?\b|vice\s+president|\bchief\b|\bc-level\b"
        r"|\bdirectors?\b|\bhead\s+of\b|\bc[a-z]o\b",
    ),
]


_ROLE_RES = [(role, re.compile(pattern, re.I)) for role, pattern in _ROLE_PATTERNS]
_RELATIVE_RE = re.compile(r"\s+(?:who|that|which)\s+(?:is|are)\b.*$", re.I)


def _roles(text: str) -> list[str]:
    """The roles named in a text, in order, one entry per person ("the hiring manager and
    two other team members" → hiring_manager, team_member, team_member).  Relative
    clauses ("who is a member of the team") describe the person before them."""
    text = _RELATIVE_RE.sub("", text)
    found: list[tuple[int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for role, pattern in _ROLE_RES:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            count = 1
            if role == "team_member":
                raw = m.groupdict().get("count")
                if raw:
                    count = int(raw) if raw.isdigit() else _COUNT_WORDS.get(raw.lower(), 1)
                count = max(1, min(count, 10))
            taken.append((m.start(), m.end()))
            found.append((m.start(), role, count))
    found.sort()
    roles: list[str] = []
    for _, role, count in found:
        roles.extend([role] * count)
    return roles


_MOVE_RES = [
    re.compile(r"\bsuch\s+as\s+(?P<x>[^.;]+)", re.I),
    re.compile(
        r"\b(?:move|moving|transition|progress|advance|step)\s+(?:in)?to\s+(?P<x>[^.;]+)", re.I
    ),
]


def _move_targets(text: str) -> list[str]:
    for pattern in _MOVE_RES:
        m = pattern.search(text)
        if m:
            found = m.group("x").strip()
            parts = [
                p.strip()
                for p in (_LIST_AND_SPLIT_RE if pattern is _MOVE_RES[0] else _LIST_SPLIT_RE).split(
                    found
                )
                if p.strip()
            ]
            if parts:
                parts[-1] = _MOVE_TAIL_RE.sub("", parts[-1]) or parts[-1]
            return parts
    return []


# --------------------------------------------------------------------------- entry points


def _context(context: Context | Any | None) -> Context | None:
    if context is None or isinstance(context, Context):
        return context
    if hasattr(context, "families") and hasattr(context, "levels_by_id"):
        return Context.from_ladder(context)
    if isinstance(context, Iterable):
        return Context.from_mappings(context)
    return None


def import_documents(
    index: Document, level_pages: Sequence[Document] = (), context: Context | None = None
) -> ImportResult:
    importer = _Importer(context)
    try:
        importer.read_documents(index, level_pages)
        data = importer.finish()
    except RecursionError:
        importer.warn(index.file, 1, "page nested too deeply to read")
        data = {
            "id": importer.family_id or "family",
            "title": importer.title or "Untitled",
            "source": {"file": Path(index.file).name},
            "levels": [],
        }
    data = apply_metadata(data, importer.meta, importer.warn, index.file, importer.meta_line)
    # In page order: the index page first, then the level pages.
    files = {doc.file: n for n, doc in enumerate((index, *level_pages))}
    warnings = sorted(importer.warnings, key=lambda w: (files.get(w.file, len(files)), w.line))
    return ImportResult(data, warnings)


def import_text(text: str, filename: str = "<page>", *, context: Any = None) -> ImportResult:
    """Import one page given as text.  ``context`` (a :class:`Context`, a ``Ladder`` or
    family mappings) resolves references to levels and families of other pages."""
    return import_documents(parse(text, filename), (), _context(context))


def import_path(path: Path | str, *, context: Any = None) -> ImportResult:
    """Import a page, or a folder holding an index page and one page per level."""
    path = Path(path)
    if path.is_dir():
        return _import_folder(path, _context(context))
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        result = import_documents(parse("", str(path)), (), _context(context))
        result.warnings.insert(0, ImportWarning(str(path), 1, f"cannot read: {exc.strerror}"))
        return result
    return import_documents(parse(text, _display(path)), (), _context(context))


def _display(path: Path) -> str:
    return str(path)


def _import_folder(folder: Path, context: Context | None) -> ImportResult:
    pages = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.name.lower().endswith(_MARKDOWN_SUFFIXES)
        and not p.name.startswith(".")
    )
    if not pages:
        result = import_documents(parse("", str(folder)), (), context)
        result.warnings.insert(0, ImportWarning(str(folder), 1, "no markdown page in the folder"))
        return result
    index_path = next((p for p in pages if _stem(p).lower() in _INDEX_NAMES), None)
    docs = {p: parse(p.read_text(encoding="utf-8", errors="replace"), _display(p)) for p in pages}
    if index_path is None:
        # The page that is not a level: the one with family sections or a levels table.
        index_path = next(
            (
                p
                for p in pages
                if any(
                    classify_heading(s.title)[0]
                    in (Kind.LEVELS, Kind.HIRING_PROCESS, Kind.SPECIALTIES, Kind.CAREER_LADDER)
                    for s in docs[p].root.walk()
                )
            ),
            pages[0],
        )
    index = docs[index_path]
    linked: list[str] = []
    for sec in index.root.walk():
        for block in sec.blocks:
            raws: list[str] = []
            if isinstance(block, Table):
                raws = [c for row in block.raw_rows for c in row]
            elif isinstance(block, BulletList):
                raws = [i.raw for i in block.walk()]
            elif isinstance(block, Paragraph):
                raws = [block.raw]
            for raw in raws:
                for link in links(raw):
                    target = link.url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
                    linked.append(_stem_name(target))
    rest = [p for p in pages if p != index_path]
    order = {name: i for i, name in reversed(list(enumerate(linked)))}
    rest.sort(key=lambda p: (order.get(_stem(p).lower(), len(order)), p.name))
    return import_documents(index, [docs[p] for p in rest], context)


def _stem(path: Path) -> str:
    return _stem_name(path.name)


def _stem_name(name: str) -> str:
    lower = name.lower()
    for suffix in _MARKDOWN_SUFFIXES:
        if lower.endswith(suffix):
            return lower[: -len(suffix)]
    return lower


# Patterns used inline above, compiled once when the module loads.
_NAME_SPLIT_RE = re.compile(r"\s*[:\u2013\u2014]\s+|\s+-\s+")
_TITLE_COLUMN_RES = [
    re.compile(r"\b(?:role|title|position)\b"),
    re.compile(r"\b(?:job|name)\b"),
    re.compile(r"\blevel\b"),
]
_LEAD_EMPHASIS_RE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_SLUG_SEGMENT_RE = re.compile(r"[a-z0-9-]+")
_FAMILY_WORD_RE = re.compile(r"\bfamil(?:y|ies)\b", re.I)
_TITLE_WORD_RE = re.compile(r"[\w']+")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]+")
_COUNT_RE = re.compile(r"^(\d+|two|three|four|five)\s+", re.I)
_EXECUTIVE_RE = re.compile(r"\bexecutive\b", re.I)
_NUMBER_PREFIX_RE = re.compile(r"^\d+[_-]+")
_FILE_WORD_SPLIT_RE = re.compile(r"[-_\s]+")
_PAREN_RE = re.compile(r"\([^()]*\)")
_TITLE_PIECES_RE = re.compile(r"\s*[,:\u2013\u2014]\s+|\s+-\s+")
_SPECIALTY_WORD_RE = re.compile(r"[\w'\u2019&]+")
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ROW_TITLE_END_RE = re.compile(r"\s*[:(,\u2013\u2014]\s*(?:job\s+)?grade\b|\s+-\s+|\s+\(", re.I)
_FAMILY_FILLER_RE = re.compile(
    r"\b(?:job\s+famil(?:y|ies)|famil(?:y|ies)|roles?|team|organi[sz]ation)\b", re.I
)
_SELECTED_BY_RE = re.compile(
    r"\b(?:are|is|will\s+be|get|gets)\s+(?:selected|chosen|picked|nominated)\s+by\s+"
    r"(?:the\s+|a\s+|an\s+)?([^.,;]+)",
    re.I,
)
_LIST_SPLIT_RE = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+")
_LIST_AND_SPLIT_RE = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+")
_TITLE_GRADE_RE = re.compile(
    r"\s*[(\[,:\u2013\u2014-]\s*(?:job\s+)?grade\s*:?\s*(\d{1,2})\s*[)\]]?\s*$", re.I
)
