"""The JSON shape of a referral as its referrer sees it (status only)."""

from __future__ import annotations

from typing import Any

from app.referrals.queries import ReferralRow


def referral(row: ReferralRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "candidate": {"name": row.candidate_name},
        "requisition": {"id": row.requisition_id, "title": row.requisition_title},
        "referred_at": row.referred_at.isoformat(),
        "status": row.status.value,
        "status_label": row.status.label,
    }
