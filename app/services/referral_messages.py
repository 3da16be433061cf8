"""Notifications about referrals: the requisition's recruiter hears of a new referral, and
the referrer of its outcome (hired, or not moving forward), never of anything between.

Queued before the change commits (the message commits with it); never commits. Both kinds
are internal notifications, so each person's preference applies (right away, in the daily
digest, or not at all). The messages name the person and the role only: the referrer's
reasons stay in HireLadder, and the referrer is never told a stage or a decline reason.
"""

from __future__ import annotations

from app.db import db
from app.models import Application, Candidate, Requisition, User
from app.services import outbox
from pipelines.applications import ApplicationStatus
from pipelines.sources import ApplicationSource, ReferralStatus, referral_status


def queue_received(
    requisition: Requisition, candidate: Candidate, referrer: User, *, referred_name: str
) -> bool:
    """Tell the requisition's recruiter (when active, and not the referrer) of the referral."""
    recruiter = db.session.get(User, requisition.recruiter_id)
    if recruiter is None or not recruiter.active or recruiter.id == referrer.id:
        return False
    message = outbox.queue(
        "referral_received",
        outbox.to_user(recruiter),
        {
            "referrer_name": referrer.display_name,
            "candidate_name": referred_name,
            "requisition_title": requisition.title,
            "consent_recorded": candidate.consent_on is not None,
            "link": outbox.external_url("hiring.board", requisition_id=requisition.id),
        },
        about=("requisition", requisition.id),
    )
    return message is not None


def queue_outcome(application: Application, before: ApplicationStatus) -> bool:
    """Tell the referrer that their referral was hired or will not go further, once the
    application's status became one of those (from an active one)."""
    if application.source is not ApplicationSource.REFERRAL or application.referrer_id is None:
        return False
    status = referral_status(application.status)
    if status is ReferralStatus.IN_PROCESS or referral_status(before) is status:
        return False
    referrer = db.session.get(User, application.referrer_id)
    requisition = db.session.get(Requisition, application.requisition_id)
    if referrer is None or not referrer.active or requisition is None:
        return False
    message = outbox.queue(
        "referral_update",
        outbox.to_user(referrer),
        {
            # The name the referrer gave: never what another record holds.
            "candidate_name": application.referred_name or "the person you referred",
            "requisition_title": requisition.title,
            "hired": status is ReferralStatus.HIRED,
            "status_label": status.label,
            "link": outbox.external_url("referrals.mine"),
        },
        about=("application", application.id),
        dedupe_key=f"referral-{application.id}-{status.value}",
    )
    return message is not None
