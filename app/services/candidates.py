"""A candidate's record: contact details, notes, links, tags, the CV, and merging two
records of the same person (reversible until confirmed).

The rules are :mod:`pipelines.candidates`; this module loads, applies, audits (names of
changed fields only, never their values) and commits. Every change is checked against the
candidate's ``version`` (a stale one raises :class:`~app.services.errors.ConflictError`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from app.clock import utcnow
from app.db import db
from app.models import (
    Application,
    Candidate,
    CandidateMerge,
    CandidateTag,
    OutboxMessage,
    Requisition,
    User,
)
from app.services import audit, privacy
from app.services.errors import ConflictError, ServiceError, commit_or_conflict, stale
from app.services.hiring import PendingCv, StoredCv, _zone_or_none, find_candidate, set_cv
from pipelines import candidates as rules
from pipelines.candidates import CandidateRuleError, MergePlan, RecordSummary

#: Fields :func:`update_candidate` changes, in the order forms show them.
EDITABLE = ("name", "email", "phone", "location", "links", "timezone", "notes", "tags")
_LIMITS = {"name": 200, "email": 254, "phone": 50, "location": 200}


class CandidateFieldError(ServiceError):
    """A value the record cannot take; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def record_words(candidate: Candidate) -> str:
    """A candidate record as messages name it: the name, and the e-mail address that tells
    two records of the same name apart (an erased record has its label only)."""
    return f"{candidate.name} ({candidate.email})" if candidate.email else candidate.name


def _check_editable(candidate: Candidate, expected_version: int | None) -> None:
    if candidate.erased_at is not None:
        raise ServiceError("This candidate's personal data is erased; the record cannot change.")
    if candidate.merged_into_id is not None:
        kept = db.session.get(Candidate, candidate.merged_into_id)
        into = record_words(kept) if kept is not None else "another candidate"
        raise ServiceError(
            f"This record is merged into the record of {into}; "
            "edit that record (or undo the merge) instead."
        )
    if expected_version is not None and candidate.version != expected_version:
        raise stale("This candidate")


def _touch(candidate: Candidate) -> None:
    """Make the flush write the candidate's row (and so bump and check its version) even
    when only its tags changed."""
    flag_modified(candidate, "links")


def tags_of(candidate_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(CandidateTag.tag)
            .where(CandidateTag.candidate_id == candidate_id)
            .order_by(CandidateTag.tag)
        )
    )


def _text(field: str, value: Any, *, required: bool = False) -> str | None:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise CandidateFieldError(field, "Expected text.")
    if required and not text:
        raise CandidateFieldError(field, "This field is required.")
    if len(text) > _LIMITS[field]:
        raise CandidateFieldError(field, f"At most {_LIMITS[field]} characters.")
    return text or None


