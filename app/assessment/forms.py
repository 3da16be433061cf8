from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField


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
        setattr(Form, f"answer_{index}", TextAreaField(f"Answer {index + 1}"))
    return Form()
