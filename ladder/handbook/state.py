"""What the importer has found on a page so far, and the warnings.

:class:`ImportState` is the state the stages of the import share (see
:mod:`ladder.handbook.importer`): the family's title, intro and lists, the levels and
specialties as :class:`Entity` objects (before references are resolved), the rows of a
levels table, the hiring stages, the career ladder, and every :class:`ImportWarning`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from ladder.handbook.context import Context
from ladder.handbook.coverage import PageItem, UnplacedSection
from ladder.handbook.inline import Link
from ladder.handbook.markdown import Paragraph, Section
from ladder.handbook.phrases import Inheritance, Kind
from ladder.handbook.titles import Abbreviations

ListKind = Literal["responsibilities", "requirements", "performance_indicators"]
LIST_KINDS: tuple[ListKind, ...] = ("responsibilities", "requirements", "performance_indicators")


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something of the page the importer could not place, or read with a guess."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(slots=True)
class TableRow:
    """A row of a levels table."""

    title: str
    url: str
    grade: int | None
    line: int
    file: str
    used: bool = False


@dataclass(slots=True)
class InheritanceRef:
    """An inheritance sentence, waiting to be resolved."""

    inheritance: Inheritance
    text: str
    links: list[Link]
    line: int
    file: str
    item: bool = False  # written as a list item (kept as one when it names no level)
    resolved: bool = False


@dataclass(slots=True)
class PendingRef:
    """An inheritance sentence written as a list item, in its place in the list until
    the references are resolved: it becomes ``extends`` (and ``rest``, the words after
    it, stays as items), or, when it names no level of the page unambiguously, the
    whole item stays as an item."""

    ref: InheritanceRef
    whole: Any
    rest: list[Any]
    resolved: bool = False


@dataclass(slots=True)
class Entity:
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
    # Lists under other headings of the level ("Projects you might work on"), by heading.
    other: dict[str, list[Any]] = field(default_factory=dict)
    refs: dict[str, list[InheritanceRef]] = field(default_factory=dict)
    corresponding: bool = False
    names: Counter[str] = field(default_factory=Counter)
    sentence_names: list[str] = field(default_factory=list)
    parts_seen: set[Kind] = field(default_factory=set)
    flat: bool = False  # its lists are written at its own depth ("## VP", "## Responsibilities")
    id: str = ""
    keys: set[frozenset[str]] = field(default_factory=set)
    loose: set[frozenset[str]] = field(default_factory=set)


@dataclass(slots=True)
class FoundStage:
    """A hiring stage as found on the page: its name, paragraphs and bullets (the format)."""

    name: str
    line: int
    file: str
    paragraphs: list[Paragraph]
    bullets: list[str]


class ImportState:
    """The importer's state, filled by the walk of the page and read to build the data."""

    def __init__(self, context: Context | None) -> None:
        self.context = context or Context()
        self.warnings: list[ImportWarning] = []
        self.title = ""
        self.family_id = ""
        self.description: str | None = None
        self.source_file = ""
        self.intro: list[str] = []
        self.family_lists: dict[str, list[Any]] = {}
        self.family_other: dict[str, list[Any]] = {}
        # Every top-level list item of the pages, and where each was placed.
        self.page_items: dict[tuple[str, int], PageItem] = {}
        self.placed: dict[tuple[str, int], tuple[str, Entity | None, str, str]] = {}
        self.unplaced_sections: list[UnplacedSection] = []
        # Grade and reports-to sentences outside any level: (grade, text, line, file) and
        # (subject, target, text, line, file).
        self.loose_grades: list[tuple[int, str, int, str]] = []
        self.loose_reports: list[tuple[str, str, str, int, str]] = []
        self.levels: list[Entity] = []
        self.specialties: list[Entity] = []
        self.rows: list[TableRow] = []
        self.stages: list[FoundStage] = []
        self.hiring_intro: list[str] = []
        self.hiring_outro: list[str] = []
        self.hiring_line = 0
        self.hiring_file = ""
        self.career_text: list[str] = []
        self.career_moves: list[str] = []
        self.meta: dict[str, Any] = {}
        self.meta_line = 1
        self.abbreviations = Abbreviations({})
        self.levels_started = False
        self.in_level_page = False  # reading a level page of a folder
        self.folder_index = False  # reading the index page of a folder
        self.deferred_hiring: list[tuple[Section, Entity | None]] = []
        # Lines of the hiring-process headings at the top of the page (not under a level).
        self.top_hiring_lines: list[int] = []
        self.after_specialties = False  # a "Specialties" heading came before
        self.keys_cache: dict[str, set[frozenset[str]]] = {}

    def warn(self, file: str, line: int, message: str) -> None:
        self.warnings.append(ImportWarning(file, line, message))

    def place(
        self, file: str, line: int, where: str, entity: Entity | None, kind: str, how: str
    ) -> None:
        """Record where the list item at ``file:line`` went (the first placement counts).
        ``where`` is ``level``, ``specialty``, ``family``, ``hiring_process`` or
        ``career_ladder``; ``entity`` the level or specialty."""
        key = (file, line)
        if key in self.page_items and key not in self.placed:
            self.placed[key] = (where, entity, kind, how)

    def unplace(self, file: str, line: int) -> None:
        """An item placed, then taken back (a list read again elsewhere)."""
        self.placed.pop((file, line), None)

    def section_not_placed(self, file: str, line: int, title: str, reason: str) -> None:
        self.unplaced_sections.append(UnplacedSection(file, line, title, reason))
