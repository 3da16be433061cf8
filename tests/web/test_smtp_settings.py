"""``HIRELADDER_SMTP_URL``: the forms it may take, and what it says when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import ConfigError, load_config
from app.notifications.smtp import SmtpSettingsError, parse_smtp_url


def test_a_plain_local_server():
    s = parse_smtp_url("smtp://127.0.0.1:1025")
    assert (s.host, s.port, s.username, s.password) == ("127.0.0.1", 1025, None, None)
    assert not s.implicit_tls and not s.starttls
    assert s.timeout == 30


def test_a_submission_server_with_starttls_and_a_password_with_reserved_characters():
    s = parse_smtp_url("smtp://mailer%40example.com:p%40ss%2Fw0rd@mail.example.com:587?starttls=1")
    assert (s.host, s.port) == ("mail.example.com", 587)
    assert s.username == "mailer@example.com" and s.password == "p@ss/w0rd"
    assert s.starttls and not s.implicit_tls
    assert s.describe() == "smtp://mailer@example.com@mail.example.com:587?starttls=1"
    assert "p@ss" not in s.describe()


@pytest.mark.parametrize(
    ("url", "port", "implicit_tls"),
    [("smtp://mail.example.com", 25, False), ("smtps://mail.example.com", 465, True)],
)
def test_default_ports(url, port, implicit_tls):
    s = parse_smtp_url(url)
    assert (s.port, s.implicit_tls) == (port, implicit_tls)


@pytest.mark.parametrize(
    ("query", "starttls", "timeout"),
    [
        ("starttls=yes&timeout=5", True, 5.0),
        ("starttls=off", False, 30.0),
        ("timeout=0.5", False, 0.5),
        ("timeout=600", False, 600.0),
    ],
)
def test_options(query, starttls, timeout):
    s = parse_smtp_url(f"smtp://mail.example.com:2525?{query}")
    assert (s.starttls, s.timeout) == (starttls, timeout)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("mail.example.com:25", "must start with smtp:// or smtps://"),
        ("", "must start with smtp:// or smtps://"),
        ("smtp://", "names no host"),
        ("smtp://:25", "names no host"),
        ("smtp://mail.example.com:99999", "port must be a number from 1 to 65535"),
        ("smtp://mail.example.com:0", "port must be a number from 1 to 65535"),
        ("smtp://mail.example.com:abc", "port must be a number from 1 to 65535"),
        ("smtp://mail.example.com?tls=1", "unknown option tls; the options are starttls and"),
        ("smtp://mail.example.com?starttls=maybe", "starttls must be 1 or 0, not 'maybe'"),
        ("smtp://mail.example.com?timeout=soon", "timeout must be a number of seconds"),
        ("smtp://mail.example.com?timeout=0", "more than 0 and at most 600 seconds"),
        ("smtp://mail.example.com?timeout=601", "more than 0 and at most 600 seconds"),
        ("smtps://mail.example.com?starttls=1", "smtps:// is TLS from the start"),
    ],
)
def test_bad_addresses_say_what_is_wrong(url, message):
    with pytest.raises(SmtpSettingsError) as caught:
        parse_smtp_url(url)
    assert message in str(caught.value)


def test_the_setting_is_checked_when_the_app_starts(tmp_path: Path):
    environ = {"HIRELADDER_ENV": "testing", "SECRET_KEY": "x", "HIRELADDER_SMTP_URL": "smtp://"}
    with pytest.raises(ConfigError, match="HIRELADDER_SMTP_URL: the address names no host"):
        load_config(tmp_path, environ=environ)
    environ["HIRELADDER_SMTP_URL"] = "smtp://127.0.0.1:1025"
    assert load_config(tmp_path, environ=environ)["SMTP_URL"] == "smtp://127.0.0.1:1025"
