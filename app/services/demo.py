"""Demo users for development. Never created in production."""

from __future__ import annotations

from datetime import date

from flask import current_app

from app.accounts.queries import forget_demo_accounts
from app.db import db
from app.models import Role
from app.services import accounts

DEMO_PASSWORD = "hireladder-demo"  # noqa: S105 - documented demo sign-in

DEMO_USERS: list[tuple[str, str, list[Role]]] = [
    ("admin@example.com", "Ada Admin", [Role.ADMIN, Role.TEAM_MEMBER]),
    ("recruiter@example.com", "Riley Recruiter", [Role.RECRUITER, Role.TEAM_MEMBER]),
    (
        "manager@example.com",
        "Morgan Manager",
        [Role.HIRING_MANAGER, Role.INTERVIEWER, Role.TEAM_MEMBER],
    ),
    ("interviewer@example.com", "Ines Interviewer", [Role.INTERVIEWER, Role.TEAM_MEMBER]),
    ("member@example.com", "Mika Member", [Role.TEAM_MEMBER]),
]


def load_demo_data() -> list[str]:
    """Create whichever demo users are missing; return their e-mail addresses.

    Existing rows are left exactly as they are, so running it again never duplicates or
    wipes anything.
    """
    if current_app.config["HIRELADDER_ENV"] == "production":
        raise RuntimeError("demo data is never loaded in production")
    created = []
    for email, name, roles in DEMO_USERS:
        if accounts.get_user_by_email(email) is None:
            accounts.create_user(
                email, name, DEMO_PASSWORD, roles, actor=None, channel="system", is_demo=True
            )
            created.append(email)
    # Before the scripted pipelines, so that their candidates and requisitions (newer)
    # come first in the lists.
    history = _load_demo_history()
    if history:
        created.append(history)
    if _load_demo_pipeline():
        created.append("demo requisitions with candidates at every stage")
    if _load_demo_referrals():
        created.append("two referrals by the team member (one in process, one declined)")
    if _load_demo_records():
        created.append("tags and notes on a candidate, and a second record of her to merge")
    if _load_demo_promotions():
        created.append("a submitted promotion packet waiting for the admin's decision")
    if _publish_demo_postings():
        created.append("two postings on the careers site (/jobs)")
    if _load_demo_kit():
        created.append("an interview kit for the public-sector requisition")
    db.session.commit()
    forget_demo_accounts()  # the banner shows from the next request on
    return created


#: The demo kit's questions per competency (asked at every interview stage that rates it).
DEMO_KIT_QUESTIONS = {
    "competency:communication": (
        "Tell me about a time you had to explain a product limitation to an unhappy customer.",
        "How do you adapt an update for an executive sponsor versus a day-to-day user?",
    ),
    "competency:follow-through": (
        "Walk me through a commitment to a customer that was at risk of slipping. What did you do?",
    ),
    "competency:relationship-building": (
        "How did you build trust with a customer who had inherited your product and did not "
        "want it?",
        "Who was your strongest champion at an account, and how did that come about?",
    ),
    "competency:proactivity": ("Describe a churn risk you spotted before the customer raised it.",),
    "competency:perceptiveness": (
        "Tell me about a time a customer said one thing but needed another.",
    ),
}


def _load_demo_kit() -> bool:
    """Questions for the demo requisition's interview stages, once."""
    from sqlalchemy import select

    from app.db import db
    from app.models import InterviewKit, Requisition
    from app.services import kits

    manager = accounts.get_user_by_email("manager@example.com")
    requisition = db.session.scalar(
        select(Requisition).where(Requisition.title == DEMO_REQUISITION)
    )
    if manager is None or requisition is None:
        return False
    if db.session.scalar(
        select(InterviewKit.id).where(InterviewKit.requisition_id == requisition.id)
    ):
        return False
    view = kits.load_kit(requisition)
    questions = {
        stage.stage.id: {
            c.id: DEMO_KIT_QUESTIONS[c.id] for c in stage.criteria if c.id in DEMO_KIT_QUESTIONS
        }
        for stage in view.stages
    }
    kits.save_kit(view, questions, actor=manager, expected_version=None, channel="system")
    return True


