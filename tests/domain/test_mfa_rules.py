from datetime import UTC, datetime, timedelta

import pytest

from app.services.mfa_rules import (
    RECOVERY_ALPHABET,
    RECOVERY_CODE_COUNT,
    PendingSignIn,
    new_recovery_code,
    new_recovery_codes,
    normalize_recovery_code,
    normalize_totp_code,
    parse_role_list,
    read_pending,
    recovery_code_hash,
    required_for,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LIFETIME = timedelta(minutes=5)


def test_recovery_codes_are_five_groups_of_five_from_the_alphabet():
    code = new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5, 5, 5, 5, 5]
    assert set("".join(groups)) <= set(RECOVERY_ALPHABET)
    assert normalize_recovery_code(code) == code
    # Stored as a plain SHA-256, so at least 112 bits of entropy (ASVS 6.5.2).
    assert len(RECOVERY_ALPHABET) ** (len(code) - code.count("-")) >= 2**112


def test_a_set_of_recovery_codes_has_no_repeats():
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7mq2-xr9a0-twh3p-e4n8d-q1fz6", "k7mq2-xr9a0-twh3p-e4n8d-q1fz6"),
        ("K7MQ2 XR9A0 TWH3P E4N8D Q1FZ6", "k7mq2-xr9a0-twh3p-e4n8d-q1fz6"),
        ("k7mq2xr9a0twh3pe4n8dq1fz6", "k7mq2-xr9a0-twh3p-e4n8d-q1fz6"),
        # Look-alikes typed from paper: O for 0, I and L for 1, U for V.
        ("k7mq2-xr9aO-twh3p-e4n8d-q1fz6", "k7mq2-xr9a0-twh3p-e4n8d-q1fz6"),
        ("k7mq2-xr9a0-twh3p-e4n8d-qIfz6", "k7mq2-xr9a0-twh3p-e4n8d-q1fz6"),
        ("k7mq2-xr9a0-twh3p-e4n8d-qLfzu", "k7mq2-xr9a0-twh3p-e4n8d-q1fzv"),
        ("k7mq2-xr9a0-twh3p-e4n8d-q1fz", None),
        ("k7mq2-xr9a0-twh3p-e4n8d-q1fz60", None),
        ("k7mq2-xr9a0-twh3p-e4n8d-q1fz!", None),
        ("123456", None),
        ("", None),
    ],
)
def test_normalize_recovery_code(typed, expected):
    assert normalize_recovery_code(typed) == expected


def test_recovery_code_hash_is_sha256_hex_of_the_normal_form():
    digest = recovery_code_hash("k7mq2-xr9a0-twh3p-e4n8d-q1fz6")
    assert len(digest) == 64
    assert digest != recovery_code_hash("k7mq2-xr9a0-twh3p-e4n8d-q1fz7")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        (" 012345 ", "012345"),
        ("12345", None),
        ("1234567", None),
        ("12345a", None),
        ("١٢٣٤٥٦", None),
    ],
)
def test_normalize_totp_code(typed, expected):
    assert normalize_totp_code(typed) == expected


def test_required_for_any_listed_role():
    assert required_for(["recruiter", "interviewer"], ("admin", "recruiter"))
    assert not required_for(["team_member"], ("admin", "recruiter"))
    assert not required_for(["admin"], ())


def test_parse_role_list():
    assert parse_role_list(" Recruiter, admin,,admin ") == ("admin", "recruiter")
    assert parse_role_list("") == ()


class TestPendingMarker:
    def marker(self, **changes):
        pending = PendingSignIn(7, NOW, remember=True, next_url="/account")
        return {**pending.as_marker(), **changes}

    def test_round_trip_within_the_lifetime(self):
        later = NOW + LIFETIME - timedelta(seconds=1)
        pending = read_pending(self.marker(), now=later, lifetime=LIFETIME)
        assert pending == PendingSignIn(7, NOW, remember=True, next_url="/account")

    def test_expires_after_the_lifetime(self):
        assert read_pending(self.marker(), now=NOW + LIFETIME, lifetime=LIFETIME) is None

    def test_dated_in_the_future_is_refused(self):
        earlier = NOW - timedelta(minutes=1)
        assert read_pending(self.marker(), now=earlier, lifetime=LIFETIME) is None

    @pytest.mark.parametrize(
        "marker",
        [None, "7", [], {"user_id": "7", "started_at": 0}, {"user_id": 7}, {"started_at": 1}],
    )
    def test_malformed_markers_are_refused(self, marker):
        assert read_pending(marker, now=NOW, lifetime=LIFETIME) is None

    def test_remember_only_when_exactly_true(self):
        pending = read_pending(self.marker(remember="yes"), now=NOW, lifetime=LIFETIME)
        assert pending is not None and pending.remember is False
