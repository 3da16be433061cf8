"""Recognising the hiring stages of job-family pages: whether a heading or a list item is a
stage, its name, its duration, who conducts it and the roles of those people.

Everything here works on plain text (see :func:`ladder.handbook.inline.plain`) and is
independent of any particular family.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ladder.handbook.phrases import sentences

__all__ = [
    "COUNT_WORDS",
    "conductor_text",
    "find_duration",
    "is_stage_heading",
    "is_stage_text",
    "list_stage_name",
    "roles_in",
    "stage_name",
]

# --------------------------------------------------------------------------- durations

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "an": 1,
    "a": 1,
    "half": 0,
}
_MINUTES_RE = re.compile(r"\b(\d{1,3}|[a-z]+(?:-[a-z]+)?)[\s-]*(?:minutes?|mins?)\b", re.I)
_HOURS_RE = re.compile(r"\b(\d{1,2}(?:\.\d)?|an?|one|two|half)[\s-]*(?:hours?|hrs?)\b", re.I)


_HALF_HOUR_RE = re.compile(r"\bhalf(?:\s+an|-an)?[\s-]+hour\b", re.I)


def find_duration(text: str) -> int | None:
    """Minutes named in a text ("a 30 minute interview", "45-minute", "an hour")."""
    m = _MINUTES_RE.search(text)
    if m:
        word = m.group(1).lower()
        if word.isdigit():
            return int(word)
        if word in _NUMBER_WORDS and _NUMBER_WORDS[word] > 1:
            return _NUMBER_WORDS[word]
    if _HALF_HOUR_RE.search(text):
        return 30
    m = _HOURS_RE.search(text)
    if m:
        word = m.group(1).lower()
        if word == "half":
            return 30
        try:
            return int(float(word) * 60)
        except ValueError:
            return _NUMBER_WORDS.get(word, 1) * 60
    return None


# --------------------------------------------------------------------------- hiring stages

# Nouns that name a step of a hiring process ("a technical interview", "a take-home
# assignment"), and words that mark one even without such a noun.
_STAGE_NOUNS = frozenset(
    (
        "interview",
        "interviews",
        "screen",
        "screening",
        "call",
        "chat",
        "conversation",
        "meeting",
        "session",
        "assessment",
        "questionnaire",
        "exercise",
        "assignment",
        "challenge",
        "presentation",
        "panel",
        "review",
        "demo",
        "test",
    )
)
# Nouns that also read as verbs ("will review", "to test", "to call").
_VERB_NOUNS = frozenset(("screen", "call", "chat", "review", "test", "demo", "panel", "meeting"))
_MODAL_WORDS = frozenset(("will", "to", "then", "would", "can", "may", "must", "should", "also"))
_STAGE_WORD_RE = re.compile(
    r"\b(?:interview(?:s|ing)?|screen(?:s|ing)?|calls?|chats?|conversations?|meetings?"
    r"|sessions?|assessments?|questionnaires?|exercises?|assignments?|challenges?"
    r"|presentations?|panels?|reviews?|demos?|pairing|take[\s-]home|offers?|references?"
    r"|background\s+checks?|meet|speak|talk)\b",
    re.IGNORECASE,
)
_NOT_STAGE_HEADING_RE = re.compile(
    r"\b(?:tips?|faqs?|frequently|questions?|prepar\w*|resources?|about|information|details"
    r"|notes?|expect|overview|process|guides?|advice|accommodations?|timelines?|more|general"
    r"|introduction|summary)\b",
    re.IGNORECASE,
)
# Words that make a text a sentence rather than the name of a stage.
_SENTENCE_MARK_RE = re.compile(
    r"\b(?:will|would|is|are|was|were|be|been|being|can|could|should|must|may|might|has|have"
    r"|had|does|did|candidates?|applicants?|you|we|they|he|she|it|our|your|their|then"
    r"|finally|next|subsequently|afterwards|lastly|once|if|when|who|which)\b"
    r"|^(?:first|second|third)\b\s*,",
    re.IGNORECASE,
)
_LABEL_SPLIT_RE = re.compile(r"\s*:\s+|\s+[-\u2013\u2014]\s+|\s*[\u2013\u2014]\s*")
_NAME_TAIL_RE = re.compile(r"(?:\s*\([^()]*\))+\s*$|\s*[.:;,!]+\s*$")
_RECRUITER_RE = re.compile(
    r"\brecruit(?:er|ers|ing\s+partners?|ing\s+team)\b|\btalent\s+acquisition\b|\bsourcers?\b",
    re.IGNORECASE,
)
_SCREEN_RE = re.compile(r"\bscreen(?:s|ing)?\b", re.IGNORECASE)
_OFFER_RE = re.compile(
    r"\b(?:made|make|makes|extend(?:s|ed)?|receive[sd]?|given|presented|sent|send|get)\s+"
    r"(?:you\s+|them\s+)?(?:an?\s+|the\s+|their\s+|your\s+)?(?:[\w-]+\s+)?offers?\b"
    r"|\boffers?\s+(?:will|is|are|may)\s+(?:then\s+)?(?:be\s+)?(?:made|extended|sent|given)\b"
    r"|^offers?\b",
    re.IGNORECASE,
)
_REFERENCE_RE = re.compile(r"\breferences?\b", re.IGNORECASE)
_BACKGROUND_RE = re.compile(r"\bbackground\s+(?:checks?|screening)\b", re.IGNORECASE)
_STAGE_TOKEN_RE = re.compile(r"[A-Za-z][\w'\u2019]*(?:-[\w'\u2019]+)*|\d[\w-]*|[^\w\s]")
_MODIFIER_STOP = frozenset(
    (
        "a",
        "an",
        "the",
        "our",
        "their",
        "your",
        "his",
        "her",
        "its",
        "this",
        "that",
        "these",
        "those",
        "one",
        "two",
        "three",
        "four",
        "five",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "final",
        "last",
        "next",
        "another",
        "additional",
        "further",
        "short",
        "brief",
        "quick",
        "long",
        "half",
        "remote",
        "video",
        "virtual",
        "online",
        "zoom",
        "to",
        "for",
        "with",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "by",
        "as",
        "will",
        "be",
        "is",
        "are",
        "then",
        "schedule",
        "have",
        "has",
        "attend",
        "complete",
        "invited",
        "asked",
        "candidates",
        "candidate",
        "you",
        "we",
        "they",
        "optional",
        "series",
        "several",
        "some",
        "more",
    )
)
_WHO_OUR_RE = re.compile(r"\bour\b", re.IGNORECASE)
_TIME_WORD_RE = re.compile(r"\d|minute|\bmins?\b|hour", re.IGNORECASE)


def is_stage_text(text: str) -> bool:
    """Whether a list item reads as a step of a hiring process: it names an interview, a
    call, an assessment, an offer, references..., or a duration."""
    return bool(_STAGE_WORD_RE.search(text)) or find_duration(text) is not None


def is_stage_heading(title: str) -> bool:
    """Whether a heading under "Hiring Process" names a stage ("Technical Interview",
    "Take-home Assignment", "30 minute chat") rather than something about the process
    ("Interview Tips", "What to expect", "Additional information")."""
    if _NOT_STAGE_HEADING_RE.search(title):
        return False
    return is_stage_text(title)


def _name_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not _SENTENCE_MARK_RE.search(text)


def _name_of(text: str) -> str:
    """A text without its trailing parentheses and punctuation."""
    previous = None
    text = text.strip()
    while previous != text:
        previous = text
        text = _NAME_TAIL_RE.sub("", text)
    return text


def _capitalised(words: Sequence[str]) -> str:
    return " ".join(
        "-".join(part[:1].upper() + part[1:] for part in word.split("-")) for word in words
    )


def stage_name(text: str, who: str | None = None, lead: str | None = None) -> str | None:
    """The name of a hiring stage written as a list item (``None`` when nothing names it;
    the caller then numbers it, "Stage 3").

    In order: the item's own name, when it has one — an emphasised lead (``lead``), a
    label before ":" or " - " ("Technical assessment: a take-home ..."), or the whole
    item when it is a short name rather than a sentence ("Screening call with a recruiter
    (30 minutes)", a trailing parenthesis dropped); then a name made from its words:
    "Recruiter Screening" for a screening by a recruiter, "Offer" for an offer, "Reference
    Check" / "Background Check" / "Reference and Background Check", the stage noun with
    the words before it ("a 45 minute technical interview" → "Technical Interview",
    "a take-home assignment" → "Take-Home Assignment"), or a bare noun with the person
    it is with ("a 60 minute interview with our Director" → "Interview with the
    Director", from ``who``)."""
    text = " ".join(text.split())
    own = [lead] if lead else []
    label = _LABEL_SPLIT_RE.split(text, maxsplit=1)
    if len(label) > 1:
        own.append(label[0])
    parts = sentences(text)
    if len(parts) > 1:
        own.append(parts[0])
    own.append(text)
    for candidate in own:
        name = _name_of(candidate)
        if _name_like(name):
            return name
    if _SCREEN_RE.search(text) and _RECRUITER_RE.search(text):
        return "Recruiter Screening"
    if _OFFER_RE.search(text):
        return "Offer"
    reference = bool(_REFERENCE_RE.search(text))
    background = bool(_BACKGROUND_RE.search(text))
    if reference or background:
        if reference and background:
            return "Reference and Background Check"
        return "Reference Check" if reference else "Background Check"
    return _noun_name(text, who)


def _noun_name(text: str, who: str | None) -> str | None:
    tokens = _STAGE_TOKEN_RE.findall(text)
    lower = [t.lower() for t in tokens]
    for i, word in enumerate(lower):
        if word not in _STAGE_NOUNS:
            continue
        if word in _VERB_NOUNS and i and lower[i - 1] in _MODAL_WORDS:
            continue  # "will review", "to call"
        head = i
        while head + 1 < len(lower) and lower[head + 1] in _STAGE_NOUNS:
            head += 1  # "screening call", "panel interview"
        start = head
        while (
            start > 0
            and head - start < 3
            and tokens[start - 1][:1].isalpha()
            and lower[start - 1] not in _MODIFIER_STOP
            and not _TIME_WORD_RE.search(lower[start - 1])
        ):
            start -= 1
        words = tokens[start : head + 1]
        if start == head and who:
            person = _WHO_OUR_RE.sub("the", who.strip())
            if person[:1].isupper() and person.split()[0].lower() in ("the", "a", "an"):
                person = person[0].lower() + person[1:]
            if len(person.split()) <= 6:
                return f"{_capitalised(words)} with {person}"
        return _capitalised(words)
    return None


# --------------------------------------------------------------------------- who conducts a stage

_NOT_CONDUCTOR = (
    r"(?!(?:the\s+|a\s+|our\s+|qualified\s+)?candidates?\b|you\b|they\b|we\b|it\b|this\b)"
)
_ROLE_NOUN = (
    r"(?:recruiters?|managers?|engineers?|designers?|leads?|directors?|team\s+members?"
    r"|interviewers?|panel|executives?|peers?|vp|president|head|partners?|specialists?)"
)
_CONDUCTOR_RES = [
    re.compile(r"\bconducted\s+by\s+(?P<x>[^.,;]+)", re.I),
    re.compile(r"\b(?:is|will\s+be)\s+(?:held\s+)?with\s+(?P<x>[^.;]+)", re.I),
    re.compile(r"\b(?:typically\s+|usually\s+|will\s+)?includes?\s+(?P<x>[^.;]+)", re.I),
    re.compile(
        r"(?:^|[.!?]\s+|,\s+)" + _NOT_CONDUCTOR + r"(?P<x>(?:[A-Z][\w'\u2019-]*)"
        r"(?:\s+(?!will\b)[\w'\u2019-]+){0,8}?)\s+will\s+"
        r"(?!be\b|not\b|need\b|have\b)(?:provide|send|complete|conduct|run|lead|"
        r"schedule|perform|review|reach|contact|invite|share|hold|meet|interview|ask|"
        r"carry)\b",
        re.I,
    ),
    re.compile(
        r"(?:^|[.!?]\s+)" + _NOT_CONDUCTOR + r"(?P<x>(?:the|a|an|one\s+of\s+our|two|three)\s+"
        r"(?:[\w-]+\s+){0,3}?" + _ROLE_NOUN + r")\s+(?:reviews?|conducts?|interviews?|runs?"
        r"|leads?|meets?|holds?|schedules?|sends?|provides?|asks?|assesses?|evaluates?)\b"
        # "a panel interview with ...", "the panel review is ...": a noun, not a verb.
        r"(?!\s+(?:with|by|is|are|was|will|lasts?|of|consists?|takes?|includes?)\b)",
        re.I,
    ),
    re.compile(
        r"\b(?:call|chat|conversation|meeting|session|screen(?:ing)?)\s+with\s+(?P<x>[^.;]+)",
        re.I,
    ),
    re.compile(r"\b(?:interview|meet|talk|speak)\s+with\s+(?P<x>[^.;]+)", re.I),
    # "Half an hour with the Head of Data": "with" a title or a role.
    re.compile(
        r"\bwith\s+(?P<x>(?:(?:the|a|an|our|your|one\s+of\s+(?:our|the)|two|three)\s+)?"
        r"(?:(?-i:[A-Z])[^.;]*|(?:[\w-]+\s+){0,3}?" + _ROLE_NOUN + r"\b[^.;]*))",
        re.I,
    ),
]
_CONDUCTOR_TAIL_RE = re.compile(
    r"\s*\([^()]*\)\s*$"
    r"|,?\s+(?:for|in|over|lasting)\s+(?:about\s+|around\s+|up\s+to\s+)?(?:\d+|an?|one|two"
    r"|three|half)\b.*$"
    r"|\s+(?:for\s+(?:a|an|the|about)|via|using|in\s+order\s+to)\b.*$"
    r"|,?\s+and\s+(?:lasts|takes|is|will|should|typically|usually|last)\b.*$"
    r"|,\s+(?:who|which|where)\b.*$"
    r"|,?\s+(?:with|and|in)\s+(?:the\s+)?following\b.*$",
    re.I,
)


def list_stage_name(text: str, number: int, lead: str | None = None) -> str:
    """The name of the ``number``-th hiring stage written as the list item ``text``
    (:func:`stage_name`, told who the stage is with), else
    "Stage N"."""
    return stage_name(text, conductor_text(text), lead) or f"Stage {number}"


def conductor_text(text: str) -> str | None:
    """Who conducts a stage, in the page's words: "conducted by X", "is with X",
    "includes X", "X will provide ...", "The X reviews ...", "a call with X", "an
    interview with X", and last "with" a title or a role ("half an hour with the Head
    of Data")."""
    for pattern in _CONDUCTOR_RES:
        m = pattern.search(text)
        if m:
            found = m.group("x").strip(" ,:")
            previous = None
            while previous != found:
                previous = found
                found = _CONDUCTOR_TAIL_RE.sub("", found).strip(" ,:")
            if found and len(found) < 120:
                return found
    return None


COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1, "an": 1}
_ROLE_PATTERNS: list[tuple[str, str]] = [
    ("recruiter", r"recruit(?:er|ers|ing\s+partner|ing\s+team)|talent\s+acquisition|sourcer"),
    (
        "hiring_manager",
        r"hiring\s+manager|manager\s+of\s+the\s+team|(?:their|your)\s+future\s+"
        r"manager",
    ),
    ("peer", r"individual\s+contributor|\bpeers?\b"),
    (
        "team_member",
        r"(?:(?P<count>\d+|one|two|three|four|five|a|an)\s+(?:other\s+|more\s+)?)?"
        r"(?:team[\s-]+members?|members?\s+of\s+the\s+team|colleagues?)",
    ),
    (
        "executive",
        r"\bexecutives?\b|\b[se]?vps?\b|vice\s+president|\bchief\b|\bc-level\b"
        r"|\bdirectors?\b|\bhead\s+of\b|\bc[a-z]o\b",
    ),
]


_ROLE_RES = [(role, re.compile(pattern, re.I)) for role, pattern in _ROLE_PATTERNS]
_RELATIVE_RE = re.compile(r"\s+(?:who|that|which)\s+(?:is|are)\b.*$", re.I)


def roles_in(text: str) -> list[str]:
    """The roles named in a text, in order, one entry per person ("the hiring manager and
    two other team members" → hiring_manager, team_member, team_member).  Relative
    clauses ("who is a member of the team") describe the person before them."""
    text = _RELATIVE_RE.sub("", text)
    found: list[tuple[int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for role, pattern in _ROLE_RES:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            count = 1
            if role == "team_member":
                raw = m.groupdict().get("count")
                if raw:
                    count = int(raw) if raw.isdigit() else COUNT_WORDS.get(raw.lower(), 1)
                count = max(1, min(count, 10))
            taken.append((m.start(), m.end()))
            found.append((m.start(), role, count))
    found.sort()
    roles: list[str] = []
    for _, role, count in found:
        roles.extend([role] * count)
    return roles