#: The demo's hiring history: two years before the day it is loaded, this many
#: applications, always generated from the same seed (app.services.demo_history).
DEMO_HISTORY_SEED = 13
DEMO_HISTORY_APPLICATIONS = 600


def _load_demo_history() -> str | None:
    """Two years of hiring history for the reports (once): what was added, or None."""
    from app.clock import utcnow
    from app.services import demo_history

    if demo_history.history_loaded():
        return None
    _load_demo_people()
    people = demo_history.ensure_people(DEMO_PASSWORD)
    result = demo_history.generate_history(
        seed=DEMO_HISTORY_SEED,
        today=utcnow().date(),
        applications=DEMO_HISTORY_APPLICATIONS,
        people=people,
    )
    promotions = result.rows["promotion_packets"]
    return (
        f"two years of hiring history: {result.applications} applications in "
        f"{result.rows['requisitions']} requisitions, {result.rows['users']} hires, "
        f"{promotions} promotions"
    )


#: Demo requisitions published on the careers site: title -> (intro, location, remote).
DEMO_POSTINGS = {
    "Senior CSM, Public Sector (demo)": (
        "Our public-sector customers run some of the largest self-managed installations we "
        "support. You will be their trusted advisor from onboarding to renewal.\n\n"
        "This is a demo posting: the rest of this page is written by the career ladder.",
        "Berlin, Germany",
        False,
    ),
    "Customer Success Architect (demo)": (
        "Help our enterprise customers design the platform their engineers will love. "
        "You will work with a distributed team across Europe.",
        "EMEA",
        True,
    ),
}


def _publish_demo_postings() -> bool:
    """Publish the demo postings that are not published yet (with their text)."""
    from sqlalchemy import select

    from app.db import db
    from app.models import Requisition
    from app.services import postings
    from pipelines.postings import EmploymentType, PostingFields

    recruiter = accounts.get_user_by_email("recruiter@example.com")
    if recruiter is None:
        return False
    published = False
    for title, (intro, location, remote) in DEMO_POSTINGS.items():
        requisition = db.session.scalar(select(Requisition).where(Requisition.title == title))
        if requisition is None or requisition.published_at is not None:
            continue
        postings.update_posting(
            requisition,
            PostingFields(
                intro=intro,
                location=location,
                remote=remote,
                employment_type=EmploymentType.FULL_TIME,
            ),
            expected_version=None,
            actor=recruiter,
        )
        postings.publish(requisition, expected_version=None, actor=recruiter)
        published = True
    return published


DEMO_EVIDENCE = (
    "Led the quarterly business reviews of four enterprise accounts this year; two of them "
    "expanded their subscription after the review.",
    "Wrote the onboarding runbook the team now uses, and walked three new CSMs through it.",
    "Took over an at-risk account in March, set up a weekly cadence with its platform team "
    "and brought its health score from red to green by July.",
    "Presented the CI/CD adoption workshop at two customer sites and recorded it for the "
    "enablement library.",
    "Coordinated support, product and sales on a migration blocker; the fix shipped in the "
    "next release and the customer renewed.",
)


def _load_demo_promotions() -> bool:
    """The manager's submitted packet for the interviewer (Senior CSM -> Staff CSM), once.

    The member has none, so a packet can be started for them from the demo.
    """
    from sqlalchemy import select

    from app.db import db
    from app.models import PromotionPacket
    from app.services import promotions

    manager = accounts.get_user_by_email("manager@example.com")
    person = accounts.get_user_by_email("interviewer@example.com")
    if manager is None or person is None or person.manager_id != manager.id:
        return False
    if db.session.scalar(select(PromotionPacket.id).where(PromotionPacket.subject_id == person.id)):
        return False
    packet = promotions.start_packet(manager, person, "staff-csm", channel="system")
    view = promotions.load_packet(manager, packet.id)
    assert view is not None
    edits = {
        section.key: (DEMO_EVIDENCE[number % len(DEMO_EVIDENCE)], section.version)
        for number, section in enumerate(view.packet.sections)
        if section.required and section.key != "justification"
    }
    edits["justification"] = (
        "Has worked at Staff level for the last two quarters: owns the team's hardest "
        "accounts and is the person other CSMs ask first.",
        None,
    )
    promotions.save_sections(view, manager, edits, channel="system")
    view = promotions.load_packet(manager, packet.id)
    assert view is not None
    promotions.submit_packet(view, manager, expected_version=None, channel="system")
    return True


