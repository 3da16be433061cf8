"""Form fields tell assistive technology they are invalid only when they are.

WTForms writes an attribute given ``None`` as the text "None" (``aria-invalid="None"``,
which screen readers announce as invalid); absent attributes must be left out.
"""

from __future__ import annotations

import re

import pytest

BAD_VALUE = re.compile(r'\s[a-z-]+="(None|False)"')


def bad_attributes(html: str) -> list[str]:
    return [m.group(0).strip() for m in BAD_VALUE.finditer(html)]


def field_tag(html: str, field_id: str) -> str:
    match = re.search(rf'<(input|textarea|select)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert match is not None, field_id
    return match.group(0)


@pytest.mark.parametrize("path", ["/login", "/login/forgot"])
def test_signed_out_forms_have_no_none_attributes(client, path):
    html = client.get(path).text
    assert "<form" in html
    assert bad_attributes(html) == []
    assert "aria-invalid" not in field_tag(html, "email")


def test_the_application_form_has_no_none_attributes(client, hiring_objects):
    html = client.get(f"/jobs/{hiring_objects['requisition_id']}").text
    assert 'id="cv"' in html
    assert bad_attributes(html) == []
    assert "aria-invalid" not in field_tag(html, "cv")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("team_member", "/account"),
        ("team_member", "/referrals/new"),
        ("recruiter", "/hiring/requisitions/new"),
        ("recruiter", "/hiring/candidates/{candidate_id}"),
        ("recruiter", "/hiring/requisitions/{requisition_id}/candidates/new"),
        ("admin", "/admin/users/new"),
    ],
)
def test_signed_in_forms_have_no_none_attributes(auth, client, users, hiring_objects, role, path):
    auth.login(users[role])
    response = client.get(path.format(**hiring_objects))
    assert response.status_code == 200
    assert "<form" in response.text
    assert bad_attributes(response.text) == []


def test_an_invalid_sign_in_marks_the_field_and_points_to_the_message(client):
    html = client.post("/login", data={"email": "", "password": ""}).text
    email = field_tag(html, "email")
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="email-help"' in email
    assert re.search(r'<small id="email-help" class="field-error">[^<]+</small>', html)
    assert bad_attributes(html) == []


def test_a_field_with_a_description_points_to_it_without_being_invalid(app):
    from flask import render_template_string
    from flask_wtf import FlaskForm
    from wtforms import BooleanField, StringField

    class Form(FlaskForm):
        class Meta:
            csrf = False

        name = StringField("Name", description="As on your passport")
        agree = BooleanField("I agree")

    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}{{ field(form.name) }}'
            "{{ field(form.agree) }}",
            form=Form(),
        )
    name = field_tag(html, "name")
    assert 'aria-describedby="name-help"' in name
    assert "aria-invalid" not in name
    assert "aria-invalid" not in field_tag(html, "agree")
    assert bad_attributes(html) == []
