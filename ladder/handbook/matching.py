"""Comparing titles: which level or specialty of the page, row of its levels table, level
or family of the context a title or a reference names.

Titles are compared by their words (:func:`ladder.handbook.titles.title_tokens`) with and
without the page's abbreviations applied; "Intermediate" is optional, and rank words alone
("Staff") may name the one level that has them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ladder.handbook.inline import Link
from ladder.handbook.phrases import split_alternatives
from ladder.handbook.state import Entity, ImportState, ListKind, TableRow
from ladder.handbook.titles import RANK_WORDS, level_slug, slugify, title_tokens

_FAMILY_ANCHORS = frozenset(
    ("performance-indicators", "responsibilities", "requirements", "kpis", "job-responsibilities")
)


class TitleMatcher(ImportState):
    """The names the page gives its levels and specialties, and what a title names."""

    def names_same(self, a: str, b: str) -> bool:
        """Whether two titles name the same role, one possibly shorter ("Senior" and
        "Senior Backend Engineer", "Director of CSM" and "Director of Customer Success
        Management")."""
        keys_a, keys_b = self.keys_of(a), self.keys_of(b)
        if keys_a & keys_b or _loosen(keys_a) & _loosen(keys_b):
            return True
        return any(x < y or y < x for x in keys_a for y in keys_b)

    def names_same_exactly(self, a: str, b: str) -> bool:
        """Whether two titles have the same words (abbreviations, plurals folded)."""
        return bool(self.keys_of(a) & self.keys_of(b))

    def row_for(self, title: str) -> TableRow | None:
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

    def keys_of(self, title: str) -> set[frozenset[str]]:
        """The ways a title can be compared: its words with and without the page's
        abbreviations applied."""
        keys = self.keys_cache.get(title)
        if keys is None:
            keys = {title_tokens(title, self.abbreviations), title_tokens(title)}
            keys.discard(frozenset())
            self.keys_cache[title] = keys
        return keys

    def add_name(self, entity: Entity, name: str) -> None:
        """Another name the page gives the entity (a sentence subject, a heading prefix)."""
        if name not in entity.names:
            keys = self.keys_of(name)
            entity.keys |= keys
            entity.loose |= _loosen(keys)
        entity.names[name] += 1

    def entity_keys(self, entity: Entity) -> set[frozenset[str]]:
        return entity.keys

    def entity_loose(self, entity: Entity) -> set[frozenset[str]]:
        return entity.loose

    def entity_matches(self, entity: Entity, title: str) -> bool:
        keys = self.keys_of(title)
        return bool(keys & self.entity_keys(entity))

    def match_entity(
        self, title: str, entities: Sequence[Entity], *, partial: bool = False
    ) -> Entity | None:
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
            # Prefer the title over other names, and of titles with the same words the one
            # with them in the same order ("Manager, Renewals", not "Renewals Manager").
            by_title = [e for e in exact if keys & self.keys_of(e.title)]
            order = _word_order(title)
            in_order = [e for e in by_title or exact if _word_order(e.title) == order]
            if len(in_order) == 1:
                return in_order[0]
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
                "job-famil" in path
                and anchor not in _FAMILY_ANCHORS
                and _SLUG_SEGMENT_RE.fullmatch(anchor)
                and level_slug(ref, self.abbreviations) == anchor
            ):
                # "[Senior Manager, CSM](/job-families/x/#senior-manager-csm)": the page
                # links to the level and names it by its id's words.
                return anchor
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
        # "a senior leadership job family": every word the page uses to name the family
        # (rank words aside) is in the title of one family only, and in no other
        # family's title ("Engineering Leadership" names no family of a ladder whose
        # only leadership family is Customer Success Leadership).
        words = {w for k in keys for w in k} - RANK_WORDS
        if not words:
            return None
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
            if words <= title_words and (title_words - others - own) & words:
                matches.append(family.id)
        return matches[0] if len(matches) == 1 else None

    def exact_level(self, text: str) -> str | None:
        """The level of the page a phrase names exactly (its title or a name the page's
        sentences give it, abbreviations, plurals and "Sr." folded): no rank words alone,
        no alternatives ("a Manager/Sr. Manager" names no one level)."""
        text = ARTICLE_RE.sub("", text.strip())
        if len(split_alternatives(text)) > 1:
            return None
        keys = self.keys_of(text)
        found = [e for e in self.levels if keys & self.entity_keys(e)]
        return found[0].id if len(found) == 1 else None

    def resolve_level(self, text: str, exclude: Entity | None = None) -> str | None:
        text = ARTICLE_RE.sub("", text.strip())
        levels = [e for e in self.levels if e is not exclude]
        entity = self.match_entity(text, levels, partial=False)
        if entity is not None:
            return entity.id
        known = self.match_known_level(text)
        if known is not None:
            return known
        entity = self.match_entity(text, levels, partial=True)
        return entity.id if entity is not None else None


_LOOSE_WORDS = frozenset({"intermediate", "mid"})


def _word_order(title: str) -> tuple[str, ...]:
    """A title's words in order, lower-case, articles dropped."""
    return tuple(
        w for w in _ORDER_WORD_RE.findall(title.lower()) if w not in ("the", "a", "an")
    )


_ORDER_WORD_RE = re.compile(r"[a-z0-9]+")


def _loosen(keys: set[frozenset[str]]) -> set[frozenset[str]]:
    """Keys without "intermediate": "Customer Success Architect" names the
    "Customer Success Architect (Intermediate)"."""
    loose = {k - _LOOSE_WORDS for k in keys}
    loose.discard(frozenset())
    return loose


# A leading article, dropped from the role a sentence names.
ARTICLE_RE = re.compile(r"^(?:the|a|an|their|our)\s+", re.I)


# Patterns used inline above, compiled once when the module loads.
_SLUG_SEGMENT_RE = re.compile(r"[a-z0-9-]+")
_FAMILY_WORD_RE = re.compile(r"\bfamil(?:y|ies)\b", re.I)
_FAMILY_FILLER_RE = re.compile(
    r"\b(?:job\s+famil(?:y|ies)|famil(?:y|ies)|roles?|team|organi[sz]ation)\b", re.I
)
