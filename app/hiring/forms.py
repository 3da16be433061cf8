"""Hiring forms: requisitions, candidates, the moves of an application, interviews, and the
candidate's answers to the written assessment."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.fields import MultiCheckboxField, VersionField
from app.inputs import DB_INT_MAX
from app.services.assessments import MAX_ANSWER_LENGTH
from pipelines.applications import ApplicationStatus, DeclineReason
from pipelines.candidates import MAX_LINK_LENGTH, MAX_LINKS, MAX_TAG_LENGTH
from pipelines.candidates import MAX_NOTES as MAX_CANDIDATE_NOTES
from pipelines.leveling import MAX_RATIONALE, Outcome
from pipelines.messages import MAX_MESSAGE_LENGTH
from pipelines.privacy import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import RECRUITER_SOURCES, ApplicationSource
from pipelines.timezones import zone_problem

#: The sources a recruiter chooses from when adding a candidate.
RECRUITER_SOURCE_CHOICES = [SelectChoice(s.value, s.label) for s in RECRUITER_SOURCES]


class TimeZone:
    """An IANA time zone name, or nothing."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        problem = zone_problem(field.data)
        if problem:
            raise ValidationError(problem)


class RequisitionForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[Optional(), Length(max=200)],
        description="Leave empty to use the level's title.",
    )
    level_id = SelectField("Level", validators=[DataRequired()])
    specialty_id = SelectField("Specialty", validators=[Optional()])
    hiring_manager_id = SelectField("Hiring manager", coerce=int, validators=[DataRequired()])
    recruiter_id = SelectField("Recruiter", coerce=int, validators=[DataRequired()])
    headcount = IntegerField("Headcount", default=1, validators=[NumberRange(min=1, max=500)])
    status = SelectField(
        "Status",
        choices=[SelectChoice(s.value, s.label) for s in RequisitionStatus],
        default=RequisitionStatus.OPEN.value,
    )
    version = VersionField()


class CandidateForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    location = StringField("Location", validators=[Optional(), Length(max=200)])
    application_source = SelectField(
        "Source",
        choices=RECRUITER_SOURCE_CHOICES,
        default=ApplicationSource.SOURCED.value,
        description="Where the candidate came from (the careers site and referrals set theirs).",
    )
    # The free text kept on the candidate since before sources were recorded per
    # application: now the details of the source, e.g. the agency's name or the job board.
    source = StringField(
        "Source details",
        validators=[Optional(), Length(max=100)],
        description="Optional, e.g. the agency's name, the job board or the event.",
    )
    timezone = StringField(
        "Time zone",
        validators=[Optional(), Length(max=64), TimeZone()],
        # Suggestions from the page's <datalist id="zones">.
        render_kw={"list": "zones", "autocomplete": "off"},
        description="Where the candidate's interview times are written, e.g. Europe/Berlin; "
        "empty: the installation's default.",
    )
    consent_on = DateField(
        "Consent to process data given on",
        validators=[DataRequired()],
        description="The date the candidate agreed to their data being kept.",
    )
    consent_version = SelectField(
        "Consent text agreed to",
        choices=[SelectChoice(v, f"Version {v}") for v in sorted(CONSENT_TEXTS, reverse=True)],
        default=CURRENT_CONSENT_VERSION,
        description="The version of the consent text the candidate agreed to.",
    )
    cv = FileField("CV (PDF, Word .docx or plain text)")


class CandidateTimezoneForm(FlaskForm):
    timezone = StringField(
        "Time zone",
        validators=[Optional(), Length(max=64), TimeZone()],
        # Suggestions from the page's <datalist id="zones">.
        render_kw={"list": "zones", "autocomplete": "off"},
        description="An IANA name such as Europe/Berlin; empty: the installation's default.",
    )
    version = VersionField(validators=[DataRequired()])


