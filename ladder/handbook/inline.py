"""Inline markdown ⇄ plain text.

:func:`plain` reduces one line of inline markup to plain text: links and images become
their text, emphasis and code markers are dropped, backslash escapes and HTML entities are
resolved.  :func:`escape` is its inverse for export: ``plain(escape(s)) == s`` for every
single-line string ``s``; :func:`escape_start` keeps a line from starting a block.
:func:`links` lists the links of a line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Link", "escape", "escape_start", "links", "plain"]

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


# Patterns used inline above, compiled once when the module loads.
_DIGITS_RE = re.compile(r"\d+")
