from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.admin.forms import MultiCheckboxField


class ScheduleForm(FlaskForm):
    interviewers = MultiCheckboxField("Interviewers", coerce=int)
    starts_at = DateTimeLocalField(
        "Starts at (UTC)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="Leave empty to schedule later; times are in UTC.",
    )
    location = StringField(
        "Where", validators=[Optional(), Length(max=300)], description="A room or a video link."
    )


class AmendForm(FlaskForm):
    text = TextAreaField("Amendment", validators=[DataRequired(), Length(max=5000)])


class ScorecardFormBase(FlaskForm):
    """Fields for each criterion are added per interview (see ``scorecard_form``)."""

    recommendation = HiddenField()
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=20000)])
    version = HiddenField()


__all__ = ["AmendForm", "ScheduleForm", "ScorecardFormBase", "SelectMultipleField"]
