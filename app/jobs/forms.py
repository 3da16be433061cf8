"""Forms of the careers site (the application) and of the recruiters' posting editor."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.fields import VersionField
from pipelines.postings import MAX_INTRO, MAX_LOCATION, EmploymentType

MAX_NOTE = 5000
MAX_LINKS = 5
MAX_LINK_LENGTH = 500


def split_links(raw: str | None) -> list[str]:
    """The non-empty lines of the links box, each stripped, without repeats."""
    return list(dict.fromkeys(line.strip() for line in (raw or "").splitlines() if line.strip()))


class Links:
    """Up to MAX_LINKS web addresses, one a line, each http:// or https://."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        links = split_links(field.data)
        if len(links) > MAX_LINKS:
            raise ValidationError(f"At most {MAX_LINKS} links, one a line.")
        for link in links:
            parts = urlsplit(link)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or len(link) > MAX_LINK_LENGTH
                or any(ch.isspace() for ch in link)
            ):
                raise ValidationError(
                    f"{link[:80]!r} is not a web address: write each link as "
                    "https://example.org/… (at most 500 characters), one a line."
                )


class ApplyForm(FlaskForm):
    name = StringField(
        "Full name", validators=[DataRequired(message="Tell us your name."), Length(max=200)]
    )
    email = EmailField(
        "E-mail address",
        validators=[
            DataRequired(message="We need your e-mail address to answer you."),
            Email(message="This is not an e-mail address."),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = StringField(
        "Phone (optional)",
        validators=[Optional(), Length(max=50)],
        render_kw={"autocomplete": "tel"},
    )
    links = TextAreaField(
        "Links (optional)",
        validators=[Optional(), Length(max=MAX_LINKS * (MAX_LINK_LENGTH + 2)), Links()],
        description=f"A profile, a portfolio, a repository: up to {MAX_LINKS}, one a line.",
        render_kw={"rows": 3},
    )
    cv = FileField("CV (PDF, Word .docx or plain text)")
    note = TextAreaField(
        "A note to the team (optional)",
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=f"Anything you want us to know; at most {MAX_NOTE} characters.",
        render_kw={"rows": 4},
    )
    consent = BooleanField(
        "I agree to the privacy notice above",
        validators=[DataRequired(message="Please agree to the privacy notice to apply.")],
    )
    consent_version = HiddenField()
    #: The honeypot: hidden from people (and screen readers); a bot fills it in.
    website = StringField(
        "Leave this field empty",
        validators=[Length(max=200)],
        render_kw={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"},
    )
    stamp = HiddenField()


class PostingForm(FlaskForm):
    intro = TextAreaField(
        "Intro",
        validators=[Optional(), Length(max=MAX_INTRO)],
        description="Your own words above the ladder's text: the team, the product, why now. "
        "Blank lines separate paragraphs.",
        render_kw={"rows": 6},
    )
    location = StringField(
        "Location",
        validators=[Optional(), Length(max=MAX_LOCATION)],
        description="City, Country (e.g. Berlin, Germany); for a remote role, where applicants "
        "must live (e.g. Germany, EMEA). Needed to publish.",
    )
    remote = BooleanField("Remote role")
    employment_type = SelectField(
        "Employment type",
        choices=[SelectChoice(t.value, t.label) for t in EmploymentType],
        default=EmploymentType.FULL_TIME.value,
    )
    valid_through = DateField(
        "Open for applications until",
        validators=[Optional()],
        description="Empty: until you unpublish it or the requisition closes.",
    )
    version = VersionField(validators=[DataRequired()])


class PostingActionForm(FlaskForm):
    version = VersionField(validators=[DataRequired()])
