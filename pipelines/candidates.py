"""Rules of a candidate's record: tags, links, notes, and what merging two records moves.

Pure functions; the app stores what they decide. Errors are :class:`CandidateRuleError`
with a message for the recruiter and the field it is about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: Characters of the recruiters' notes on a candidate.
MAX_NOTES = 10_000
#: A tag's characters, and tags on one candidate.
MAX_TAG_LENGTH = 50
MAX_TAGS = 30
#: Links on one candidate, and one link's characters.
MAX_LINKS = 10
MAX_LINK_LENGTH = 500

# Lower-case ASCII letters and digits, and inside a tag also + # . _ - (c++, c#, node.js).
_TAG = re.compile(r"[a-z0-9](?:[a-z0-9+#._-]*[a-z0-9+#])?")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?", re.IGNORECASE)


class CandidateRuleError(ValueError):
    """Input a candidate's record cannot take; ``field`` names the form or body field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_tag(raw: str) -> str:
    """A tag as stored: trimmed, lower case, inner spaces as hyphens; CandidateRuleError
    for an empty, too long or oddly spelled tag."""
    folded = unicodedata.normalize("NFKC", raw).strip().lower()
    tag = re.sub(r"\s+", "-", folded)
    if not tag:
        raise CandidateRuleError("tag", "Enter a tag.")
    if len(tag) > MAX_TAG_LENGTH:
        raise CandidateRuleError("tag", f"A tag has at most {MAX_TAG_LENGTH} characters.")
    if not _TAG.fullmatch(tag):
        raise CandidateRuleError(
            "tag",
            "A tag uses letters a-z, digits and + # . _ - (starting with a letter or digit), "
            f"not {raw.strip()!r}.",
        )
    return tag


def normalise_tags(raw: Iterable[str]) -> list[str]:
    """Distinct normalised tags in their first order; at most :data:`MAX_TAGS`."""
    tags = list(dict.fromkeys(normalise_tag(tag) for tag in raw))
    if len(tags) > MAX_TAGS:
        raise CandidateRuleError("tags", f"A candidate has at most {MAX_TAGS} tags.")
    return tags


def check_link(raw: str) -> str:
    """One link as stored: an http(s) address with a host, no spaces or control characters."""
    link = raw.strip()
    if len(link) > MAX_LINK_LENGTH:
        raise CandidateRuleError("links", f"A link has at most {MAX_LINK_LENGTH} characters.")
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in link):
        raise CandidateRuleError("links", "A link cannot contain spaces or control characters.")
    try:
        parts = urlsplit(link)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not _HOST.fullmatch(parts.netloc.rsplit("@", 1)[-1])
        or "@" in parts.netloc
        or "." not in parts.netloc.split(":")[0]
    ):
        raise CandidateRuleError(
            "links", f"{link[:80]!r} is not a web address (https://… with a host name)."
        )
    return link


def check_links(raw: Iterable[str]) -> list[str]:
    """Distinct links (empty entries dropped), each checked; at most :data:`MAX_LINKS`."""
    links = list(dict.fromkeys(check_link(link) for link in raw if link.strip()))
    if len(links) > MAX_LINKS:
        raise CandidateRuleError("links", f"A candidate has at most {MAX_LINKS} links.")
    return links


def check_notes(raw: str | None) -> str | None:
    """Notes as stored (None when blank); at most :data:`MAX_NOTES` characters."""
    notes = (raw or "").strip()
    if len(notes) > MAX_NOTES:
        raise CandidateRuleError("notes", f"Notes have at most {MAX_NOTES:,} characters.")
    return notes or None


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> list[str]:
    """The names of the fields whose value differs, sorted (what an audit row may say)."""
    return sorted(name for name in after if before.get(name) != after[name])


# --- merging -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSummary:
    """What a merge needs to know of one candidate record."""

    id: int
    #: application id -> requisition id
    applications: Mapping[int, int]
    tags: frozenset[str]
    notes: str | None
    has_cv: bool
    erased: bool = False
    merged_into: int | None = None
    #: Other records are merged into this one, not yet confirmed or undone.
    has_pending_merges: bool = False
    #: How messages name the record (the person's name and e-mail address), never its id.
    label: str = "a candidate record"
    #: How messages name the record it is merged into.
    merged_into_label: str = "another record"
    #: requisition id -> its title, for the requisitions of ``applications``.
    requisition_titles: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MergePlan:
    """What merging ``merged`` into ``kept`` moves."""

    kept_id: int
    merged_id: int
    applications: list[int]
    #: Tags of the merged record that the kept one does not have yet.
    tags: list[str]
    #: The kept record's notes after the merge (None: unchanged).
    notes: str | None
    cv: bool
    refusals: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.refusals


def merged_notes(kept: str | None, merged: str | None, merged_label: str) -> str | None:
    """The kept record's notes with the merged one's appended under a heading naming it;
    None when the merged record has none."""
    if not merged:
        return None
    heading = f"From the merged record of {merged_label}:"
    return f"{kept}\n\n{heading}\n{merged}" if kept else f"{heading}\n{merged}"


def plan_merge(kept: RecordSummary, merged: RecordSummary) -> MergePlan:
    """What would move from ``merged`` to ``kept``, and why it may not (``refusals``).

    Applications are unique per candidate and requisition, and both applications of one
    requisition hold history that cannot be joined: a merge that would put two on one
    record is refused, whatever their state.
    """
    refusals: list[str] = []
    if kept.id == merged.id:
        refusals.append("A record cannot be merged into itself.")
    for record in (kept, merged):
        if record.erased:
            refusals.append(
                f"The record of {record.label} is erased; erased records are not merged."
            )
        if record.merged_into is not None:
            refusals.append(
                f"The record of {record.label} is already merged into the record of "
                f"{record.merged_into_label}; "
                "undo or confirm that merge first."
            )
    if merged.has_pending_merges:
        # Its applications would then include another record's, which that merge's undo
        # would look for on this record and not find.
        refusals.append(
            f"Other records are merged into the record of {merged.label}; confirm or undo those "
            "merges before "
            "merging it into another record."
        )
    shared = sorted(set(kept.applications.values()) & set(merged.applications.values()))
    if shared:
        titles = {**merged.requisition_titles, **kept.requisition_titles}
        names = ", ".join(titles.get(r, "the same requisition") for r in shared)
        refusals.append(
            f"Both records have an application to {names}; one person can apply "
            "to a requisition once, so these records cannot be merged while both do."
        )
    notes = merged_notes(kept.notes, merged.notes, merged.label)
    if notes is not None and len(notes) > MAX_NOTES:
        refusals.append(
            f"The two records' notes together exceed {MAX_NOTES:,} characters; shorten them "
            "before merging."
        )
    tags = sorted(merged.tags - kept.tags)
    if len(kept.tags | merged.tags) > MAX_TAGS:
        refusals.append(f"Together the records have more than {MAX_TAGS} tags; remove some.")
    return MergePlan(
        kept_id=kept.id,
        merged_id=merged.id,
        applications=sorted(merged.applications),
        tags=tags,
        notes=notes,
        cv=merged.has_cv and not kept.has_cv,
        refusals=refusals,
    )


__all__ = [
    "MAX_LINKS",
    "MAX_LINK_LENGTH",
    "MAX_NOTES",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "CandidateRuleError",
    "MergePlan",
    "RecordSummary",
    "changed_fields",
    "check_link",
    "check_links",
    "check_notes",
    "merged_notes",
    "normalise_tag",
    "normalise_tags",
    "plan_merge",
]
