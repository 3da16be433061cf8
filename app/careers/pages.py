"""Career paths: families, the ladder picture, levels, comparisons, "My path" and search.

Every page reads the ladder from memory; "My path" also reads the person's level history,
the manager's name and their newest packets. Every signed-in user may see every page but a
person's path (``/careers/people/<id>``), which is for their manager and admins.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup

from app.accounts.queries import display_names
from app.careers import history, words
from app.careers.svg import family_svg, layout_family, move_target
from app.db import db
from app.denials import deny
from app.ladder_access import get_ladder
from app.models import Role, User
from app.promotions.queries import packets_about
from app.routing import Routes
from app.services import audit, levels
from ladder.model import KIND_LABELS, KIND_SINGULAR, KINDS, Family, Ladder, Level
from ladder.resolve import (
    ResolutionError,
    applicable_specialty,
    diff_levels,
    moves,
    next_levels,
    other_track_levels,
    reports_to_chain,
    reports_to_levels,
    resolve_level,
    specialty_labels,
    track_of,
)
from ladder.resolve import relation as level_relation
from ladder.search import MIN_QUERY, search_ladder

routes = Routes()

#: The newest promotion packets about the user shown on "My path" (all are on /promotions).
MY_PACKETS = 5


def _family_or_404(ladder: Ladder, family_id: str) -> Family:
    family = ladder.families_by_id.get(family_id)
    if family is None:
        abort(404)
    return family


def _level_or_404(ladder: Ladder, level_id: str) -> Level:
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        abort(404)
    return level


def _level_url(level_id: str) -> str:
    return url_for("careers.level", level_id=level_id)


def _family_url(family_id: str) -> str:
    return url_for("careers.family", family_id=family_id)


def _pdf_url(level_id: str, specialty_id: str | None) -> str:
    # Served by this feature's API (it takes the browser's session too).
    return url_for(
        "api.level_description_pdf", level_id=level_id, specialty=specialty_id, paper="a4"
    )


@routes.get("/")
@login_required
def index() -> str:
    ladder = get_ladder()
    families = [
        {
            "family": family,
            "levels": len(family.levels),
            "grades": words.family_grades(family),
            "tracks": sorted({level.track.label for level in family.levels}),
        }
        for family in ladder.families
    ]
    return render_template("careers/index.html", families=families)


@routes.get("/<family_id>")
@login_required
def family(family_id: str) -> str:
    ladder = get_ladder()
    family = _family_or_404(ladder, family_id)
    layout = layout_family(ladder, family.id)
    svg = family_svg(
        ladder,
        family.id,
        level_href=_level_url,
        family_href=_family_url,
        highlight=current_user.level_id,
    )
    competencies = ladder.competency_set(family.competencies) if family.competencies else None
    return render_template(
        "careers/family.html",
        ladder=ladder,
        family=family,
        svg=Markup(svg),  # noqa: S704 - built by svg.py, which escapes every text
        tracks=words.describe_family(ladder, layout),
        external_levels=layout.external_levels,
        competencies=competencies,
        moves=[(move, *move_target(ladder, move)) for move in layout.moves],
        grades=words.family_grades(family),
        kind_labels=KIND_LABELS,
        kind_singular=KIND_SINGULAR,
        kinds_in_words=words.kinds_in_words,
    )


@routes.get("/levels/<level_id>")
@login_required
def level(level_id: str) -> str:
    ladder = get_ladder()
    level = _level_or_404(ladder, level_id)
    specialty_id = request.args.get("specialty") or None
    try:
        resolved = resolve_level(ladder, level.id, specialty_id)
    except ResolutionError:
        abort(404)
    family = resolved.family
    competencies = ladder.competency_set(family.competencies) if family.competencies else None
    upcoming = next_levels(ladder, level.id)
    return render_template(
        "careers/level.html",
        ladder=ladder,
        level=level,
        family=family,
        resolved=resolved,
        specialty=resolved.specialty,
        specialties=family.specialties_for(level.id),
        track=track_of(ladder, level.id),
        inherits=words.inherits(ladder, level),
        reports_to=reports_to_levels(ladder, level.id),
        next_levels=upcoming,
        other_track=other_track_levels(ladder, level.id),
        moves=[(move, *move_target(ladder, move)) for move in moves(ladder, level.id)],
        competencies=competencies,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        kinds_in_words=words.kinds_in_words,
        compare_default=upcoming[0].id if upcoming else None,
        specialty_choices=specialty_labels(ladder),
        pdf_url=_pdf_url(level.id, resolved.specialty.id if resolved.specialty else None),
    )


@routes.get("/compare")
@login_required
def compare() -> tuple[str, int]:
    ladder = get_ladder()
    args = request.args
    source_id = args.get("from") or None
    target_id = args.get("to") or None
    source_specialty = args.get("from_specialty") or None
    target_specialty = args.get("to_specialty") or None
    errors: list[str] = []
    diff = None
    relation = None
    status = 200
    if source_id and target_id:
        source = _level_or_404(ladder, source_id)
        target = _level_or_404(ladder, target_id)
        for level, specialty_id in ((source, source_specialty), (target, target_specialty)):
            if specialty_id and applicable_specialty(ladder, level.id, specialty_id) is None:
                errors.append(
                    f"The specialty “{specialty_id}” does not exist for {level.name} "
                    f"({ladder.family(level.family).title})."
                )
        if errors:
            status = 400
        else:
            diff = diff_levels(ladder, source.id, target.id, source_specialty, target_specialty)
            relation = level_relation(ladder, source.id, target.id)
    elif source_id or target_id:
        errors.append("Choose both levels to compare.")
    return (
        render_template(
            "careers/compare.html",
            ladder=ladder,
            diff=diff,
            errors=errors,
            selected={
                "from": source_id,
                "to": target_id,
                "from_specialty": source_specialty,
                "to_specialty": target_specialty,
            },
            relation=relation,
            specialty_choices=specialty_labels(ladder),
            kinds=KINDS,
            kind_labels=KIND_LABELS,
        ),
        status,
    )


def _path_context(person: User, *, own: bool) -> dict[str, object]:
    """What a career path page shows of ``person``: where they are, their level history
    (newest first) and their next steps. Reads the history (one query) and the manager's
    name (one), and for the person's own page their newest packets (one)."""
    ladder = get_ladder()
    level = ladder.levels_by_id.get(person.level_id) if person.level_id else None
    manager_name = None
    if person.manager_id is not None:
        manager_name = display_names([person.manager_id]).get(person.manager_id)
    today = levels.local_today(current_user)
    rows = history.history_rows(ladder, levels.history_of(person.id), today)
    person_specialty = person.specialty_id
    # A new hire before their first day: the path shows the level they start at.
    starting = history.first_scheduled(rows) if person.level_id is None else None
    if starting is not None:
        level = ladder.levels_by_id.get(starting.level_id)
        person_specialty = starting.specialty_id
    context: dict[str, object] = {
        "ladder": ladder,
        "person": person,
        "own": own,
        "level": level,
        "starts_on": starting.starts_on if starting is not None and level else None,
        "unknown_level_id": person.level_id if person.level_id and level is None else None,
        "level_since": person.level_since,
        "time_in_level": history.time_in_level(person, today),
        "history": rows,
        "manager_name": manager_name,
        "kinds": KINDS,
        "kind_labels": KIND_LABELS,
        "packets": packets_about(person.id, MY_PACKETS) if own else [],
    }
    if level is not None:
        specialty_id = applicable_specialty(ladder, level.id, person_specialty)
        steps = []
        for upcoming in next_levels(ladder, level.id):
            target_specialty = applicable_specialty(ladder, upcoming.id, specialty_id)
            steps.append(
                {
                    "level": upcoming,
                    "specialty": target_specialty,
                    "diff": diff_levels(
                        ladder, level.id, upcoming.id, specialty_id, target_specialty
                    ),
                }
            )
        family = ladder.family(level.family)
        context.update(
            family=family,
            specialty=family.specialty(specialty_id) if specialty_id else None,
            unknown_specialty_id=(
                person_specialty if person_specialty != specialty_id else None
            ),
            track=track_of(ladder, level.id),
            steps=steps,
            other_track=other_track_levels(ladder, level.id),
            chain=reports_to_chain(ladder, level.id),
            moves=[(move, *move_target(ladder, move)) for move in moves(ladder, level.id)],
        )
    return context


