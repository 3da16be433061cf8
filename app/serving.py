"""What a server process does once, after the app is built and before it takes requests."""

from __future__ import annotations

import gc

from flask import Flask

from app.ladder_access import get_ladder


def prepare_for_serving(app: Flask) -> None:
    """Load the ladder, then move everything alive now out of the garbage collector's view.

    The app, SQLAlchemy's mappers and the ladder are tens of thousands of long-lived
    objects; without ``gc.freeze()`` every full collection walks them all, which showed up
    as 100+ ms pauses on large pages.
    """
    with app.app_context():
        get_ladder()
    gc.collect()
    gc.freeze()
