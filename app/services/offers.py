"""Offers and hires: an offer is drafted from the hiring manager's hire decision, approved
when approval is asked for, extended, answered; an accepted offer leads to the hire, which
creates (or links) the new team member's account and starts their level history.

The rules live in :mod:`pipelines.offers` (the offer's states and terms) and
:mod:`pipelines.applications` (the application's moves); this module loads what they need,
applies them, audits and commits. Audit rows name the terms that changed, never the
compensation figures.

Decisions:

* Who writes an offer (drafts, edits, asks approval, extends, records the answer,
  withdraws, marks hired): the requisition's recruiter and hiring manager and admins, the
  people who see its compensation. Approving and rejecting: admins only.
* The application moves to "offer" when its first offer is drafted, through the pipeline:
  at the reference check, once it is passed (an override stays the hiring manager's); the
  recruiter may draft it because the hiring manager's hire decision is recorded.
* At most one open offer per application. A declined offer ends the application
  (withdrawn, with the reason): nothing follows it. A withdrawn offer (the company's move,
  e.g. to change terms once extended) leaves the application at "offer", where a new offer
  may be drafted, or the application is withdrawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.attributes import flag_modified

from app.clock import utcnow
from app.db import db, in_parameter
from app.ladder_access import get_ladder
from app.models import (
    ApiToken,
    Application,
    Candidate,
    Offer,
    Requisition,
    Role,
    User,
    UserRole,
)
from app.services import accounts, audit, hiring, levels, password_resets, sessions
from app.services.decisions import decision_of, may_decide
from app.services.errors import ServiceError, commit_or_conflict, flush_or_conflict, stale
from ladder.resolve import applicable_specialty
from pipelines.applications import ApplicationStatus
from pipelines.level_history import LevelReason
from pipelines.leveling import Outcome, level_options
from pipelines.offers import (
    COMPENSATION_FIELDS,
    MAX_COMPENSATION_NOTE,
    MAX_EQUITY,
    MAX_LOCATION,
    MAX_RESPONSE_NOTE,
    OPEN_OFFER_STATUSES,
    ApprovalPolicy,
    OfferDeclineReason,
    OfferError,
    OfferMove,
    OfferStatus,
    OfferViewer,
    can_see_compensation,
    changed_fields,
    check_amount,
    check_currency,
    check_editable,
    check_hire,
    check_offer_level,
    check_start_date,
    is_filled,
    needs_approval,
    next_status,
)
from pipelines.requisitions import RequisitionStatus

#: The fields an offer form or body may set.
FIELDS = (
    "level_id",
    "specialty_id",
    "start_date",
    "location",
    "needs_approval",
    *COMPENSATION_FIELDS,
)


class OfferFieldError(ServiceError):
    """A term that is not valid: ``field`` names it (for the form or the API's 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def approval_policy() -> ApprovalPolicy:
    return ApprovalPolicy(current_app.config.get("OFFER_APPROVAL", ApprovalPolicy.OPTIONAL))


def today() -> date:
    return utcnow().date()


# --- who -------------------------------------------------------------------------------


def sees_compensation(user: Any, requisition: Requisition) -> bool:
    """The requisition's recruiter and hiring manager, and admins."""
    return can_see_compensation(
        OfferViewer(user.id, bool(user.has_role(Role.ADMIN))),
        recruiter_id=requisition.recruiter_id,
        hiring_manager_id=requisition.hiring_manager_id,
    )


def may_write(user: Any, requisition: Requisition) -> bool:
    """Who drafts and moves offers: those who see their compensation."""
    return sees_compensation(user, requisition)


def _require_writer(user: User, requisition: Requisition) -> None:
    if not may_write(user, requisition):
        raise ServiceError(
            "Only the requisition's recruiter and hiring manager, and admins, work on its offers."
        )


# --- reading ---------------------------------------------------------------------------


def offers_of(application_id: int) -> list[Offer]:
    """The application's offers, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Offer)
            .where(Offer.application_id == application_id)
            .order_by(Offer.created_at.desc(), Offer.id.desc())
        )
    )


def open_offer_of(application_id: int) -> Offer | None:
    return db.session.scalar(
        select(Offer).where(
            Offer.application_id == application_id, Offer.status.in_(OPEN_OFFER_STATUSES)
        )
    )


def offer_by_id(offer_id: int) -> Offer | None:
    return db.session.get(Offer, offer_id)


#: Offers waiting for an admin's approval, oldest first, and their number: both on the
#: index of offers by (status, created_at, id).
AWAITING_APPROVAL = (
    select(Offer, Application)
    .join(Application, Application.id == Offer.application_id)
    .options(
        joinedload(Application.candidate),
        joinedload(Application.requisition),
        contains_eager(Offer.application),
    )
    .where(Offer.status == OfferStatus.AWAITING_APPROVAL)
    .order_by(Offer.created_at, Offer.id)
)
AWAITING_APPROVAL_COUNT = (
    select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.AWAITING_APPROVAL)
)


def awaiting_approval(limit: int) -> list[tuple[Offer, Application]]:
    """Offers waiting for an admin's approval, oldest first, with their applications,
    candidates and requisitions (one query, at most ``limit`` rows)."""
    rows = db.session.execute(AWAITING_APPROVAL.limit(limit)).all()
    return [(offer, application) for offer, application in rows]


def count_awaiting_approval() -> int:
    return int(db.session.scalar(AWAITING_APPROVAL_COUNT) or 0)


_OFFERS_OF = (
    select(Offer)
    .where(in_parameter(Offer.application_id, "ids"))
    .order_by(Offer.created_at, Offer.id)
)


def latest_offers(application_ids: Sequence[int]) -> dict[int, Offer]:
    """The latest offer of each of the applications that has one (one query)."""
    if not application_ids:
        return {}
    rows = db.session.scalars(_OFFERS_OF, {"ids": list(application_ids)})
    return {offer.application_id: offer for offer in rows}


def terms_of(offer: Offer) -> dict[str, Any]:
    return {name: getattr(offer, name) for name in FIELDS}


# --- terms -----------------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str, limit: int, label: str) -> str | None:
    raw = values.get(name)
    if raw is None:
        return None
    text = str(raw).strip()
    if len(text) > limit:
        raise OfferFieldError(name, f"The {label} is at most {limit:,} characters.")
    return text or None


def _checked(
    values: Mapping[str, Any],
    *,
    requisition: Requisition,
    decided_level: str,
    decided_specialty: str | None,
    actor: User,
    start_before: date | None,
    on: date,
) -> dict[str, Any]:
    """The terms as stored, or :class:`OfferFieldError` naming the field."""
    ladder = get_ladder()
    options = tuple(option.level.id for option in level_options(ladder, requisition.level_id))
    try:
        level_id = check_offer_level(
            options,
            decided=decided_level,
            chosen=values.get("level_id") or None,
            may_relevel=may_decide(actor, requisition),
        )
    except OfferError as exc:
        raise OfferFieldError("level_id", str(exc)) from None
    if "specialty_id" in values:
        specialty_id = values["specialty_id"] or None
    elif level_id == decided_level:
        specialty_id = decided_specialty
    else:
        specialty_id = applicable_specialty(ladder, level_id, decided_specialty)
    try:
        hiring.hiring_level(level_id, specialty_id)
    except ServiceError as exc:
        raise OfferFieldError("specialty_id", str(exc)) from None
    start = values.get("start_date")
    if start is not None and start != start_before:
        try:
            check_start_date(start, today=on)
        except OfferError as exc:
            raise OfferFieldError("start_date", str(exc)) from None
    try:
        currency = check_currency(values.get("currency"))
    except OfferError as exc:
        raise OfferFieldError("currency", str(exc)) from None
    amounts: dict[str, int | None] = {}
    for name, label in (("base_salary", "base salary"), ("bonus", "bonus")):
        try:
            amounts[name] = check_amount(label, values.get(name))
        except OfferError as exc:
            raise OfferFieldError(name, str(exc)) from None
    return {
        "level_id": level_id,
        "specialty_id": specialty_id,
        "start_date": start,
        "location": _text(values, "location", MAX_LOCATION, "location"),
        "needs_approval": needs_approval(
            approval_policy(), asked=bool(values.get("needs_approval"))
        ),
        "currency": currency,
        **amounts,
        "equity": _text(values, "equity", MAX_EQUITY, "equity"),
        "compensation_note": _text(
            values, "compensation_note", MAX_COMPENSATION_NOTE, "compensation note"
        ),
    }


def _hire_decision(application: Application) -> tuple[str, str | None]:
    decision = decision_of(application.id)
    if decision is None or decision.outcome is not Outcome.HIRE or decision.level_id is None:
        raise ServiceError(
            "An offer is made from the hiring manager's hire decision: record it at the "
            "debrief first."
        )
    return decision.level_id, decision.specialty_id


def _audit_offer(
    action: str, offer: Offer, actor: User, channel: str, summary: dict[str, Any]
) -> None:
    audit.record(
        f"offer.{action}",
        actor=actor,
        channel=channel,
        object_type="offer",
        object_id=offer.id,
        summary={"application_id": offer.application_id, **summary},
    )


# --- drafting --------------------------------------------------------------------------


def create_offer(
    application: Application,
    *,
    actor: User,
    values: Mapping[str, Any],
    expected_version: int | None,
    override_reason: str | None = None,
    channel: str = "web",
) -> Offer:
    """Draft an offer from the hire decision (its level and specialty unless ``values``
    name others within the leveling rules); the application moves to "offer" with its
    first one. ``expected_version`` is the application's. Commits."""
    requisition = hiring.requisition_of(application)
    _require_writer(actor, requisition)
    if expected_version is not None and expected_version != application.version:
        raise stale("This application")
    decided_level, decided_specialty = _hire_decision(application)
    if open_offer_of(application.id) is not None:
        raise ServiceError("This application has an open offer: change or withdraw that one.")
    if application.status is ApplicationStatus.ACTIVE:
        hiring.enter_offer(
            application,
            actor=actor,
            decided=True,
            override_reason=override_reason,
            channel=channel,
        )
    elif application.status is ApplicationStatus.OFFER:
        # After a withdrawn offer: the application is at "offer" already. Its version
        # still moves, so that two offers drafted at once cannot both be written.
        flag_modified(application, "overridden")
    else:
        raise ServiceError(
            f"The application is {application.status.value}: no offer can be made on it."
        )
    terms = _checked(
        values,
        requisition=requisition,
        decided_level=decided_level,
        decided_specialty=decided_specialty,
        actor=actor,
        start_before=None,
        on=today(),
    )
    offer = Offer(
        application_id=application.id,
        status=OfferStatus.DRAFT,
        created_by_id=actor.id,
        ladder_version=get_ladder().version,
        **terms,
    )
    db.session.add(offer)
    flush_or_conflict("This application")
    _audit_offer(
        "create",
        offer,
        actor,
        channel,
        {
            "level_id": offer.level_id,
            "specialty_id": offer.specialty_id,
            "needs_approval": offer.needs_approval,
            "fields": sorted(name for name in FIELDS if terms.get(name) not in (None, False)),
        },
    )
    commit_or_conflict("This application")
    return offer


def _check_version(offer: Offer, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != offer.version:
        raise stale("This offer")


def update_offer(
    offer: Offer,
    *,
    actor: User,
    values: Mapping[str, Any],
    expected_version: int | None,
    channel: str = "web",
) -> Offer:
    """Change a draft's terms: ``values`` holds the fields that change (others keep their
    value). Audited with the names of the fields changed. Commits."""
    application = db.session.get(Application, offer.application_id)
    assert application is not None
    requisition = hiring.requisition_of(application)
    _require_writer(actor, requisition)
    _check_version(offer, expected_version)
    try:
        check_editable(offer.status)
    except OfferError as exc:
        raise ServiceError(str(exc)) from None
    decided_level, decided_specialty = _hire_decision(application)
    before = terms_of(offer)
    merged = {**before, **{k: v for k, v in values.items() if k in FIELDS}}
    if (
        "level_id" in values
        and "specialty_id" not in values
        and values["level_id"] != before["level_id"]
    ):
        merged.pop("specialty_id")
    after = _checked(
        merged,
        requisition=requisition,
        decided_level=decided_level,
        decided_specialty=decided_specialty,
        actor=actor,
        start_before=before["start_date"],
        on=today(),
    )
    changed = changed_fields(before, after)
    if not changed:
        return offer
    for name in changed:
        setattr(offer, name, after[name])
    flush_or_conflict("This offer")
    _audit_offer(
        "update",
        offer,
        actor,
        channel,
        {
            "fields": list(changed),
            **(
                {"level_id": {"before": before["level_id"], "after": after["level_id"]}}
                if "level_id" in changed
                else {}
            ),
        },
    )
    commit_or_conflict("This offer")
    return offer


# --- moves -----------------------------------------------------------------------------


def move_offer(
    offer: Offer,
    move: OfferMove | str,
    *,
    actor: User,
    expected_version: int | None,
    reason: str | None = None,
    note: str | None = None,
    channel: str = "web",
) -> Offer:
    """Ask approval, approve or reject (admins), extend, record the candidate's answer
    (accept, or decline with a reason: the application then ends as withdrawn), or
    withdraw the offer. ``note``: the answer's or the withdrawal's note. Commits."""
    try:
        move = OfferMove(move)
    except ValueError:
        raise ServiceError(f"There is no offer move {move!r}.") from None
    application = db.session.get(Application, offer.application_id)
    assert application is not None
    requisition = hiring.requisition_of(application)
    if move in (OfferMove.APPROVE, OfferMove.REJECT):
        if not actor.has_role(Role.ADMIN):
            raise ServiceError("Only an admin approves or rejects an offer.")
    else:
        _require_writer(actor, requisition)
    _check_version(offer, expected_version)
    before = offer.status
    try:
        after = next_status(before, move, needs_approval=offer.needs_approval)
        if move is OfferMove.EXTEND:
            check_start_date(offer.start_date, today=today())
    except OfferError as exc:
        raise ServiceError(str(exc)) from None
    now = utcnow()
    written_note = _text({"note": note}, "note", MAX_RESPONSE_NOTE, "note")
    summary: dict[str, Any] = {"status": {"before": before.value, "after": after.value}}
    declined: OfferDeclineReason | None = None
    if move is OfferMove.DECLINE:
        try:
            declined = OfferDeclineReason(reason or "")
        except ValueError:
            raise OfferFieldError(
                "reason", "Choose why the candidate declined from the list."
            ) from None
        if declined is OfferDeclineReason.OTHER and not written_note:
            raise OfferFieldError("note", "Say why in the note when the reason is 'Other'.")
        summary["decline_reason"] = declined.value
    if move is OfferMove.APPROVE:
        offer.approved_by_id, offer.approved_at = actor.id, now
    elif move is OfferMove.REJECT:
        offer.approved_by_id, offer.approved_at = None, None
    elif move is OfferMove.EXTEND:
        offer.extended_at = now
    elif move in (OfferMove.ACCEPT, OfferMove.DECLINE, OfferMove.WITHDRAW):
        offer.responded_at = now
        offer.response_note = written_note
        offer.decline_reason = declined
    offer.status = after
    flush_or_conflict("This offer")
    _audit_offer(move.value, offer, actor, channel, summary)
    if declined is not None:
        hiring.enter_withdrawn(
            application,
            actor=actor,
            reason=f"Offer declined: {declined.label}",
            note=written_note,
            at=now,
            channel=channel,
        )
    commit_or_conflict("This offer")
    return offer


# --- the hire --------------------------------------------------------------------------


def _check_manager(user: User, manager_id: int) -> None:
    """The hiring manager may not end up managed, through others, by the new member."""
    boss_id: int | None = manager_id
    seen: set[int] = set()
    while boss_id is not None and boss_id not in seen:
        if boss_id == user.id:
            raise ServiceError(
                f"{user.display_name} cannot report to the hiring manager: that would make a "
                "loop of managers."
            )
        seen.add(boss_id)
        boss = db.session.get(User, boss_id)
        boss_id = boss.manager_id if boss is not None else None


#: Roles that open more than a team member's own pages: an account holding one is linked
#: by a hire only when an admin makes it.
_STAFF_ROLES = frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER})


