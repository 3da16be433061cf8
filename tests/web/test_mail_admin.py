"""The admin Mail pages: the outbox list, one message as its recipient sees it, retry, the
job runs, and the message templates."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.db import db
from app.models import AuditEvent, Candidate, JobRun, OutboxMessage
from app.notifications import admin_pages, catalog
from app.notifications.smtp import Attachment
from app.services import outbox
from pipelines import outbox as rules
from pipelines.outbox import KINDS, MessageStatus
from tests.conftest import login_as

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def add_message(
    *,
    address: str = "ada@example.org",
    name: str | None = "Ada",
    status: MessageStatus = MessageStatus.QUEUED,
    kind: str = "test",
    attachments: tuple[Attachment, ...] = (),
    candidate: Candidate | None = None,
    created_minutes_ago: int = 0,
    html: str | None = None,
) -> int:
    """A message in ``status`` (inside an app context); returns its id."""
    recipient = outbox.Recipient(name, address, candidate=candidate)
    content = outbox.render("test", recipient, {"queued_at": utcnow()})
    if html is not None:
        content = outbox.Rendered(content.subject, content.text, html)
    message = outbox.queue(kind, recipient, {}, attachments=attachments, rendered=content)
    assert message is not None
    message.status = status
    message.created_at = utcnow() - timedelta(minutes=created_minutes_ago)
    if status in (MessageStatus.SENT, MessageStatus.KEPT):
        message.sent_at, message.attempts = utcnow(), 1
    if status is MessageStatus.DEAD:
        message.attempts, message.last_error = 8, "the mail server answered 550 No such user"
    db.session.commit()
    return message.id


@pytest.fixture
def admin(app, client, users):
    login_as(app, client, users["admin"])
    return client


def page_text(response) -> str:
    return response.get_data(as_text=True)


# --- the list -----------------------------------------------------------------------------


def test_admins_find_mail_in_the_navigation_and_others_do_not(app, client, users):
    login_as(app, client, users["admin"])
    assert 'href="/admin/mail"' in page_text(client.get("/"))
    login_as(app, client, users["recruiter"])
    assert 'href="/admin/mail"' not in page_text(client.get("/"))


def test_before_any_message_the_page_says_so_and_that_messages_are_kept(app, admin):
    response = admin.get("/admin/mail")
    text = page_text(response)
    assert response.status_code == 200
    assert "No message has been written yet." in text
    assert "messages are kept here, not sent" in text
    assert "flask mail test" in text
    assert response.headers["Cache-Control"] == "no-store"


def test_with_a_mail_server_the_page_names_it_without_its_password(app, admin):
    app.config["SMTP_URL"] = "smtp://mailer:s3cret@mail.example.com:587?starttls=1"
    try:
        text = page_text(admin.get("/admin/mail"))
    finally:
        app.config["SMTP_URL"] = None
    assert "smtp://mailer@mail.example.com:587?starttls=1" in text
    assert "s3cret" not in text
    assert "kept here, not sent" not in text


def test_counts_per_status_and_filters_by_status_and_kind(app, admin):
    with app.app_context():
        add_message(address="q1@example.org")
        add_message(address="q2@example.org")
        add_message(address="dead@example.org", status=MessageStatus.DEAD)
        add_message(address="sent@example.org", status=MessageStatus.SENT)
        add_message(address="held@example.org", status=MessageStatus.HELD, kind="digest")
    text = page_text(admin.get("/admin/mail"))
    for label, count in [
        ("All", 5),
        ("Queued", 2),
        ("Being sent", 0),
        ("Sent", 1),
        ("Kept (no mail server)", 0),
        ("Failed, given up", 1),
        ("Waiting for the daily digest", 1),
        ("Sent in a digest", 0),
    ]:
        assert re.search(rf">{re.escape(label)} <strong>{count}</strong>", text), label
    dead = page_text(admin.get("/admin/mail?status=dead"))
    assert "dead@example.org" in dead
    assert "q1@example.org" not in dead and "sent@example.org" not in dead
    digest = page_text(admin.get("/admin/mail?kind=digest"))
    assert "held@example.org" in digest and "q1@example.org" not in digest
    none = page_text(admin.get("/admin/mail?kind=digest&status=dead"))
    assert "No messages match these filters." in none


def test_an_unknown_filter_value_is_a_form_error_not_a_failure(app, admin):
    with app.app_context():
        add_message()
    response = admin.get("/admin/mail?status=lost&kind=spam")
    assert response.status_code == 200
    text = page_text(response)
    assert "Status: Not a valid choice." in text
    assert "ada@example.org" in text  # the list unfiltered


def test_newest_first_in_keyset_pages(app, admin):
    app.config["ADMIN_PAGE_SIZE"] = 3
    try:
        with app.app_context():
            for i in range(7):  # person0 is the oldest
                add_message(address=f"person{i}@example.org", created_minutes_ago=10 - i)
        first = page_text(admin.get("/admin/mail"))
        assert shown(first) == [6, 5, 4]
        assert "Newer" not in first
        second_url = older_link(first)
        second = page_text(admin.get(second_url))
        assert shown(second) == [3, 2, 1]
        third = page_text(admin.get(older_link(second)))
        assert shown(third) == [0]
        assert "Older" not in third
        back = re.search(r'href="([^"]+)" rel="prev"', third)
        assert back is not None
        assert shown(page_text(admin.get(back[1].replace("&amp;", "&")))) == [3, 2, 1]
        # A filter is kept from page to page.
        dead_only = page_text(admin.get("/admin/mail?status=queued"))
        assert "status=queued" in older_link(dead_only)
    finally:
        app.config["ADMIN_PAGE_SIZE"] = 25


def shown(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"&lt;person(\d+)@example.org&gt;", text)]


def older_link(text: str) -> str:
    match = re.search(r'href="([^"]+)" rel="next"', text)
    assert match is not None, "no link to older messages"
    return match[1].replace("&amp;", "&")


@pytest.mark.parametrize(
    "query", ["after=yesterday", "after=20261301000000000000-1", "before=1-1", "after=x&before=y"]
)
def test_a_damaged_list_position_answers_400_saying_so(app, admin, query):
    response = admin.get(f"/admin/mail?{query}")
    assert response.status_code == 400
    assert "list position" in page_text(response) or "not both" in page_text(response)


def test_the_list_costs_the_same_number_of_queries_for_3_or_40_messages(app, admin, count_queries):
    with app.app_context():
        for i in range(3):
            add_message(
                address=f"small{i}@example.org",
                attachments=(Attachment("a.ics", "text/calendar", ICS),),
            )
        db.session.add(JobRun(job="retention", slot="2026-12-01", worker="w1", outcome="ok: 0"))
        db.session.commit()
    with count_queries() as small:
        assert admin.get("/admin/mail").status_code == 200
    with app.app_context():
        for i in range(37):
            add_message(
                address=f"large{i}@example.org",
                status=list(MessageStatus)[i % len(MessageStatus)],
                attachments=(Attachment("a.ics", "text/calendar", ICS),) * (i % 3),
            )
        for day in range(2, 12):
            db.session.add(
                JobRun(job="retention", slot=f"2026-12-{day:02d}", worker="w1", outcome="ok: 0")
            )
        db.session.commit()
    with count_queries() as large:
        response = admin.get("/admin/mail")
    assert response.status_code == 200
    assert page_text(response).count("attached") >= 10
    assert large.count == small.count, large.statements


def test_recent_job_runs_are_listed_with_their_outcome(app, admin):
    with app.app_context():
        db.session.add_all(
            [
                JobRun(
                    job="retention",
                    slot="2026-12-01",
                    worker="host:1",
                    started_at=utcnow() - timedelta(days=1),
                    finished_at=utcnow() - timedelta(days=1),
                    outcome="ok: 2 candidate(s) erased",
                ),
                JobRun(
                    job="retention",
                    slot="2026-12-02",
                    worker="host:2",
                    finished_at=utcnow(),
                    outcome="failed: OperationalError: the disk is full",
                ),
            ]
        )
        db.session.commit()
    text = page_text(admin.get("/admin/mail"))
    assert "2 candidate(s) erased" in text
    assert "OperationalError: the disk is full" in text
    assert "(every day): Erase candidates kept longer than the retention period." in text


def test_a_queue_that_nobody_works_off_is_pointed_out(app, admin):
    with app.app_context():
        message_id = add_message()
        db.session.get(OutboxMessage, message_id).due_at = utcnow() - timedelta(minutes=10)
        db.session.commit()
    assert "Is a worker running?" in page_text(admin.get("/admin/mail"))


def test_a_fresh_queue_is_not_pointed_out(app, admin):
    with app.app_context():
        add_message()
    assert "Is a worker running?" not in page_text(admin.get("/admin/mail"))


# --- one message --------------------------------------------------------------------------


def test_a_message_shows_its_headers_text_html_frame_and_attachments(app, admin, users):
    with app.app_context():
        message_id = add_message(
            status=MessageStatus.KEPT,
            attachments=(Attachment("interview.ics", "text/calendar; method=REQUEST", ICS),),
        )
        message = db.session.get(OutboxMessage, message_id)
        header_id, subject = message.message_id, message.subject
    response = admin.get(f"/admin/mail/{message_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = page_text(response)
    assert "<dt>From</dt><dd>HireLadder &lt;hireladder@localhost&gt;</dd>" in text
    assert "<dt>To</dt><dd>Ada &lt;ada@example.org&gt;</dd>" in text
    assert f"<dt>Subject</dt><dd>{subject}</dd>" in text
    assert header_id.replace("<", "&lt;").replace(">", "&gt;") in text
    assert "(kept here, not sent)" in text
    assert "If you can read it, outgoing mail works" in text  # the plain text
    assert 'sandbox=""' in text and "<iframe" in text
    assert "interview.ics" in text and f"{len(ICS)} bytes" in text
    assert "Retry" not in text  # not dead
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.view"))
        assert (event.object_type, event.object_id, event.actor_id) == (
            "outbox_message",
            str(message_id),
            users["admin"],
        )
        assert "ada@example.org" not in str(event.summary)


def frame_url(text: str) -> str:
    match = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', text)
    assert match is not None
    return match[1].replace("&amp;", "&")


def test_the_html_is_served_sandboxed_with_nothing_loaded_from_elsewhere(app, admin):
    hostile = (
        '<p>Hello</p><script>alert(1)</script><img src="https://tracker.example/pixel.gif">'
        '<form action="https://evil.example/"><button>Go</button></form>'
    )
    with app.app_context():
        message_id = add_message(html=hostile)
    url = frame_url(page_text(admin.get(f"/admin/mail/{message_id}")))
    response = admin.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert page_text(response) == hostile  # exactly what was sent ...
    policy = response.headers["Content-Security-Policy"]
    # ... in a document that may run no script, load nothing, send no form ...
    assert "default-src 'none'" in policy and "sandbox" in policy.split("; ")
    assert "script-src" not in policy and "form-action 'none'" in policy
    assert "img-src data:" in policy  # inline images only, no tracking pixels
    # ... framed only by our own pages, and never cached.
    assert "frame-ancestors 'self'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_html_frame_needs_the_token_its_page_gave_to_this_admin(
    app, client, users, make_user, monkeypatch
):
    from app.models import Role

    with app.app_context():
        message_id = add_message()
        other_id = add_message(address="other@example.org")
    login_as(app, client, users["admin"])
    url = frame_url(page_text(client.get(f"/admin/mail/{message_id}")))
    assert client.get(f"/admin/mail/{message_id}/html").status_code == 404  # no token
    assert client.get(url.replace(f"/{message_id}/", f"/{other_id}/")).status_code == 404
    assert client.get(url + "x").status_code == 404  # tampered
    second_admin = make_user("second.admin@example.org", (Role.ADMIN,))
    login_as(app, client, second_admin)
    assert client.get(url).status_code == 404  # another reader
    login_as(app, client, users["admin"])
    assert client.get(url).status_code == 200
    monkeypatch.setattr(admin_pages, "FRAME_TOKEN_SECONDS", -1)
    assert client.get(url).status_code == 404  # expired


def test_a_text_only_message_says_it_has_no_html(app, admin):
    with app.app_context():
        message_id = add_message(html="")
    text = page_text(admin.get(f"/admin/mail/{message_id}"))
    assert "no HTML part" in text and "<iframe" not in text


def test_an_attachment_downloads_as_sent_and_the_read_is_audited(app, admin, users):
    with app.app_context():
        message_id = add_message(
            attachments=(
                Attachment("interview.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS),
                Attachment("page.html", "text/html", b"<script>alert(1)</script>"),
            )
        )
    text = page_text(admin.get(f"/admin/mail/{message_id}"))
    links = re.findall(rf'href="(/admin/mail/{message_id}/attachments/\d+)"', text)
    assert len(links) == 2
    ics = admin.get(links[0])
    assert ics.status_code == 200 and ics.data == ICS
    assert ics.mimetype == "text/calendar"
    assert ics.headers["Content-Disposition"].startswith("attachment;")
    assert "interview.ics" in ics.headers["Content-Disposition"]
    assert ics.headers["Cache-Control"] == "no-store"
    html = admin.get(links[1])
    assert html.mimetype == "application/octet-stream"  # never rendered as our page
    assert "sandbox" in html.headers["Content-Security-Policy"]
    with app.app_context():
        reads = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "mail.attachment_download")
        )
    assert reads == 2


def test_an_attachment_of_another_message_is_404(app, admin):
    with app.app_context():
        first = add_message(attachments=(Attachment("a.ics", "text/calendar", ICS),))
        second = add_message()
    link = re.search(
        rf'href="/admin/mail/{first}/attachments/(\d+)"',
        page_text(admin.get(f"/admin/mail/{first}")),
    )
    assert link is not None
    assert admin.get(f"/admin/mail/{second}/attachments/{link[1]}").status_code == 404


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "team_member"])
def test_other_roles_cannot_read_or_retry_a_real_message(app, client, users, role):
    with app.app_context():
        message_id = add_message(
            status=MessageStatus.DEAD, attachments=(Attachment("a.ics", "text/calendar", ICS),)
        )
        version = db.session.get(OutboxMessage, message_id).version
    login_as(app, client, users[role])
    assert client.get(f"/admin/mail/{message_id}").status_code == 403
    assert client.get(f"/admin/mail/{message_id}/html?token=x").status_code == 403
    assert client.get(f"/admin/mail/{message_id}/attachments/1").status_code == 403
    assert (
        client.post(f"/admin/mail/{message_id}/retry", data={"version": version}).status_code == 403
    )
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status is MessageStatus.DEAD


# --- retry --------------------------------------------------------------------------------


def test_a_dead_message_has_a_retry_button_that_queues_it_again(app, admin, users):
    with app.app_context():
        message_id = add_message(status=MessageStatus.DEAD)
        version = db.session.get(OutboxMessage, message_id).version
    text = page_text(admin.get(f"/admin/mail/{message_id}"))
    assert "550 No such user" in text
    assert f'action="/admin/mail/{message_id}/retry"' in text
    assert f'name="version" type="hidden" value="{version}"' in text
    response = admin.post(f"/admin/mail/{message_id}/retry", data={"version": version})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/admin/mail/{message_id}")
    assert "back in the queue" in page_text(admin.get(response.headers["Location"]))
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert (message.status, message.attempts) == (MessageStatus.QUEUED, 0)
        assert message.due_at <= utcnow()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.retry"))
        assert event.actor_id == users["admin"] and event.object_id == str(message_id)


def test_a_retry_on_a_stale_page_is_refused_409(app, admin):
    with app.app_context():
        message_id = add_message(status=MessageStatus.DEAD)
        version = db.session.get(OutboxMessage, message_id).version
    assert (
        admin.post(f"/admin/mail/{message_id}/retry", data={"version": version}).status_code == 303
    )
    with app.app_context():  # it failed again meanwhile
        message = db.session.get(OutboxMessage, message_id)
        message.status = MessageStatus.DEAD
        db.session.commit()
    response = admin.post(f"/admin/mail/{message_id}/retry", data={"version": version})
    assert response.status_code == 409
    assert "changed by someone else" in page_text(response)


def test_only_a_dead_message_can_be_retried(app, admin):
    with app.app_context():
        message_id = add_message(status=MessageStatus.SENT)
        version = db.session.get(OutboxMessage, message_id).version
    response = admin.post(f"/admin/mail/{message_id}/retry", data={"version": version})
    assert response.status_code == 409
    assert "Only a message that failed can be retried; this one is sent." in page_text(response)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status is MessageStatus.SENT


@pytest.mark.parametrize("version", ["", "abc", "99999999999"])
def test_a_damaged_retry_form_answers_400_saying_what_to_do(app, admin, version):
    with app.app_context():
        message_id = add_message(status=MessageStatus.DEAD)
    response = admin.post(f"/admin/mail/{message_id}/retry", data={"version": version})
    assert response.status_code == 400
    assert "Retry:" in page_text(response)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status is MessageStatus.DEAD


def test_a_retry_without_the_csrf_token_is_refused(app, admin, csrf_enabled):
    with app.app_context():
        message_id = add_message(status=MessageStatus.DEAD)
        version = db.session.get(OutboxMessage, message_id).version
    response = admin.post(f"/admin/mail/{message_id}/retry", data={"version": version})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status is MessageStatus.DEAD


# --- message templates --------------------------------------------------------------------


def test_every_kind_is_listed_with_who_receives_it_and_its_templates(app, admin):
    response = admin.get("/admin/mail/templates")
    assert response.status_code == 200
    text = page_text(response)
    for kind in KINDS:
        assert f'id="kind-{kind.key}"' in text
        assert kind.label in text
        assert catalog.RECIPIENTS[kind.key] in text.replace("&#39;", "'")
    # The test message's templates exist: their source is shown, escaped, not rendered.
    assert "mail/test.subject.txt" in text and "HireLadder test message" in text
    assert "{{ local_time(queued_at) }}" in text
    assert "{% extends &#34;mail/_layout.html&#34; %}" in text
    assert "<body style=" not in text  # the layout's source is shown as text


def test_a_kind_without_templates_says_no_template_yet(app, admin, monkeypatch):
    missing = rules.Kind("not_written", "Not written yet", False, "A kind still to write.")
    monkeypatch.setattr(catalog, "KINDS", (*KINDS, missing))
    response = admin.get("/admin/mail/templates")
    assert response.status_code == 200
    text = page_text(response)
    section = text[text.index('id="kind-not_written"') :]
    assert section.count("no template yet") >= 3  # subject, text and HTML
    assert "Not described yet." in section


def test_every_kind_says_who_receives_it():
    assert set(catalog.RECIPIENTS) == {kind.key for kind in KINDS}
