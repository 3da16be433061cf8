"""The promotion pages: start, fill in, conflicts, submit, decide, read, list."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, PromotionPacket, PromotionSection, User
from app.services import promotions
from tests.conftest import fill_required, login_as, place


def _sections(app, packet_id: int) -> list[PromotionSection]:
    with app.app_context():
        rows = db.session.scalars(
            select(PromotionSection)
            .where(PromotionSection.packet_id == packet_id)
            .order_by(PromotionSection.position)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _packet(app, packet_id: int) -> PromotionPacket:
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        db.session.expunge_all()
        return packet


def _get(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    try:
        return response.status_code, response.get_data(as_text=True)
    finally:
        response.close()


def _post(client, url: str, data: dict) -> tuple[int, str, str | None]:
    response = client.post(url, data=data)
    try:
        return (
            response.status_code,
            response.get_data(as_text=True),
            response.headers.get("Location"),
        )
    finally:
        response.close()


def _form_data(sections: list[PromotionSection], **texts: str) -> dict[str, str]:
    """The packet form as a page loaded with ``sections`` posts it, with ``texts`` typed."""
    data = {}
    for section in sections:
        data[f"evidence-{section.key}"] = texts.get(section.key, section.evidence or "")
        data[f"base-{section.key}"] = section.evidence or ""
        data[f"version-{section.key}"] = str(section.version)
    return data


def test_manager_starts_a_packet_from_the_target_list(app, client, users, promotion_objects):
    with app.app_context():
        place(users["recruiter"], "staff-csm", users["hiring_manager"])
    login_as(app, client, users["hiring_manager"])
    status, page = _get(client, f"/promotions/new/{users['recruiter']}")
    assert status == 200
    # Staff CSM has no next IC level; the manager track is offered as the other track.
    assert "Switch to the other track" in page
    assert 'value="manager-csm"' in page
    assert 'value="csm"' not in page  # below the current level
    status, _body, location = _post(
        client, f"/promotions/new/{users['recruiter']}", {"target_level_id": "manager-csm"}
    )
    assert status == 302
    packet_id = int(location.rstrip("/").rsplit("/", 1)[-1])
    packet = _packet(app, packet_id)
    assert (packet.source_level_id, packet.target_level_id) == ("staff-csm", "manager-csm")
    assert packet.move_kind == "other_track"
    status, page = _get(client, location)
    assert status == 200
    assert "Submit for approval" in page
    sections = _sections(app, packet_id)
    assert sections[-1].key == "justification"
    for section in sections:
        assert f'name="evidence-{section.key}"' in page


def test_unknown_target_is_a_form_error_not_a_500(app, client, users, promotion_objects):
    with app.app_context():
        place(users["recruiter"], "csm", users["hiring_manager"])
    login_as(app, client, users["hiring_manager"])
    status, page, _ = _post(
        client, f"/promotions/new/{users['recruiter']}", {"target_level_id": "no-such-level"}
    )
    assert status == 422
    assert "Not a valid choice" in page


def test_only_the_manager_reaches_the_start_page(app, client, users, promotion_objects):
    login_as(app, client, users["admin"])  # the manager's manager, not the person's
    assert _get(client, f"/promotions/new/{users['team_member']}")[0] == 404


def test_save_and_submit_through_the_form(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    sections = _sections(app, packet_id)
    login_as(app, client, users["hiring_manager"])
    first = sections[0]
    status, _body, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(sections, **{first.key: "Ran the EMEA onboarding."}), "action": "save"},
    )
    assert status == 302
    assert _sections(app, packet_id)[0].evidence == "Ran the EMEA onboarding."
    # Submitting with empty required sections keeps the packet a draft and marks them.
    sections = _sections(app, packet_id)
    status, page, _ = _post(
        client, f"/promotions/{packet_id}", {**_form_data(sections), "action": "submit"}
    )
    assert status == 422
    assert "Saved, but not submitted" in page
    assert page.count("Evidence is needed here") == sum(
        1 for s in sections if s.required and not s.evidence
    )
    assert _packet(app, packet_id).status == "draft"
    texts = {s.key: f"Evidence {i}" for i, s in enumerate(sections) if s.required}
    status, _body, _ = _post(
        client, f"/promotions/{packet_id}", {**_form_data(sections, **texts), "action": "submit"}
    )
    assert status == 302
    assert _packet(app, packet_id).status == "submitted"
    status, page = _get(client, f"/promotions/{packet_id}")
    assert "Submit for approval" not in page and "Evidence 0" in page


def test_two_editors_of_one_section_never_overwrite_each_other(
    app, client, users, promotion_objects
):
    packet_id = promotion_objects["draft_packet_id"]
    loaded = _sections(app, packet_id)  # both editors opened the page now
    key = loaded[0].key
    login_as(app, client, users["hiring_manager"])
    status, _b, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(loaded, **{key: "Text of the first tab."}), "action": "save"},
    )
    assert status == 302
    status, page, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(loaded, **{key: "Text of the second tab."}), "action": "save"},
    )
    assert status == 409
    assert "Text of the first tab." in page  # theirs, shown
    assert "Text of the second tab." in page  # yours, kept in the box
    assert _sections(app, packet_id)[0].evidence == "Text of the first tab."
    # The page now carries the version that was seen: saving again is a knowing overwrite.
    version = re.search(rf'name="version-{key}" value="(\d+)"', page)
    assert version is not None and int(version.group(1)) == loaded[0].version + 1


def test_autosave_answers_json_and_reports_a_conflict(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    section = _sections(app, packet_id)[1]
    login_as(app, client, users["hiring_manager"])
    url = f"/promotions/{packet_id}/sections/{section.key}"
    response = client.post(url, data={"evidence": "Draft one", "version": section.version})
    body = response.get_json()
    response.close()
    assert response.status_code == 200
    assert body["version"] == section.version + 1 and body["done"] == 1
    response = client.post(url, data={"evidence": "Draft two", "version": section.version})
    body = response.get_json()
    response.close()
    assert response.status_code == 409
    assert body["theirs"] == "Draft one" and body["version"] == section.version + 1
    assert client.post(f"/promotions/{packet_id}/sections/nope", data={}).status_code == 404


def test_the_approver_approves_and_everyone_sees_the_decision(
    app, client, users, promotion_objects
):
    packet_id = promotion_objects["submitted_packet_id"]
    version = _packet(app, packet_id).version
    login_as(app, client, users["admin"])
    status, page = _get(client, "/promotions/")
    assert "Waiting for your decision" in page
    status, page, _ = _post(
        client, f"/promotions/{packet_id}/decision", {"decision": "decline", "comment": ""}
    )
    assert status == 422 and "comment is required" in page
    status, _b, _ = _post(
        client,
        f"/promotions/{packet_id}/decision",
        {"decision": "approve", "comment": "Clear, well-evidenced case.", "version": version},
    )
    assert status == 302
    packet = _packet(app, packet_id)
    assert packet.status == "approved" and packet.decided_by_id == users["admin"]
    login_as(app, client, users["interviewer"])  # the person the packet is about
    status, page = _get(client, f"/promotions/{packet_id}")
    assert status == 200
    assert "Approved by" in page and "Clear, well-evidenced case." in page
    assert "<textarea" not in page and "Record the decision" not in page
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.object_type == "promotion_packet",
                AuditEvent.object_id == str(packet_id),
            )
        ).all()
    assert "promotion.approve" in actions


def test_a_stale_decision_form_is_refused(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    login_as(app, client, users["admin"])
    stale = _packet(app, packet_id).version - 1
    status, _b, _ = _post(
        client,
        f"/promotions/{packet_id}/decision",
        {"decision": "approve", "comment": "", "version": stale},
    )
    assert status == 302
    assert _packet(app, packet_id).status == "submitted"


def test_evidence_is_escaped(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        fill_required(packet_id, users["hiring_manager"], text="<script>alert(1)</script>")
    login_as(app, client, users["team_member"])
    status, page = _get(client, f"/promotions/{packet_id}")
    assert status == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_someone_elses_packet_is_404(app, client, users, promotion_objects, make_user):
    other = make_user("someone.else@example.org")
    login_as(app, client, other)
    assert _get(client, f"/promotions/{promotion_objects['draft_packet_id']}")[0] == 404
    status, page = _get(client, "/promotions/")
    assert status == 200 and "No promotion packets yet" in page


def _add_packets(app, manager_id: int, count: int, start: int) -> None:
    with app.app_context():
        manager = db.session.get(User, manager_id)
        for number in range(start, start + count):
            person = User(
                email=f"report{number}@example.org",
                display_name=f"Report {number}",
                level_id="csm",
                manager_id=manager_id,
                active=True,
            )
            db.session.add(person)
            db.session.commit()
            promotions.start_packet(manager, person, "senior-csm")


def _walk_packets(client, count_queries, url="/promotions/"):
    """The packets listed by following rel="next" from ``url``, and each page's cost."""
    listed, costs = [], []
    while url:
        with count_queries() as counted:
            status, page = _get(client, url)
        assert status == 200
        costs.append(counted.count)
        listed += re.findall(r'<td><a href="/promotions/(\d+)">', page)
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = found[1].replace("&amp;", "&") if found else None
        assert len(costs) < 50, "the pages end"
    return [int(packet_id) for packet_id in listed], costs, page


