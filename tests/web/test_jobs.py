"""The careers site: published postings, applying without an account, spam defences,
no enumeration, and the recruiters' publishing."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.db import db
from app.jobs.stamp import make_stamp
from app.models import Application, AuditEvent, Candidate, OutboxMessage, Requisition, User
from app.services import hiring
from pipelines.privacy import CURRENT_CONSENT_VERSION
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ApplicationSource
from tests.conftest import MINIMAL_PDF, login_as
from tests.domain.pipelines.test_postings import google_job_posting_problems

# --- helpers ---------------------------------------------------------------------------


def new_requisition(
    app: Flask,
    users: dict[str, int],
    *,
    title: str = "Staff CSM, Remote",
    level_id: str = "staff-csm",
    specialty_id: str | None = None,
    published: datetime | None = datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    location: str | None = "Berlin, Germany",
    remote: bool = False,
    **extra: Any,
) -> int:
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        req = hiring.create_requisition(
            title=title,
            level_id=level_id,
            specialty_id=specialty_id,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        req.published_at = published
        req.posting_location = location
        req.posting_remote = remote
        for name, value in extra.items():
            setattr(req, name, value)
        db.session.commit()
        return req.id


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Candidate, Application, AuditEvent, OutboxMessage)
        }


def stamp(app: Flask, requisition_id: int, age: float = 60) -> str:
    with app.app_context():
        return make_stamp(requisition_id, issued=time.time() - age)


def form_data(app: Flask, requisition_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Robin Applicant",
        "email": "robin@example.net",
        "phone": "+49 30 1234",
        "links": "https://example.net/robin\nhttps://git.example.net/robin",
        "note": "I ran a customer advisory board for three years.",
        "consent": "y",
        "consent_version": CURRENT_CONSENT_VERSION,
        "website": "",
        "stamp": stamp(app, requisition_id),
        "cv": (io.BytesIO(MINIMAL_PDF), "robin-cv.pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_apply(client: FlaskClient, requisition_id: int, **overrides: Any) -> Any:
    return client.post(
        f"/jobs/{requisition_id}/apply",
        data=form_data(client.application, requisition_id, **overrides),
        content_type="multipart/form-data",
    )


def json_ld_of(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture
def posting(app, users) -> int:
    return new_requisition(app, users)


# --- the list --------------------------------------------------------------------------


def test_the_list_shows_live_postings_only(app, client, users):
    live = new_requisition(app, users, title="Live one")
    new_requisition(app, users, title="Not published", published=None)
    new_requisition(app, users, title="On hold one", status=RequisitionStatus.ON_HOLD)
    new_requisition(app, users, title="Expired one", posting_valid_through=date(2020, 1, 1))
    page = client.get("/jobs").get_data(as_text=True)
    assert "Live one" in page and f"/jobs/{live}" in page
    for hidden in ("Not published", "On hold one", "Expired one"):
        assert hidden not in page


def test_closing_the_requisition_takes_the_posting_off(app, client, users, posting):
    assert client.get(f"/jobs/{posting}").status_code == 200
    with app.app_context():
        db.session.get(Requisition, posting).status = RequisitionStatus.CLOSED
        db.session.commit()
    assert client.get(f"/jobs/{posting}").status_code == 404
    assert f"/jobs/{posting}" not in client.get("/jobs").get_data(as_text=True)
    assert client.get(f"/api/v1/jobs/{posting}").status_code == 404


def test_the_empty_state(client):
    page = client.get("/jobs").get_data(as_text=True)
    assert "There are no open positions right now." in page
    page = client.get("/jobs?remote=1").get_data(as_text=True)
    assert "No open positions match these filters." in page


def test_filters(app, client, users):
    new_requisition(
        app, users, title="Architect in Paris", level_id="csa", location="Paris, France"
    )
    new_requisition(app, users, title="Remote CSM", location="EMEA", remote=True)
    new_requisition(
        app, users, title="Public CSM", level_id="senior-csm", specialty_id="public-sector"
    )

    def titles(query: str) -> set[str]:
        page = client.get(f"/jobs?{query}").get_data(as_text=True)
        return {t for t in ("Architect in Paris", "Remote CSM", "Public CSM") if t in page}

    assert titles("") == {"Architect in Paris", "Remote CSM", "Public CSM"}
    assert titles("family=customer-success-architect") == {"Architect in Paris"}
    assert titles("family=customer-success-management") == {"Remote CSM", "Public CSM"}
    assert titles("specialty=public-sector") == {"Public CSM"}
    assert titles("location=Paris%2C+France") == {"Architect in Paris"}
    assert titles("remote=1") == {"Remote CSM"}
    api = client.get("/api/v1/jobs?remote=1").get_json()
    assert [item["title"] for item in api["items"]] == ["Remote CSM"]


def test_keyset_pages_and_a_constant_number_of_queries(app, client, users, count_queries):
    app.config["JOBS_PAGE_SIZE"] = 3
    try:
        base = datetime(2026, 11, 1, tzinfo=UTC)
        for n in range(2):
            new_requisition(app, users, title=f"Job {n:02d}", published=base + timedelta(hours=n))
        with count_queries() as small:
            assert client.get("/jobs").status_code == 200
        for n in range(2, 8):
            new_requisition(app, users, title=f"Job {n:02d}", published=base + timedelta(hours=n))
        with count_queries() as large:
            first = client.get("/jobs").get_data(as_text=True)
        assert large.count == small.count
        assert "Job 07" in first and "Job 04" not in first
        after = re.search(r'href="/jobs\?after=([0-9-]+)"', first)
        assert after
        second = client.get(f"/jobs?after={after.group(1)}").get_data(as_text=True)
        assert "Job 04" in second and "Job 07" not in second
        # The API pages the same way, following 'next'.
        seen: list[str] = []
        url: str | None = "/api/v1/jobs"
        while url:
            body = client.get(url).get_json()
            seen += [item["title"] for item in body["items"]]
            url = body["next"]
        assert seen == [f"Job {n:02d}" for n in range(7, -1, -1)]
    finally:
        app.config["JOBS_PAGE_SIZE"] = 20


def test_a_damaged_cursor_is_a_400(client):
    assert client.get("/jobs?after=nonsense").status_code == 400


# --- a posting -------------------------------------------------------------------------


def test_the_posting_page(app, client, users):
    req = new_requisition(
        app,
        users,
        title="Senior CSM, Public Sector",
        level_id="senior-csm",
        specialty_id="public-sector",
        posting_intro="Our customers run the largest installations.",
        posting_valid_through=date(2099, 1, 31),
    )
    response = client.get(f"/jobs/{req}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Our customers run the largest installations." in page
    # From the ladder: the level's own and inherited lists, the specialty, the process.
    assert "Strategize on the overall objectives and long-range goals of the team" in page
    assert "Work exclusively with Public Sector customers" in page
    assert "Our hiring process" in page and "Recruiter Screening" in page
    assert "one of our Global Recruiters" in page and "30 minutes" in page
    assert f"/jobs/{req}/role-description.pdf" in page
    assert "Role description (PDF)" in page
    assert f'action="/jobs/{req}/apply"' in page
    assert CURRENT_CONSENT_VERSION in page
    # Nothing internal: no staff addresses (the test users' names are words like
    # "Recruiter", which the process text uses).
    with app.app_context():
        for uid in users.values():
            assert db.session.get(User, uid).email not in page
    data = json_ld_of(page)
    assert google_job_posting_problems(data) == []
    assert data["title"] == "Senior CSM, Public Sector"
    assert data["validThrough"] == "2099-01-31T23:59:59Z"
    assert data["hiringOrganization"]["name"] == app.config["COMPANY_NAME"]
    assert data["url"].endswith(f"/jobs/{req}")
    assert response.headers["Cache-Control"] == "no-store"


def test_json_ld_cannot_end_its_script_block(app, client, users):
    req = new_requisition(app, users, posting_intro="</script><script>alert(1)</script>")
    page = client.get(f"/jobs/{req}").get_data(as_text=True)
    assert "</script><script>alert(1)" not in page
    assert json_ld_of(page)["description"].startswith("<p>&lt;/script&gt;")


def test_a_remote_postings_json_ld(app, client, users):
    req = new_requisition(app, users, location="Germany", remote=True)
    data = json_ld_of(client.get(f"/jobs/{req}").get_data(as_text=True))
    assert google_job_posting_problems(data) == []
    assert data["jobLocationType"] == "TELECOMMUTE"
    body = client.get(f"/api/v1/jobs/{req}").get_json()
    assert body["json_ld"] == data
    assert body["remote"] is True and body["location"] == "Germany"
    assert body["responsibilities"] and body["process"][0]["name"] == "Recruiter Screening"


def test_an_unpublished_posting_is_404_everywhere(app, client, users):
    req = new_requisition(app, users, published=None)
    for url in (f"/jobs/{req}", f"/jobs/{req}/role-description.pdf", f"/api/v1/jobs/{req}"):
        assert client.get(url).status_code == 404, url
    assert post_apply(client, req).status_code == 404


def test_the_role_description_pdf_is_public(client, posting):
    response = client.get(f"/jobs/{posting}/role-description.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Cache-Control"].startswith("public")
    again = client.get(
        f"/jobs/{posting}/role-description.pdf", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


# --- applying --------------------------------------------------------------------------


def test_applying_makes_a_candidate_and_an_application(app, client, posting):
    before = counts(app)
    response = post_apply(client, posting)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/jobs/{posting}/applied")
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for applying" in thanks
    after = counts(app)
    assert after["Candidate"] == before["Candidate"] + 1
    assert after["Application"] == before["Application"] + 1
    assert after["OutboxMessage"] == before["OutboxMessage"] + 1
    with app.app_context():
        candidate = hiring.find_candidate("ROBIN@example.net")
        assert candidate is not None
        assert candidate.name == "Robin Applicant"
        assert candidate.phone == "+49 30 1234"
        assert candidate.links == ["https://example.net/robin", "https://git.example.net/robin"]
        assert candidate.consent_version == CURRENT_CONSENT_VERSION
        assert candidate.consent_on is not None
        assert candidate.cv_key is not None and candidate.cv_kind == "pdf"
        assert candidate.created_by_id is None
        application = db.session.scalar(
            select(Application).where(Application.candidate_id == candidate.id)
        )
        assert application.requisition_id == posting
        assert application.source is ApplicationSource.CAREERS_SITE
        assert application.candidate_note == "I ran a customer advisory board for three years."
        requisition = db.session.get(Requisition, posting)
        assert application.stage_id == hiring.plan_for(requisition).first.id
        message = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
        assert message.kind == "application_received"
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.channel == "careers").order_by(AuditEvent.id)
        ).all()
        assert [r.action for r in rows] == ["candidate.create", "application.open"]
        assert all(r.actor_id is None and r.address is None for r in rows)
        assert rows[1].summary["source"] == "careers_site"


def test_the_recruiter_sees_the_candidate_on_the_board(app, client, users, posting):
    post_apply(client, posting)
    login_as(app, client, users["recruiter"])
    board = client.get(f"/hiring/requisitions/{posting}").get_data(as_text=True)
    assert "Robin Applicant" in board
    with app.app_context():
        application = db.session.scalar(select(Application.id).order_by(Application.id.desc()))
    page = client.get(f"/hiring/applications/{application}")
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"website": "http://spam.example"}, 303),  # the honeypot: looks like a success
        ({"stamp": None}, 400),
        ({"stamp": "forged.stamp"}, 400),
        ({"stamp": "__now__"}, 422),  # faster than a person
    ],
    ids=["honeypot", "no-stamp", "forged-stamp", "too-fast"],
)
def test_bots_are_refused_and_nothing_is_written(app, client, posting, overrides, refusal):
    if overrides.get("stamp") == "__now__":
        overrides = {"stamp": stamp(app, posting, age=0)}
    before = counts(app)
    response = post_apply(client, posting, **overrides)
    assert response.status_code == refusal
    assert counts(app) == before
    if refusal != 303:
        page = response.get_data(as_text=True)
        assert "Robin Applicant" in page  # what the applicant typed is kept
        assert "choose it again" in page


def test_a_stamp_of_another_posting_is_refused(app, client, users, posting):
    other = new_requisition(app, users, title="Other")
    before = counts(app)
    response = post_apply(client, posting, stamp=stamp(app, other))
    assert response.status_code == 400
    assert counts(app) == before


def test_applications_are_rate_limited_per_address(app, client, posting):
    limiter = app.extensions["rate_limiter"]
    saved = app.config["RATE_LIMITS"]
    app.config["RATE_LIMITS"] = {**saved, "apply": "2 per hour"}
    app.config["RATE_LIMITS_ENABLED"] = True
    limiter.reset()
    try:
        for n in range(2):
            assert post_apply(client, posting, email=f"r{n}@example.net").status_code == 303
        before = counts(app)
        response = post_apply(client, posting, email="third@example.net")
        assert response.status_code == 429
        assert counts(app) == before
        # Reading postings is not limited by it.
        assert client.get(f"/jobs/{posting}").status_code == 200
    finally:
        app.config["RATE_LIMITS_ENABLED"] = False
        app.config["RATE_LIMITS"] = saved
        limiter.reset()


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]*"', "", html)


def test_no_enumeration_known_and_new_addresses_answer_the_same(app, client, users, posting):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        hiring.add_candidate(
            hiring.CandidateDetails(name="Kim Known", email="kim@example.net"), actor=recruiter
        )
    known = post_apply(client, posting, email="KIM@example.net", name="Kim Known")
    new = post_apply(client, posting, email="nobody.yet@example.net", name="Kim Known")
    assert known.status_code == new.status_code == 303
    assert known.headers["Location"] == new.headers["Location"]
    assert known.get_data() == new.get_data()
    pages = [client.get(r.headers["Location"]).get_data(as_text=True) for r in (known, new)]
    assert _without_csrf(pages[0]) == _without_csrf(pages[1])


def test_a_known_candidate_gets_a_new_application_not_a_new_record(app, client, users, posting):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        known = hiring.add_candidate(
            hiring.CandidateDetails(name="Kim Known", email="kim@example.net", phone="111"),
            actor=recruiter,
        )
        known_id, version = known.id, known.version
    before = counts(app)
    assert post_apply(client, posting, email="Kim@Example.net", phone="999").status_code == 303
    after = counts(app)
    assert after["Candidate"] == before["Candidate"]
    assert after["Application"] == before["Application"] + 1
    with app.app_context():
        kim = db.session.get(Candidate, known_id)
        assert (kim.name, kim.phone) == ("Kim Known", "111")  # not overwritten
        # The record had no CV and no links: the application's are added.
        assert kim.cv_key is not None
        assert kim.links == ["https://example.net/robin", "https://git.example.net/robin"]
        assert kim.version == version + 1
        application = db.session.scalar(
            select(Application).where(Application.candidate_id == known_id)
        )
        assert application.source is ApplicationSource.CAREERS_SITE


def test_an_address_of_a_merged_record_applies_to_the_record_it_was_merged_into(
    app, client, users, posting
):
    from app.services import candidates as records

    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        kept = hiring.add_candidate(
            hiring.CandidateDetails(name="Kim Known", email="kim@example.net"), actor=recruiter
        )
        old = hiring.add_candidate(
            hiring.CandidateDetails(name="Kim K.", email="kim.old@example.net"), actor=recruiter
        )
        records.merge_candidates(
            kept, old, actor=recruiter, kept_version=kept.version, merged_version=old.version
        )
        kept_id, old_id = kept.id, old.id
    assert post_apply(client, posting, email="kim.old@example.net").status_code == 303
    with app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.source == ApplicationSource.CAREERS_SITE)
        )
        assert application.candidate_id == kept_id != old_id


def test_a_known_candidates_cv_is_kept(app, client, users, posting, hiring_objects):
    with app.app_context():
        casey = db.session.get(Candidate, hiring_objects["candidate_id"])
        key = casey.cv_key
    other = new_requisition(app, users, title="Another")
    assert post_apply(client, other, email="casey@example.org").status_code == 303
    with app.app_context():
        assert db.session.get(Candidate, hiring_objects["candidate_id"]).cv_key == key


def test_a_second_application_to_the_same_posting_is_absorbed(app, client, posting):
    assert post_apply(client, posting).status_code == 303
    before = counts(app)
    again = post_apply(client, posting, name="Robin Again", phone="000")
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/jobs/{posting}/applied")
    assert counts(app) == before
    with app.app_context():
        assert hiring.find_candidate("robin@example.net").name == "Robin Applicant"


def test_an_erased_candidate_applying_again_is_a_new_candidate(app, client, users, posting):
    from app.services import privacy

    assert post_apply(client, posting).status_code == 303
    with app.app_context():
        first = hiring.find_candidate("robin@example.net")
        privacy.erase_candidate(
            first,
            actor=db.session.get(User, users["recruiter"]),
            expected_version=first.version,
            remove_cv=None,
        )
        first_id = first.id
    assert post_apply(client, posting).status_code == 303
    with app.app_context():
        again = hiring.find_candidate("robin@example.net")
        assert again is not None and again.id != first_id


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Tell us your name."),
        ({"email": "not-an-address"}, "email", "This is not an e-mail address."),
        ({"consent": None}, "consent", "Please agree to the privacy notice"),
        ({"links": "ftp://example.net/x"}, "links", "is not a web address"),
        ({"links": "\n".join(f"https://e.net/{n}" for n in range(6))}, "links", "At most 5"),
        ({"note": "x" * 5001}, "note", "5000"),
        ({"cv": None}, "cv", "Please attach your CV"),
        ({"cv": (io.BytesIO(b"MZ\x90\x00binary"), "cv.pdf")}, "cv", "Choose another file."),
    ],
)
def test_mistakes_are_named_and_nothing_typed_is_lost(
    app, client, posting, overrides, field, message
):
    before = counts(app)
    response = post_apply(client, posting, **overrides)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    if field != "name":
        assert 'value="Robin Applicant"' in page
    if field != "note":
        assert "I ran a customer advisory board for three years." in page
    assert counts(app) == before


def test_csrf_is_needed_to_apply(app, client, posting, csrf_enabled):
    client.get(f"/jobs/{posting}")
    before = counts(app)
    assert post_apply(client, posting).status_code == 400
    after = counts(app)
    # Only the refusal's own audit row (security.csrf_failed).
    assert {**after, "AuditEvent": before["AuditEvent"]} == before


def test_the_form_carries_a_fresh_stamp_and_the_honeypot_hidden(client, posting):
    page = client.get(f"/jobs/{posting}").get_data(as_text=True)
    assert re.search(r'name="stamp" type="hidden" value="[^"]+"', page) or re.search(
        r'id="stamp" name="stamp" type="hidden" value="[^"]+"', page
    )
    honeypot = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', page, re.S)
    assert honeypot
    assert 'tabindex="-1"' in honeypot.group(0)
    assert 'autocomplete="off"' in honeypot.group(0)


def test_the_recruiter_finds_an_applicant_by_a_word_of_their_cv(app, client, users, posting):
    from tests.web.test_cv_text import text_pdf

    cv = text_pdf(["Robin Applicant", "Ran Zanzibarian onboarding for public-sector accounts"])
    assert post_apply(client, posting, cv=(io.BytesIO(cv), "robin-cv.pdf")).status_code == 303
    login_as(app, client, users["recruiter"])
    found = client.get("/hiring/candidates?q=zanzibar").get_data(as_text=True)
    assert "Robin Applicant" in found
    api = client.get("/api/v1/candidates?q=zanzibarian onboarding").json["items"]
    assert [item["name"] for item in api] == ["Robin Applicant"]
    assert "Robin Applicant" not in client.get("/hiring/candidates?q=kubernetes").get_data(
        as_text=True
    )