# People on the ladder: member is a CSM managed by the manager, who reports to the admin;
# the admin holds the level that conducts the CSM family's executive interview.
DEMO_PEOPLE = {
    "admin@example.com": ("senior-director-csm", None, None),
    "manager@example.com": ("manager-csm", None, "admin@example.com"),
    "interviewer@example.com": ("senior-csm", None, "manager@example.com"),
    "member@example.com": ("csm", None, "manager@example.com"),
}

DEMO_REQUISITION = "Senior CSM, Public Sector (demo)"

# (name, e-mail, stage reached, what happens there)
DEMO_CANDIDATES = [
    ("Alex Rivera", "alex.rivera@example.net", "recruiter-screening", "pending"),
    ("Priya Natarajan", "priya.natarajan@example.net", "recruiter-screening", "passed"),
    ("Sam Okafor", "sam.okafor@example.net", "written-assessment", "sent"),
    ("Jordan Lee", "jordan.lee@example.net", "written-assessment", "declined"),
    ("Mei Chen", "mei.chen@example.net", "hiring-manager-interview", "scheduled"),
    ("Tomás García", "tomas.garcia@example.net", "peer-interview", "scheduled"),
    ("Omar Haddad", "omar.haddad@example.net", "peer-interview", "withdrawn"),
    ("Fatima Zahra", "fatima.zahra@example.net", "panel-interview", "half-scored"),
    ("Noah Williams", "noah.williams@example.net", "executive-interview", "scheduled"),
    ("Grace Kim", "grace.kim@example.net", "reference-and-background-check", "running"),
]

OTHER_REQUISITIONS = [
    # title, level, specialty, candidates (name, e-mail, stage, what)
    (
        "Customer Success Architect (demo)",
        "csa",
        None,
        [
            ("Lena Novak", "lena.novak@example.net", "recruiter-screening", "pending"),
            ("Ravi Menon", "ravi.menon@example.net", "hiring-manager-interview", "scheduled"),
        ],
    ),
    (
        "Director of Customer Success (demo)",
        "director-cs",
        None,
        [("Elena Rossi", "elena.rossi@example.net", "recruiter-screening", "passed")],
    ),
]


def _load_demo_people() -> None:
    from app.db import db

    for email, (level_id, specialty_id, manager_email) in DEMO_PEOPLE.items():
        user = accounts.get_user_by_email(email)
        if user is None or user.level_id is not None:
            continue
        manager = accounts.get_user_by_email(manager_email) if manager_email else None
        user.level_id = level_id
        user.specialty_id = specialty_id
        user.manager_id = manager.id if manager else None
        user.level_since = date(2025, 2, 1)
    db.session.commit()


def _load_demo_pipeline() -> bool:
    """Requisitions with candidates at every stage, if they are not there yet."""
    from sqlalchemy import select

    from app.db import db
    from app.models import Requisition

    _load_demo_people()
    recruiter = accounts.get_user_by_email("recruiter@example.com")
    manager = accounts.get_user_by_email("manager@example.com")
    if recruiter is None or manager is None:
        return False
    wanted = [(DEMO_REQUISITION, "senior-csm", "public-sector", DEMO_CANDIDATES)]
    wanted += OTHER_REQUISITIONS
    created = False
    for title, level_id, specialty_id, candidates in wanted:
        if db.session.scalar(select(Requisition.id).where(Requisition.title == title)):
            continue
        _demo_requisition(title, level_id, specialty_id, candidates, recruiter, manager)
        created = True
    return created