class ConsentForm(FlaskForm):
    """Consent given again: the retention period runs from this date."""

    consent_on = DateField("Consent given (or renewed) on", validators=[DataRequired()])
    consent_version = SelectField(
        "Consent text agreed to",
        choices=[SelectChoice(v, f"Version {v}") for v in sorted(CONSENT_TEXTS, reverse=True)],
        default=CURRENT_CONSENT_VERSION,
    )
    version = VersionField(validators=[DataRequired()])


class EraseForm(FlaskForm):
    confirm = BooleanField(
        "I understand that the candidate's name, contact details, CV, notes and answers are "
        "removed for good",
        validators=[DataRequired(message="Tick the box to confirm the erasure.")],
    )
    version = VersionField(validators=[DataRequired()])


class ExistingCandidateForm(FlaskForm):
    candidate_id = IntegerField(
        widget=HiddenInput(), validators=[DataRequired(), NumberRange(min=1, max=DB_INT_MAX)]
    )
    application_source = SelectField(
        "Source",
        choices=RECRUITER_SOURCE_CHOICES,
        default=ApplicationSource.SOURCED.value,
    )


class ActionForm(FlaskForm):
    version = VersionField(validators=[DataRequired()])


class AdvanceForm(ActionForm):
    override_reason = TextAreaField(
        "Override reason (hiring manager only)",
        validators=[Optional(), Length(max=2000)],
        description="Needed only to move on without passing evidence.",
    )


class DeclineForm(ActionForm):
    reason = SelectField(
        "Reason",
        choices=[SelectChoice("", "Choose a reason…")]
        + [SelectChoice(r.value, r.label) for r in DeclineReason],
        validators=[DataRequired(message="Choose a reason.")],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])


class DecisionForm(FlaskForm):
    """The debrief's decision: hire (at which level) or no hire, with the reason."""

    outcome = RadioField(
        "Decision",
        choices=[SelectChoice(o.value, o.label) for o in Outcome],
        validators=[InputRequired(message="Choose hire or no hire.")],
    )
    # The choices are the requisition's level options, set by the view; a level that is
    # not one of them is refused by the leveling rules with their own message.
    level_id = RadioField("Level", choices=[], validate_choice=False, validators=[Optional()])
    rationale = TextAreaField(
        "Rationale",
        validators=[Optional(), Length(max=MAX_RATIONALE)],
        description="Why this decision. Required to hire at a level other than the "
        "requisition's; the recruiter reads it.",
        render_kw={"rows": 5},
    )
    # Empty for the first decision; the decision's version when revising it.
    version = VersionField(validators=[Optional()])


class DeclineMessageForm(DeclineForm):
    """Decline with a message to the candidate: composed, previewed, then confirmed."""

    message = TextAreaField(
        "Message to the candidate",
        # A coarse cap on what is read; the service has the real limit and its message.
        validators=[Length(max=2 * MAX_MESSAGE_LENGTH)],
        description="Starts from the default text: change it as you like. The reason and the "
        "note above stay internal; only this text is sent.",
        # Tall enough to read the whole default message while editing it.
        render_kw={"rows": 14},
    )


class WithdrawForm(ActionForm):
    reason = TextAreaField("Why the candidate withdrew", validators=[Optional(), Length(max=2000)])


class ScreenForm(ActionForm):
    outcome = SelectField(
        "Screen outcome",
        choices=[SelectChoice("passed", "Passed"), SelectChoice("failed", "Not passed")],
    )


class RequisitionFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status")]
        + [SelectChoice(s.value, s.label) for s in RequisitionStatus],
        validators=[Optional()],
    )
    mine = SelectField(
        "Whose",
        choices=[SelectChoice("", "Everyone's"), SelectChoice("1", "Mine")],
        validators=[Optional()],
    )
    q = StringField("Search", validators=[Optional(), Length(max=100)])


