"""The message templates an admin reads in one list: every kind of message, who receives
it, and the source of its subject, text and HTML templates (``templates/mail/<kind>.*``).

A kind whose templates are not written yet is listed with "no template yet" for each
missing part, never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from jinja2 import TemplateNotFound

from pipelines.outbox import KINDS, Kind

#: Who receives each kind (pipelines.outbox.KINDS), in words for the admin's list.
RECIPIENTS: dict[str, str] = {
    "interview_invitation": "Each interviewer of the interview.",
    "scorecard_reminder": "An interviewer whose scorecard is overdue.",
    "overdue_digest": "The recruiter of each requisition with overdue scorecards.",
    "packet_submitted": "The person who decides on the promotion packet.",
    "packet_decided": "The packet's author and the person it is about.",
    "referral_received": "The recruiter of the requisition someone was referred to.",
    "referral_update": "The referrer, when the referral is hired or will not go further.",
    "digest": "Each person who chose a daily digest for some notifications.",
    "candidate_interview": "The candidate, when the recruiter chooses to invite them.",
    "assessment_link": "The candidate.",
    "application_received": "The candidate who applied on the careers site.",
    "decline": "The candidate.",
    "password_reset": "The person who asked for a new password.",
    "new_device": "The owner of the account.",
    "account_welcome": "A new team member whose account was made when they were hired.",
    "test": "The address given to `flask mail test`.",
}

#: The three templates of a kind: (suffix, label).
PARTS: tuple[tuple[str, str], ...] = (
    ("subject.txt", "Subject"),
    ("txt", "Plain text"),
    ("html", "HTML"),
)

LAYOUT = "mail/_layout.html"


@dataclass(frozen=True)
class TemplatePart:
    label: str
    #: The template's name, e.g. ``mail/decline.txt``.
    name: str
    #: Its source; None when the template does not exist yet.
    source: str | None


@dataclass(frozen=True)
class KindTemplates:
    kind: Kind
    recipients: str
    parts: tuple[TemplatePart, ...]

    @property
    def complete(self) -> bool:
        return all(part.source is not None for part in self.parts)


def template_source(app: Flask, name: str) -> str | None:
    """The source of template ``name`` as the app would load it; None when it is missing."""
    loader = app.jinja_env.loader
    if loader is None:
        return None
    try:
        source, _filename, _uptodate = loader.get_source(app.jinja_env, name)
    except TemplateNotFound:
        return None
    return source


def _part(app: Flask, kind: Kind, suffix: str, label: str) -> TemplatePart:
    name = f"mail/{kind.key}.{suffix}"
    return TemplatePart(label, name, template_source(app, name))


def kind_templates(app: Flask) -> list[KindTemplates]:
    """Every kind of message, in the order of :data:`pipelines.outbox.KINDS`."""
    return [
        KindTemplates(
            kind=kind,
            recipients=RECIPIENTS.get(kind.key, "Not described yet."),
            parts=tuple(_part(app, kind, suffix, label) for suffix, label in PARTS),
        )
        for kind in KINDS
    ]
