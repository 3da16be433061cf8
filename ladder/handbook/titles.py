"""Titles of roles: slugs and level ids, the abbreviations a page defines or uses, and the
words two titles are compared by.

Everything here works on plain text and is independent of any particular family: no seed
title appears in this module.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["RANK_WORDS", "Abbreviations", "level_slug", "slugify", "title_tokens"]

# --------------------------------------------------------------------------- slugs


_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``.

    Accents are folded (``é`` → ``e``), ``&`` becomes ``and``, apostrophes vanish
    (``Engineer's`` → ``engineers``) and every other run of non-alphanumeric characters
    becomes a single ``-``; leading and trailing dashes are dropped.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.replace("&", " and ").replace("'", "")
    return _NON_SLUG_RE.sub("-", text.lower()).strip("-")


# --------------------------------------------------------------------------- titles

# Words that place a role on a ladder rather than name its subject.
RANK_WORDS = frozenset(
    (
        "associate",
        "junior",
        "intermediate",
        "mid",
        "senior",
        "staff",
        "principal",
        "distinguished",
        "fellow",
        "lead",
        "manager",
        "director",
        "head",
        "vp",
        "chief",
        "executive",
        "officer",
        "president",
        "vice",
        "group",
        "sr",
        "jr",
        "ii",
        "iii",
        "iv",
        "of",
        "the",
        "and",
        "for",
        "a",
        "an",
    )
)
_SYNONYMS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mgmt": "management",
    "dir": "director",
    "svp": "senior vp",
    "evp": "executive vp",
    "avp": "associate vp",
}
_STOP = frozenset(["of", "the", "a", "an", "for", "to", "in", "at", "with", "our", "its", "their"])
_NOT_PLURAL = ("ss", "us", "is", "ics", "ous")
_VP_RE = re.compile(r"vice[\s-]+president", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_CAPITALISED_RE = re.compile(r"[A-Z][a-z]+")
_SLUG_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019]*")


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in ("of", "and", "&", "the"))


@dataclass(slots=True)
class Abbreviations:
    """Abbreviations of a page: those it defines ("Customer Success Manager (CSM)") and
    the capitalised words it uses ("CS"), so titles can be compared and shortened."""

    defined: dict[str, str]  # lower-case phrase -> acronym (upper case)
    text: str = ""  # the page, searched for the acronyms it uses
    _used: dict[str, bool] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def from_text(cls, text: str) -> Abbreviations:
        defined: dict[str, str] = {}
        for m in _ACRONYM_DEFINITION_RE.finditer(text):
            acronym = m.group(1)
            letters = acronym.upper()
            if not acronym[1:].isupper() and sum(c.isupper() for c in acronym) < 2:
                continue
            before = _DEFINITION_WORD_RE.findall(text[max(0, m.start() - 120) : m.start()])
            letters_n = len(letters)
            # The shortest run of words just before "(ABC)" whose initials are ABC.
            for size in range(letters_n, letters_n + 3):
                words = before[-size:]
                if len(words) < size:
                    break
                if _initials(words).upper() == letters:
                    phrase = " ".join(words).lower()
                    defined.setdefault(phrase, acronym.upper())
                    break
        return cls(defined, text)

    def uses(self, acronym: str) -> bool:
        """Whether the page writes ``acronym`` (or its plural) as a word."""
        found = self._used.get(acronym)
        if found is None:
            found = False
            text, size = self.text, len(acronym)
            start = text.find(acronym)
            while start >= 0:
                end = start + size
                if end < len(text) and text[end] == "s":
                    end += 1
                if (start == 0 or not text[start - 1].isalnum()) and (
                    end >= len(text) or not text[end].isalnum()
                ):
                    found = True
                    break
                start = text.find(acronym, start + 1)
            self._used[acronym] = found
        return found

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.defined:
            phrases = sorted(self.defined, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w])("
                + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
                + r")(s)?(?![\w])",
                re.IGNORECASE,
            )
        return self._pattern

    def shorten(self, title: str) -> str:
        """Replace defined phrases by their acronym, and runs of capitalised subject words
        whose initials form an acronym the page uses ("Customer Success" → "CS")."""
        pattern = self.pattern()
        if pattern is not None:
            title = pattern.sub(
                lambda m: self.defined[" ".join(m.group(1).lower().split())] + (m.group(2) or ""),
                title,
            )
        if self.text:
            title = self._shorten_used(title)
        return title

    def _shorten_used(self, title: str) -> str:
        words = title.split()
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while (
                j < len(words)
                and _CAPITALISED_RE.fullmatch(words[j])
                and words[j].lower() not in RANK_WORDS
            ):
                j += 1
            if j - i >= 2 and self.uses(_initials(words[i:j])):
                out.append(_initials(words[i:j]))
                i = j
                continue
            out.append(words[i])
            i += 1
        return " ".join(out)


def title_tokens(title: str, abbreviations: Abbreviations | None = None) -> frozenset[str]:
    """The words of a title, for comparing titles: abbreviations applied, synonyms
    folded ("Sr." → senior, "Vice President" → vp), plurals of acronyms singular,
    filler words dropped."""
    text = title
    if abbreviations is not None:
        text = abbreviations.shorten(text)
    return _tokens(text)


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> frozenset[str]:
    text = _VP_RE.sub("vp", text)
    tokens: set[str] = set()
    for raw in _WORD_RE.findall(text):
        word = raw.lower()
        if len(raw) > 2 and raw[:-1].isupper() and raw.endswith("s"):
            word = word[:-1]  # "CSMs" is the plural of "CSM"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
            word = word[:-3] + "y" if word.endswith("ies") else word[:-1]
        for part in _SYNONYMS.get(word, word).split():
            if part not in _STOP:
                tokens.add(part)
    return frozenset(tokens)


def level_slug(title: str, abbreviations: Abbreviations | None = None) -> str:
    """The id of a level title: abbreviations applied, "Vice President" → "vp",
    parenthesised qualifiers that repeat a word ("(Intermediate)") dropped, filler words
    dropped, then :func:`slugify`.  An abbreviation the title defines itself ("Customer
    Success Manager (CSM)") is applied too."""
    text = title
    if "(" in title:
        own = Abbreviations.from_text(title).defined
        if own:
            defined = dict(abbreviations.defined) if abbreviations is not None else {}
            defined.update(own)
            abbreviations = Abbreviations(defined, abbreviations.text if abbreviations else "")
    if abbreviations is not None:
        text = abbreviations.shorten(text)
    text = _VP_RE.sub("VP", text)
    words: list[str] = []
    seen: set[str] = set()
    for raw in _SLUG_WORD_RE.findall(text):
        word = raw.lower().replace("'", "").replace("\u2019", "")
        if len(raw) > 2 and raw[:-1].isupper() and raw.endswith("s"):
            word = word[:-1]
        word = _SYNONYMS.get(word, word)
        if word in _STOP or word in ("intermediate", "and") or word in seen:
            continue
        seen.add(word)
        words.append(word)
    slug = slugify(" ".join(words))
    return slug or slugify(title) or "level"


# Patterns used inline above, compiled once when the module loads.
_ACRONYM_DEFINITION_RE = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_DEFINITION_WORD_RE = re.compile(r"[A-Za-z][\w'\u2019-]*|&")