class ScheduleForm(FlaskForm):
    interviewers = MultiCheckboxField("Interviewers", coerce=int)
    starts_at = DateTimeLocalField(
        "Starts at",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        # The view names the scheduler's zone: the time is read in it.
        description="Leave empty to schedule later.",
    )
    location = StringField(
        "Where", validators=[Optional(), Length(max=300)], description="A room or a video link."
    )
    invite_candidate = BooleanField(
        "Also send the candidate an invitation (with a calendar file, in their time zone)",
        default=False,
    )
    version = VersionField()


class CancelInterviewForm(FlaskForm):
    version = VersionField(validators=[DataRequired()])


class AmendForm(FlaskForm):
    text = TextAreaField("Amendment", validators=[DataRequired(), Length(max=5000)])


class AnswersForm(FlaskForm):
    """One text area per question; the service decides what an acceptable answer is."""

    count = 0

    def answers(self) -> list[Field]:
        return [self[f"answer_{index}"] for index in range(self.count)]


def answers_form(count: int) -> AnswersForm:
    """A form with ``count`` answer fields, named ``answer_0`` … ``answer_{count - 1}``."""

    class Form(AnswersForm):
        pass

    Form.count = count
    for index in range(count):
        setattr(
            Form,
            f"answer_{index}",
            # A coarse cap on what is read: browsers send line breaks as CRLF, and the
            # service counts them once, with its own message, against the real limit.
            TextAreaField(f"Answer {index + 1}", validators=[Length(max=2 * MAX_ANSWER_LENGTH)]),
        )
    return Form()


# --- candidate records ----------------------------------------------------------------


class CandidateSearchForm(FlaskForm):
    """The candidates list's search and filters (GET, no CSRF). Choices are filled by the
    view; ``requisition`` is any id (the service finds nothing for an unknown one)."""

    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=200)])
    requisition = SelectField("Requisition", validators=[Optional()], validate_choice=False)
    family = SelectField("Family", validators=[Optional()])
    stage = SelectField("Stage", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status")]
        + [SelectChoice(s.value, s.value.capitalize()) for s in ApplicationStatus],
        validators=[Optional()],
    )
    source = SelectField(
        "Source",
        choices=[SelectChoice("", "Any source")]
        + [SelectChoice(s.value, s.label) for s in ApplicationSource],
        validators=[Optional()],
    )
    tag = StringField("Tag", validators=[Optional(), Length(max=MAX_TAG_LENGTH)])
    created_from = DateField("Added from", validators=[Optional()])
    created_to = DateField("Added until", validators=[Optional()])


class CandidateEditForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    location = StringField("Location", validators=[Optional(), Length(max=200)])
    links = TextAreaField(
        "Links",
        validators=[Optional(), Length(max=MAX_LINKS * (MAX_LINK_LENGTH + 2))],
        description=f"One web address per line (https://…), at most {MAX_LINKS}.",
    )
    timezone = StringField(
        "Time zone",
        validators=[Optional(), Length(max=64), TimeZone()],
        render_kw={"list": "zones", "autocomplete": "off"},
        description="An IANA name such as Europe/Berlin; empty: the installation's default.",
    )
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=MAX_CANDIDATE_NOTES)],
        description=f"Recruiters' notes on the person, at most {MAX_CANDIDATE_NOTES:,} "
        "characters. Found by search.",
    )
    version = VersionField(validators=[DataRequired()])


class CandidateCvForm(FlaskForm):
    cv = FileField("New CV (PDF, Word .docx or plain text)")
    version = VersionField(validators=[DataRequired()])


class CandidateTagForm(FlaskForm):
    tag = StringField("Tag", validators=[DataRequired(), Length(max=MAX_TAG_LENGTH)])
    version = VersionField(validators=[DataRequired()])


class CandidateMergeForm(FlaskForm):
    other_id = IntegerField(
        widget=HiddenInput(), validators=[DataRequired(), NumberRange(min=1, max=DB_INT_MAX)]
    )
    kept_version = VersionField(validators=[DataRequired()])
    merged_version = VersionField(validators=[DataRequired()])
