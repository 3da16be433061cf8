"""The handbook corpus (``tests/fixtures/handbook``): pages of many departments, each with a
hand-checked ``<name>.expected.yaml`` (format: ``tests/fixtures/handbook/README.md``), and
the comparison of an import with its expectation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ladder.handbook.importer import ImportResult
from ladder.handbook.inline import plain
from ladder.handbook.phrases import Kind, classify_heading

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "handbook"
KINDS = ("responsibilities", "requirements", "performance_indicators")


@dataclass(frozen=True, slots=True)
class Page:
    name: str  # "<dept>/<name>"
    path: Path  # the page, or the folder of a multi-file family
    expected: dict[str, Any]

    def files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.iterdir() if p.suffix == ".md")
        return [self.path]


def corpus_pages() -> list[Page]:
    pages: list[Page] = []
    for expected in sorted(CORPUS.glob("*/*.expected.yaml")):
        stem = expected.name[: -len(".expected.yaml")]
        folder = expected.parent / stem
        path = folder if folder.is_dir() else expected.parent / f"{stem}.md"
        if not path.exists():
            continue
        data = yaml.safe_load(expected.read_text(encoding="utf-8"))
        pages.append(Page(f"{expected.parent.name}/{stem}", path, data))
    return pages


def _key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


@dataclass(slots=True)
class Comparison:
    """An import against its expectation: the buckets (where, kind) with the expected
    and the placed number of items, and the facts that differ."""

    buckets: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(e for e, _ in self.buckets.values())

    @property
    def right(self) -> int:
        return sum(min(e, g) for e, g in self.buckets.values())

    def add(self, where: str, kind: str, expected: int, got: int) -> None:
        if expected or got:
            old_e, old_g = self.buckets.get((where, kind), (0, 0))
            self.buckets[(where, kind)] = (old_e + expected, old_g + got)
            if expected != got:
                self.differences.append(f"{where} {kind}: expected {expected}, got {got}")


def placed_counts(result: ImportResult) -> dict[tuple[str, str], dict[str, int]]:
    """From the coverage report: ``(where, target) -> {kind: n}``; an inheritance sentence
    counts as an item of its list; hiring stages under ``("hiring_process", "")``; the
    items of the career ladder (its moves) as the family's list under that heading."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    family = str(result.data.get("id", ""))
    for p in result.report.placements:
        key = (p.where, p.target)
        # A specialty named in a list with its description: its responsibility.
        listed = p.how in ("item", "inheritance") or (p.how == "specialty" and p.kind)
        label = p.kind if listed else p.how
        if p.where == "career_ladder":
            # A list under the career-ladder heading is a family-wide list of its own.
            key, label = ("family", family), p.kind
        counts = out.setdefault(key, {})
        counts[label] = counts.get(label, 0) + 1
    return out


