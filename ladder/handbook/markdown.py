"""A small line-based reader for handbook markdown.

It understands the subset that job-family pages use: YAML front matter, ATX and setext
headings, bullet and numbered lists (nested, with continuation lines), paragraphs, pipe
tables, fenced code, HTML blocks, block quotes and thematic breaks.  The result is a tree
of :class:`Section` objects, one per heading, each holding its blocks with line numbers.

Titles, paragraphs, list items and cells are reduced to plain text by
:func:`ladder.handbook.inline.plain`; the raw markdown is kept beside it.

The reader never raises on malformed input; oddities are reported as :class:`Note`
objects (line number and message) that the importer turns into warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from ladder.handbook.inline import plain

__all__ = [
    "Block",
    "BulletList",
    "Document",
    "Item",
    "Note",
    "Other",
    "Paragraph",
    "Section",
    "Table",
    "parse",
]

_ATTR_RE = re.compile(r"\s*\{:?\s*[#.:][^{}]*\}\s*$")


@dataclass(frozen=True, slots=True)
class Note:
    """Something odd the reader noticed (turned into an import warning)."""

    file: str
    line: int
    message: str


@dataclass(slots=True)
class Item:
    """One list item: its plain text, raw markdown, line, marker and sub-items."""

    text: str
    raw: str
    line: int
    marker: str
    children: list[Item] = field(default_factory=list)

    def walk(self) -> Iterator[Item]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Paragraph:
    text: str
    raw: str
    line: int
    # The first source line when the paragraph has several ("Senior X" above "The Senior
    # X reports to ..."); "" for a one-line paragraph.
    first_line: str = ""


@dataclass(slots=True)
class BulletList:
    items: list[Item]
    line: int

    def walk(self) -> Iterator[Item]:
        for item in self.items:
            yield from item.walk()


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    raw_rows: list[list[str]]
    row_lines: list[int]
    line: int


@dataclass(slots=True)
class Other:
    """Fenced code, an HTML block, a block quote or a thematic break."""

    kind: str
    text: str
    line: int


Block = Paragraph | BulletList | Table | Other


@dataclass(slots=True)
class Section:
    """A heading and everything under it up to the next heading of the same or lower depth.

    The document root is a section of depth 0 with an empty title.
    """

    depth: int
    title: str
    raw_title: str
    line: int
    file: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    memo: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def lists(self) -> list[BulletList]:
        return [b for b in self.blocks if isinstance(b, BulletList)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass(slots=True)
class Document:
    file: str
    front_matter: dict[str, Any]
    root: Section
    notes: list[Note]


_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ATX_TIGHT_RE = re.compile(r"^ {0,3}(#{1,6})([A-Z].*?)[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET_RE = re.compile(r"^([ \t]*)([-*+\u2022]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)")
_HTML_START_RE = re.compile(r"^ {0,3}<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z]|!--)")
_QUOTE_RE = re.compile(r"^ {0,3}> ?(.*)$")
_DELIM_RE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_KRAMDOWN_RE = re.compile(r"^ {0,3}\{:.*\}[ \t]*$|^ {0,3}\{::[^}]*\}[ \t]*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_BULLET_CHARS = frozenset("-*+\u2022")
_OPENERS = frozenset("`~#-*_<>")


def _indent(line: str) -> int:
    """Columns of leading white space (a tab advances to the next multiple of four)."""
    text = line.lstrip(" \t")
    prefix = line[: len(line) - len(text)]
    if "\t" not in prefix:
        return len(prefix)
    width = 0
    for ch in prefix:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _heading_title(raw: str) -> str:
    raw = _ATTR_RE.sub("", raw).strip()
    return plain(raw)


_SIMPLE_FM_RE = re.compile(
    r"^([A-Za-z_][\w-]*):[ \t]*(?:\"((?:[^\"\\]|\\[\"\\/])*)\"|'((?:[^']|'')*)'"
    r"|([^\s\"'\[\]{}&*!|>%@`#][^#]*?|))[ \t]*$"
)


def _simple_front_matter(lines: list[str]) -> dict[str, Any] | None:
    """Front matter made of ``key: value`` lines, read without a YAML parser (fast);
    ``None`` when anything else is there."""
    out: dict[str, Any] = {}
    for line in lines:
        if not line.strip():
            continue
        m = _SIMPLE_FM_RE.match(line)
        if not m:
            return None
        key, double, single, bare = m.groups()
        if double is not None:
            value: Any = double.replace('\\"', '"').replace("\\\\", "\\").replace("\\/", "/")
        elif single is not None:
            value = single.replace("''", "'")
        else:
            bare = bare.strip()
            if bare == "" or bare.lower() in (
                "null",
                "~",
                "true",
                "false",
                "yes",
                "no",
                "on",
                "off",
            ):
                return None
            if _YAML_NUMBER_RE.fullmatch(bare):
                return None
            if ": " in bare or bare.endswith(":"):
                return None
            value = bare
        if key in out:
            return None
        out[key] = value
    return out


def _split_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip().replace("\\|", "|") for c in _CELL_SPLIT_RE.split(s)]


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.notes: list[Note] = []
        self.front_matter: dict[str, Any] = {}
        self.root = Section(0, "", "", 1, file)
        self.stack: list[Section] = [self.root]

    # -- helpers ---------------------------------------------------------------

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(self.file, line, message))

    def add(self, block: Block) -> None:
        self.stack[-1].blocks.append(block)

    def heading(self, depth: int, raw: str, line: int) -> None:
        title = _heading_title(raw)
        while self.stack[-1].depth >= depth:
            self.stack.pop()
        section = Section(depth, title, raw.strip(), line, self.file)
        self.stack[-1].children.append(section)
        self.stack.append(section)
        if not title:
            self.note(line, "empty heading")

    def starts_block(self, i: int) -> bool:
        """Whether line ``i`` starts something other than paragraph text."""
        line = self.lines[i]
        stripped = line.lstrip(" \t")
        if not stripped.strip():
            return True
        c = stripped[0]
        if c in _OPENERS and (
            (c in "`~" and _FENCE_RE.match(line))
            or (c == "#" and _ATX_RE.match(line))
            or (c in "-*_" and _RULE_RE.match(line))
            or (c == "<" and _HTML_START_RE.match(line))
            or (c == ">" and _QUOTE_RE.match(line))
        ):
            return True
        if (c in _BULLET_CHARS or c.isdigit()) and _BULLET_RE.match(line) and _indent(line) < 4:
            return True
        return "|" in line and self.table_start(i)

    def table_start(self, i: int) -> bool:
        line = self.lines[i]
        if "|" not in line:
            return False
        if line.lstrip().startswith("|"):
            return True
        return (
            i + 1 < len(self.lines)
            and bool(_DELIM_RE.match(self.lines[i + 1]))
            and ("|" in self.lines[i + 1])
        )

    # -- front matter ------------------------------------------------------------

    def read_front_matter(self) -> int:
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for end in range(1, len(self.lines)):
            if self.lines[end].strip() in ("---", "..."):
                break
        else:
            self.note(1, "front matter is not closed with '---'; read as text")
            return 0
        body = "\n".join(self.lines[1:end])
        simple = _simple_front_matter(self.lines[1:end])
        if simple is not None:
            self.front_matter = simple
            return end + 1
        try:
            data = yaml.safe_load(body) if body.strip() else {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = 2 + (mark.line if mark is not None else 0)
            self.note(line, "front matter is not valid YAML; ignored")
            data = {}
        if isinstance(data, dict):
            self.front_matter = {str(k): v for k, v in data.items()}
        elif data is not None:
            self.note(1, "front matter is not a mapping; ignored")
        return end + 1

    # -- main loop -----------------------------------------------------------------

    def read(self) -> Document:
        i = self.read_front_matter()
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            stripped = line.strip()
            if not stripped:
                i += 1
                continue
            c = stripped[0]
            if c in "`~":
                fence = _FENCE_RE.match(line)
                if fence:
                    i = self.read_fence(i, fence.group(1))
                    continue
            elif c == "#":
                m = _ATX_RE.match(line)
                if m:
                    self.heading(len(m.group(1)), m.group(2) or "", i + 1)
                    i += 1
                    continue
                m = _ATX_TIGHT_RE.match(line)
                if m:
                    self.note(i + 1, "heading without a space after '#'")
                    self.heading(len(m.group(1)), m.group(2), i + 1)
                    i += 1
                    continue
            elif c == "{" and _KRAMDOWN_RE.match(line):
                i += 1
                continue
            if c in "-*_" and _RULE_RE.match(line):
                self.add(Other("rule", "", i + 1))
                i += 1
                continue
            if (c in _BULLET_CHARS or c.isdigit()) and _BULLET_RE.match(line) and _indent(line) < 4:
                i = self.read_list(i)
                continue
            if "|" in line and self.table_start(i):
                i = self.read_table(i)
                continue
            if c == "<" and _HTML_START_RE.match(line):
                i = self.read_html(i)
                continue
            if c == ">" and _QUOTE_RE.match(line):
                i = self.read_quote(i)
                continue
            i = self.read_paragraph(i)
        return Document(self.file, self.front_matter, self.root, self.notes)

    def read_fence(self, i: int, fence: str) -> int:
        start = i
        i += 1
        body: list[str] = []
        closing = re.compile(
            r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$"
        )
        while i < len(self.lines) and not closing.match(self.lines[i]):
            body.append(self.lines[i])
            i += 1
        if i >= len(self.lines):
            self.note(start + 1, "code fence is not closed")
        self.add(Other("code", "\n".join(body), start + 1))
        return i + 1

    def read_html(self, i: int) -> int:
        start = i
        body: list[str] = []
        comment = self.lines[i].lstrip().startswith("<!--")
        while i < len(self.lines):
            line = self.lines[i]
            if not comment and not line.strip():
                break
            body.append(line)
            i += 1
            if comment and "-->" in line:
                break
        self.add(Other("comment" if comment else "html", "\n".join(body), start + 1))
        return i

    def read_quote(self, i: int) -> int:
        start = i
        body: list[str] = []
        while i < len(self.lines):
            m = _QUOTE_RE.match(self.lines[i])
            if not m:
                break
            body.append(m.group(1))
            i += 1
        self.add(Other("quote", plain(" ".join(s.strip() for s in body if s.strip())), start + 1))
        return i

    def read_paragraph(self, i: int) -> int:
        start = i
        raw: list[str] = [self.lines[i].strip()]
        i += 1
        while i < len(self.lines):
            line = self.lines[i]
            if len(raw) == 1 and _SETEXT_RE.match(line) and line.strip():
                depth = 1 if line.strip().startswith("=") else 2
                self.heading(depth, raw[0], start + 1)
                return i + 1
            if self.starts_block(i) and not (_indent(line) >= 4 and line.strip()):
                break
            raw.append(line.strip())
            i += 1
        text = " ".join(raw)
        self.add(Paragraph(plain(text), text, start + 1, raw[0] if len(raw) > 1 else ""))
        return i

    def read_table(self, i: int) -> int:
        start = i
        rows: list[tuple[int, str]] = []
        while i < len(self.lines) and "|" in self.lines[i] and self.lines[i].strip():
            if _ATX_RE.match(self.lines[i]) or (
                _BULLET_RE.match(self.lines[i]) and not self.lines[i].lstrip().startswith("|")
            ):
                break
            rows.append((i + 1, self.lines[i]))
            i += 1
        header: list[str] = []
        raw_rows: list[list[str]] = []
        row_lines: list[int] = []
        if len(rows) >= 2 and _DELIM_RE.match(rows[1][1]):
            header = [plain(c) for c in _split_cells(rows[0][1])]
            body = rows[2:]
        else:
            if rows:
                self.note(start + 1, "table without a header delimiter row")
            body = rows
        for number, line in body:
            if _DELIM_RE.match(line):
                continue
            raw_rows.append(_split_cells(line))
            row_lines.append(number)
        table = Table(
            header,
            [[plain(c) for c in r] for r in raw_rows],
            raw_rows,
            row_lines,
            start + 1,
        )
        self.add(table)
        return max(i, start + 1)

    def bullet_follows(self, i: int) -> bool:
        """Whether the text line ``i`` (and the text lines right after it) is followed
        directly by another item of the list."""
        j = i + 1
        while j < len(self.lines) and self.lines[j].strip() and not _BULLET_RE.match(self.lines[j]):
            if _ATX_RE.match(self.lines[j]) or _indent(self.lines[j]) >= 2:
                return False
            j += 1
        return j < len(self.lines) and bool(_BULLET_RE.match(self.lines[j]))

    def read_list(self, i: int) -> int:
        """Read a list starting at line ``i``; returns the index of the first line after it."""
        start = i
        items: list[Item] = []
        # Open items, innermost last: (marker indentation, item).
        open_items: list[tuple[int, Item]] = []
        parts: dict[int, list[str]] = {}
        n = len(self.lines)
        after_blank = False
        while i < n:
            line = self.lines[i]
            if not line.strip():
                j = i + 1
                while j < n and not self.lines[j].strip():
                    j += 1
                if j >= n:
                    i = j
                    break
                nxt = self.lines[j]
                ind = _indent(nxt)
                if (_BULLET_RE.match(nxt) and not _RULE_RE.match(nxt) and ind < 4) or (
                    ind >= 2 and not _ATX_RE.match(nxt)
                ):
                    after_blank = True
                    i = j
                    continue
                break
            stripped = line.strip()
            c = stripped[0]
            if c in _OPENERS and (
                (c == "#" and _ATX_RE.match(line))
                or (c in "`~" and _FENCE_RE.match(line))
                or (c in "-*_" and _RULE_RE.match(line))
            ):
                break
            ind = _indent(line)
            bullet = _BULLET_RE.match(line) if c in _BULLET_CHARS or c.isdigit() else None
            if bullet:
                raw = (bullet.group(3) or "").strip()
                item = Item("", raw, i + 1, bullet.group(2))
                parts[id(item)] = [raw]
                while open_items and ind < open_items[-1][0] + 2:
                    open_items.pop()
                if open_items:
                    open_items[-1][1].children.append(item)
                else:
                    items.append(item)
                open_items.append((ind, item))
                after_blank = False
                i += 1
                continue
            if (
                not open_items
                or c == "|"
                or (c == "<" and _HTML_START_RE.match(line))
                or (c == ">" and _QUOTE_RE.match(line))
            ):
                break
            if ind >= 2:
                # Indented text continues the innermost item it is indented under.
                target = open_items[-1][1]
                for marker_ind, item in reversed(open_items):
                    if ind > marker_ind:
                        target = item
                        break
                parts[id(target)].append(stripped)
                after_blank = False
                i += 1
                continue
            if after_blank:
                break
            # An unindented line right after an item: a wrapped line when it starts in lower
            # case or closes the list (no bullet follows it), otherwise an item whose "- "
            # marker is missing.
            if stripped[0].islower() or stripped[0] in ",;:)][" or not self.bullet_follows(i):
                parts[id(open_items[-1][1])].append(stripped)
                i += 1
                continue
            self.note(i + 1, "line without a '- ' marker inside a list read as a list item")
            item = Item("", stripped, i + 1, "")
            parts[id(item)] = [stripped]
            open_items.clear()
            items.append(item)
            open_items.append((0, item))
            i += 1
        for top in items:
            for item in top.walk():
                raw = " ".join(p for p in parts[id(item)] if p)
                item.raw = raw
                item.text = plain(raw)
        self.add(BulletList(items, start + 1))
        return max(i, start + 1)


def parse(text: str, file: str = "<page>") -> Document:
    """Read a markdown page into a :class:`Document`."""
    return _Reader(text, file).read()


_YAML_NUMBER_RE = re.compile(
    r"[-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan", re.I
)