def _demo_requisition(title, level_id, specialty_id, candidates, recruiter, manager):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from app.clock import utcnow
    from app.models import User
    from app.services import assessments, hiring, interviews

    requisition = hiring.create_requisition(
        title=title,
        level_id=level_id,
        specialty_id=specialty_id,
        hiring_manager=manager,
        recruiter=recruiter,
        # The public-sector team hires three: a hire made while trying the demo does not
        # fill (and so close) the requisition the guide walks through.
        headcount=3 if title == DEMO_REQUISITION else 1,
        actor=recruiter,
    )
    plan = hiring.plan_for(requisition)
    interviewer = accounts.get_user_by_email("interviewer@example.com")
    admin = accounts.get_user_by_email("admin@example.com")
    now = utcnow().replace(minute=0, second=0, microsecond=0)

    def people_for(stage_kind: str) -> list[User]:
        if stage_kind == "hiring_manager":
            return [manager]
        if stage_kind == "executive":
            return [admin] if admin is not None else []
        if stage_kind == "panel":
            return [manager, interviewer] if interviewer is not None else [manager]
        return [interviewer] if interviewer is not None else [manager]

    def score(interview, application, person, positive=True):  # type: ignore[no-untyped-def]
        criteria = interviews.criteria_of(interview, application)
        mark = "yes" if positive else "no"
        interviews.save_scorecard(
            interview,
            application,
            interviewer=person,
            ratings={c.id: mark for c in criteria},
            recommendation="strong_yes" if positive else "no",
            notes="Demo scorecard: clear, specific examples for most criteria.",
            submit=True,
            expected_version=None,
        )

    for index, (name, email, target, what) in enumerate(candidates):
        candidate = hiring.find_candidate(email) or hiring.add_candidate(
            hiring.CandidateDetails(
                name=name, email=email, source="demo data", consent_on=now.date()
            ),
            actor=recruiter,
            cv_file=_demo_cv(name, index),
        )
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        for stage in plan.stages:
            finishing = stage.id == target
            if stage.kind == "recruiter_screen":
                if finishing and what == "pending":
                    break
                hiring.record_screen_outcome(
                    application, passed=True, actor=recruiter, expected_version=None
                )
            elif stage.kind == "written_assessment":
                invitation, _token = assessments.send_assessment(application, actor=recruiter)
                if finishing:
                    break
                answers = [
                    f"Demo answer to question {n + 1}." for n in range(len(invitation.questions))
                ]
                assessments.submit_answers(invitation, answers)
            elif stage.uses_scorecards:
                when = now + timedelta(days=2 + index) if finishing else now - timedelta(days=10)
                panel = people_for(stage.kind)
                interview = interviews.schedule_interview(
                    application,
                    stage_id=stage.id,
                    interviewers=panel,
                    starts_at=when,
                    location="Video call",
                    actor=recruiter,
                )
                if finishing:
                    if what == "half-scored":
                        score(interview, application, panel[0])
                    break
                for person in panel:
                    score(interview, application, person)
            elif stage.kind == "references":
                break
            if finishing:
                break
            mover = manager if plan.next_after(stage.id) == plan.references else recruiter
            hiring.advance_application(application, actor=mover, expected_version=None)
        if what == "declined":
            hiring.decline_application(
                application,
                actor=recruiter,
                reason_code="assessment",
                note=None,
                expected_version=None,
            )
        elif what == "withdrawn":
            hiring.withdraw_application(
                application,
                actor=recruiter,
                reason="Accepted another offer.",
                expected_version=None,
            )


# (requisition title, name, e-mail, why, declined?) referred by member@example.com
DEMO_REFERRALS = [
    (
        "Customer Success Architect (demo)",
        "Dana Brooks",
        "dana.brooks@example.net",
        "We worked together on the platform migration at my last company: Dana designed the "
        "rollout plan and ran the customer workshops.",
        False,
    ),
    (
        "Director of Customer Success (demo)",
        "Kai Müller",
        "kai.muller@example.net",
        "Kai led a customer success team of twelve and speaks at community events.",
        True,
    ),
]


