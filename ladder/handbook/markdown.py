"""A small line-based reader for handbook markdown.

It understands the subset that job-family pages use: YAML front matter, ATX and setext
headings, bullet and numbered lists (nested, with continuation lines), paragraphs, pipe
tables, fenced code, HTML blocks, block quotes and thematic breaks.  The result is a tree
of :class:`Section` objects, one per heading, each holding its blocks with line numbers.

Inline markup is reduced to plain text by :func:`plain`: links and images become their
text, emphasis and code markers are dropped, backslash escapes and HTML entities are
resolved.  :func:`escape` is its inverse for export: ``plain(escape(s)) == s`` for every
single-line string ``s``.

The reader never raises on malformed input; oddities are reported as :class:`Note`
objects (line number and message) that the importer turns into warnings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = [
    "Block",
    "BulletList",
    "Document",
    "Item",
    "Link",
    "Note",
    "Other",
    "Paragraph",
    "Section",
    "Table",
    "escape",
    "links",
    "parse",
    "plain",
]

# --------------------------------------------------------------------------- inline


_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ESC_BASE = 0xF0000  # private-use plane: placeholders for escaped characters
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CODE_RE = re.compile(r"(`+)(.+?)\1")
_LINK_TEXT = r"((?:[^\[\]]|\[[^\[\]]*\])*)"
_LINK_DEST = r"(<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
_LINK_TITLE = r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?"
_IMAGE_RE = re.compile(r"!\[" + _LINK_TEXT + r"\]\(\s*" + _LINK_DEST + _LINK_TITLE + r"\s*\)")
_LINK_RE = re.compile(r"\[" + _LINK_TEXT + r"\]\(\s*" + _LINK_DEST + _LINK_TITLE + r"\s*\)")
_REF_LINK_RE = re.compile(r"\[" + _LINK_TEXT + r"\]\[([^\[\]]*)\]")
_AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]*)>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?/?>|<!--.*?-->")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*")
_EM_UNDER_RE = re.compile(r"(?<![A-Za-z0-9_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![A-Za-z0-9_])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ATTR_RE = re.compile(r"\s*\{:?\s*[#.:][^{}]*\}\s*$")


def _protect(char: str) -> str:
    return chr(_ESC_BASE + ord(char))


_PRIVATE_RE = re.compile("[\U000f0000-\U0010ffff]")


def _restore(text: str) -> str:
    return _PRIVATE_RE.sub(lambda m: chr(ord(m.group(0)) - _ESC_BASE), text)


def _protect_all(text: str) -> str:
    return "".join(_protect(c) if c in _PUNCT else c for c in text)


def plain(text: str) -> str:
    """Reduce one line (or a joined paragraph) of inline markdown to plain text."""
    if not text:
        return ""
    # Characters from the placeholder plane cannot be told apart from placeholders.
    if _PRIVATE_RE.search(text):
        text = _PRIVATE_RE.sub("", text)
    protected = False
    if "\\" in text:
        text = _ESCAPE_RE.sub(lambda m: _protect(m.group(1)), text)
        protected = True
    if "`" in text:
        text = _CODE_RE.sub(lambda m: _protect_all(m.group(2).strip() or m.group(2)), text)
        protected = True
    if "[" in text:
        text = _IMAGE_RE.sub(lambda m: m.group(1), text)
        # Links may be nested inside link text (badges); a few passes settle them.
        for _ in range(3):
            new = _LINK_RE.sub(lambda m: m.group(1), text)
            new = _REF_LINK_RE.sub(lambda m: m.group(1), new)
            if new == text:
                break
            text = new
    if "<" in text:
        text = _AUTOLINK_RE.sub(lambda m: m.group(1), text)
        text = _TAG_RE.sub("", text)
    if "*" in text or "_" in text:
        text = _STRONG_RE.sub(lambda m: m.group(2), text)
        text = _EM_STAR_RE.sub(lambda m: m.group(1), text)
        text = _EM_UNDER_RE.sub(lambda m: m.group(1), text)
    if "~~" in text:
        text = _STRIKE_RE.sub(lambda m: m.group(1), text)
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return (_restore(text) if protected else text).strip()


# Characters escaped on export when a text would otherwise not survive :func:`plain`.
_ACTIVE = set("\\`*_[]<>&!~")


def escape(text: str) -> str:
    """Write ``text`` so that :func:`plain` gives it back unchanged (single line)."""
    text = " ".join(text.split("\n"))
    if plain(text) == text:
        return text
    out = "".join("\\" + c if c in _ACTIVE else c for c in text)
    return out


_BLOCK_START_RE = re.compile(
    r"(?:#|>|\||[-*+=\u2022](?:\s|$)|\d{1,9}[.)](?:\s|$)|```|~~~|[-*_](?:\s*[-*_]){2,}\s*$"
    r"|<[A-Za-z/!?]|\{:)"
)


def escape_start(text: str) -> str:
    """Escape a leading character that would make a line start a block construct."""
    if _BLOCK_START_RE.match(text):
        if text[0] == "\u2022":
            return "&#8226;" + text[1:]
        if text[0].isdigit():
            digits = _DIGITS_RE.match(text)
            assert digits is not None
            n = digits.end()
            return text[:n] + "\\" + text[n:]
        return "\\" + text
    return text


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


def links(text: str) -> list[Link]:
    """The links of a line of inline markdown, with plain text and destination."""
    found: list[Link] = []
    if "[" not in text:
        return found
    for m in _LINK_RE.finditer(text):
        url = m.group(2).strip()
        if url.startswith("<") and url.endswith(">"):
            url = url[1:-1]
        found.append(Link(plain(m.group(1)), url))
    return found


# --------------------------------------------------------------------------- blocks


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
        self.add(Paragraph(plain(text), text, start + 1))
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
            # case, otherwise an item whose "- " marker is missing.
            if stripped[0].islower() or stripped[0] in ",;:)]":
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


# Patterns used inline above, compiled once when the module loads.
_DIGITS_RE = re.compile(r"\d+")
_YAML_NUMBER_RE = re.compile(
    r"[-+]?\d+(?:\.\d*)?(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|\.inf|\.nan", re.I
)
