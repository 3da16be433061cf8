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


def test_recovery_codes_are_four_groups_of_four_from_the_alphabet():
    code = new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(RECOVERY_ALPHABET)
    assert normalize_recovery_code(code) == code


def test_a_set_of_recovery_codes_has_no_repeats():
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("k7mq-2xr9-a0tw-h3pe", "k7mq-2xr9-a0tw-h3pe"),
        ("K7MQ 2XR9 A0TW H3PE", "k7mq-2xr9-a0tw-h3pe"),
        ("k7mq2xr9a0twh3pe", "k7mq-2xr9-a0tw-h3pe"),
        # Look-alikes typed from paper: O for 0, I and L for 1, U for V.
        ("k7mq-2xr9-aOtw-h3pe", "k7mq-2xr9-a0tw-h3pe"),
        ("kimq-2xr9-a0tw-h3pe", "k1mq-2xr9-a0tw-h3pe"),
        ("kLmq-2xr9-a0tw-h3pu", "k1mq-2xr9-a0tw-h3pv"),
        ("k7mq-2xr9-a0tw-h3p", None),
        ("k7mq-2xr9-a0tw-h3pe0", None),
        ("k7mq-2xr9-a0tw-h3p!", None),
        ("123456", None),
        ("", None),
    ],
)
def test_normalize_recovery_code(typed, expected):
    assert normalize_recovery_code(typed) == expected


def test_recovery_code_hash_is_sha256_hex_of_the_normal_form():
    digest = recovery_code_hash("k7mq-2xr9-a0tw-h3pe")
    assert len(digest) == 64
    assert digest != recovery_code_hash("k7mq-2xr9-a0tw-h3pf")


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