def test_list_pages_by_cursor_and_every_page_costs_the_same(
    app, client, users, promotion_objects, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "PROMOTIONS_PAGE_SIZE", 2)
    login_as(app, client, users["hiring_manager"])
    _add_packets(app, users["hiring_manager"], 1, 0)
    few, few_costs, _page = _walk_packets(client, count_queries)
    _add_packets(app, users["hiring_manager"], 37, 1)
    many, many_costs, last = _walk_packets(client, count_queries)
    with app.app_context():
        newest_first = list(
            db.session.scalars(
                select(PromotionPacket.id).order_by(
                    PromotionPacket.updated_at.desc(), PromotionPacket.id.desc()
                )
            )
        )
    # The fixtures' two packets and the added ones, each once, latest change first.
    assert (len(few), len(many)) == (3, 40)
    assert many == newest_first
    assert len(many_costs) == 20
    assert set(few_costs) == set(many_costs) == {few_costs[0]}, (few_costs, many_costs)
    assert 'rel="prev"' in last  # the last page leads back


def test_a_damaged_list_position_is_400(app, client, users, promotion_objects):
    login_as(app, client, users["hiring_manager"])
    for query in ("after=12", "before=20261301000000000000-5", "after=x&before=y"):
        status, page = _get(client, f"/promotions/?{query}")
        assert status == 400, query
        assert "damaged" in page or "not both" in page


