"""Form fields that more than one feature uses."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, SelectMultipleField, widgets
from wtforms.validators import Length

from app.inputs import DB_INT_MAX, stored_int


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (roles, interviewers)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class VersionField(HiddenField):
    """The version of the object the form was loaded with (optimistic locking).

    Anything but a whole number that a database integer holds makes the form invalid with
    a message, instead of failing later where the number is used.
    """

    MESSAGE = "This form is damaged or out of date: reload the page and try again."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        validators = [*(kwargs.pop("validators", None) or []), Length(max=len(str(DB_INT_MAX)))]
        super().__init__(*args, validators=validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        if raw and stored_int(raw) is None:
            self.data = None
            raise ValueError(self.MESSAGE)
        self.data = raw
