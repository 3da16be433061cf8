"""Referrals: any team member refers someone to an open requisition and follows only
that referral's status (pages at /referrals, API at /api/v1/referrals)."""