def _load_demo_referrals() -> bool:
    """The team member's referrals, if they have none yet: My referrals shows both
    statuses, and the architect requisition's board a Referral card."""
    from sqlalchemy import select

    from app.db import db
    from app.models import Application, Requisition
    from app.services import hiring, referrals

    member = accounts.get_user_by_email("member@example.com")
    recruiter = accounts.get_user_by_email("recruiter@example.com")
    if member is None or recruiter is None:
        return False
    if db.session.scalar(select(Application.id).where(Application.referrer_id == member.id)):
        return False
    created = False
    for title, name, email, why, declined in DEMO_REFERRALS:
        requisition = db.session.scalar(select(Requisition).where(Requisition.title == title))
        if requisition is None or hiring.find_candidate(email) is not None:
            continue
        application = referrals.refer(
            requisition, name=name, email=email, note=why, referrer=member, channel="system"
        )
        created = True
        if declined:
            hiring.decline_application(
                application,
                actor=recruiter,
                reason_code="experience",
                note=None,
                expected_version=None,
            )
    return created


#: Skills the demo CVs mention, so that searching the candidates list finds someone.
DEMO_SKILLS = (
    "Salesforce and Gainsight health scores",
    "Kubernetes and CI/CD adoption workshops",
    "Zendesk escalations and renewals",
    "public sector procurement and onboarding",
    "executive business reviews in Spanish and Portuguese",
)


def _demo_cv(name: str, index: int):  # type: ignore[no-untyped-def]
    """A short plain-text CV, stored like an upload (its text is found by search)."""
    from app.hiring.cv_content import CvKind
    from app.hiring.cv_storage import PendingCv, configured_store
    from app.hiring.cv_text import cv_text

    skills = DEMO_SKILLS[index % len(DEMO_SKILLS)]
    data = (
        f"{name}\nCustomer Success Manager, {3 + index % 6} years\n\n"
        f"Experience: {skills}; quarterly business reviews for enterprise accounts.\n"
    ).encode()
    return PendingCv(
        data=data,
        filename="cv.txt",
        kind=CvKind.TEXT,
        store=configured_store(),
        text=cv_text(data, CvKind.TEXT),
    )


def _load_demo_records() -> bool:
    """Tags and notes on two demo candidates, and a second record of one of them (added by
    hand, without an application) to try merging on; once."""
    from app.db import db
    from app.models import CandidateTag
    from app.services import hiring

    recruiter = accounts.get_user_by_email("recruiter@example.com")
    first = hiring.find_candidate("priya.natarajan@example.net")
    if recruiter is None or first is None or hiring.find_candidate("p.natarajan@example.org"):
        return False
    first.notes = "Referred by the EMEA team; strong on renewals. Open to relocating."
    db.session.add(CandidateTag(candidate_id=first.id, tag="silver-medalist"))
    db.session.add(CandidateTag(candidate_id=first.id, tag="salesforce"))
    db.session.commit()
    duplicate = hiring.add_candidate(
        hiring.CandidateDetails(name="Priya Natarajan", email="p.natarajan@example.org"),
        actor=recruiter,
    )
    duplicate.notes = "Met at the Lisbon customer success meetup."
    db.session.add(CandidateTag(candidate_id=duplicate.id, tag="python"))
    db.session.commit()
    return True


def sign_in_help() -> str:
    lines = [f"Demo sign-ins (password: {DEMO_PASSWORD}):"]
    for email, _name, roles in DEMO_USERS:
        lines.append(f"  {email:<26} {', '.join(r.label for r in roles)}")
    from app.services.demo_history import POOL

    lines.append("Interviewers of the hiring history (same password):")
    for member in POOL:
        lines.append(f"  {member.email:<26} {member.habit}")
    return "\n".join(lines)