@routes.get("/me")
@login_required
def my_path() -> str:
    return render_template("careers/my_path.html", **_path_context(current_user, own=True))


@routes.get("/people/<int:user_id>")
@login_required
def person_path(user_id: int) -> ResponseReturnValue:
    """A person's career path and level history, for their manager and admins (anyone
    else: 404, as for nobody). The person themselves is sent to My path. A read of
    someone else's history is audited."""
    if user_id == current_user.id:
        return redirect(url_for("careers.my_path"))
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    if person.manager_id != current_user.id and not current_user.has_role(Role.ADMIN):
        deny("user", user_id)
    page = render_template("careers/my_path.html", **_path_context(person, own=False))
    audit.record_read(
        audit.LEVEL_HISTORY_VIEW,
        actor=current_user,
        channel="web",
        object_type="user",
        object_id=user_id,
    )
    return page


@routes.get("/search")
@login_required
def search() -> str:
    ladder = get_ladder()
    query = (request.args.get("q") or "").strip()
    result = None
    too_short = bool(query) and len(query) < MIN_QUERY
    if query and not too_short:
        result = search_ladder(ladder, query)
    return render_template(
        "careers/search.html",
        query=query,
        too_short=too_short,
        result=result,
        min_query=MIN_QUERY,
        highlight=words.highlight,
        kind_labels=KIND_SINGULAR,
    )
