"""The home page says what to do next, per role, on a hand-built data set: each kind of
to-do for each role with its links and true counts (finished interviews are not "asked to
interview"), the most urgent section first, empty states, bounded sections, and a number
of queries that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest

from app.clock import utcnow
from app.db import db
from app.models import (
    Application,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    Offer,
    Requisition,
    Role,
    Scorecard,
    User,
)
from app.services import hiring, promotions
from pipelines.applications import ApplicationStatus, DeclineReason
from pipelines.leveling import Outcome
from pipelines.offers import OfferStatus
from tests.conftest import fill_required, login_as, place

SCREEN, ASSESSMENT, HM_STAGE, PEER, PANEL, EXEC, REFS = (
    "recruiter-screening",
    "written-assessment",
    "hiring-manager-interview",
    "peer-interview",
    "panel-interview",
    "executive-interview",
    "reference-and-background-check",
)


# --- reading the page ---------------------------------------------------------------------


class Home(HTMLParser):
    """Sections in page order; in each, groups (kind, total, items); an item is its text
    and its links; a group's "and K more" link."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: list[dict[str, Any]] = []
        self._item: dict[str, Any] | None = None
        self._depth = 0
        self._more: dict[str, Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-section" in a:
            self.sections.append({"key": a["data-section"], "groups": {}, "order": []})
        elif "data-group" in a and self.sections:
            group = {"total": int(a["data-total"] or 0), "items": [], "more": None}
            self.sections[-1]["groups"][a["data-group"]] = group
            self.sections[-1]["order"].append(a["data-group"])
        elif tag == "li" and "data-item" in a:
            self._item = {"text": "", "links": []}
            self._depth = 1
            self._current_group()["items"].append(self._item)
        elif tag == "li" and self._item is not None:
            self._depth += 1
        if tag == "a" and self._item is not None:
            self._item["links"].append(a.get("href"))
        if tag == "a" and "data-more" in a:
            self._more = {"href": a.get("href"), "text": ""}
            self._current_group()["more"] = self._more

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self._depth -= 1
            if self._depth == 0:
                self._item["text"] = " ".join(self._item["text"].split())
                self._item = None
        if tag == "a" and self._more is not None:
            self._more = None

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item["text"] += unescape(data)
        if self._more is not None:
            self._more["text"] += data

    def _current_group(self) -> dict[str, Any]:
        section = self.sections[-1]
        return section["groups"][section["order"][-1]]

    def section(self, key: str) -> dict[str, Any]:
        return next(s for s in self.sections if s["key"] == key)

    def keys(self) -> list[str]:
        return [s["key"] for s in self.sections]

    def group(self, section: str, kind: str) -> dict[str, Any]:
        return self.section(section)["groups"][kind]


def home(client) -> Home:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    return Home(response.text)


# --- the data set -------------------------------------------------------------------------


class World:
    """Builds rows directly (the services' rules are tested elsewhere): exactly the facts
    each to-do is made from."""

    def __init__(self) -> None:
        self.now = utcnow()

    def requisition(self, title: str, manager: int, recruiter: int, headcount: int = 1) -> int:
        made = hiring.create_requisition(
            title=title,
            level_id="senior-csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, manager),
            recruiter=db.session.get(User, recruiter),
            headcount=headcount,
            actor=db.session.get(User, recruiter),
        )
        return made.id

    def application(self, requisition_id: int, name: str, stage_id: str, **fields: Any) -> int:
        requisition = db.session.get(Requisition, requisition_id)
        recruiter = db.session.get(User, requisition.recruiter_id)
        slug = name.lower().replace(" ", ".")
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name=name, email=f"{slug}.{requisition_id}@example.net"),
            actor=recruiter,
        )
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        application.stage_id = stage_id
        for key, value in fields.items():
            setattr(application, key, value)
        db.session.commit()
        return application.id

    def interview(
        self,
        application_id: int,
        stage_id: str,
        people: list[int],
        *,
        hours: float,
        submitted: dict[int, str] | None = None,
        cancelled: bool = False,
    ) -> int:
        """An interview starting ``hours`` from now (negative: held), with each person in
        ``submitted`` having submitted that recommendation."""
        application = db.session.get(Application, application_id)
        interview = Interview(
            application_id=application_id,
            stage_id=stage_id,
            starts_at=self.now + timedelta(hours=hours),
            duration_minutes=60,
            cancelled_at=self.now if cancelled else None,
        )
        interview.interviewers = [InterviewInterviewer(user_id=uid) for uid in people]
        db.session.add(interview)
        db.session.flush()
        for uid, recommendation in (submitted or {}).items():
            db.session.add(
                Scorecard(
                    interview_id=interview.id,
                    interviewer_id=uid,
                    ratings={},
                    recommendation=recommendation,
                    notes="Clear examples.",
                    submitted_at=self.now + timedelta(hours=hours + 2),
                    ladder_version=application.ladder_version,
                )
            )
        db.session.commit()
        return interview.id

    def decide(self, application_id: int, manager: int) -> None:
        application = db.session.get(Application, application_id)
        db.session.add(
            HiringDecision(
                application_id=application_id,
                outcome=Outcome.HIRE,
                level_id="senior-csm",
                decided_by_id=manager,
                ladder_version=application.ladder_version,
            )
        )
        db.session.commit()

    def offer(self, application_id: int, status: OfferStatus, *, needs_approval: bool) -> int:
        application = db.session.get(Application, application_id)
        offer = Offer(
            application_id=application_id,
            status=status,
            level_id="senior-csm",
            needs_approval=needs_approval,
            ladder_version=application.ladder_version,
        )
        db.session.add(offer)
        db.session.commit()
        return offer.id


