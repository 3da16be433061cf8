"""HireLadder's career ladder: the data, its loader and validator, and resolution.

Pure Python: this package never imports Flask, SQLAlchemy, WTForms or ``app``.
"""

from ladder.loader import DATA_DIR, LoadResult, build_ladder, load_ladder
from ladder.model import Family, Ladder, Level, Problem, Severity, Specialty, Track

__all__ = [
    "DATA_DIR",
    "Family",
    "Ladder",
    "Level",
    "LoadResult",
    "Problem",
    "Severity",
    "Specialty",
    "Track",
    "build_ladder",
    "load_ladder",
]
