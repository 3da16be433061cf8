"""JSON API of the career ladder: its levels, the diff of two levels, role descriptions."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required
from app.api.errors import ApiError, Problems
from app.careers import represent
from app.careers.documents import (
    cache_key,
    file_name,
    get_role_description_pdf,
)
from app.ladder_access import get_ladder
from app.pdf import PAPERS, UnknownPaper, pdf_download
from app.rate_limits import expensive
from app.routing import Routes
from ladder.model import Ladder, Level
from ladder.resolve import UnknownIdError, diff_levels, get_level, relation, specialty_for

routes = Routes()

#: The browser may keep its copy for a day; the ETag lets it revalidate cheaply after that.
CACHE_CONTROL = "private, max-age=86400"


@routes.get("/ladder/levels")
@api_login_required
def ladder_levels() -> ResponseReturnValue:
    ladder = get_ladder()
    family = request.args.get("family") or None
    if family is not None and family not in ladder.families_by_id:
        known = ", ".join(ladder.families_by_id)
        problems = Problems()
        problems.add("family", f"The ladder has no family {family!r} (families: {known}).")
        problems.check()
    items = [
        represent.level(lv)
        for fam in ladder.families
        if family is None or fam.id == family
        for lv in fam.levels
    ]
    return jsonify(items=items, ladder_version=ladder.version)


def _diff_side(ladder: Ladder, which: str, level_id: str, specialty_id: str | None) -> Level:
    try:
        level = get_level(ladder, level_id)
    except UnknownIdError:
        raise ApiError(404, f"The ladder has no level {level_id!r} ('{which}').") from None
    if specialty_id is not None:
        try:
            specialty_for(ladder, level.id, specialty_id)
        except UnknownIdError as exc:
            raise ApiError(404, f"Unknown '{which}_specialty': {exc}.") from None
    return level


@routes.get("/ladder/diff")
@api_login_required
def ladder_diff() -> ResponseReturnValue:
    args = request.args
    problems = Problems()
    for name in ("from", "to"):
        if not (args.get(name) or "").strip():
            problems.add(name, "This parameter is required: a level id.")
    problems.check()
    ladder = get_ladder()
    source_specialty = args.get("from_specialty") or None
    target_specialty = args.get("to_specialty") or None
    source = _diff_side(ladder, "from", args["from"].strip(), source_specialty)
    target = _diff_side(ladder, "to", args["to"].strip(), target_specialty)
    changes = diff_levels(ladder, source.id, target.id, source_specialty, target_specialty)
    return jsonify(represent.diff(ladder, changes, relation(ladder, source.id, target.id)))


@routes.get("/ladder/levels/<level_id>/description.pdf")
@expensive
@api_login_required
def level_description_pdf(level_id: str) -> ResponseReturnValue:
    """The role description of a level (``?specialty=``) as a PDF (``?paper=a4|letter``).

    The ETag is the hash of the cache key, so a matching ``If-None-Match`` is answered 304
    without reading or rendering the PDF.
    """
    ladder = get_ladder()
    specialty_id = request.args.get("specialty") or None
    paper = request.args.get("paper", "a4").lower()
    try:
        key = cache_key(ladder, level_id, specialty_id, paper)
    except UnknownIdError as exc:
        raise ApiError(404, f"{str(exc).capitalize()}.") from None
    except UnknownPaper:
        raise ApiError(400, f"'paper' must be one of: {', '.join(PAPERS)}.") from None
    return pdf_download(
        key.digest,
        lambda: get_role_description_pdf(ladder, level_id, specialty_id, paper).data,
        file_name(level_id, specialty_id, paper),
        CACHE_CONTROL,
    )
