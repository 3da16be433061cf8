"""Forms of the promotion pages. The packet form itself is built from its sections."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.fields import VersionField
from pipelines.promotions import MAX_TEXT


class StartForm(FlaskForm):  # type: ignore[misc]
    target_level_id = RadioField(
        "Target level",
        choices=[],
        validators=[DataRequired(message="Choose the level this packet argues for.")],
        validate_choice=True,
    )


class DecisionForm(FlaskForm):  # type: ignore[misc]
    decision = RadioField(
        "Decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("decline", "Decline")],
        validators=[DataRequired(message="Choose approve or decline.")],
    )
    comment = TextAreaField(
        "Comment",
        validators=[Optional(), Length(max=MAX_TEXT)],
        description="Required when declining; the author and the person will read it.",
    )
    effective_on = DateField(
        "Effective from",
        validators=[Optional()],
        description="When approving: the day the new level counts from (today when left "
        "empty); not before the packet was submitted, at most a year ahead. A later day "
        "takes effect on that day.",
    )
    version = VersionField()


class WithdrawForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(
        "Reason",
        validators=[Optional(), Length(max=MAX_TEXT)],
        description="Optional; the person and the approver will read it.",
    )
    version = VersionField()