def compare(page: Page, result: ImportResult) -> Comparison:
    exp = page.expected
    data = result.data
    cmp = Comparison()
    counts = placed_counts(result)
    if _key(data.get("title")) != _key(exp.get("title")):
        cmp.differences.append(f"title: expected {exp.get('title')!r}, got {data.get('title')!r}")
    got_levels = list(data.get("levels") or ())
    exp_levels = list(exp.get("levels") or ())
    got_titles = [_key(lv.get("title")) for lv in got_levels]
    if got_titles != [_key(lv.get("title")) for lv in exp_levels]:
        cmp.differences.append(
            f"levels: expected {[lv.get('title') for lv in exp_levels]}, "
            f"got {[lv.get('title') for lv in got_levels]}"
        )
    used: set[int] = set()
    for want in exp_levels:
        index = next(
            (i for i, t in enumerate(got_titles) if i not in used and t == _key(want.get("title"))),
            None,
        )
        got: dict[str, Any] = {}
        if index is not None:
            used.add(index)
            got = got_levels[index]
        name = f"level {want.get('title')!r}"
        if got.get("grade") != want.get("grade"):
            cmp.differences.append(
                f"{name} grade: expected {want.get('grade')}, got {got.get('grade')}"
            )
        got_reports = (got.get("reports_to") or {}).get("text")
        if _key(got_reports) != _key(want.get("reports_to")):
            cmp.differences.append(
                f"{name} reports_to: expected {want.get('reports_to')!r}, got {got_reports!r}"
            )
        placed = counts.get(("level", str(got.get("id", ""))), {}) if got else {}
        for kind in KINDS:
            cmp.add(name, kind, int(want.get(kind) or 0), placed.get(kind, 0))
        for title, number in (want.get("extra") or {}).items():
            cmp.add(name, f"extra {title!r}", int(number), _extra(placed, title))
        for kind, number in placed.items():
            if (
                kind not in KINDS
                and kind not in ("grade", "reports_to")
                and not _hiring_heading(kind)
                and not any(_key(kind) == _key(t) for t in (want.get("extra") or {}))
            ):
                cmp.add(name, f"extra {kind!r}", 0, number)
    family = exp.get("family") or {}
    placed = counts.get(("family", str(data.get("id", ""))), {})
    for kind in KINDS:
        cmp.add("family", kind, int(family.get(kind) or 0), placed.get(kind, 0))
    for title, number in (family.get("extra") or {}).items():
        cmp.add("family", f"extra {title!r}", int(number), _extra(placed, title))
    for kind, number in placed.items():
        if (
            kind not in KINDS
            and kind != "level_row"
            and not any(_key(kind) == _key(t) for t in (family.get("extra") or {}))
        ):
            cmp.add("family", f"extra {kind!r}", 0, number)
    got_specialties = {_key(s.get("title")): s for s in data.get("specialties") or ()}
    for want in exp.get("specialties") or ():
        spec = got_specialties.get(_key(want.get("title")))
        name = f"specialty {want.get('title')!r}"
        if spec is None:
            cmp.differences.append(f"{name}: missing")
        placed = counts.get(("specialty", str(spec.get("id")))) or {} if spec else {}
        for kind in KINDS:
            cmp.add(name, kind, int(want.get(kind) or 0), placed.get(kind, 0))
        for title, number in (want.get("extra") or {}).items():
            cmp.add(name, f"extra {title!r}", int(number), _extra(placed, title))
    # The hiring steps: the family's stages, and the steps of a level's own hiring
    # process, kept as a list of that level under its heading.
    # (In a folder every level page repeats the index page's process: not counted again.)
    stages = len((data.get("hiring_process") or {}).get("stages") or ())
    for counts in placed_counts(result).values() if not page.path.is_dir() else ():
        stages += sum(n for kind, n in counts.items() if _hiring_heading(kind))
    cmp.add("hiring process", "steps", int(exp.get("hiring_steps") or 0), stages)
    return cmp


def _hiring_heading(title: str) -> bool:
    return classify_heading(title)[0] is Kind.HIRING_PROCESS


def _extra(placed: dict[str, int], title: str) -> int:
    return sum(n for kind, n in placed.items() if _key(kind) == _key(title))


# --------------------------------------------------------------------------- page text

_FRONT_RE = re.compile(r"\A---\n.*?\n---\n", re.S)


def stripped_text(path: Path) -> str:
    """The page (or every page of a folder) with markdown removed, line by line, white
    space collapsed: what the output's texts must be drawn from."""
    files = sorted(p for p in path.iterdir() if p.suffix == ".md") if path.is_dir() else [path]
    return "\n".join(strip_markdown(file.read_text(encoding="utf-8")) for file in files)


def strip_markdown(raw: str) -> str:
    """A page's text with markdown removed line by line (markers, emphasis, links,
    entities), the front matter kept as one line."""
    texts = []
    front = _FRONT_RE.match(raw)
    body = raw
    if front:
        texts.append(" ".join(front.group(0).split()))
        body = raw[front.end() :]
    for line in body.split("\n"):
        texts.append(_strip_line(line))
    return "\n".join(texts)


_MARKER_RE = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)?(?:(?:[-*+\u2022]|\d{1,9}[.)])\s+)?")


def _strip_line(line: str) -> str:
    return " ".join(plain(_MARKER_RE.sub("", line)).split())


def output_strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text the import produced (ids, tracks and other derived keys left out)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key in _DERIVED_KEYS or (key == "name" and len(path) > 1 and path[-2] == "stages"):
                continue
            yield from output_strings(sub, (*path, key))
    elif isinstance(value, list):
        if path and path[-1] in _ID_LISTS and all(isinstance(v, str) for v in value):
            return
        for index, sub in enumerate(value):
            yield from output_strings(sub, (*path, index))
    elif isinstance(value, str):
        yield path, value


# Keys whose values the importer derives (ids, slugs, tracks, roles) rather than copies;
# a hiring stage's name is derived too when the page gives none (ladder/handbook/README.md).
_DERIVED_KEYS = frozenset(
    {"id", "track", "source", "file", "level", "family", "roles", "selected_by", "extends"}
)
_ID_LISTS = frozenset({"levels", "applies_to"})


def found_in(text: str, page: str) -> bool:
    """Whether ``text`` (white space collapsed) is drawn from the page: a substring of one
    of its lines, or of the page with lines joined (a paragraph or a wrapped item)."""
    needle = " ".join(text.split())
    if not needle:
        return True
    if needle in page:
        return True
    return needle in " ".join(page.split())