@pytest.fixture
def people(make_user) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "ada": make_user("ada@example.org", (Role.ADMIN,), name="Ada Admin"),
        "rita": make_user("rita@example.org", (Role.RECRUITER,), name="Rita Recruiter"),
        "otto": make_user("otto@example.org", (Role.RECRUITER,), name="Otto Other"),
        "hugo": make_user(
            "hugo@example.org", (Role.HIRING_MANAGER, Role.INTERVIEWER), name="Hugo Manager"
        ),
        "hal": make_user("hal@example.org", (Role.HIRING_MANAGER,), name="Hal Other"),
        "ivan": make_user("ivan@example.org", (Role.INTERVIEWER,), name="Ivan Interviewer"),
        "tara": make_user("tara@example.org", (Role.TEAM_MEMBER,), name="Tara Member"),
        "nell": make_user("nell@example.org", (Role.TEAM_MEMBER,), name="Nell Newcomer"),
    }


def build(app, p: dict[str, int], copies: int = 1) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The data set; with ``copies`` > 1, every to-do-making application of the main
    requisition is there that many times (to count queries at two sizes)."""
    ids: dict[str, int] = {}
    with app.app_context():
        w = World()
        old = w.now - timedelta(days=20)
        held = -24 * 6  # six days ago: overdue whatever the weekend
        req = w.requisition("Senior CSM, EMEA", p["hugo"], p["rita"], headcount=2)
        other = w.requisition("Senior CSM, APAC", p["hal"], p["otto"])
        ids["req"] = req
        for n in range(copies):
            s = "" if n == 0 else f" {n}"
            ids["alex" + s] = w.application(req, "Alex Screen" + s, SCREEN, entered_stage_at=old)
            ids["blair" + s] = w.application(req, "Blair Passed" + s, SCREEN, screen_passed=True)
            ids["casey" + s] = w.application(
                req, "Casey Assess" + s, ASSESSMENT, screen_passed=True
            )
            ids["drew" + s] = w.application(
                req, "Drew Waiting" + s, ASSESSMENT, assessment_sent_at=w.now
            )
            ids["eden" + s] = w.application(req, "Eden Ready" + s, HM_STAGE)
            w.interview(
                ids["eden" + s], HM_STAGE, [p["hugo"]], hours=held, submitted={p["hugo"]: "yes"}
            )
            ids["finn" + s] = w.application(req, "Finn Owed" + s, PEER)
            w.interview(ids["finn" + s], PEER, [p["ivan"], p["hugo"]], hours=held)
            ids["gray" + s] = w.application(req, "Gray Done" + s, PEER)
            w.interview(
                ids["gray" + s], PEER, [p["ivan"]], hours=held, submitted={p["ivan"]: "strong_yes"}
            )
            ids["hana" + s] = w.application(req, "Hana Soon" + s, PANEL)
            ids["hana_interview" + s] = w.interview(ids["hana" + s], PANEL, [p["ivan"]], hours=48)
            ids["ivo" + s] = w.application(req, "Ivo Due" + s, PEER)
            ids["ivo_interview" + s] = w.interview(ids["ivo" + s], PEER, [p["ivan"]], hours=-2)
            ids["lee" + s] = w.application(req, "Lee Unscheduled" + s, PANEL)
            ids["jo" + s] = w.application(req, "Jo Debrief" + s, EXEC)
            w.interview(ids["jo" + s], EXEC, [p["tara"]], hours=held, submitted={p["tara"]: "yes"})
            ids["pat" + s] = w.application(req, "Pat Exec" + s, EXEC)
            ids["pat_interview" + s] = w.interview(ids["pat" + s], EXEC, [p["tara"]], hours=72)
            ids["kai" + s] = w.application(req, "Kai Decided" + s, REFS)
            w.decide(ids["kai" + s], p["hugo"])
            ids["quinn" + s] = w.application(
                req, "Quinn Offer" + s, REFS, status=ApplicationStatus.OFFER
            )
            ids["quinn_offer" + s] = w.offer(
                ids["quinn" + s], OfferStatus.EXTENDED, needs_approval=False
            )
            ids["ray" + s] = w.application(req, "Ray Approval" + s, REFS, references_passed=True)
            w.decide(ids["ray" + s], p["hugo"])
            ids["ray_offer" + s] = w.offer(
                ids["ray" + s], OfferStatus.AWAITING_APPROVAL, needs_approval=True
            )
            # Owed nothing: a cancelled interview, and a declined application's interview.
            ids["mo" + s] = mo = w.application(req, "Mo Cancelled" + s, PEER)
            w.interview(mo, PEER, [p["ivan"]], hours=24, cancelled=True)
            nia = w.application(
                req,
                "Nia Declined" + s,
                PEER,
                status=ApplicationStatus.DECLINED,
                decline_reason=DeclineReason.SKILLS,
            )
            w.interview(nia, PEER, [p["ivan"]], hours=held)
        # Another recruiter's requisition: not Rita's to do.
        w.application(other, "Olga Elsewhere", SCREEN)
        requisition = db.session.get(Requisition, req)
        requisition.created_at = w.now - timedelta(days=30)
        db.session.commit()
        # Promotions: Hugo (Ada's report) submitted a packet for Tara (his report).
        place(p["hugo"], "manager-csm", p["ada"])
        place(p["tara"], "csm", p["hugo"])
        hugo = db.session.get(User, p["hugo"])
        packet = promotions.start_packet(hugo, db.session.get(User, p["tara"]), "senior-csm")
        ids["packet"] = packet.id
        fill_required(packet.id, hugo.id)
        view = promotions.load_packet(hugo, packet.id)
        promotions.submit_packet(view, hugo, expected_version=None)
    return ids


@pytest.fixture
def world(app, people) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return build(app, people)


def texts(group: dict[str, Any]) -> list[str]:
    return [item["text"] for item in group["items"]]


def first_links(group: dict[str, Any]) -> list[str]:
    return [item["links"][0] for item in group["items"]]


def app_url(application_id: int, fragment: str = "") -> str:
    return f"/hiring/applications/{application_id}{fragment}"


# --- the recruiter --------------------------------------------------------------------------


def test_the_recruiter_sees_what_waits_on_them(app, client, people, world):
    login_as(app, client, people["rita"])
    page = home(client)
    assert page.keys()[0] == "recruiter"  # overdue scorecards: the most urgent
    screens = page.group("recruiter", "record_screen")
    assert screens["total"] == 1
    assert first_links(screens) == [app_url(world["alex"], "#outcome")]
    assert "Alex Screen" in texts(screens)[0] and "Senior CSM, EMEA" in texts(screens)[0]
    assert "Olga" not in str(page.sections)  # another recruiter's requisition

    assessments = page.group("recruiter", "send_assessment")
    assert assessments["total"] == 1
    assert first_links(assessments) == [app_url(world["casey"], "#assessment")]

    advance = page.group("recruiter", "advance")
    assert advance["total"] == 3
    assert sorted(first_links(advance)) == sorted(
        app_url(world[k]) for k in ("blair", "eden", "gray")
    )
    words = " | ".join(texts(advance))
    assert "Screen passed: advance to Written Assessment" in words
    assert "Every scorecard in: advance to Peer Interview" in words
    assert "Every scorecard in: advance to Panel Interview" in words

    # Lee's panel was never scheduled; Mo's peer interview was called off.
    schedule = page.group("recruiter", "schedule_interview")
    assert schedule["total"] == 2
    assert sorted(first_links(schedule)) == sorted(
        [
            f"/hiring/applications/{world['lee']}/interviews/{PANEL}",
            f"/hiring/applications/{world['mo']}/interviews/{PEER}",
        ]
    )

    references = page.group("recruiter", "record_references")
    assert references["total"] == 1
    assert first_links(references) == [app_url(world["kai"], "#references-outcome")]

    overdue = page.group("recruiter", "overdue_scorecards")
    assert overdue["total"] == 2  # Finn's peer interview: Ivan's and Hugo's
    assert {item["links"][0] for item in overdue["items"]} == {app_url(world["finn"])}
    assert any("Ivan Interviewer" in t for t in texts(overdue))
    assert any("Hugo Manager" in t for t in texts(overdue))
    # Jo (the hiring manager's debrief), Drew (the candidate's turn), Ivo and Hana (the
    # interviewers'), Quinn (an offer) and a declined one: nothing for the recruiter.
    everything = str(page.section("recruiter"))
    for name in ("Jo Debrief", "Drew Waiting", "Ivo Due", "Hana Soon", "Quinn", "Nia"):
        assert name not in everything


# --- interviewers ---------------------------------------------------------------------------


def test_the_interviewer_counts_only_what_is_still_owed(app, client, people, world):
    login_as(app, client, people["ivan"])
    page = home(client)
    assert page.keys() == ["interviewer"]
    overdue = page.group("interviewer", "scorecard_overdue")
    due = page.group("interviewer", "scorecard_due")
    upcoming = page.group("interviewer", "upcoming")
    assert (overdue["total"], due["total"], upcoming["total"]) == (1, 1, 1)
    finn_interview = first_links(overdue)[0]
    assert finn_interview.endswith("/scorecard") and "Finn Owed" in texts(overdue)[0]
    assert first_links(due) == [f"/hiring/interviews/{world['ivo_interview']}/scorecard"]
    assert first_links(upcoming) == [f"/hiring/interviews/{world['hana_interview']}/scorecard"]
    assert "Hana Soon" in texts(upcoming)[0] and "Panel Interview" in texts(upcoming)[0]
    everything = str(page.sections)
    # Held and scored, cancelled, and a closed application's: not asked any more.
    for name in ("Gray Done", "Mo Cancelled", "Nia Declined"):
        assert name not in everything


def test_anyone_asked_to_interview_sees_it_and_finished_ones_do_not_count(
    app, client, people, world
):
    login_as(app, client, people["tara"])
    page = home(client)
    upcoming = page.group("interviewer", "upcoming")
    assert upcoming["total"] == 1  # Pat's executive interview; Jo's is scored
    assert first_links(upcoming) == [f"/hiring/interviews/{world['pat_interview']}/scorecard"]
    assert (
        "scorecard_due" not in page.section("interviewer")["groups"]
        or not page.group("interviewer", "scorecard_due")["total"]
    )


# --- the hiring manager -----------------------------------------------------------------------


def test_the_hiring_manager_sees_debriefs_offers_and_requisition_health(app, client, people, world):
    login_as(app, client, people["hugo"])
    page = home(client)
    # Hugo owes an overdue scorecard (Finn's): that section comes first.
    assert page.keys()[:2] == ["interviewer", "hiring_manager"]
    assert page.group("interviewer", "scorecard_overdue")["total"] == 1
    assert "scorecard_due" not in page.section("interviewer")["groups"]  # Eden's is submitted

    debriefs = page.group("hiring_manager", "debriefs")
    assert debriefs["total"] == 1
    assert first_links(debriefs) == [f"/hiring/applications/{world['jo']}/debrief"]
    assert "Jo Debrief" in texts(debriefs)[0]

    offers = page.group("hiring_manager", "offers")
    assert offers["total"] == 3
    by_link = {item["links"][0]: item["text"] for item in offers["items"]}
    assert "draft the offer" in by_link[f"/hiring/applications/{world['kai']}/offers/new"]
    assert "record the candidate's answer" in by_link[f"/hiring/offers/{world['quinn_offer']}"]
    assert "admin's approval" in by_link[f"/hiring/offers/{world['ray_offer']}"]

    health = page.group("hiring_manager", "requisitions")
    assert health["total"] == 1
    (text,) = texts(health)
    assert "Senior CSM, EMEA" in text
    # Active and with an offer: 16 of the 17 (Nia was declined); Alex stalled.
    assert "16 in the pipeline · 1 stalled · 0 of 2 hired · open 30 days" in text
    assert first_links(health) == [f"/hiring/requisitions/{world['req']}"]


# --- approvers, admins, team members ---------------------------------------------------------


def test_the_admin_sees_packets_and_offers_awaiting_approval(app, client, people, world):
    login_as(app, client, people["ada"])
    page = home(client)
    packets = page.group("approver", "packets")
    assert packets["total"] == 1
    assert first_links(packets) == [f"/promotions/{world['packet']}"]
    assert "Tara Member" in texts(packets)[0] and "Senior CSM" in texts(packets)[0]
    approvals = page.group("approver", "offer_approvals")
    assert approvals["total"] == 1
    assert first_links(approvals) == [f"/hiring/offers/{world['ray_offer']}"]
    assert "Ray Approval" in texts(approvals)[0]
    # The admin interviews nobody: no "asked to interview", whatever was held.
    assert "interviewer" not in page.keys()  # noqa: SIM118


def test_the_team_member_sees_their_path_and_next_level(app, client, people, world):
    login_as(app, client, people["tara"])
    page = home(client)
    assert page.keys()[-1] == "path"
    path = page.group("path", "path")
    links = [link for item in path["items"] for link in item["links"]]
    assert "/careers/me" in links
    assert "/careers/levels/senior-csm" in links
    assert f"/promotions/{world['packet']}" in links
    text = " ".join(texts(path))
    assert "You are Customer Success Manager" in text and "Submitted" in text


def test_empty_states_say_so(app, client, people, world, make_user):
    login_as(app, client, make_user("rex@example.org", (Role.RECRUITER,), name="Rex New"))
    page = client.get("/").text
    assert "Nothing waits for you" in page
    login_as(app, client, people["nell"])
    page = client.get("/").text
    assert "Your level on the career ladder has not been set yet" in page
    assert 'href="/careers/me"' in page
    assert 'href="/referrals/new"' in page  # the "Go to" navigation keeps the rest


def test_sections_are_bounded_with_a_link_to_the_rest(app, client, people):
    ids = build(app, people, copies=7)
    login_as(app, client, people["rita"])
    advance = home(client).group("recruiter", "advance")
    assert advance["total"] == 21
    assert len(advance["items"]) == 5
    assert advance["more"]["text"].strip() == "and 16 more"
    assert advance["more"]["href"] == "/hiring/requisitions?mine=1"
    assert ids["blair 6"]


@pytest.mark.parametrize("who", ["rita", "ivan", "hugo", "ada", "tara"])
def test_the_number_of_queries_does_not_grow(app, client, people, count_queries, who):
    build(app, people, copies=1)
    login_as(app, client, people[who])
    client.get("/")  # warm: the ladder and the plans are read once per process
    with count_queries() as small:
        assert client.get("/").status_code == 200
    with app.app_context():
        # Six more of everything (in a second requisition of the same people).
        World_ = World()
        extra = World_.requisition("Senior CSM, Americas", people["hugo"], people["rita"])
        for n in range(6):
            World_.application(extra, f"Zed Screen {n}", SCREEN)
            b = World_.application(extra, f"Zed Peer {n}", PEER)
            World_.interview(b, PEER, [people["ivan"], people["hugo"]], hours=-24 * 6)
            c = World_.application(extra, f"Zed Soon {n}", PANEL)
            World_.interview(c, PANEL, [people["ivan"], people["tara"]], hours=30)
            d = World_.application(extra, f"Zed Exec {n}", EXEC)
            World_.interview(
                d, EXEC, [people["tara"]], hours=-24 * 6, submitted={people["tara"]: "yes"}
            )
            e = World_.application(extra, f"Zed Offer {n}", REFS, references_passed=True)
            World_.decide(e, people["hugo"])
            World_.offer(e, OfferStatus.AWAITING_APPROVAL, needs_approval=True)
    with count_queries() as large:
        assert client.get("/").status_code == 200
    assert large.count == small.count, (small.count, large.count)