def test_level_page_offers_the_switch_to_the_other_track(app, client, users):
    login_as(app, client, users["team_member"])
    status, page = _get(client, "/careers/levels/staff-csm")
    assert status == 200
    switch = page.split("Switch to the manager track", 1)[1].split("</ul>", 1)[0]
    assert 'href="/careers/levels/manager-csm"' in switch
    status, page = _get(client, "/careers/levels/manager-csm")
    switch = page.split("Switch to the individual-contributor track", 1)[1].split("</ul>", 1)[0]
    assert 'href="/careers/levels/staff-csm"' in switch


def test_my_path_lists_the_packets_about_me_only(app, client, users, promotion_objects):
    login_as(app, client, users["team_member"])
    status, page = _get(client, "/careers/me")
    assert status == 200
    assert "Promotion packets about you" in page
    assert f'href="/promotions/{promotion_objects["draft_packet_id"]}"' in page
    assert f'href="/promotions/{promotion_objects["submitted_packet_id"]}"' not in page
    assert "Switch tracks" in page  # csm: the manager track starts at Manager, CSM


def test_home_page_tells_the_approver_what_waits(app, client, users, promotion_objects):
    login_as(app, client, users["admin"])
    status, page = _get(client, "/")
    assert status == 200 and "Promotion packets waiting for your decision" in page
    login_as(app, client, users["hiring_manager"])  # the author: nothing to decide
    assert "waiting for your decision" not in _get(client, "/")[1]


