"""Forms of the admin Mail pages: the outbox filters and the retry button."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from app.fields import VersionField
from pipelines.outbox import KINDS, MessageStatus


class MailFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Every status"),
            *(SelectChoice(s.value, s.label) for s in MessageStatus),
        ],
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Every kind"), *(SelectChoice(k.key, k.label) for k in KINDS)],
        validators=[Optional()],
    )


class RetryForm(FlaskForm):
    """Put a dead message back in the queue; the version is the one the page showed."""

    version = VersionField(validators=[DataRequired()])
