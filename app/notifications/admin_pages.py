"""The admin's Mail pages: the outbox (counts, filters, newest first), each message as its
recipient sees it (headers, HTML, plain text, attachments) with a retry for a dead one,
the recent runs of the periodic jobs, and the message templates.

Messages hold personal data (candidates' names and addresses, private links): every page
is ``no-store`` and reading a message or one of its attachments is audited. A message's
HTML is shown in a sandboxed frame served with a policy that allows no script, no form
and no load from anywhere; the frame's address carries a short-lived token signed for the
reader, so the HTML is only read through the (audited) message page.
"""

from __future__ import annotations

import io
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.clock import utcnow
from app.models import OutboxMessage, Role
from app.notifications import catalog, queries
from app.notifications.forms import MailFilterForm, RetryForm
from app.notifications.schedule import JOBS
from app.notifications.smtp import SmtpSettingsError, parse_smtp_url
from app.paging import newest_first
from app.routing import Routes
from app.services import audit, jobs, outbox
from app.services.errors import ConflictError, ServiceError
from pipelines.outbox import KINDS_BY_KEY, MessageStatus

routes = Routes()

#: How long the HTML frame's address stays valid after the message page was shown.
FRAME_TOKEN_SECONDS = 600
FRAME_SALT = "hireladder.mail-frame"
#: The message's HTML may style itself and show inline (data:) images; nothing else.
FRAME_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
        "sandbox",
    ]
)
#: Attachment types served as what they are; any other is served as bytes to save.
ATTACHMENT_TYPES = frozenset({"text/calendar", "application/pdf", "text/plain"})
#: Queued messages overdue by more than this suggest that no worker is running.
STALLED_AFTER = timedelta(minutes=2)
RECENT_RUNS = 20


def _page_size() -> int:
    return int(current_app.config["ADMIN_PAGE_SIZE"])


def _delivery() -> str | None:
    """The mail server messages go to, without its password; None when they are kept."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        return None
    try:
        return parse_smtp_url(url).describe()
    except SmtpSettingsError:
        return "a server the worker cannot use (HIRELADDER_SMTP_URL is not understood)"


@routes.get("/mail")
@roles_required(Role.ADMIN)
def mail() -> str:
    form = MailFilterForm(request.args)
    status = kind = None
    if form.validate():
        status = MessageStatus(form.status.data) if form.status.data else None
        kind = form.kind.data or None
    page = newest_first(
        queries.outbox_list(status=status, kind=kind),
        moment=OutboxMessage.created_at,
        row_id=OutboxMessage.id,
        key=lambda row: (row[0].created_at, row[0].id),
        per_page=_page_size(),
    )
    counts = outbox.counts()
    oldest = queries.oldest_waiting()
    now = utcnow()
    return render_template(
        "admin/mail.html",
        form=form,
        page=page,
        counts=[(s, counts.get(s, 0)) for s in MessageStatus],
        total=sum(counts.values()),
        filtered=status is not None or kind is not None,
        kinds=KINDS_BY_KEY,
        delivery=_delivery(),
        oldest_waiting=oldest,
        stalled=oldest is not None and now - oldest > STALLED_AFTER,
        runs=jobs.recent_runs(RECENT_RUNS),
        scheduled=[(job, _every(job.every)) for job in JOBS],
    )


def _every(period: timedelta) -> str:
    """A job's period in words: "day", "hour", "15 minutes"."""
    if period % timedelta(days=1) == timedelta(0):
        days = period // timedelta(days=1)
        return "day" if days == 1 else f"{days} days"
    if period % timedelta(hours=1) == timedelta(0):
        hours = period // timedelta(hours=1)
        return "hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, period // timedelta(minutes=1))
    return "minute" if minutes == 1 else f"{minutes} minutes"


def _message_or_404(message_id: int) -> OutboxMessage:
    message = queries.message(message_id)
    if message is None:
        abort(404)
    return message


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=FRAME_SALT)


