"""The offer's forms: its terms (drafted and changed in draft), a move on it (with the
candidate's answer), and the hire."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.fields import VersionField
from pipelines.offers import (
    MAX_AMOUNT,
    MAX_COMPENSATION_NOTE,
    MAX_EQUITY,
    MAX_LOCATION,
    MAX_RESPONSE_NOTE,
    OfferDeclineReason,
    OfferMove,
)


class OfferForm(FlaskForm):
    level_id = SelectField("Level", validators=[DataRequired()])
    specialty_id = SelectField("Specialty", validators=[Optional()])
    start_date = DateField(
        "Start date",
        validators=[Optional()],
        description="Needed before the offer is extended.",
    )
    location = StringField("Location", validators=[Optional(), Length(max=MAX_LOCATION)])
    needs_approval = BooleanField("An admin approves this offer before it is extended")
    currency = StringField(
        "Currency",
        validators=[Optional(), Length(max=3)],
        description="ISO 4217 code, e.g. EUR.",
    )
    base_salary = IntegerField(
        "Base salary (yearly)", validators=[Optional(), NumberRange(min=0, max=MAX_AMOUNT)]
    )
    bonus = IntegerField(
        "Target bonus (yearly)", validators=[Optional(), NumberRange(min=0, max=MAX_AMOUNT)]
    )
    equity = StringField("Equity", validators=[Optional(), Length(max=MAX_EQUITY)])
    compensation_note = TextAreaField(
        "Compensation note", validators=[Optional(), Length(max=MAX_COMPENSATION_NOTE)]
    )
    override_reason = TextAreaField(
        "Override reason (hiring manager only)",
        validators=[Optional(), Length(max=2000)],
        description="Needed only to make the offer although the reference check is not passed.",
    )
    version = VersionField()


class OfferMoveForm(FlaskForm):
    move = SelectField(
        "Move",
        choices=[SelectChoice(m.value, m.value.replace("_", " ")) for m in OfferMove],
        validators=[DataRequired()],
    )
    reason = SelectField(
        "Why the candidate declined",
        choices=[SelectChoice("", "Choose a reason…")]
        + [SelectChoice(r.value, r.label) for r in OfferDeclineReason],
        validators=[Optional()],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=MAX_RESPONSE_NOTE)])
    version = VersionField(validators=[DataRequired()])


class HireForm(FlaskForm):
    start_date = DateField("Start date", validators=[DataRequired(message="Give the start date.")])
    link_existing = BooleanField("Link the existing account with this e-mail address")
    version = VersionField(validators=[DataRequired()])
