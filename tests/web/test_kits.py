"""Interview kits (questions per criterion for each interview stage), the interviewer's
note per criterion on the scorecard, and the compact summary on the feedback page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select

from app.db import db
from app.models import (
    Application,
    AuditEvent,
    Candidate,
    Interview,
    InterviewKit,
    Requisition,
    Role,
    Scorecard,
    User,
)
from app.services import hiring, interviews, kits
from pipelines.kits import MAX_CRITERION_NOTE, MAX_QUESTIONS
from tests.conftest import login_as

PEER = "peer-interview"


def kit_url(requisition_id: int) -> str:
    return f"/hiring/requisitions/{requisition_id}/kit"


def stages_of(app, requisition_id: int) -> dict[str, list[str]]:
    with app.app_context():
        requisition = db.session.get(Requisition, requisition_id)
        return {s.stage.id: [c.id for c in s.criteria] for s in kits.kit_stages(requisition)}


def field(stage_id: str, criterion_id: str) -> str:
    return f"q-{stage_id}-{criterion_id}"


def new_requisition(app, users, *, level_id="senior-csm", title="Senior CSM, Americas") -> int:
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = hiring.create_requisition(
            title=title,
            level_id=level_id,
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        return requisition.id


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found is not None, f"no textarea {name}"
    return unescape(found.group(1)).strip()


def test_kit_page_has_a_section_per_interview_stage_with_its_criteria(
    app, client, users, hiring_objects
):
    login_as(app, client, users["recruiter"])
    page = client.get(kit_url(hiring_objects["requisition_id"]))
    assert page.status_code == 200
    stages = stages_of(app, hiring_objects["requisition_id"])
    assert PEER in stages and len(stages) >= 3
    for stage_id, criteria in stages.items():
        for cid in criteria:
            assert f'name="{field(stage_id, cid)}"' in page.text
    assert "Understanding of Git and typical branching strategies" in page.text
    assert "No questions yet" in page.text
    # The requisition's page links to its kit.
    board = client.get(f"/hiring/requisitions/{hiring_objects['requisition_id']}")
    assert kit_url(hiring_objects["requisition_id"]) in board.text


def test_the_hiring_manager_writes_questions_and_the_interviewer_sees_them(
    app, client, users, hiring_objects
):
    requisition_id = hiring_objects["requisition_id"]
    first = stages_of(app, requisition_id)[PEER][0]
    login_as(app, client, users["hiring_manager"])
    response = client.post(
        kit_url(requisition_id),
        data={
            "version": "",
            "action": "save",
            field(PEER, first): "- Tell me about a migration you led.\n\n2. What went wrong?\n",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        kit = db.session.scalars(select(InterviewKit)).one()
        assert kit.questions == {
            PEER: {first: ["Tell me about a migration you led.", "What went wrong?"]}
        }
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "interview_kit.save")
        ).one()
        assert event.actor_id == users["hiring_manager"]
        assert event.summary["questions"] == {"before": 0, "after": 2}
    login_as(app, client, users["interviewer"])
    card = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard")
    assert "Questions to ask (2)" in card.text
    assert "Tell me about a migration you led." in card.text


def test_a_stale_kit_form_is_refused_and_what_was_typed_is_kept(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    first = stages_of(app, requisition_id)[PEER][0]
    login_as(app, client, users["recruiter"])
    saved = client.post(
        kit_url(requisition_id),
        data={"version": "", "action": "save", field(PEER, first): "The recruiter's question?"},
    )
    assert saved.status_code == 302
    # The manager's form was loaded before the recruiter saved: no version.
    login_as(app, client, users["hiring_manager"])
    refused = client.post(
        kit_url(requisition_id),
        data={"version": "", "action": "save", field(PEER, first): "The manager's question?"},
    )
    assert refused.status_code == 409
    assert "changed by someone else" in refused.text
    assert textarea(refused.text, field(PEER, first)) == "The manager's question?"
    assert "The recruiter's question?" in unescape(refused.text)  # what was saved meanwhile
    with app.app_context():
        kit = db.session.scalars(select(InterviewKit)).one()
        assert kit.questions[PEER][first] == ["The recruiter's question?"]
        version = kit.version
    # Saving again from that page replaces it knowingly.
    again = client.post(
        kit_url(requisition_id),
        data={
            "version": str(version),
            "action": "save",
            field(PEER, first): "The manager's question?",
        },
    )
    assert again.status_code == 302


def test_too_many_questions_are_refused_naming_the_criterion(app, client, users, hiring_objects):
    requisition_id = hiring_objects["requisition_id"]
    first = stages_of(app, requisition_id)[PEER][0]
    login_as(app, client, users["recruiter"])
    many = "\n".join(f"Question {n}?" for n in range(MAX_QUESTIONS + 1))
    response = client.post(
        kit_url(requisition_id), data={"version": "", "action": "save", field(PEER, first): many}
    )
    assert response.status_code == 422
    assert f"At most {MAX_QUESTIONS} questions" in response.text
    assert textarea(response.text, field(PEER, first)) == many
    with app.app_context():
        assert db.session.scalars(select(InterviewKit)).first() is None


@pytest.mark.parametrize("bad", ["x", "-1", "99999999999999999999", "²", "1" * 5000])
def test_a_damaged_version_is_a_400(app, client, users, hiring_objects, bad):
    login_as(app, client, users["recruiter"])
    response = client.post(
        kit_url(hiring_objects["requisition_id"]), data={"version": bad, "action": "save"}
    )
    assert response.status_code == 400


def test_only_the_requisitions_people_reach_its_kit(app, client, users, make_user, hiring_objects):
    url = kit_url(hiring_objects["requisition_id"])
    other_recruiter = make_user("other.recruiter@example.org", (Role.RECRUITER,))
    other_manager = make_user("other.manager@example.org", (Role.HIRING_MANAGER,))
    for user_id in (other_recruiter, other_manager, users["interviewer"]):
        login_as(app, client, user_id)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"version": "", "action": "save"}).status_code == 404
    login_as(app, client, users["admin"])
    assert client.get(url).status_code == 200
    assert client.get(kit_url(999999)).status_code == 404


def _give_kit(app, users, requisition_id: int, text: str) -> None:
    with app.app_context():
        requisition = db.session.get(Requisition, requisition_id)
        view = kits.load_kit(requisition)
        kits.save_kit(
            view,
            {s.stage.id: {c.id: (text,) for c in s.criteria} for s in view.stages},
            actor=db.session.get(User, users["recruiter"]),
            expected_version=view.kit.version if view.kit else None,
        )


def test_copy_from_another_requisition_of_the_same_level_only(app, client, users, hiring_objects):
    target = hiring_objects["requisition_id"]
    same = new_requisition(app, users, title="Senior CSM, APAC")
    other_level = new_requisition(app, users, level_id="csm", title="CSM, Nordics")
    _give_kit(app, users, same, "Same-level question?")
    _give_kit(app, users, other_level, "Other-level question?")
    login_as(app, client, users["hiring_manager"])
    page = client.get(kit_url(target))
    assert "Senior CSM, APAC" in page.text
    assert "CSM, Nordics" not in page.text
    refused = client.post(
        kit_url(target), data={"version": "", "action": "copy", "source": str(other_level)}
    )
    assert refused.status_code == 422
    assert "same level" in refused.text
    for bad in ("", "nope", str(target)):
        response = client.post(
            kit_url(target), data={"version": "", "action": "copy", "source": bad}
        )
        assert response.status_code == 422
    copied = client.post(
        kit_url(target), data={"version": "", "action": "copy", "source": str(same)}
    )
    assert copied.status_code == 200
    assert "Same-level question?" in copied.text
    assert "Senior CSM, APAC" in copied.text
    assert "review them and save" in copied.text
    with app.app_context():
        # Copying fills the form; nothing is saved until Save.
        assert (
            db.session.scalar(select(InterviewKit).where(InterviewKit.requisition_id == target))
            is None
        )


def test_a_new_requisition_starts_from_the_levels_last_kit(app, client, users, hiring_objects):
    _give_kit(app, users, hiring_objects["requisition_id"], "Level question?")
    fresh = new_requisition(app, users, title="Senior CSM, DACH")
    other_level = new_requisition(app, users, level_id="csm", title="CSM, Iberia")
    login_as(app, client, users["recruiter"])
    page = client.get(kit_url(fresh))
    assert "Level question?" in page.text
    assert "Senior CSM, EMEA" in page.text  # where the questions come from
    assert "Level question?" not in client.get(kit_url(other_level)).text
    # The interviewers of the new requisition see the level's questions too.
    with app.app_context():
        requisition = db.session.get(Requisition, fresh)
        stage_id = kits.kit_stages(requisition)[0].stage.id
        questions = kits.stage_questions(requisition, stage_id)
        assert set(questions.values()) == {("Level question?",)}


# --- scorecards: notes per criterion --------------------------------------------------


def _criteria(app, ids):
    with app.app_context():
        interview = db.session.get(Interview, ids["interview_id"])
        application = db.session.get(Application, ids["application_id"])
        return [c.id for c in interviews.criteria_of(interview, application)]


def _scorecard(app, ids, action="submit", **extra):
    data = {f"rating-{cid}": "yes" for cid in _criteria(app, ids)}
    data.update(recommendation="yes", notes="Clear examples.", action=action, **extra)
    return data


def test_notes_per_criterion_are_kept_with_the_draft_and_the_submission(
    app, client, users, hiring_objects
):
    first, second = _criteria(app, hiring_objects)[:2]
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    login_as(app, client, users["interviewer"])
    page = client.get(url)
    assert f'name="note-{first}"' in page.text
    draft = client.post(
        url, data=_scorecard(app, hiring_objects, "draft", **{f"note-{first}": " Rebased live. "})
    )
    assert draft.status_code == 302
    assert textarea(client.get(url).text, f"note-{first}") == "Rebased live."
    with app.app_context():
        card = db.session.scalars(select(Scorecard)).one()
        assert card.criterion_notes == {first: "Rebased live."}
        version = card.version
    submitted = client.post(
        url,
        data=_scorecard(
            app,
            hiring_objects,
            version=str(version),
            **{f"note-{first}": "Rebased live.", f"note-{second}": "Knew gitflow."},
        ),
    )
    assert submitted.status_code == 302
    with app.app_context():
        card = db.session.scalars(select(Scorecard)).one()
        assert card.criterion_notes == {first: "Rebased live.", second: "Knew gitflow."}
    # The submitted scorecard and the feedback page show the notes beside the ratings.
    assert "Knew gitflow." in client.get(url).text
    feedback = client.get(f"/hiring/applications/{hiring_objects['application_id']}/feedback")
    assert "Rebased live." in feedback.text


def test_a_note_too_long_is_refused_beside_its_criterion(app, client, users, hiring_objects):
    first = _criteria(app, hiring_objects)[0]
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    login_as(app, client, users["interviewer"])
    long = "x" * (MAX_CRITERION_NOTE + 1)
    response = client.post(
        url, data=_scorecard(app, hiring_objects, "draft", **{f"note-{first}": long})
    )
    assert response.status_code == 422
    assert "A criterion&#39;s note has at most 2,000 characters" in response.text
    assert textarea(response.text, f"note-{first}") == long
    with app.app_context():
        assert db.session.scalars(select(Scorecard)).first() is None


def test_the_api_reads_and_writes_notes_per_criterion(app, client, users, hiring_objects):
    from tests.web.test_api_hiring import bearer

    first = _criteria(app, hiring_objects)[0]
    headers = bearer(app, users["interviewer"])
    response = client.post(
        f"/api/v1/interviews/{hiring_objects['interview_id']}/scorecard",
        json={"submit": False, "criterion_notes": {first: "Asked about rebasing."}},
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["criterion_notes"] == {first: "Asked about rebasing."}
    bad = client.post(
        f"/api/v1/interviews/{hiring_objects['interview_id']}/scorecard",
        json={"submit": False, "criterion_notes": {"nope": "x"}},
        headers=headers,
    )
    assert bad.status_code == 422


# --- the feedback summary ---------------------------------------------------------------


def test_feedback_starts_with_a_compact_summary_with_a_legend(
    app, client, users, make_user, hiring_objects
):
    second = make_user("second.interviewer@example.org", (Role.INTERVIEWER,))
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        interviews.schedule_interview(
            application,
            stage_id=PEER,
            interviewers=[
                db.session.get(User, users["interviewer"]),
                db.session.get(User, second),
            ],
            starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
            location="Video call",
            actor=db.session.get(User, users["recruiter"]),
        )
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    login_as(app, client, users["interviewer"])
    assert client.post(url, data=_scorecard(app, hiring_objects)).status_code == 302
    login_as(app, client, second)
    data = _scorecard(app, hiring_objects)
    first = _criteria(app, hiring_objects)[0]
    data[f"rating-{first}"] = "strong_no"
    assert client.post(url, data=data).status_code == 302
    login_as(app, client, users["hiring_manager"])
    page = client.get(f"/hiring/applications/{hiring_objects['application_id']}/feedback")
    assert page.status_code == 200
    summary_at = page.text.index('class="feedback-summary"')
    assert summary_at < page.text.index('class="side-by-side"')
    summary = page.text[summary_at:]
    # Not colour alone: each cell has a symbol and the words.
    assert 'class="mark-strong_no"' in summary
    assert "strong no" in summary
    assert "\u2212\u2212" in summary
    assert 'class="summary-legend' in page.text
    assert "split" in summary


def test_scorecard_query_count_does_not_grow_with_kits(
    app, client, users, hiring_objects, count_queries
):
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    login_as(app, client, users["interviewer"])
    with count_queries() as before:
        client.get(url)
    _give_kit(app, users, hiring_objects["requisition_id"], "A question?")
    for n in range(3):
        _give_kit(app, users, new_requisition(app, users, title=f"Senior CSM {n}"), "Q?")
    with count_queries() as after:
        page = client.get(url)
    assert "A question?" in page.text
    assert after.count <= before.count


@pytest.mark.parametrize("bad", ["²", "1" * 5000])
def test_a_damaged_copy_source_is_refused_not_an_error(app, client, users, hiring_objects, bad):
    login_as(app, client, users["recruiter"])
    response = client.post(
        kit_url(hiring_objects["requisition_id"]),
        data={"version": "", "action": "copy", "source": bad},
    )
    assert response.status_code == 422


def test_the_audit_names_a_copy_source_only_when_it_is_one(app, client, users, hiring_objects):
    target = hiring_objects["requisition_id"]
    same = new_requisition(app, users, title="Senior CSM, APAC")
    _give_kit(app, users, same, "Same-level question?")
    login_as(app, client, users["recruiter"])
    for copied_from, version in ((str(target + 999), ""), (str(same), "1")):
        response = client.post(
            kit_url(target),
            data={"version": version, "action": "save", "copied_from": copied_from},
        )
        assert response.status_code == 302, response.text
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "interview_kit.save", AuditEvent.object_id == str(target))
            .order_by(AuditEvent.id)
        ).all()
        assert [r.summary.get("copied_from_requisition") for r in rows] == [None, same]


def test_notes_per_criterion_are_exported_and_erased_with_the_candidate(
    app, client, users, hiring_objects
):
    from app.hiring.export import candidate_document
    from app.services import privacy

    first = _criteria(app, hiring_objects)[0]
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    login_as(app, client, users["interviewer"])
    client.post(url, data=_scorecard(app, hiring_objects, **{f"note-{first}": "Rebased live."}))
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        candidate = db.session.get(Candidate, application.candidate_id)
        document = candidate_document(candidate, None)
        assert "Rebased live." in str(document)
        privacy.erase_candidate(
            candidate,
            actor=db.session.get(User, users["admin"]),
            expected_version=candidate.version,
            remove_cv=None,
        )
        card = db.session.scalars(select(Scorecard)).one()
        assert card.criterion_notes is None
