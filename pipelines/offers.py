"""An offer's life: drafted, approved when approval is asked for, extended, then accepted
or declined (or withdrawn by the company before an answer).

::

    draft ──(approval asked)──> awaiting_approval ──approve──> approved ──extend──> extended
      │                              │ reject -> draft                               │
      └──────────────(no approval)───────────────────────────extend─────────────────┤
                                                                        accept / decline
    withdrawn: from any state before an answer

Compensation is seen only by the recruiter and hiring manager of the requisition and by
admins (:func:`can_see_compensation`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pipelines.errors import PipelineError


class OfferError(PipelineError):
    """An offer move the rules refuse; the message says why."""


class OfferStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    EXTENDED = "extended"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @property
    def is_open(self) -> bool:
        """Still waiting for something (not accepted, declined or withdrawn)."""
        return self not in _CLOSED


_CLOSED = frozenset({OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN})
OPEN_OFFER_STATUSES = tuple(status for status in OfferStatus if status.is_open)


class OfferMove(StrEnum):
    ASK_APPROVAL = "ask_approval"
    APPROVE = "approve"
    REJECT = "reject"
    EXTEND = "extend"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class OfferDeclineReason(StrEnum):
    """Why a candidate said no (reported by reason)."""

    COMPENSATION = "compensation"
    OTHER_OFFER = "other_offer"
    COUNTER_OFFER = "counter_offer"
    LOCATION = "location"
    ROLE = "role"
    TIMING = "timing"
    PERSONAL = "personal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DECLINE_LABELS[self]


_DECLINE_LABELS = {
    OfferDeclineReason.COMPENSATION: "Compensation",
    OfferDeclineReason.OTHER_OFFER: "Accepted another offer",
    OfferDeclineReason.COUNTER_OFFER: "Counter-offer from the current employer",
    OfferDeclineReason.LOCATION: "Location or remote work",
    OfferDeclineReason.ROLE: "The role or level",
    OfferDeclineReason.TIMING: "Start date or timing",
    OfferDeclineReason.PERSONAL: "Personal reasons",
    OfferDeclineReason.OTHER: "Other",
}

#: ``(value, label)`` pairs for a form.
DECLINE_REASON_CHOICES = tuple((reason.value, reason.label) for reason in OfferDeclineReason)

_MOVES: dict[OfferMove, tuple[frozenset[OfferStatus], OfferStatus]] = {
    OfferMove.ASK_APPROVAL: (frozenset({OfferStatus.DRAFT}), OfferStatus.AWAITING_APPROVAL),
    OfferMove.APPROVE: (frozenset({OfferStatus.AWAITING_APPROVAL}), OfferStatus.APPROVED),
    OfferMove.REJECT: (frozenset({OfferStatus.AWAITING_APPROVAL}), OfferStatus.DRAFT),
    OfferMove.EXTEND: (frozenset({OfferStatus.DRAFT, OfferStatus.APPROVED}), OfferStatus.EXTENDED),
    OfferMove.ACCEPT: (frozenset({OfferStatus.EXTENDED}), OfferStatus.ACCEPTED),
    OfferMove.DECLINE: (frozenset({OfferStatus.EXTENDED}), OfferStatus.DECLINED),
    OfferMove.WITHDRAW: (frozenset(OPEN_OFFER_STATUSES), OfferStatus.WITHDRAWN),
}


def next_status(status: OfferStatus, move: OfferMove, *, needs_approval: bool) -> OfferStatus:
    """The status after ``move``, or :class:`OfferError` saying why it cannot happen.

    An offer that needs approval is extended only once approved; a draft of one that does
    not is extended directly. Editing (terms) is allowed in draft only.
    """
    allowed, after = _MOVES[move]
    if status not in allowed:
        raise OfferError(f"Cannot {move.value.replace('_', ' ')} an offer that is {status.label}.")
    if move is OfferMove.EXTEND and needs_approval and status is not OfferStatus.APPROVED:
        raise OfferError("This offer needs an admin's approval before it is extended.")
    if move is OfferMove.ASK_APPROVAL and not needs_approval:
        raise OfferError("This offer does not need approval; extend it.")
    return after


def check_editable(status: OfferStatus) -> None:
    if status is not OfferStatus.DRAFT:
        raise OfferError(f"The offer is {status.label}; its terms change only while it is a draft.")


@dataclass(frozen=True, slots=True)
class OfferViewer:
    """Who asks to see an offer."""

    user_id: int
    is_admin: bool


def can_see_compensation(viewer: OfferViewer, *, recruiter_id: int, hiring_manager_id: int) -> bool:
    """Compensation is for the requisition's recruiter and hiring manager and admins."""
    return viewer.is_admin or viewer.user_id in (recruiter_id, hiring_manager_id)


def check_start_date(start: date | None, *, today: date) -> date:
    """A start date is required for the offer to be extended and may not lie in the past
    when it is set."""
    if start is None:
        raise OfferError("The offer needs a start date.")
    if start < today:
        raise OfferError(f"The start date {start.isoformat()} is in the past.")
    return start


