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

Whatever cannot be placed becomes an :class:`~ladder.handbook.state.ImportWarning` with
the file and line; the import never raises on the content of a page.

This module reads the files and puts the stages together; each stage is a module of its
own.  The first pass is :mod:`ladder.handbook.walk` (the sections of the page), with
:mod:`ladder.handbook.level_parts` (what belongs to a level), :mod:`ladder.handbook.lists`
(bullets into items) and :mod:`ladder.handbook.hiring` (the hiring stages); it fills the
state of :mod:`ladder.handbook.state`.  The second pass is
:mod:`ladder.handbook.family_data`, which builds the mapping.  Both compare titles
through :mod:`ladder.handbook.matching`.

Ids are slugs (:func:`ladder.handbook.titles.slugify`).  A level id is made from its
title with the abbreviations of the page applied ("Senior Customer Success Engineer" on a
page that defines "Customer Success Engineer (CSE)" gives ``senior-cse``), "Vice
President" written ``vp``, the filler words *of, the, a, an, for, to, in, at, with*
and the word *Intermediate* dropped, and repeated words kept once.  A title made only of
rank words ("Senior", "Intermediate") is completed with the family title first.  A
specialty id is its title without the trailing words that name the role ("Public Sector
Customer Success Manager" gives ``public-sector``).  Stage ids are the slug of the
stage heading, or of the name given to a stage written as a list item
(:func:`ladder.handbook.stages.stage_name`, else "Stage N").  Two objects with the same
id get ``-2``, ``-3``... and a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ladder.handbook.context import Context
from ladder.handbook.coverage import CoverageReport, Placement
from ladder.handbook.family_data import FamilyData
from ladder.handbook.inline import links
from ladder.handbook.markdown import BulletList, Document, Paragraph, Table, parse
from ladder.handbook.metadata import apply_metadata
from ladder.handbook.phrases import Kind, classify_heading
from ladder.handbook.state import ImportWarning
from ladder.handbook.walk import MARKDOWN_SUFFIXES, PageWalk

__all__ = ["ImportResult", "import_documents", "import_path", "import_text"]


_INDEX_NAMES = ("index", "_index", "readme")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The family mapping (the shape of a ``ladder/data`` file) and the warnings."""

    data: dict[str, Any]
    warnings: list[ImportWarning]
    report: CoverageReport = field(default_factory=CoverageReport)


class _Importer(PageWalk, FamilyData):
    """One import: the walk of the pages, then the family data."""


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
    return ImportResult(data, warnings, _report(importer, files))


def _report(importer: _Importer, files: dict[str, int]) -> CoverageReport:
    """Where each list item of the pages went, and what was not placed."""

    def order(key: tuple[str, int]) -> tuple[int, int]:
        return (files.get(key[0], len(files)), key[1])

    items = [importer.page_items[k] for k in sorted(importer.page_items, key=order)]
    placements: list[Placement] = []
    unplaced = []
    for item in items:
        found = importer.placed.get((item.file, item.line))
        if found is None:
            unplaced.append(item)
            continue
        where, entity, kind, how = found
        if entity is not None:
            target, title = entity.id, entity.title
            where = entity.kind  # a specialty read as a level in the end
        elif where == "family":
            target, title = importer.family_id, importer.title
        else:
            target, title = "", ""
        placements.append(
            Placement(item.file, item.line, item.text, where, target, title, kind, how)
        )
    sections = sorted(importer.unplaced_sections, key=lambda s: order((s.file, s.line)))
    return CoverageReport(tuple(items), tuple(placements), tuple(unplaced), tuple(sections))


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
        if p.is_file() and p.name.lower().endswith(MARKDOWN_SUFFIXES) and not p.name.startswith(".")
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
    weights = [_weight(docs[p]) for p in rest]
    if rest and all(w is not None for w in weights):
        # The handbook orders the pages of a section by their front-matter weight.
        by_weight = {p: w for p, w in zip(rest, weights, strict=True)}
        rest.sort(key=lambda p: by_weight[p] or 0)
    return import_documents(index, [docs[p] for p in rest], context)


def _weight(doc: Document) -> float | None:
    value = doc.front_matter.get("weight")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _stem(path: Path) -> str:
    return _stem_name(path.name)


def _stem_name(name: str) -> str:
    lower = name.lower()
    for suffix in MARKDOWN_SUFFIXES:
        if lower.endswith(suffix):
            return lower[: -len(suffix)]
    return lower
