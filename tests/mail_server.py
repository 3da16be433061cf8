"""A real SMTP server for the tests (aiosmtpd), on a free port of 127.0.0.1.

``smtp_server`` collects every message it receives (parsed, with its envelope); it can be
stopped and started again on the same port to play a server that goes down and comes back.
``mail_to_smtp`` points the app's ``SMTP_URL`` at it for one test.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def text(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part is not None else ""

    def html(self) -> str:
        part = self.message.get_body(("html",))
        return part.get_content() if part is not None else ""

    def attachments(self) -> list[EmailMessage]:
        return list(self.message.iter_attachments())


class Collector:
    """The aiosmtpd handler: keeps what arrives; ``refuse`` answers every DATA with it."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: str | None = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_to_smtp(app: Flask, smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    """The app delivers to ``smtp_server`` for the length of one test."""
    before = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = smtp_server.url
    try:
        yield smtp_server
    finally:
        app.config["SMTP_URL"] = before
