"""``flask worker``: delivers due messages from the outbox and runs the periodic jobs.

Run as many as you like, on as many machines: a message is claimed by one worker before it
is sent, and each periodic job's run is claimed by one worker per time slot. With SQLite,
run one worker (SQLite has one writer at a time anyway).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from flask import Flask

from app.clock import utcnow
from app.notifications.smtp import DeliveryFailed, Outgoing, SmtpTransport, parse_smtp_url
from app.services import jobs, outbox

log = logging.getLogger("hireladder.worker")

BATCH = 50
#: A claimed message is sent only while its claim has at least this long to run: a send
#: that outlasts the claim could meet another worker's send of the same message.
LEASE_MARGIN = timedelta(minutes=1)


class Transport(Protocol):
    def send(self, message: Outgoing) -> None: ...

    def close(self) -> None: ...


class KeepTransport:
    """No mail server: messages are kept for the admin Mail page (development)."""

    kept = True

    def send(self, message: Outgoing) -> None:
        log.info("kept %s for %s: %s", message.message_id, message.to_address, message.subject)

    def close(self) -> None:
        pass


def transport_for(app: Flask) -> Transport:
    url = app.config.get("SMTP_URL")
    if url:
        return SmtpTransport(parse_smtp_url(url))
    return KeepTransport()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0
    jobs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def worked(self) -> bool:
        return bool(self.sent or self.retried or self.dead or self.jobs)

    def __str__(self) -> str:
        return (
            f"{self.sent} delivered, {self.retried} to retry, {self.dead} given up"
            + (f", jobs: {'; '.join(f'{n} {o}' for n, o in self.jobs)}" if self.jobs else "")
        )


def deliver_batch(
    transport: Transport,
    worker: str,
    now: datetime,
    limit: int = BATCH,
    *,
    clock: Callable[[], datetime] = utcnow,
) -> Report:
    """Claim and deliver up to ``limit`` due messages; ``clock`` dates each outcome (the
    moment of sending, the next try counted from the failure)."""
    report = Report()
    claim = outbox.claim_batch(worker, now, limit)
    try:
        _deliver(transport, claim, report, clock)
    finally:
        # Also when recording an outcome fails: the connection is not left open.
        transport.close()
    return report


def _deliver(
    transport: Transport, claim: outbox.Claim, report: Report, clock: Callable[[], datetime]
) -> None:
    kept = bool(getattr(transport, "kept", False))
    for position, message_id in enumerate(claim.ids):
        loaded = outbox.outgoing(message_id)
        if loaded is None:
            continue
        message, mail = loaded
        if not outbox.still_claimed(message, claim.token, clock() + LEASE_MARGIN):
            # The batch took too long: give back what is still ours; another worker may
            # hold the rest already.
            outbox.release(claim.ids[position:], claim.token)
            report.released += len(claim.ids) - position
            log.warning("worker %s: claim ran out mid-batch; the rest is given back", claim.token)
            break
        try:
            transport.send(mail)
        except DeliveryFailed as failure:
            state = outbox.mark_failed(message, clock(), str(failure), permanent=failure.permanent)
            log.warning(
                "message %s to %s failed (%s): %s", message_id, mail.to_address, state, failure
            )
            if state == "dead":
                report.dead += 1
            else:
                report.retried += 1
            if failure.server_down:
                rest = claim.ids[position + 1 :]
                outbox.release(rest, claim.token)
                report.released += len(rest)
                break
            continue
        outbox.mark_sent(message, clock(), kept=kept)
        log.info(
            "message %s (%s) %s to %s: %s",
            message_id,
            mail.message_id,
            "kept" if kept else "sent",
            mail.to_address,
            mail.subject,
        )
        report.sent += 1


def scheduled_jobs() -> list[jobs.Job]:
    """The periodic jobs every worker offers to run (one worker runs each slot)."""
    from app.notifications.schedule import JOBS

    return list(JOBS)


def run_once(
    app: Flask, *, worker: str | None = None, now: Callable[[], datetime] = utcnow
) -> Report:
    """Run the due jobs, then deliver every due message (batch after batch); return.
    ``now`` is the clock of the whole round: what is due, and when outcomes happened."""
    name = worker or worker_name()
    with app.app_context():
        report = Report(jobs=jobs.run_due(scheduled_jobs(), name, now()))
        transport = transport_for(app)
        while True:
            batch = deliver_batch(transport, name, now(), clock=now)
            report.sent += batch.sent
            report.retried += batch.retried
            report.dead += batch.dead
            report.released += batch.released
            if not (batch.sent or batch.retried or batch.dead) or batch.released:
                break
    return report


def run_forever(app: Flask, *, poll_seconds: float | None = None) -> None:
    """Deliver and run jobs until SIGTERM or SIGINT; a message being sent is finished."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        log.info("worker stopping (signal %s) after the current message", signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    poll = poll_seconds if poll_seconds is not None else app.config["WORKER_POLL_SECONDS"]
    name = worker_name()
    log.info("worker %s started", name)
    while not stopping:
        try:
            report = run_once(app, worker=name)
        except Exception:
            log.exception("worker round failed; trying again in %s s", poll)
            report = Report()
        if report.worked:
            log.info("worker %s: %s", name, report)
            continue
        deadline = time.monotonic() + poll
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, poll))
    log.info("worker %s stopped", name)