def _account_for(
    candidate: Candidate, *, actor: User, channel: str, link_existing: bool
) -> tuple[User, bool]:
    """The account with the candidate's e-mail address (linked, once confirmed), or a new
    one: a team member without a password, who gets a welcome with a link to choose one.

    A candidate's address is not proof of identity, so an existing account is linked only
    when the hire says so (``link_existing``); one with staff roles only by an admin. An
    account that was deactivated or had left comes back as a team member only, without
    its old password, sessions or tokens: the welcome message lets them choose a new one."""
    if candidate.erased or not candidate.email:
        raise ServiceError(
            "The candidate has no e-mail address in HireLadder: their account cannot be "
            "made. Add the address to the candidate record first."
        )
    existing = accounts.get_user_by_email(candidate.email)
    if existing is not None:
        if not link_existing:
            raise OfferFieldError(
                "link_existing",
                f"An account with the address {existing.email} exists "
                f"({existing.display_name}): confirm that it is the same person to link it.",
            )
        staff = {r.role for r in existing.roles} & _STAFF_ROLES
        if staff and not actor.has_role(Role.ADMIN):
            raise OfferFieldError(
                "link_existing",
                f"The account {existing.email} holds staff roles "
                f"({', '.join(sorted(r.value for r in staff))}): only an admin may link it "
                "to a hire.",
            )
        if not existing.active or existing.left_on is not None:
            before = {"active": existing.active, "left_on": existing.left_on}
            existing.active = True
            existing.left_on = None
            # Back as a team member: nothing of the former access survives.
            existing.roles = [UserRole(role=Role.TEAM_MEMBER)]
            existing.password_hash = None
            sessions.end_all(existing, reason="rehired")
            db.session.execute(
                update(ApiToken)
                .where(ApiToken.user_id == existing.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            audit.record(
                "user.rehired",
                actor=actor,
                channel=channel,
                object_type="user",
                object_id=existing.id,
                summary={
                    "active": {"before": before["active"], "after": True},
                    "left_on": {
                        "before": before["left_on"].isoformat() if before["left_on"] else None,
                        "after": None,
                    },
                    "roles": {"after": [Role.TEAM_MEMBER.value]},
                    "password": "cleared",
                },
            )
            flush_or_conflict("This offer")
            password_resets.queue_welcome(existing, actor=actor, channel=channel, now=utcnow())
        if not existing.roles:
            existing.roles = [UserRole(role=Role.TEAM_MEMBER)]
        return existing, True
    user = User(
        email=accounts.normalize_email(candidate.email),
        display_name=candidate.name.strip() or candidate.email,
        password_hash=None,
        active=True,
        is_demo=False,
        must_change_password=False,
    )
    user.roles = [UserRole(role=Role.TEAM_MEMBER)]
    db.session.add(user)
    flush_or_conflict("This offer")
    audit.record(
        "user.create",
        actor=actor,
        channel=channel,
        object_type="user",
        object_id=user.id,
        summary={"roles": {"before": None, "after": [Role.TEAM_MEMBER.value]}, "hired": True},
    )
    password_resets.queue_welcome(user, actor=actor, channel=channel, now=utcnow())
    return user, False


def hire(
    offer: Offer,
    *,
    actor: User,
    start_date: date | None,
    expected_version: int | None,
    link_existing: bool = False,
    channel: str = "web",
) -> User:
    """Mark the candidate of an accepted offer hired from ``start_date`` (the offer's when
    None): their account is linked (same e-mail address) or made, with the offer's level and
    specialty from the start date (the level history's first span, reason "hired"), the
    requisition's hiring manager as manager; the application is hired, and the requisition
    filled when its hires reach its headcount. Commits. Returns the account."""
    application = db.session.get(Application, offer.application_id)
    assert application is not None
    requisition = hiring.requisition_of(application)
    _require_writer(actor, requisition)
    _check_version(offer, expected_version)
    try:
        check_hire(offer.status)
    except OfferError as exc:
        raise ServiceError(str(exc)) from None
    if application.status is ApplicationStatus.HIRED:
        raise ServiceError("The candidate of this offer is already hired.")
    on = today()
    start = start_date or offer.start_date
    if start is None:
        raise OfferFieldError("start_date", "The hire needs a start date.")
    if start != offer.start_date:
        try:
            check_start_date(start, today=on)
        except OfferError as exc:
            raise OfferFieldError("start_date", str(exc)) from None
        offer.start_date = start
        flag_modified(offer, "start_date")
    else:
        # The offer's version moves with the hire: two hires at once cannot both be written.
        flag_modified(offer, "level_id")
    candidate = db.session.get(Candidate, application.candidate_id)
    assert candidate is not None
    user, linked = _account_for(
        candidate, actor=actor, channel=channel, link_existing=link_existing
    )
    _check_manager(user, requisition.hiring_manager_id)
    manager_before = user.manager_id
    user.manager_id = requisition.hiring_manager_id
    levels.start_level(
        user,
        level_id=offer.level_id,
        specialty_id=offer.specialty_id,
        starts_on=start,
        reason=LevelReason.HIRED,
        actor=actor,
        today=on,
        application_id=application.id,
        channel=channel,
    )
    application.hired_user_id = user.id
    hiring.enter_hired(application, actor=actor, channel=channel)
    flush_or_conflict("This offer")
    _audit_offer(
        "hire",
        offer,
        actor,
        channel,
        {
            "user_id": user.id,
            "linked": linked,
            "start_date": start.isoformat(),
            "manager_id": {"before": manager_before, "after": requisition.hiring_manager_id},
        },
    )
    _fill(requisition, actor=actor, channel=channel)
    commit_or_conflict("This offer")
    return user


def hires_of(requisition_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(
                Application.requisition_id == requisition_id,
                Application.status == ApplicationStatus.HIRED,
            )
        )
        or 0
    )


def _fill(requisition: Requisition, *, actor: User, channel: str) -> None:
    """The requisition is filled once its hires reach its headcount (audited)."""
    hires = hires_of(requisition.id)
    if not is_filled(hires, requisition.headcount) or requisition.status in (
        RequisitionStatus.FILLED,
        RequisitionStatus.CLOSED,
    ):
        return
    before = requisition.status
    requisition.status = RequisitionStatus.FILLED
    audit.record(
        "requisition.filled",
        actor=actor,
        channel=channel,
        object_type="requisition",
        object_id=requisition.id,
        summary={
            "status": {"before": before.value, "after": RequisitionStatus.FILLED.value},
            "hires": hires,
            "headcount": requisition.headcount,
        },
    )


def audit_read(
    application: Application, actor: User, offer_ids: list[int], *, channel: str
) -> None:
    """An offer page or answer shows the candidate's offer (and maybe its compensation):
    the read is audited as a view of the candidate."""
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=actor,
        channel=channel,
        object_type="candidate",
        object_id=application.candidate_id,
        summary={
            "application_id": application.id,
            "page": "offers",
            "offer_ids": offer_ids,
            "compensation": sees_compensation(actor, application.requisition),
        },
    )


__all__ = [
    "FIELDS",
    "OfferFieldError",
    "approval_policy",
    "audit_read",
    "awaiting_approval",
    "count_awaiting_approval",
    "create_offer",
    "hire",
    "hires_of",
    "latest_offers",
    "may_write",
    "move_offer",
    "offer_by_id",
    "offers_of",
    "open_offer_of",
    "sees_compensation",
    "terms_of",
    "update_offer",
]