def _save_as(app, user_id: int, packet_id: int, key: str, text: str) -> None:
    """Another editor saves one section through the service, as of now."""
    with app.app_context():
        actor = db.session.get(User, user_id)
        view = promotions.load_packet(actor, packet_id)
        section = next(s for s in view.packet.sections if s.key == key)
        promotions.save_sections(view, actor, {key: (text, section.version)})


def test_the_form_leaves_alone_a_section_its_editor_did_not_touch(
    app, client, users, promotion_objects
):
    packet_id = promotion_objects["draft_packet_id"]
    loaded = _sections(app, packet_id)  # the page as it was loaded
    theirs, mine = loaded[0].key, loaded[1].key
    _save_as(app, users["hiring_manager"], packet_id, theirs, "The co-editor's text.")
    login_as(app, client, users["hiring_manager"])
    status, _page, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(loaded, **{mine: "My own text."}), "action": "save"},
    )
    assert status == 302
    evidence = {s.key: s.evidence for s in _sections(app, packet_id)}
    assert evidence[theirs] == "The co-editor's text."  # not reverted, not a conflict
    assert evidence[mine] == "My own text."


def test_submitting_over_an_unseen_change_is_refused(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        fill_required(packet_id, users["hiring_manager"])
    loaded = _sections(app, packet_id)
    changed = loaded[0].key
    _save_as(app, users["hiring_manager"], packet_id, changed, "Actually, not ready yet.")
    login_as(app, client, users["hiring_manager"])
    status, page, _ = _post(
        client, f"/promotions/{packet_id}", {**_form_data(loaded), "action": "submit"}
    )
    assert status == 409
    assert _packet(app, packet_id).status == "draft"
    # The box now holds the text the submitter had not seen, with its current version.
    box = re.search(rf'name="evidence-{changed}"[^>]*>([^<]*)</textarea>', page)
    assert box is not None and box.group(1) == "Actually, not ready yet."
    status, _page, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(_sections(app, packet_id)), "action": "submit"},
    )
    assert status == 302 and _packet(app, packet_id).status == "submitted"


def test_autosave_answers_the_version_it_wrote_even_if_another_save_follows(
    app, client, users, promotion_objects, monkeypatch
):
    packet_id = promotion_objects["draft_packet_id"]
    section = _sections(app, packet_id)[0]
    original = promotions.save_sections_of

    def then_someone_else(*args, **kwargs):
        result = original(*args, **kwargs)
        _save_as(app, users["hiring_manager"], packet_id, section.key, "B's careful text")
        return result

    monkeypatch.setattr(promotions, "save_sections_of", then_someone_else)
    login_as(app, client, users["hiring_manager"])
    url = f"/promotions/{packet_id}/sections/{section.key}"
    response = client.post(url, data={"evidence": "A's draft", "version": section.version})
    body = response.get_json()
    response.close()
    assert body["version"] == section.version + 1  # A's write, not B's
    monkeypatch.setattr(promotions, "save_sections_of", original)
    response = client.post(url, data={"evidence": "A's draft, more", "version": body["version"]})
    body = response.get_json()
    response.close()
    assert response.status_code == 409 and body["theirs"] == "B's careful text"
    assert _sections(app, packet_id)[0].evidence == "B's careful text"


