"""Sending one e-mail over SMTP, and what a failure means for its retry.

``HIRELADDER_SMTP_URL`` names the server: ``smtp://user:pass@host:587?starttls=1`` (plain
SMTP, upgraded with STARTTLS), ``smtps://user:pass@host:465`` (TLS from the start), or
``smtp://127.0.0.1:1025`` (no authentication, no TLS). ``timeout=N`` (seconds) is optional.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import parse_qs, unquote, urlsplit

from app.clock import utcnow

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


class SmtpSettingsError(ValueError):
    """``HIRELADDER_SMTP_URL`` is not understood; the message says what is wrong."""


class DeliveryFailed(Exception):
    """One message could not be handed over. ``permanent``: the server refused it for good
    (5xx), a retry would fail the same way; otherwise it may work later."""

    def __init__(self, reason: str, *, permanent: bool, server_down: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        #: The server could not be reached at all: the rest of a batch waits too.
        self.server_down = server_down


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool
    timeout: float

    def describe(self) -> str:
        """The server without its password, for logs and the admin page."""
        scheme = "smtps" if self.implicit_tls else "smtp"
        user = f"{self.username}@" if self.username else ""
        tls = "?starttls=1" if self.starttls else ""
        return f"{scheme}://{user}{self.host}:{self.port}{tls}"


def parse_smtp_url(url: str) -> SmtpSettings:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise SmtpSettingsError(f"the address must start with smtp:// or smtps://, not {url!r}")
    if not parts.hostname:
        raise SmtpSettingsError("the address names no host (smtp://host:port)")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port is not None and not 1 <= port <= 65535:
        raise SmtpSettingsError("the port must be a number from 1 to 65535")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"starttls", "timeout"})
    if unknown:
        raise SmtpSettingsError(
            f"unknown option {', '.join(unknown)}; the options are starttls and timeout"
        )
    starttls_raw = query.get("starttls", "0").lower()
    if starttls_raw not in TRUE + FALSE:
        raise SmtpSettingsError(f"starttls must be 1 or 0, not {starttls_raw!r}")
    try:
        timeout = float(query.get("timeout", "30"))
    except ValueError:
        raise SmtpSettingsError("timeout must be a number of seconds") from None
    if not 0 < timeout <= 600:
        raise SmtpSettingsError("timeout must be more than 0 and at most 600 seconds")
    implicit_tls = parts.scheme == "smtps"
    starttls = starttls_raw in TRUE
    if implicit_tls and starttls:
        raise SmtpSettingsError("smtps:// is TLS from the start; starttls=1 is for smtp://")
    return SmtpSettings(
        host=parts.hostname,
        port=port or (465 if implicit_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit_tls,
        starttls=starttls,
        timeout=timeout,
    )


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Outgoing:
    """A rendered message, as the worker hands it to a transport."""

    message_id: str
    sender: str
    to_address: str
    to_name: str | None
    subject: str
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]


def build_email(message: Outgoing) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, then the attachments."""
    email = EmailMessage()
    email["From"] = message.sender
    email["To"] = formataddr((message.to_name or "", message.to_address))
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.text)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, rest = attachment.content_type.partition("/")
        subtype, *raw_params = (p.strip() for p in rest.split(";"))
        params = dict(p.split("=", 1) for p in raw_params if "=" in p)
        params.pop("charset", None)
        email.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    return email


class SmtpTransport:
    """One connection, opened on first use and reused for a batch; ``close`` ends it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.implicit_tls:
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.starttls:
                    connection.starttls(context=ssl.create_default_context())
            if s.username:
                connection.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryFailed(
                f"the mail server refused the sign-in: {_reply(error)}",
                permanent=False,
                server_down=True,
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(
                f"cannot reach the mail server {s.describe()}: {error}",
                permanent=False,
                server_down=True,
            ) from error
        return connection

    def send(self, message: Outgoing) -> None:
        if self._connection is None:
            self._connection = self._connect()
        try:
            refused = self._connection.send_message(
                build_email(message), from_addr=None, to_addrs=[message.to_address]
            )
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise DeliveryFailed(
                f"recipient refused: {code} {_text(reply)}", permanent=500 <= code < 600
            ) from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise DeliveryFailed(
                f"the mail server answered {_reply(error)}",
                permanent=500 <= error.smtp_code < 600,
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryFailed(
                f"connection to the mail server failed: {error}", permanent=False, server_down=True
            ) from error
        if refused:  # pragma: no cover - a single recipient is either accepted or raised
            code, reply = next(iter(refused.values()))
            raise DeliveryFailed(f"recipient refused: {code} {_text(reply)}", permanent=False)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"