def _normalised(candidate: Candidate, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"Not editable: {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    try:
        for field, value in changes.items():
            if field == "name":
                values[field] = _text(field, value, required=True)
            elif field == "email":
                email = (_text(field, value, required=True) or "").lower()
                other = find_candidate(email)
                if other is not None and other.id != candidate.id:
                    raise CandidateFieldError(
                        "email",
                        f"Another candidate record ({other.name}) has the e-mail "
                        f"address {email}. If it is the same person, merge the two records.",
                    )
                values[field] = email
            elif field in ("phone", "location"):
                values[field] = _text(field, value)
            elif field == "links":
                values[field] = rules.check_links(value or []) or None
            elif field == "notes":
                values[field] = rules.check_notes(value)
            elif field == "tags":
                values[field] = rules.normalise_tags(value or [])
            elif field == "timezone":
                try:
                    values[field] = _zone_or_none(value)
                except ServiceError as exc:
                    raise CandidateFieldError("timezone", str(exc)) from None
    except CandidateRuleError as exc:
        raise CandidateFieldError(
            exc.field if exc.field != "tag" else "tags", exc.message
        ) from None
    return values


def update_candidate(
    candidate: Candidate,
    changes: Mapping[str, Any],
    *,
    actor: User,
    expected_version: int | None,
    channel: str = "web",
) -> list[str]:
    """Change the given fields (of :data:`EDITABLE`); returns the names of those that
    changed. ``tags`` replaces the candidate's tags."""
    _check_editable(candidate, expected_version)
    values = _normalised(candidate, changes)
    before: dict[str, Any] = {f: getattr(candidate, f) for f in values if f != "tags"}
    if "tags" in values:
        before["tags"] = tags_of(candidate.id)
        values["tags"] = sorted(values["tags"])
    changed = rules.changed_fields(before, values)
    if not changed:
        return []
    for field in changed:
        if field == "tags":
            _replace_tags(candidate, before["tags"], values["tags"])
        else:
            setattr(candidate, field, values[field])
    _touch(candidate)
    try:
        db.session.flush()
        audit.record(
            "candidate.update",
            actor=actor,
            channel=channel,
            object_type="candidate",
            object_id=candidate.id,
            summary={"fields": changed},
        )
        commit_or_conflict("This candidate")
    except IntegrityError:
        # Another record took the address between the check and the write.
        db.session.rollback()
        if "email" not in changed:
            raise stale("This candidate") from None
        raise CandidateFieldError(
            "email", "Another candidate record has this e-mail address now; reload the page."
        ) from None
    return changed


def _replace_tags(candidate: Candidate, before: list[str], after: list[str]) -> None:
    gone = set(before) - set(after)
    if gone:
        db.session.execute(
            delete(CandidateTag).where(
                CandidateTag.candidate_id == candidate.id, CandidateTag.tag.in_(gone)
            )
        )
    for tag in sorted(set(after) - set(before)):
        db.session.add(CandidateTag(candidate_id=candidate.id, tag=tag))


def add_tag(candidate: Candidate, raw: str, *, actor: User, expected_version: int | None) -> str:
    """Add one tag (normalised); returns it."""
    try:
        tag = rules.normalise_tag(raw)
    except CandidateRuleError as exc:
        raise CandidateFieldError("tag", exc.message) from None
    current = tags_of(candidate.id)
    update_candidate(
        candidate, {"tags": [*current, tag]}, actor=actor, expected_version=expected_version
    )
    return tag


def remove_tag(
    candidate: Candidate, tag: str, *, actor: User, expected_version: int | None
) -> None:
    current = tags_of(candidate.id)
    update_candidate(
        candidate,
        {"tags": [t for t in current if t != tag]},
        actor=actor,
        expected_version=expected_version,
    )


def _shared_cv(key: str, candidate_id: int) -> bool:
    """Whether another record points at the same file (a merge copies the CV)."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Candidate)
            .where(Candidate.cv_key == key, Candidate.id != candidate_id)
        )
    )


def replace_cv(
    candidate: Candidate,
    cv_file: PendingCv,
    *,
    actor: User,
    expected_version: int | None,
    remove_file: Callable[[str], None],
    channel: str = "web",
) -> None:
    """Store the new CV (with its text) and, once committed, delete the old file."""
    _check_editable(candidate, expected_version)
    old = candidate.cv_key
    kept: StoredCv = cv_file.keep()
    try:
        set_cv(candidate, kept)
        db.session.flush()
        audit.record(
            "candidate.cv_replace",
            actor=actor,
            channel=channel,
            object_type="candidate",
            object_id=candidate.id,
            summary={"had_cv": old is not None, "text": kept.text is not None},
        )
        shared = old is not None and _shared_cv(old, candidate.id)
        commit_or_conflict("This candidate")
    except BaseException:
        db.session.rollback()
        cv_file.discard(kept.key)
        raise
    if old is not None and not shared:
        # A file that cannot be removed is left to `flask privacy cv-cleanup` (no row
        # points at it any more).
        with contextlib.suppress(OSError):
            remove_file(old)


# --- merging -----------------------------------------------------------------------


def summary_of(candidate: Candidate) -> RecordSummary:
    rows = db.session.execute(
        select(Application.id, Application.requisition_id, Requisition.title)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .where(Application.candidate_id == candidate.id)
    ).all()
    applications = {application_id: requisition_id for application_id, requisition_id, _ in rows}
    into = (
        db.session.get(Candidate, candidate.merged_into_id)
        if candidate.merged_into_id is not None
        else None
    )
    return RecordSummary(
        label=record_words(candidate),
        merged_into_label=record_words(into) if into is not None else "another record",
        requisition_titles={requisition_id: title for _, requisition_id, title in rows},
        id=candidate.id,
        applications=applications,
        tags=frozenset(tags_of(candidate.id)),
        notes=candidate.notes,
        has_cv=candidate.cv_key is not None,
        erased=candidate.erased_at is not None,
        merged_into=candidate.merged_into_id,
        has_pending_merges=bool(pending_merges(candidate.id)),
    )


def merge_preview(kept: Candidate, merged: Candidate) -> MergePlan:
    return rules.plan_merge(summary_of(kept), summary_of(merged))


def pending_merges(kept_id: int) -> list[CandidateMerge]:
    """Merges into this record not yet confirmed or undone."""
    return list(
        db.session.scalars(
            select(CandidateMerge)
            .where(
                CandidateMerge.kept_id == kept_id,
                CandidateMerge.confirmed_at.is_(None),
                CandidateMerge.undone_at.is_(None),
            )
            .order_by(CandidateMerge.id)
        )
    )


def merge_candidates(
    kept: Candidate,
    merged: Candidate,
    *,
    actor: User,
    kept_version: int | None,
    merged_version: int | None,
    channel: str = "web",
) -> CandidateMerge:
    """Move ``merged``'s applications, tags, notes (appended), CV (when ``kept`` has none)
    and messages to ``kept``; ``merged`` is hidden (``merged_into_id``) until the merge is
    undone or confirmed. ``moved`` on the merge row lists exactly what moved."""
    for candidate, version in ((kept, kept_version), (merged, merged_version)):
        if version is not None and candidate.version != version:
            raise stale(f"The record of {candidate.name}")
    plan = merge_preview(kept, merged)
    if not plan.allowed:
        raise ServiceError(" ".join(plan.refusals))
    for application in db.session.scalars(
        select(Application).where(Application.id.in_(plan.applications))
    ):
        application.candidate_id = kept.id
    merged_tags = tags_of(merged.id)
    db.session.execute(delete(CandidateTag).where(CandidateTag.candidate_id == merged.id))
    for tag in plan.tags:
        db.session.add(CandidateTag(candidate_id=kept.id, tag=tag))
    moved: dict[str, Any] = {
        "applications": plan.applications,
        "tags_added": plan.tags,
        "tags_removed": merged_tags,
        "notes": plan.notes is not None,
        # Not the notes themselves (they would outlive an erasure here): the kept record's
        # notes are the start of the merged notes, so their length undoes the append, and
        # the digest tells whether anyone edited them since.
        "kept_notes_length": len(kept.notes or ""),
        "kept_notes_sha256": _digest(plan.notes if plan.notes is not None else kept.notes),
        "cv": None,
        "messages": [],
    }
    if plan.notes is not None:
        kept.notes = plan.notes
    if plan.cv:
        # Copied, not taken: the merged record keeps pointing at the file until the
        # merge is confirmed, so undoing it needs nothing back.
        set_cv(
            kept,
            StoredCv(
                key=merged.cv_key or "",
                kind=merged.cv_kind or "",
                size=merged.cv_size or 0,
                sha256=merged.cv_sha256 or "",
                text=merged.cv_text,
            ),
        )
        moved["cv"] = merged.cv_key
    messages = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.candidate_id == merged.id))
    )
    for message in messages:
        message.candidate_id = kept.id
    moved["messages"] = sorted(m.id for m in messages)
    merged.merged_into_id = kept.id
    _touch(kept)
    merge = CandidateMerge(kept_id=kept.id, merged_id=merged.id, moved=moved, merged_by_id=actor.id)
    db.session.add(merge)
    db.session.flush()
    audit.record(
        "candidate.merge",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=kept.id,
        summary={
            "merge_id": merge.id,
            "merged_id": merged.id,
            "applications": plan.applications,
            "tags": len(plan.tags),
            "notes": plan.notes is not None,
            "cv": plan.cv,
            "messages": len(messages),
        },
    )
    commit_or_conflict("One of the two candidates")
    return merge


def _open_merge(merge: CandidateMerge, expected_version: int | None) -> None:
    if merge.confirmed_at is not None:
        raise ServiceError("This merge is confirmed: it can no longer be undone.")
    if merge.undone_at is not None:
        raise ServiceError("This merge was undone already.")
    if expected_version is not None and merge.version != expected_version:
        raise stale("This merge")


def undo_merge(
    merge: CandidateMerge, *, actor: User, expected_version: int | None, channel: str = "web"
) -> None:
    """Move back exactly what the merge moved (what was added since stays where it is)."""
    _open_merge(merge, expected_version)
    kept = db.session.get(Candidate, merge.kept_id)
    merged = db.session.get(Candidate, merge.merged_id)
    assert kept is not None and merged is not None
    if merged.erased_at is not None:
        raise ServiceError("The merged record was erased since: the merge cannot be undone.")
    moved = merge.moved
    for application in db.session.scalars(
        select(Application).where(
            Application.id.in_(moved.get("applications", [])), Application.candidate_id == kept.id
        )
    ):
        application.candidate_id = merged.id
    added = moved.get("tags_added", [])
    if added:
        db.session.execute(
            delete(CandidateTag).where(
                CandidateTag.candidate_id == kept.id, CandidateTag.tag.in_(added)
            )
        )
    for tag in moved.get("tags_removed", []):
        db.session.add(CandidateTag(candidate_id=merged.id, tag=tag))
    if moved.get("notes") and _digest(kept.notes) == moved.get("kept_notes_sha256"):
        kept.notes = (kept.notes or "")[: moved["kept_notes_length"]] or None
    if moved.get("cv") and kept.cv_key == moved["cv"]:
        kept.cv_key = kept.cv_kind = None
        kept.cv_size = None
        kept.cv_sha256 = None
        kept.cv_text = None
    for message in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(moved.get("messages", [])), OutboxMessage.candidate_id == kept.id
        )
    ):
        message.candidate_id = merged.id
    merged.merged_into_id = None
    merge.undone_at = utcnow()
    _touch(kept)
    db.session.flush()
    audit.record(
        "candidate.merge_undo",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=kept.id,
        summary={"merge_id": merge.id, "merged_id": merged.id},
    )
    commit_or_conflict("This merge")


def confirm_merge(
    merge: CandidateMerge,
    *,
    actor: User,
    expected_version: int | None,
    remove_cv: Callable[[str], None] | None,
    channel: str = "web",
) -> None:
    """Make the merge final: the merged record's personal data is erased (the privacy
    erasure), and undo is no longer offered."""
    _open_merge(merge, expected_version)
    merged = db.session.get(Candidate, merge.merged_id)
    assert merged is not None
    merge.confirmed_at = utcnow()
    if merge.moved.get("cv") and merged.cv_key == merge.moved["cv"]:
        # The kept record uses the file now: the erasure must not delete it.
        merged.cv_key = merged.cv_kind = None
        merged.cv_size = None
        merged.cv_sha256 = None
    audit.record(
        "candidate.merge_confirm",
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=merge.kept_id,
        summary={"merge_id": merge.id, "merged_id": merged.id},
    )
    if merged.erased_at is not None:
        commit_or_conflict("This merge")
        return
    try:
        privacy.erase_candidate(
            merged, actor=actor, expected_version=None, remove_cv=remove_cv, channel=channel
        )
    except ConflictError:
        raise stale("This merge") from None


def _digest(notes: str | None) -> str:
    return hashlib.sha256((notes or "").encode()).hexdigest()


__all__ = [
    "EDITABLE",
    "CandidateFieldError",
    "add_tag",
    "confirm_merge",
    "merge_candidates",
    "merge_preview",
    "pending_merges",
    "remove_tag",
    "replace_cv",
    "summary_of",
    "tags_of",
    "undo_merge",
    "update_candidate",
]
