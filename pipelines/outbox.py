"""Outgoing messages: their states, the retry schedule, and who gets what, when.

A message is queued in the same transaction as the change that causes it and delivered
later by a worker. Delivery either succeeds (``sent``, or ``kept`` where no mail server is
configured and messages are only shown on the admin Mail page), fails for a while
(``queued`` again, due after a back-off that doubles each time), or gives up (``dead``)
after :data:`MAX_ATTEMPTS` or at once on a permanent refusal. An admin can put a dead
message back in the queue.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Attempts before a message is given up as dead.
MAX_ATTEMPTS = 8
#: The first retry waits this long; each later one twice as long as the one before ...
FIRST_RETRY = timedelta(minutes=1)
#: ... but never longer than this.
LONGEST_RETRY = timedelta(hours=6)
#: How long a worker may hold a claimed message before another worker may take it over
#: (a worker that crashed mid-delivery leaves its claims behind).
CLAIM_LEASE = timedelta(minutes=5)


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    #: Delivered to the admin Mail page only: no mail server is configured.
    KEPT = "kept"
    DEAD = "dead"
    #: Waiting for the recipient's daily digest, which sends it as part of one message.
    HELD = "held"
    #: Sent inside a digest message.
    DIGESTED = "digested"

    @property
    def label(self) -> str:
        return {
            "queued": "Queued",
            "sending": "Being sent",
            "sent": "Sent",
            "kept": "Kept (no mail server)",
            "dead": "Failed, given up",
            "held": "Waiting for the daily digest",
            "digested": "Sent in a digest",
        }[self.value]


#: States in which a message may still go out.
PENDING = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.HELD})


class Delivery(enum.StrEnum):
    """How a person wants one kind of internal notification."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"

    @property
    def label(self) -> str:
        return {"immediate": "Right away", "digest": "In a daily digest", "off": "Never"}[
            self.value
        ]


@dataclass(frozen=True)
class Kind:
    """One kind of message: its key (also its template's name) and how it may be received."""

    key: str
    label: str
    #: Internal notifications can be chosen per person (immediately, digest, off);
    #: messages to candidates and security messages always go right away.
    choosable: bool
    description: str


KINDS: tuple[Kind, ...] = (
    Kind(
        "interview_invitation",
        "Interview invitations",
        True,
        "An interview you conduct is scheduled, moved or cancelled (with the calendar file).",
    ),
    Kind(
        "scorecard_reminder",
        "Scorecard reminders",
        True,
        "Your scorecard is overdue: more than one working day after the interview.",
    ),
    Kind(
        "overdue_digest",
        "Overdue scorecards in your requisitions",
        True,
        "Once a day, to recruiters: the scorecards overdue in their requisitions.",
    ),
    Kind(
        "packet_submitted",
        "Promotion packets to decide",
        True,
        "A promotion packet was submitted for your approval.",
    ),
    Kind(
        "packet_decided",
        "Promotion decisions",
        True,
        "A promotion packet you wrote, or about you, was approved or declined.",
    ),
    Kind(
        "referral_received",
        "New referrals",
        True,
        "A team member referred someone to a requisition you recruit for.",
    ),
    Kind(
        "referral_update",
        "Your referrals",
        True,
        "Someone you referred was hired, or their application will not go further.",
    ),
    Kind("digest", "Daily digest", False, "The notifications you chose to get once a day."),
    Kind(
        "candidate_interview",
        "Interview invitation to a candidate",
        False,
        "Sent to the candidate when the recruiter chooses to.",
    ),
    Kind(
        "assessment_link",
        "Written assessment",
        False,
        "The candidate's private link to the written assessment.",
    ),
    Kind(
        "application_received",
        "Application received",
        False,
        "Acknowledges an application made on the careers site.",
    ),
    Kind(
        "decline",
        "Decline",
        False,
        "Tells a candidate the application will not go further (edited and confirmed by "
        "the recruiter).",
    ),
    Kind("password_reset", "Password reset", False, "A link to choose a new password."),
    Kind(
        "account_welcome",
        "Welcome to a new account",
        False,
        "A new team member's account, made when they were hired: a link to choose a password.",
    ),
    Kind(
        "new_device",
        "New device signed in",
        False,
        "Someone signed in to your account from a browser not seen before.",
    ),
    Kind("test", "Test message", False, "Sent by `flask mail test`."),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


def delivery_for(kind_key: str, preferences: dict[str, str] | None) -> Delivery:
    """How a person receives ``kind_key``: their choice for choosable kinds, else at once.

    An unknown or damaged preference counts as the default (right away).
    """
    kind = KINDS_BY_KEY.get(kind_key)
    if kind is None or not kind.choosable:
        return Delivery.IMMEDIATE
    raw = (preferences or {}).get(kind_key, Delivery.IMMEDIATE.value)
    try:
        return Delivery(raw)
    except ValueError:
        return Delivery.IMMEDIATE


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1 → one minute, doubling,
    at most :data:`LONGEST_RETRY`)."""
    if attempts < 1:
        raise ValueError("attempts counts failed attempts, starting at 1")
    # 2**30 minutes is far past the cap; stop doubling there to keep the numbers small.
    delay: timedelta = FIRST_RETRY * (2 ** min(attempts - 1, 30))
    return min(delay, LONGEST_RETRY)


@dataclass(frozen=True)
class AfterFailure:
    status: MessageStatus
    due_at: datetime | None


def after_failure(
    attempts: int, now: datetime, *, permanent: bool, max_attempts: int = MAX_ATTEMPTS
) -> AfterFailure:
    """What becomes of a message whose ``attempts``-th delivery attempt failed: back in
    the queue after :func:`retry_delay`, or dead (permanent refusal, or attempts used up)."""
    if permanent or attempts >= max_attempts:
        return AfterFailure(MessageStatus.DEAD, None)
    return AfterFailure(MessageStatus.QUEUED, now + retry_delay(attempts))
