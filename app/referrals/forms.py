"""The referral form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from pipelines.referrals import AGREEMENT, MAX_NOTE


class ReferralForm(FlaskForm):
    # The choices are the open requisitions offered (a bounded list); the service checks
    # that the one sent is open, so a role opened since the page was built also works.
    requisition_id = SelectField(
        "Role", coerce=int, validate_choice=False, validators=[DataRequired("Choose a role.")]
    )
    name = StringField("Their name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "Their e-mail address", validators=[DataRequired(), Email(), Length(max=254)]
    )
    note = TextAreaField(
        "Why you recommend them",
        validators=[DataRequired("Say why you recommend this person."), Length(max=MAX_NOTE)],
        description="What you know of their work; the recruiter and the hiring manager read it.",
        render_kw={"rows": 6},
    )
    cv = FileField("Their CV (optional: PDF, Word .docx or plain text)")
    agreement = BooleanField(
        AGREEMENT, validators=[DataRequired("Confirm that the person agreed to be referred.")]
    )