def _frame_token(message_id: int) -> str:
    return _serializer().dumps([message_id, current_user.id])


def _frame_token_valid(token: str, message_id: int) -> bool:
    try:
        value = _serializer().loads(token, max_age=FRAME_TOKEN_SECONDS)
    except BadSignature:
        return False
    return bool(value == [message_id, current_user.id])


def _message_page(
    message: OutboxMessage, retry_form: RetryForm | None = None, status: int = 200
) -> ResponseReturnValue:
    html = render_template(
        "admin/mail_message.html",
        message=message,
        kind=KINDS_BY_KEY.get(message.kind),
        sender=current_app.config["MAIL_FROM"],
        attachments=queries.attachments_of(message.id),
        digest_parts=(queries.digest_parts(message.id) if message.kind == "digest" else []),
        frame_token=_frame_token(message.id) if message.html_body else None,
        retry_form=retry_form or RetryForm(version=str(message.version)),
        delivery=_delivery(),
    )
    # The message is written to a person and often about one: the read is audited.
    audit.record_read(
        audit.MAIL_VIEW,
        actor=current_user,
        channel="web",
        object_type="outbox_message",
        object_id=message.id,
        summary={"kind": message.kind, "to_candidate": message.candidate_id is not None},
    )
    return html, status


@routes.get("/mail/<int:message_id>")
@roles_required(Role.ADMIN)
def mail_message(message_id: int) -> ResponseReturnValue:
    return _message_page(_message_or_404(message_id))


@routes.get("/mail/<int:message_id>/html")
@roles_required(Role.ADMIN)
def mail_message_html(message_id: int) -> Response:
    """The message's HTML alone, for the frame of its page: sandboxed, no loads."""
    if not _frame_token_valid(request.args.get("token", ""), message_id):
        abort(404)
    message = _message_or_404(message_id)
    if not message.html_body:
        abort(404)
    response = Response(message.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = FRAME_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@routes.get("/mail/<int:message_id>/attachments/<int:attachment_id>")
@roles_required(Role.ADMIN)
def mail_attachment(message_id: int, attachment_id: int) -> Response:
    attachment = queries.attachment(message_id, attachment_id)
    if attachment is None:
        abort(404)
    content_type = attachment.content_type.split(";", 1)[0].strip().lower()
    response = send_file(
        io.BytesIO(attachment.content),
        mimetype=attachment.content_type if content_type in ATTACHMENT_TYPES else None,
        as_attachment=True,
        download_name=attachment.filename or "attachment",
        etag=False,
        conditional=False,
    )
    if content_type not in ATTACHMENT_TYPES:
        response.mimetype = "application/octet-stream"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    audit.record_read(
        audit.MAIL_ATTACHMENT_DOWNLOAD,
        actor=current_user,
        channel="web",
        object_type="outbox_message",
        object_id=message_id,
        summary={"attachment_id": attachment_id},
    )
    return response


@routes.post("/mail/<int:message_id>/retry")
@roles_required(Role.ADMIN)
def mail_retry(message_id: int) -> ResponseReturnValue:
    message = _message_or_404(message_id)
    form = RetryForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"Retry: {error}", "error")
        return _message_page(message, form, 400)
    try:
        outbox.retry(message, actor=current_user, expected_version=int(form.version.data or -1))
    except ConflictError as error:
        flash(str(error), "error")
        return _message_page(_message_or_404(message_id), None, 409)
    except ServiceError as error:
        flash(str(error), "error")
        return _message_page(message, None, 409)
    where = "the worker sends it" if _delivery() else "the worker keeps it here"
    flash(f"The message is back in the queue; {where} at its next round.", "success")
    return redirect(url_for("admin.mail_message", message_id=message_id), 303)


@routes.get("/mail/templates")
@roles_required(Role.ADMIN)
def mail_templates() -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return render_template(
        "admin/mail_templates.html",
        kinds=catalog.kind_templates(app),
        layout_name=catalog.LAYOUT,
        layout=catalog.template_source(app, catalog.LAYOUT),
    )
