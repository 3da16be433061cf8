"""Account forms: signing in, the user's own account, and the admin's user pages."""

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.fields import MultiCheckboxField, VersionField
from app.inputs import DB_INT_MAX
from app.models import Role
from app.services.audit import KINDS as AUDIT_KINDS
from app.services.password_policy import MAX_LENGTH, MIN_LENGTH
from app.services.preferences import CHOOSABLE
from pipelines.outbox import Delivery, Kind
from pipelines.timezones import zone_names


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[DataRequired(), Email(), Length(max=254)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description="The address you sign in with.",
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1024)]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired(),
            Length(max=1024),
            EqualTo("new_password", message="The passwords differ."),
        ],
    )


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=f"At least {MIN_LENGTH} characters; a phrase of several unrelated words "
        "works well.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")],
    )


class CodeForm(FlaskForm):
    """A code from an authenticator app, or a recovery code."""

    code = StringField(
        "Code",
        validators=[DataRequired(message="Enter a code."), Length(max=64)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


class MfaProofForm(FlaskForm):
    """Turning two-step sign-in off, or new recovery codes: the password or a code."""

    proof = PasswordField(
        "Your password, or a code from your app",
        validators=[DataRequired(message="Enter your password or a code."), Length(max=1024)],
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that needs the CSRF token."""


# --- administration ------------------------------------------------------------

ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class UserEditForm(FlaskForm):
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField("Roles", choices=ROLE_CHOICES)
    version = VersionField(validators=[DataRequired()])


class UserCreateForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description="The person must replace it with their own at their first sign-in.",
    )
    roles = MultiCheckboxField("Roles", choices=ROLE_CHOICES, default=["team_member"])


class PlacementForm(FlaskForm):
    level_id = SelectField("Level", validators=[Optional()])
    specialty_id = SelectField("Specialty", validators=[Optional()])
    manager_id = SelectField("Manager", coerce=int, validators=[Optional()])
    level_since = DateField(
        "In this level since",
        validators=[Optional()],
        description="A new level or specialty starts on this day (today when left empty) "
        "and is kept in the person's level history; it cannot be in the future.",
    )
    version = VersionField(validators=[DataRequired()])


class LeftForm(FlaskForm):
    left_on = DateField(
        "Last day at the company",
        validators=[Optional()],
        description="Leave empty when the person has not left (or did not leave after all).",
    )
    version = VersionField(validators=[DataRequired()])


class VersionedActionForm(FlaskForm):
    version = VersionField(validators=[DataRequired()])


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search", validators=[Optional(), Length(max=100)])
    role = SelectField(
        "Role", choices=[SelectChoice("", "Any role"), *ROLE_CHOICES], validators=[Optional()]
    )
    status = SelectField(
        "Status",
        choices=[
            SelectChoice("", "Any status"),
            SelectChoice("active", "Active"),
            SelectChoice("inactive", "Deactivated"),
        ],
        validators=[Optional()],
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("", "Every kind"),
            *(SelectChoice(k, v) for k, v in AUDIT_KINDS.items()),
        ],
        validators=[Optional()],
    )
    action = StringField("Action starts with", validators=[Optional(), Length(max=64)])
    actor = IntegerField(
        "Actor user id", validators=[Optional(), NumberRange(min=1, max=DB_INT_MAX)]
    )
    address = StringField("Source address", validators=[Optional(), Length(max=64)])
    object_type = StringField("Object type", validators=[Optional(), Length(max=64)])
    object_id = StringField("Object id", validators=[Optional(), Length(max=64)])
    since = DateField("From (UTC)", validators=[Optional()])
    until = DateField("To (UTC)", validators=[Optional()])


# --- notifications and time zone ------------------------------------------------


def _zone_choices(default_zone: str) -> list[SelectChoice]:
    return [
        SelectChoice("", f"None chosen: the default ({default_zone})"),
        *(SelectChoice(name, name.replace("_", " ")) for name in zone_names()),
    ]


DELIVERY_CHOICES = [SelectChoice(d.value, d.label) for d in Delivery]


class NotificationsForm(FlaskForm):
    """The person's time zone and, per kind of notification, how they want it. One radio
    group per choosable kind is added below, named ``kind_<key>``."""

    timezone = SelectField(
        "Time zone",
        validators=[Optional(), Length(max=64)],
        # A zone is checked by the service, whose message names the field and the value.
        validate_choice=False,
        description="Every time on pages, PDFs and messages is shown in this zone.",
    )
    # InputRequired, not DataRequired: the latter would replace the damaged-version message.
    version = VersionField(validators=[InputRequired()])

    def __init__(self, *args: Any, default_zone: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = _zone_choices(
            default_zone or current_app.config["DEFAULT_TIMEZONE"]
        )

    def kind_fields(self) -> list[tuple[Kind, RadioField]]:
        return [(kind, self[f"kind_{kind.key}"]) for kind in CHOOSABLE]

    def choices(self) -> dict[str, str]:
        return {kind.key: field.data or "" for kind, field in self.kind_fields()}


for _kind in CHOOSABLE:
    setattr(
        NotificationsForm,
        f"kind_{_kind.key}",
        RadioField(
            _kind.label,
            choices=DELIVERY_CHOICES,
            default=Delivery.IMMEDIATE.value,
            description=_kind.description,
            # The service checks the value and says which kind it belongs to.
            validate_choice=False,
            validators=[Optional(), Length(max=16)],
        ),
    )
