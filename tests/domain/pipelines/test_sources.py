"""Sources, and what a referrer sees of an application."""

from __future__ import annotations

import pytest

from pipelines.applications import ApplicationStatus
from pipelines.sources import ApplicationSource, ReferralStatus, referral_status


@pytest.mark.parametrize(
    ("status", "seen"),
    [
        (ApplicationStatus.ACTIVE, ReferralStatus.IN_PROCESS),
        (ApplicationStatus.OFFER, ReferralStatus.IN_PROCESS),
        (ApplicationStatus.DECLINED, ReferralStatus.NOT_MOVING_FORWARD),
        (ApplicationStatus.WITHDRAWN, ReferralStatus.NOT_MOVING_FORWARD),
        (ApplicationStatus.HIRED, ReferralStatus.HIRED),
    ],
)
def test_a_referrer_sees_three_statuses(status, seen):
    assert referral_status(status) is seen


def test_every_source_has_a_label():
    assert {s.label for s in ApplicationSource} >= {"Careers site", "Referral"}
    assert len({s.label for s in ApplicationSource}) == len(ApplicationSource)
