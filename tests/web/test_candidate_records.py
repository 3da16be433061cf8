"""Candidates for recruiters: the list (search, filters, keyset pages), a candidate's page,
editing the record, tags, replacing the CV, and merging two records of one person."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import db
from app.hiring.cv_storage import CvStore
from app.models import (
    Application,
    AuditEvent,
    Candidate,
    CandidateMerge,
    CandidateTag,
    OutboxMessage,
    Requisition,
    User,
)
from app.services import candidates as records
from app.services import hiring
from app.services.errors import ConflictError, ServiceError
from pipelines.sources import ApplicationSource
from tests.conftest import login_as
from tests.web.test_cv_text import docx_of

DECLINE = "skills"


def new_requisition(users, title: str) -> Requisition:
    actor = db.session.get(User, users["recruiter"])
    return hiring.create_requisition(
        title=title,
        level_id="senior-csm",
        specialty_id=None,
        hiring_manager=db.session.get(User, users["hiring_manager"]),
        recruiter=actor,
        headcount=1,
        actor=actor,
    )


def new_candidate(users, name: str, email: str, **fields) -> Candidate:
    actor = db.session.get(User, users["recruiter"])
    candidate = hiring.add_candidate(hiring.CandidateDetails(name=name, email=email), actor=actor)
    for key, value in fields.items():
        setattr(candidate, key, value)
    db.session.commit()
    return candidate


def version_of(app, candidate_id: int) -> int:
    with app.app_context():
        return db.session.get(Candidate, candidate_id).version


def names_in(html: str) -> list[str]:
    return re.findall(r'<a href="/hiring/candidates/\d+">([^<]+)</a>', html)


# --- the list -----------------------------------------------------------------------


@pytest.fixture
def people(app, users):
    """Three candidates: Zoë (CV text, tagged, applied on the careers site to requisition
    A), Ravi (notes, declined in requisition B), Ana (no application, added long ago)."""
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        a, b = new_requisition(users, "Req A"), new_requisition(users, "Req B")
        zoe = new_candidate(users, "Zoë Núñez", "zoe@example.org", cv_text="Kubernetes, Helm")
        ravi = new_candidate(users, "Ravi Rao", "ravi@example.org", notes="Met at Lisbon meetup")
        ana = new_candidate(users, "Ana Alves", "ana@example.org")
        ana.created_at = ana.created_at - timedelta(days=400)
        db.session.add(CandidateTag(candidate_id=zoe.id, tag="python"))
        db.session.commit()
        hiring.open_application(zoe, a, actor=actor, source=ApplicationSource.CAREERS_SITE)
        app_b = hiring.open_application(ravi, b, actor=actor)
        hiring.decline_application(
            app_b, actor=actor, reason_code=DECLINE, note=None, expected_version=None
        )
        return {"zoe": zoe.id, "ravi": ravi.id, "ana": ana.id, "a": a.id, "b": b.id}


def test_the_list_searches_and_filters(app, client, users, people):
    login_as(app, client, users["recruiter"])

    def listed(query: str) -> list[str]:
        response = client.get(f"/hiring/candidates?{query}")
        assert response.status_code == 200, response.text
        return names_in(response.text)

    assert listed("") == ["Ana Alves", "Ravi Rao", "Zoë Núñez"]
    assert listed("q=kube") == ["Zoë Núñez"]
    assert listed("q=lisbon") == ["Ravi Rao"]
    assert listed("q=zoe+nunez") == ["Zoë Núñez"]
    assert listed(f"requisition={people['b']}") == ["Ravi Rao"]
    assert listed("family=customer-success-management") == ["Ravi Rao", "Zoë Núñez"]
    assert listed("family=customer-success-architect") == []
    assert listed("status=declined") == ["Ravi Rao"]
    assert listed("source=careers_site") == ["Zoë Núñez"]
    assert listed("stage=recruiter-screening&status=active") == ["Zoë Núñez"]
    assert listed("tag=Python") == ["Zoë Núñez"]
    assert listed("tag=no such!") == []
    old = (db_today(app) - timedelta(days=30)).isoformat()
    assert listed(f"created_to={old}") == ["Ana Alves"]
    assert listed(f"created_from={old}") == ["Ravi Rao", "Zoë Núñez"]


def db_today(app):
    from app.clock import utcnow

    return utcnow().date()


def test_the_list_says_when_nothing_matches_and_keeps_no_copy(app, client, users, people):
    login_as(app, client, users["recruiter"])
    response = client.get("/hiring/candidates?q=zzyzx")
    assert response.mimetype == "text/html"
    assert "No candidate matches “zzyzx”" in response.text
    assert response.headers["Cache-Control"] == "no-store"
    bad = client.get("/hiring/candidates?created_from=yesterday")
    assert bad.status_code == 422


def test_the_list_read_is_audited_by_ids(app, client, users, people):
    login_as(app, client, users["recruiter"])
    client.get("/hiring/candidates?q=kube")
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "candidate.list")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.summary["ids"] == [people["zoe"]]
        assert "kube" not in str(event.summary)


def test_the_list_pages_newest_first(app, client, users, people, monkeypatch):
    monkeypatch.setitem(app.config, "HIRING_PAGE_SIZE", 2)
    login_as(app, client, users["recruiter"])
    first = client.get("/hiring/candidates")
    assert names_in(first.text) == ["Ana Alves", "Ravi Rao"]
    after = re.search(r'href="/hiring/candidates\?after=(\d+)"', first.text).group(1)
    second = client.get(f"/hiring/candidates?after={after}")
    assert names_in(second.text) == ["Zoë Núñez"]
    assert client.get("/hiring/candidates?after=x").status_code == 400


def test_the_list_costs_the_same_queries_whatever_the_data(app, client, users, count_queries):
    login_as(app, client, users["recruiter"])
    client.get("/hiring/candidates")

    def add(count: int, prefix: str) -> None:
        with app.app_context():
            actor = db.session.get(User, users["recruiter"])
            requisition = new_requisition(users, prefix)
            for i in range(count):
                c = new_candidate(users, f"{prefix} {i}", f"{prefix}{i}@example.org")
                db.session.add(CandidateTag(candidate_id=c.id, tag=f"t{i}"))
                db.session.commit()
                hiring.open_application(c, requisition, actor=actor)

    add(2, "small")
    with count_queries() as small:
        assert client.get("/hiring/candidates?q=small").status_code == 200
    add(12, "large")
    with count_queries() as large:
        response = client.get("/hiring/candidates?q=large")
    assert len(names_in(response.text)) == 12
    assert large.count == small.count, large.statements


def test_merged_records_are_hidden_and_hiring_managers_see_no_list(app, client, users, people):
    with app.app_context():
        ana = db.session.get(Candidate, people["ana"])
        ana.merged_into_id = people["zoe"]
        db.session.commit()
    login_as(app, client, users["recruiter"])
    assert names_in(client.get("/hiring/candidates").text) == ["Ravi Rao", "Zoë Núñez"]
    login_as(app, client, users["hiring_manager"])
    assert client.get("/hiring/candidates").status_code == 403
    assert client.get(f"/hiring/candidates/{people['zoe']}").status_code == 404


# --- a candidate's page and edits ---------------------------------------------------


def test_the_page_shows_every_application_and_is_audited(app, client, users, people):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        zoe = db.session.get(Candidate, people["zoe"])
        hiring.open_application(zoe, db.session.get(Requisition, people["b"]), actor=actor)
    login_as(app, client, users["recruiter"])
    response = client.get(f"/hiring/candidates/{people['zoe']}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Req A" in response.text and "Req B" in response.text
    assert "Careers site" in response.text
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "candidate.view")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.object_id == str(people["zoe"])


def edit(client, candidate_id: int, version: int, **fields):
    data = {
        "name": "Zoë Núñez",
        "email": "zoe@example.org",
        "phone": "",
        "location": "",
        "links": "",
        "timezone": "",
        "notes": "",
        "version": str(version),
        **fields,
    }
    return client.post(f"/hiring/candidates/{candidate_id}/edit", data=data)


def test_editing_contact_details_is_audited_by_field_names_only(app, client, users, people):
    login_as(app, client, users["recruiter"])
    zoe = people["zoe"]
    response = edit(
        client,
        zoe,
        version_of(app, zoe),
        email="Zoe.Nunez@Example.org",
        phone="+351 555",
        links="https://zoe.example.org\n\nhttps://git.example.org/zoe",
        timezone="Europe/Lisbon",
        notes="Speaks Portuguese",
    )
    assert response.status_code == 303
    with app.app_context():
        c = db.session.get(Candidate, zoe)
        assert (c.email, c.phone, c.timezone, c.notes) == (
            "zoe.nunez@example.org",
            "+351 555",
            "Europe/Lisbon",
            "Speaks Portuguese",
        )
        assert c.links == ["https://zoe.example.org", "https://git.example.org/zoe"]
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.update")
        ).one()
        assert event.summary == {"fields": ["email", "links", "notes", "phone", "timezone"]}
    found = names_in(client.get("/hiring/candidates?q=portuguese").text)
    assert found == ["Zoë Núñez"]


def test_an_address_of_another_record_is_refused_naming_it(app, client, users, people):
    login_as(app, client, users["recruiter"])
    response = edit(client, people["zoe"], version_of(app, people["zoe"]), email="ravi@example.org")
    assert response.status_code == 422
    assert "Another candidate record (Ravi Rao)" in response.text
    assert f"(#{people['ravi']}," not in response.text


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("links", "javascript:alert(1)", "is not a web address"),
        ("notes", "x" * 10_001, "10000"),
        ("timezone", "Mars/Olympus", "time zone"),
        ("name", "", "required"),
    ],
)
def test_bad_values_are_refused_on_the_field(app, client, users, people, field, value, message):
    login_as(app, client, users["recruiter"])
    response = edit(client, people["zoe"], version_of(app, people["zoe"]), **{field: value})
    assert response.status_code == 422
    assert message.lower() in response.text.lower().replace(",", "")


def test_a_stale_edit_is_refused_and_loses_nothing(app, client, users, people):
    login_as(app, client, users["recruiter"])
    version = version_of(app, people["zoe"])
    assert edit(client, people["zoe"], version, notes="first").status_code == 303
    response = edit(client, people["zoe"], version, notes="second")
    assert response.status_code == 303
    page = client.get(f"/hiring/candidates/{people['zoe']}").text
    assert "changed by someone else" in page
    with app.app_context():
        assert db.session.get(Candidate, people["zoe"]).notes == "first"


def test_an_erased_candidate_refuses_edits(app, users, people):
    from app.services import privacy

    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        zoe = db.session.get(Candidate, people["zoe"])
        privacy.erase_candidate(zoe, actor=actor, expected_version=None, remove_cv=None)
        assert zoe.notes is None and zoe.cv_text is None and records.tags_of(zoe.id) == []
        with pytest.raises(ServiceError, match="erased"):
            records.update_candidate(zoe, {"notes": "x"}, actor=actor, expected_version=None)


def test_tags_are_added_normalised_and_removed(app, client, users, people):
    login_as(app, client, users["recruiter"])
    zoe = people["zoe"]
    response = client.post(
        f"/hiring/candidates/{zoe}/tags",
        data={"tag": " Silver Medalist", "version": version_of(app, zoe)},
    )
    assert response.status_code == 303
    bad = client.post(
        f"/hiring/candidates/{zoe}/tags", data={"tag": "<b>", "version": version_of(app, zoe)}
    )
    assert bad.status_code == 422 and "letters a-z" in bad.text
    client.post(
        f"/hiring/candidates/{zoe}/tags/remove",
        data={"tag": "python", "version": version_of(app, zoe)},
    )
    with app.app_context():
        assert records.tags_of(zoe) == ["silver-medalist"]


def test_replacing_the_cv_stores_its_text_and_removes_the_old_file(
    app, client, users, hiring_objects
):
    login_as(app, client, users["recruiter"])
    candidate_id = hiring_objects["candidate_id"]
    with app.app_context():
        old_key = db.session.get(Candidate, candidate_id).cv_key
    store = CvStore(app.config["CV_STORAGE_DIR"])
    assert store.path(old_key).exists()
    response = client.post(
        f"/hiring/candidates/{candidate_id}/cv/replace",
        data={
            "cv": (io.BytesIO(docx_of(["Zendesk administrator"])), "cv.docx"),
            "version": version_of(app, candidate_id),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        c = db.session.get(Candidate, candidate_id)
        assert c.cv_kind == "docx" and c.cv_text.startswith("Zendesk administrator")
        new_key = c.cv_key
    assert not store.path(old_key).exists()
    assert store.path(new_key).exists()
    assert names_in(client.get("/hiring/candidates?q=zendesk").text) == ["Casey Candidate"]
    refused = client.post(
        f"/hiring/candidates/{candidate_id}/cv/replace",
        data={
            "cv": (io.BytesIO(b"\x7fELF binary"), "cv.pdf"),
            "version": version_of(app, candidate_id),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    store.delete_if_present(new_key)


# --- merging -----------------------------------------------------------------------


@pytest.fixture
def pair(app, users, hiring_objects):
    """Casey (kept: application to the fixture's requisition, a CV, tag python, notes) and
    a second record of Casey (merged: an application to another requisition, tags python
    and go, notes, no CV, and the "application received" message queued to them)."""
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        kept = db.session.get(Candidate, hiring_objects["candidate_id"])
        kept.notes = "Strong screen"
        db.session.add(CandidateTag(candidate_id=kept.id, tag="python"))
        db.session.commit()
        other = new_candidate(
            users, "Casey C.", "casey.c@example.org", notes="Referred by Sam", cv_text=None
        )
        db.session.add_all(
            [
                CandidateTag(candidate_id=other.id, tag="python"),
                CandidateTag(candidate_id=other.id, tag="go"),
            ]
        )
        db.session.commit()
        requisition = new_requisition(users, "Req Two")
        application = hiring.open_application(other, requisition, actor=actor, acknowledge=True)
        message_ids = list(
            db.session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.candidate_id == other.id)
            )
        )
        assert message_ids
        return {
            "kept": kept.id,
            "merged": other.id,
            "application": application.id,
            "kept_application": hiring_objects["application_id"],
            "messages": message_ids,
        }


def snapshot(app, ids) -> dict:
    with app.app_context():

        def state(candidate_id):
            c = db.session.get(Candidate, candidate_id)
            return {
                "applications": sorted(
                    db.session.scalars(
                        select(Application.id).where(Application.candidate_id == candidate_id)
                    )
                ),
                "tags": records.tags_of(candidate_id),
                "notes": c.notes,
                "cv": c.cv_key,
                "merged_into": c.merged_into_id,
                "messages": sorted(
                    db.session.scalars(
                        select(OutboxMessage.id).where(OutboxMessage.candidate_id == candidate_id)
                    )
                ),
            }

        return {"kept": state(ids["kept"]), "merged": state(ids["merged"])}


def merge_via_web(app, client, ids):
    return client.post(
        f"/hiring/candidates/{ids['kept']}/merge",
        data={
            "other_id": ids["merged"],
            "kept_version": version_of(app, ids["kept"]),
            "merged_version": version_of(app, ids["merged"]),
        },
    )


def test_merge_moves_everything_and_undo_restores_exactly(app, client, users, pair):
    login_as(app, client, users["recruiter"])
    before = snapshot(app, pair)
    preview = client.get(f"/hiring/candidates/{pair['kept']}/merge?q=casey&other={pair['merged']}")
    assert preview.status_code == 200
    assert "Req Two" in preview.text and "Merge Casey C. (casey.c@example.org) into" in preview.text
    assert f"Merge #{pair['merged']}" not in preview.text
    assert merge_via_web(app, client, pair).status_code == 303
    after = snapshot(app, pair)
    assert after["kept"]["applications"] == sorted([pair["kept_application"], pair["application"]])
    assert after["kept"]["tags"] == ["go", "python"]
    assert after["kept"]["notes"] == (
        "Strong screen\n\nFrom the merged record of Casey C. (casey.c@example.org):\n"
        "Referred by Sam"
    )
    assert after["kept"]["cv"] == before["kept"]["cv"]
    assert after["kept"]["messages"] == pair["messages"]
    assert after["merged"] == {
        "applications": [],
        "tags": [],
        "notes": "Referred by Sam",
        "cv": None,
        "merged_into": pair["kept"],
        "messages": [],
    }
    with app.app_context():
        merge = db.session.scalars(select(CandidateMerge)).one()
        assert merge.moved["applications"] == [pair["application"]]
        assert merge.moved["tags_added"] == ["go"]
        assert merge.moved["messages"] == pair["messages"]
        merge_id, merge_version = merge.id, merge.version
        audit_row = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.merge")
        ).one()
        assert "Casey" not in str(audit_row.summary)
    # The merged record is hidden from the list and from search.
    assert names_in(client.get("/hiring/candidates?q=casey").text) == ["Casey Candidate"]
    page = client.get(f"/hiring/candidates/{pair['kept']}").text
    assert "Undo merge" in page
    assert "The record of Casey C. (casey.c@example.org) was merged into this one" in page
    merged_page = client.get(f"/hiring/candidates/{pair['merged']}").text
    assert "merged into <a" in merged_page and "the record of Casey Candidate" in merged_page
    assert f"candidate #{pair['kept']}" not in merged_page
    undo = client.post(
        f"/hiring/candidates/merges/{merge_id}/undo", data={"version": merge_version}
    )
    assert undo.status_code == 303
    shown = client.get(f"/hiring/candidates/{pair['kept']}").text
    assert "the record of Casey C. (casey.c@example.org) is separate again" in shown
    assert snapshot(app, pair) == before
    with app.app_context():
        assert db.session.get(CandidateMerge, merge_id).undone_at is not None


def test_a_merge_gives_the_cv_to_a_record_without_one_and_undo_takes_it_back(app, users, pair):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        # Merge the CV holder into the record without one.
        kept = db.session.get(Candidate, pair["merged"])
        merged = db.session.get(Candidate, pair["kept"])
        key = merged.cv_key
        merge = records.merge_candidates(
            kept, merged, actor=actor, kept_version=kept.version, merged_version=merged.version
        )
        assert kept.cv_key == key and merge.moved["cv"] == key
        records.undo_merge(merge, actor=actor, expected_version=merge.version)
        assert kept.cv_key is None and merged.cv_key == key


def test_confirm_is_final_and_erases_the_merged_record(app, client, users, pair):
    login_as(app, client, users["recruiter"])
    merge_via_web(app, client, pair)
    with app.app_context():
        merge = db.session.scalars(select(CandidateMerge)).one()
        merge_id, version = merge.id, merge.version
        kept_cv = db.session.get(Candidate, pair["kept"]).cv_key
    confirm = client.post(
        f"/hiring/candidates/merges/{merge_id}/confirm", data={"version": version}
    )
    assert confirm.status_code == 303
    with app.app_context():
        merge = db.session.get(CandidateMerge, merge_id)
        merged = db.session.get(Candidate, pair["merged"])
        assert merge.confirmed_at is not None
        assert merged.erased_at is not None and merged.notes is None and merged.email is None
        assert merged.merged_into_id == pair["kept"]
        assert db.session.get(Candidate, pair["kept"]).cv_key == kept_cv
        version = merge.version
    assert CvStore(app.config["CV_STORAGE_DIR"]).path(kept_cv).exists()
    page = client.get(f"/hiring/candidates/{pair['kept']}").text
    assert "Undo merge" not in page
    client.post(f"/hiring/candidates/merges/{merge_id}/undo", data={"version": version})
    assert "can no longer be undone" in client.get(f"/hiring/candidates/{pair['kept']}").text
    with app.app_context():
        assert db.session.get(Candidate, pair["merged"]).merged_into_id == pair["kept"]
        assert (
            len(
                list(
                    db.session.scalars(
                        select(Application).where(Application.candidate_id == pair["kept"])
                    )
                )
            )
            == 2
        )


def test_concurrent_edits_are_detected(app, users, pair):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        kept = db.session.get(Candidate, pair["kept"])
        merged = db.session.get(Candidate, pair["merged"])
        stale_kept = kept.version
        records.update_candidate(
            kept, {"phone": "+1 555"}, actor=actor, expected_version=stale_kept
        )
        with pytest.raises(ConflictError):
            records.merge_candidates(
                kept, merged, actor=actor, kept_version=stale_kept, merged_version=merged.version
            )
        merge = records.merge_candidates(
            kept, merged, actor=actor, kept_version=kept.version, merged_version=merged.version
        )
        old = merge.version
        records.undo_merge(merge, actor=actor, expected_version=old)
        with pytest.raises(ServiceError):
            records.confirm_merge(merge, actor=actor, expected_version=old, remove_cv=None)
        # A merged-away record refuses edits.
        merge2 = records.merge_candidates(
            kept, merged, actor=actor, kept_version=kept.version, merged_version=merged.version
        )
        with pytest.raises(ServiceError, match="merged into"):
            records.update_candidate(merged, {"notes": "x"}, actor=actor, expected_version=None)
        with pytest.raises(ConflictError):
            records.undo_merge(merge2, actor=actor, expected_version=merge2.version - 1)


def test_two_applications_to_one_requisition_refuse_the_merge(
    app, client, users, pair, hiring_objects
):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        merged = db.session.get(Candidate, pair["merged"])
        hiring.open_application(
            merged, db.session.get(Requisition, hiring_objects["requisition_id"]), actor=actor
        )
    login_as(app, client, users["recruiter"])
    before = snapshot(app, pair)
    response = merge_via_web(app, client, pair)
    assert response.status_code == 303
    assert "one person can apply to a requisition once" in client.get(response.location).text
    assert snapshot(app, pair) == before


def test_the_export_holds_the_record_s_notes_links_tags_and_cv_text(
    app, client, users, hiring_objects
):
    from tests.web.test_privacy import _zip

    candidate_id = hiring_objects["candidate_id"]
    with app.app_context():
        c = db.session.get(Candidate, candidate_id)
        c.notes, c.links, c.cv_text = "Met in Lisbon", ["https://casey.example.org"], "CV words"
        db.session.add(CandidateTag(candidate_id=candidate_id, tag="python"))
        db.session.commit()
    login_as(app, client, users["recruiter"])
    document, _files = _zip(client.get(f"/hiring/candidates/{candidate_id}/export"))
    held = document["candidate"]
    assert (held["notes"], held["links"], held["tags"], held["cv_text"]) == (
        "Met in Lisbon",
        ["https://casey.example.org"],
        ["python"],
        "CV words",
    )


def test_demo_candidates_have_cv_text_that_search_finds(app, runner):
    from app.hiring import candidate_queries as cq

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        found = {
            c.name
            for c in db.session.scalars(
                cq.candidate_search(cq.CandidateFilters(q="gainsight health"))
            )
        }
        assert "Alex Rivera" in found
        both = list(
            db.session.scalars(cq.candidate_search(cq.CandidateFilters(q="priya natarajan")))
        )
        assert len(both) == 2  # the record to merge
        assert all(c.cv_key for c in both if c.email.endswith(".net"))


def test_a_candidate_page_is_under_candidates_only_in_the_navigation(app, client, users):
    with app.app_context():
        candidate_id = new_candidate(users, "Nav Check", "nav.check@example.org").id
    login_as(app, client, users["recruiter"])
    current = re.compile(r'<a href="[^"]*" aria-current="page">([^<]+)</a>')
    page = client.get(f"/hiring/candidates/{candidate_id}").get_data(as_text=True)
    assert current.findall(page) == ["Candidates"]
    board = client.get("/hiring/requisitions").get_data(as_text=True)
    assert current.findall(board) == ["Requisitions"]


def test_a_merge_keeps_no_copy_of_the_notes_and_undo_still_restores_them(app, users, pair):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        kept = db.session.get(Candidate, pair["kept"])
        merged = db.session.get(Candidate, pair["merged"])
        kept.notes, merged.notes = "Kept record's note", "Merged record's note"
        db.session.commit()
        merge = records.merge_candidates(
            kept, merged, actor=actor, kept_version=kept.version, merged_version=merged.version
        )
        stored = json.dumps(merge.moved)
        assert "note" not in stored.replace('"notes"', "").replace("kept_notes", "")
        assert "Merged record's note" in kept.notes
        records.undo_merge(merge, actor=actor, expected_version=merge.version)
        assert db.session.get(Candidate, pair["kept"]).notes == "Kept record's note"


def test_a_record_with_merges_into_it_is_not_merged_elsewhere(app, users, pair):
    with app.app_context():
        actor = db.session.get(User, users["recruiter"])
        kept = db.session.get(Candidate, pair["kept"])
        merged = db.session.get(Candidate, pair["merged"])
        records.merge_candidates(
            kept, merged, actor=actor, kept_version=kept.version, merged_version=merged.version
        )
        third = new_candidate(users, "Third Record", "third.record@example.org")
        with pytest.raises(ServiceError, match="Other records are merged into"):
            records.merge_candidates(
                third, kept, actor=actor, kept_version=third.version, merged_version=kept.version
            )


def test_the_api_tells_a_rule_refusal_from_a_stale_version(app, client, users, pair):
    """Editing a record merged into another: the rule's refusal, naming the record it is
    merged into ("Not possible now"); a stale version: "Changed meanwhile"."""
    login_as(app, client, users["recruiter"])
    merge_via_web(app, client, pair)
    merged = pair["merged"]
    refused = client.patch(
        f"/api/v1/candidates/{merged}", json={"version": version_of(app, merged), "phone": "+1"}
    )
    assert refused.status_code == 409
    error = refused.json["error"]
    assert (error["title"], error["conflict"]) == ("Not possible now", "rule")
    assert "merged into the record of Casey Candidate (casey@example.org)" in error["detail"]
    assert f"#{pair['kept']}" not in error["detail"]
    kept = pair["kept"]
    stale = client.patch(
        f"/api/v1/candidates/{kept}", json={"version": version_of(app, kept) - 1, "phone": "+1"}
    )
    assert stale.status_code == 409
    assert (stale.json["error"]["title"], stale.json["error"]["conflict"]) == (
        "Changed meanwhile",
        "stale",
    )