#: Length limits of the offer's text fields (forms and API bodies).
MAX_LOCATION = 200
MAX_EQUITY = 200
MAX_COMPENSATION_NOTE = 5_000
MAX_RESPONSE_NOTE = 2_000
#: The largest amount (base salary, bonus) an offer holds: what an INTEGER column stores.
MAX_AMOUNT = 2_147_483_647

#: The terms of an offer, as named in audit rows and forms.
TERM_FIELDS = ("level_id", "specialty_id", "start_date", "location", "needs_approval")
#: The terms only the requisition's recruiter and hiring manager and admins see.
COMPENSATION_FIELDS = ("currency", "base_salary", "bonus", "equity", "compensation_note")


class ApprovalPolicy(StrEnum):
    """``HIRELADDER_OFFER_APPROVAL``: every offer needs an admin's approval before it is
    extended (``always``), or the one who drafts it decides (``optional``, the default)."""

    ALWAYS = "always"
    OPTIONAL = "optional"


def needs_approval(policy: ApprovalPolicy, *, asked: bool) -> bool:
    """Whether an offer waits for an admin's approval: always under ``always``, else when
    its drafter ticked "needs approval"."""
    return policy is ApprovalPolicy.ALWAYS or asked


def check_offer_level(
    options: Sequence[str], *, decided: str, chosen: str | None, may_relevel: bool
) -> str:
    """The level an offer is at: the hire decision's unless another is chosen, and then
    only one of the levels the decision could have named (``options``: the requisition's
    level, one below and one above on its track), by someone who may decide (the hiring
    manager, an admin)."""
    level = chosen or decided
    if level == decided:
        return level
    if level not in options:
        raise OfferError(
            f"An offer is at the decision's level ({decided}) or another level the decision "
            f"could have named ({', '.join(options)}); not {level}."
        )
    if not may_relevel:
        raise OfferError(
            "Only the hiring manager (or an admin) may make the offer at a level other than "
            f"the decision's ({decided})."
        )
    return level


_CURRENCY = re.compile(r"[A-Z]{3}")


def check_currency(code: str | None) -> str | None:
    """An ISO 4217 code (three letters, written in capitals), or None."""
    if code is None or not code.strip():
        return None
    cleaned = code.strip().upper()
    if not _CURRENCY.fullmatch(cleaned):
        raise OfferError(f"A currency is a three-letter ISO 4217 code such as EUR, not {code!r}.")
    return cleaned


def check_amount(name: str, amount: int | None) -> int | None:
    """A yearly amount in whole units of the currency: 0 or more, or None."""
    if amount is None:
        return None
    if amount < 0:
        raise OfferError(f"The {name} cannot be negative.")
    if amount > MAX_AMOUNT:
        raise OfferError(f"The {name} is at most {MAX_AMOUNT:,}.")
    return amount


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[str, ...]:
    """The names of the terms whose values differ, sorted (an audit row names the fields,
    never the figures)."""
    return tuple(
        sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
    )


def moves_for(
    status: OfferStatus, *, needs_approval: bool, may_write: bool, is_admin: bool
) -> tuple[OfferMove, ...]:
    """The moves the offer's status allows now and the viewer may make, in the order they
    are shown: approving and rejecting are admins'; the others are for those who write the
    offer (the requisition's recruiter and hiring manager, admins)."""
    out: list[OfferMove] = []
    for move in OfferMove:
        if move in (OfferMove.APPROVE, OfferMove.REJECT):
            if not is_admin:
                continue
        elif not may_write:
            continue
        try:
            next_status(status, move, needs_approval=needs_approval)
        except OfferError:
            continue
        out.append(move)
    return tuple(out)


def check_hire(status: OfferStatus) -> None:
    """Only an accepted offer leads to a hire."""
    if status is not OfferStatus.ACCEPTED:
        raise OfferError(
            f"The offer is {status.label}: the candidate is marked hired only once they "
            "have accepted it."
        )


def is_filled(hires: int, headcount: int) -> bool:
    """A requisition is filled once its hires reach its headcount."""
    return hires >= headcount


__all__ = [
    "COMPENSATION_FIELDS",
    "DECLINE_REASON_CHOICES",
    "MAX_AMOUNT",
    "MAX_COMPENSATION_NOTE",
    "MAX_EQUITY",
    "MAX_LOCATION",
    "MAX_RESPONSE_NOTE",
    "OPEN_OFFER_STATUSES",
    "TERM_FIELDS",
    "ApprovalPolicy",
    "OfferDeclineReason",
    "OfferError",
    "OfferMove",
    "OfferStatus",
    "OfferViewer",
    "can_see_compensation",
    "changed_fields",
    "check_amount",
    "check_currency",
    "check_editable",
    "check_hire",
    "check_offer_level",
    "check_start_date",
    "is_filled",
    "moves_for",
    "needs_approval",
    "next_status",
]
