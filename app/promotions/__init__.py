"""Promotion packets: start one for a report from the ladder's diff, fill it in (saved as
you go), submit, decide, withdraw; the packet as PDF; their JSON API."""
