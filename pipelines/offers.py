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


__all__ = [
    "DECLINE_REASON_CHOICES",
    "OPEN_OFFER_STATUSES",
    "OfferDeclineReason",
    "OfferError",
    "OfferMove",
    "OfferStatus",
    "OfferViewer",
    "can_see_compensation",
    "check_editable",
    "check_start_date",
    "next_status",
]