def test_a_packet_submitted_meanwhile_keeps_the_editors_text(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    sections = _sections(app, packet_id)
    key = sections[0].key
    login_as(app, client, users["hiring_manager"])
    status, page, _ = _post(
        client,
        f"/promotions/{packet_id}",
        {**_form_data(sections, **{key: "A late thought about the renewal."}), "action": "save"},
    )
    assert status == 409
    assert "Your text that was not saved" in page
    assert "A late thought about the renewal." in page
    response = client.post(
        f"/promotions/{packet_id}/sections/{key}",
        data={"evidence": "Typed late", "version": sections[0].version},
    )
    body = response.get_json()
    response.close()
    assert response.status_code == 409 and body["closed"] is True


def test_a_second_decision_is_told_the_packet_is_decided(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    login_as(app, client, users["admin"])
    url = f"/promotions/{packet_id}/decision"
    assert _post(client, url, {"decision": "approve", "comment": ""})[0] == 302
    status, _b, location = _post(client, url, {"decision": "decline", "comment": "No."})
    assert status == 302 and location.endswith(f"/promotions/{packet_id}")
    status, page = _get(client, location)
    assert "only a submitted packet can be declined" in page
    assert _packet(app, packet_id).status == "approved"


def test_bad_requests_are_400_or_404_not_500(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    sections = _sections(app, packet_id)
    login_as(app, client, users["hiring_manager"])
    url = f"/promotions/{packet_id}/sections/{sections[0].key}"
    for data in ({"evidence": "x", "version": "²"}, {"evidence": "x"}, {"version": "1"}):
        response = client.post(url, data=data)
        response.close()
        assert response.status_code == 400, data
    form = _form_data(sections)
    form[f"version-{sections[0].key}"] = "²"
    assert _post(client, f"/promotions/{packet_id}", {**form, "action": "save"})[0] == 400
    for big in ("/promotions/99999999999999999999", "/promotions/new/99999999999999999999"):
        assert _get(client, big)[0] == 404
    assert _sections(app, packet_id)[0].evidence is None


def test_the_author_withdraws_and_a_new_packet_can_start(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    login_as(app, client, users["hiring_manager"])
    status, _b, _ = _post(
        client, f"/promotions/{packet_id}/withdraw", {"reason": "Moving teams first."}
    )
    assert status == 302
    packet = _packet(app, packet_id)
    assert packet.status == "withdrawn" and packet.decided_by_id == users["hiring_manager"]
    status, page = _get(client, f"/promotions/{packet_id}")
    assert "Withdrawn by" in page and "Moving teams first." in page
    assert "Withdraw this packet" not in page
    status, _b, location = _post(
        client, f"/promotions/new/{users['team_member']}", {"target_level_id": "staff-csm"}
    )
    assert status == 302 and not location.endswith(f"/promotions/{packet_id}")


def test_an_admin_withdraws_a_draft_whose_author_left(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        author = db.session.get(User, users["hiring_manager"])
        author.active = False
        place(users["team_member"], "csm", None)
    login_as(app, client, users["admin"])
    status, page = _get(client, f"/promotions/{packet_id}")
    assert status == 200 and "Withdraw this packet" in page
    assert _post(client, f"/promotions/{packet_id}/withdraw", {"reason": ""})[0] == 302
    assert _packet(app, packet_id).status == "withdrawn"
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(packet_id))
        ).all()
    assert "promotion.withdraw" in actions


def test_a_manager_of_many_pages_through_their_reports_by_name(
    app, client, make_user, count_queries
):
    manager = make_user("boss@example.com", name="Boss")

    def add_reports(names):
        ids = [make_user(f"r{n}@example.com", name=name) for n, name in names]
        with app.app_context():
            for user_id in ids:
                place(user_id, "csm", manager)

    # Names that tie, so that the order must fall back on the id.
    add_reports((n, f"Report {n % 4:02d}") for n in range(3))
    login_as(app, client, manager)
    with count_queries() as few:
        assert client.get("/promotions/").status_code == 200
    add_reports((n, f"Report {n % 4:02d}") for n in range(3, 32))
    seen, url = [], "/promotions/"
    with count_queries() as many:
        _get(client, url)
    assert many.count == few.count, many.statements
    while url:
        status, html = _get(client, url)
        assert status == 200
        section = html[html.index('id="reports-heading"') : html.index('id="packets-heading"')]
        shown = re.findall(
            r'href="/careers/people/(\d+)" title="Career path and level history">([^<]+)</a>',
            section,
        )
        assert 0 < len(shown) <= 25
        seen += [(name, int(user_id)) for user_id, name in shown]
        following = re.search(r'rel="next" href="([^"]+reports_after=[^"#]+)', section)
        url = following[1].replace("&amp;", "&") if following else None
    # Every report once, by name, ties in the order of their ids.
    assert len(seen) == len(set(seen)) == 32
    assert seen == sorted(seen)
    assert client.get("/promotions/?reports_after=x").status_code == 400
