"""Recognising the phrases of job-family pages: section kinds, grades, inheritance,
reports-to, durations, hiring stages written as list items, and titles (ids and fuzzy
matching).

Everything here works on plain text (see :func:`ladder.handbook.markdown.plain`) and is
independent of any particular family: no seed title appears in this module.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Abbreviations",
    "Inheritance",
    "Kind",
    "classify_heading",
    "find_duration",
    "find_grade",
    "find_reports_to",
    "is_stage_heading",
    "is_stage_text",
    "parse_inheritance",
    "reports_target",
    "slugify",
    "split_alternatives",
    "stage_name",
]

# --------------------------------------------------------------------------- slugs


_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by ``-``.

    Accents are folded (``é`` → ``e``), ``&`` becomes ``and``, apostrophes vanish
    (``Engineer's`` → ``engineers``) and every other run of non-alphanumeric characters
    becomes a single ``-``; leading and trailing dashes are dropped.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.replace("&", " and ").replace("'", "")
    return _NON_SLUG_RE.sub("-", text.lower()).strip("-")


# --------------------------------------------------------------------------- section kinds


class Kind(StrEnum):
    LEVELS = "levels"
    JOB_GRADE = "job_grade"
    RESPONSIBILITIES = "responsibilities"
    REQUIREMENTS = "requirements"
    NICE_TO_HAVE = "nice_to_have"
    PERFORMANCE_INDICATORS = "performance_indicators"
    MARKET_JUSTIFICATION = "market_justification"
    REPORTS_TO = "reports_to"
    SPECIALTIES = "specialties"
    CAREER_LADDER = "career_ladder"
    HIRING_PROCESS = "hiring_process"
    INTRO = "intro"
    OTHER = "other"


# Headings that name a part of a level (or of the family when not under a level).
# Each phrase is matched as the whole heading or at its end ("Senior X Requirements")
# or start ("Requirements for Senior X").
_KIND_PHRASES: list[tuple[Kind, str]] = [
    (Kind.MARKET_JUSTIFICATION, r"market justifications?"),
    (
        Kind.INTRO,  # only as a whole heading
        r"overview|introduction|summary|about(?: the| this)? (?:role|team|job|position)"
        r"|(?:the )?role|(?:job|role|position) (?:description|summary|overview)|mission",
    ),
    (
        Kind.NICE_TO_HAVE,
        r"nice[- ]to[- ]haves?|preferred (?:qualifications|requirements|skills)"
        r"|bonus points|desirable(?: skills)?",
    ),
    (
        Kind.PERFORMANCE_INDICATORS,
        r"(?:key )?performance indicators?|kpis?|success metrics"
        r"|performance measures",
    ),
    (Kind.JOB_GRADE, r"(?:job )?grades?(?: level)?|job grade and level|level and grade"),
    (
        Kind.RESPONSIBILITIES,
        r"(?:key |job |role |core |main |additional )?responsibilit(?:y|ies)"
        r"|duties|what you(?:'|\u2019)?ll do|what you will do|expectations",
    ),
    (
        Kind.REQUIREMENTS,
        r"(?:minimum |basic |key |job |role |additional )?requirements?"
        r"|(?:minimum |required )?qualifications|what you(?:'|\u2019)?ll bring|what you will bring"
        r"|skills and experience|experience and skills",
    ),
    (Kind.REPORTS_TO, r"reports? to|reporting(?: line| structure)?"),
    (Kind.SPECIALTIES, r"speciali[sz]ations?|specialit(?:y|ies)|specialt(?:y|ies)"),
    (
        Kind.CAREER_LADDER,
        r"career (?:ladder|path(?:s)?|progression|development)"
        r"(?: and progression)?",
    ),
    (
        Kind.HIRING_PROCESS,
        r"hiring process|interview(?:ing)? process|recruiting process"
        r"|hiring and interview process",
    ),
    (
        Kind.LEVELS,
        r"(?:job )?levels?(?: and grades)?|levell?ing(?: table)?|levels table"
        r"|roles and (?:levels|grades)",
    ),
]
_KIND_RES = [
    (
        kind,
        re.compile(
            r"^(?P<prefix>.*?)[\s,:\u2013\u2014-]*\b(?:" + phrase + r")\s*[:.]?\s*$", re.IGNORECASE
        ),
        re.compile(
            r"^(?:"
            + phrase
            + r")\s*(?:for|of|[:\u2013\u2014-])\s*(?:the\s+|a\s+|an\s+)?(?P<prefix>.+)$",
            re.IGNORECASE,
        ),
    )
    for kind, phrase in _KIND_PHRASES
]


_GRADE_HEADING_RE = re.compile(r"job\s+grade|\bgrades?\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def classify_heading(title: str) -> tuple[Kind, str]:
    """The kind a heading names and the rest of it (``"Senior X Requirements"`` gives
    ``(REQUIREMENTS, "Senior X")``).  Headings that name nothing known are ``OTHER``."""
    text = title.strip()
    for kind, at_end, at_start in _KIND_RES:
        m = at_end.match(text)
        if m:
            prefix = m.group("prefix").strip(" ,:;\u2013\u2014-")
            if kind in (Kind.LEVELS, Kind.INTRO) and prefix:
                # "Senior Levels" is not a thing; "Intermediate Level" is a title.
                continue
            if kind is Kind.JOB_GRADE and prefix and not _GRADE_HEADING_RE.search(text):
                continue
            return kind, prefix
        m = at_start.match(text)
        if m and kind not in (Kind.LEVELS, Kind.INTRO):
            return kind, m.group("prefix").strip(" ,:;\u2013\u2014-")
    return Kind.OTHER, text


# --------------------------------------------------------------------------- grades

_GRADE_RES = [
    re.compile(
        r"\bjob\s+grade\s*(?:level\s*)?(?:is\s*)?[:#]?\s*(\d{1,2})\b(?![.,]\d)", re.IGNORECASE
    ),
    re.compile(r"\bgrade\s*(?:level\s*)?[:#]?\s*(\d{1,2})\b(?![.,]\d)", re.IGNORECASE),
    re.compile(r"\bgrade\b[^.\d]{0,40}?\b(\d{1,2})\b(?![.,]\d)", re.IGNORECASE),
]
_BARE_GRADE_RE = re.compile(r"^\s*(?:level\s+)?(\d{1,2})\s*\.?\s*$", re.IGNORECASE)
_GRADE_SUBJECT_RE = re.compile(
    r"^(?:the\s+)?(?P<subject>.+?)\s+(?:is|are|has|will be)\s+(?:at\s+)?(?:a\s+|an\s+)?"
    r"(?:job\s+)?(?:grade|level)\b",
    re.IGNORECASE,
)
_PRONOUN_RE = re.compile(
    r"^(?:they|he|she|it|we|you|who|this\s+(?:role|position|level|job)|the\s+(?:role|position"
    r"|level|job)|this|that)$",
    re.IGNORECASE,
)
_LEAD_IN_RE = re.compile(r"^(?:in|as|within|for|at|on)\b[^,]*,\s*(?:the\s+)?", re.IGNORECASE)
_SUBJECT_TAIL_RE = re.compile(r"\s+(?:is|are|was|will|has|have|who|which)\b.*$", re.IGNORECASE)
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[^\s.])([.!?])\s+(?=[A-Z\[(\"'])")
_NOT_SENTENCE_END = frozenset(
    ("sr", "jr", "mr", "ms", "mrs", "dr", "st", "vs", "etc", "e.g", "i.e", "inc", "no", "approx")
)


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph (abbreviations such as "Sr." and "e.g." do not end
    one)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_SPLIT_RE.finditer(text):
        before = text[start : m.start(1)].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if word.strip("(") in _NOT_SENTENCE_END or (len(word) == 1 and word.isalpha()):
            continue
        out.append(text[start : m.end(1)].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def clean_subject(subject: str) -> str:
    """The role a sentence is about: "In this role, the Senior X" → "Senior X"; pronouns
    ("They", "This role") give ""."""
    subject = _LEAD_IN_RE.sub("", subject.strip())
    subject = _SUBJECT_TAIL_RE.sub("", subject)
    subject = _ARTICLE_RE.sub("", subject).strip(" ,")
    if _PRONOUN_RE.match(subject) or len(subject) > 80:
        return ""
    return subject


def find_grade(text: str, *, bare: bool = False) -> int | None:
    """A grade in a sentence such as "is a job grade level 5", "grade 7", "Job Grade: 7";
    with ``bare`` also a lone number ("7"), as in a grade section or a table cell."""
    for pattern in _GRADE_RES:
        m = pattern.search(text)
        if m:
            return int(m.group(1))
    if bare:
        m = _BARE_GRADE_RE.match(text)
        if m:
            return int(m.group(1))
    return None


def grade_subject(text: str) -> str | None:
    """The role a grade sentence is about ("The Senior X is a grade 7" → "Senior X")."""
    for sentence in sentences(text.strip()):
        if find_grade(sentence) is None:
            continue
        m = _GRADE_SUBJECT_RE.match(sentence)
        return (clean_subject(m.group("subject")) or None) if m else None
    return None


# --------------------------------------------------------------------------- reports to

_REPORTS_RE = re.compile(
    r"^(?:the\s+)?(?P<subject>.*?)\s*,?\s*\breports?\s+(?:directly\s+)?(?:in\s*)?to(?:\s*:\s*|\s+)"
    r"(?:the\s+|a\s+|an\s+|their\s+)?(?P<target>.+?)\s*[.;]?\s*$",
    re.IGNORECASE,
)


_ALTERNATIVES_RE = re.compile(r"\s*/\s*|\s*,?\s+(?:and|or|&)\s+")


# Words that start a clause after "and": "reports to the X and is grade 7", "... and
# works closely with ...".  A lower-case word ending in "s" counts too ("and mentors"),
# unless it names people ("and managers").
_CLAUSE_WORDS = (
    r"is|are|was|were|has|have|had|will|would|can|could|should|must|may|might|also|then"
    r"|currently|typically|usually|often|generally|directly|works?|leads?|manages?|oversees?"
    r"|sits?|holds?|reports?|serves?|partners?|collaborates?|owns?|drives?|supports?|helps?"
    r"|focus(?:es)?|mentors?|coaches|guides?|sets?|plays?|needs?|gets?|joins?|belongs?"
    r"|operates?|spends?|acts?|it|they|he|she|this|that|these|those"
)
_PEOPLE_PLURALS = (
    r"managers|directors|heads|vps|executives|officers|presidents|leaders|members|engineers"
    r"|chiefs|supervisors|owners|partners|leads"
)
# Where a clause starts whatever the case: ";", "who", a grade, ", is".
_REPORTS_TAIL_RE = re.compile(
    r"\s*;.*$"
    r"|,?\s+(?:who|which|whose|where|while|whilst)\b.*$"
    r"|,?\s+(?:and\s+)?(?:(?:is|are|sits?|hired)\s+)?(?:(?:at|as|in|on|with)\s+)?"
    r"(?:an?\s+|the\s+)?(?:job\s+)?grade\s*(?:level\s*)?[:#]?\s*\d.*$"
    r"|,\s+(?:is|are|has|have|will)\b.*$",
    re.IGNORECASE,
)
_GRADE_PAREN_RE = re.compile(r"\s*\((?:job\s+)?grade\b[^()]*\)", re.IGNORECASE)
# "and" followed by lower-case words: a title goes on with a capital or a rank word.
_REPORTS_AND_RE = re.compile(
    r",?\s+and\s+(?:" + _CLAUSE_WORDS + r")\b.*$"
    r"|,?\s+and\s+(?!(?:" + _PEOPLE_PLURALS + r")\b)[a-z]+[a-rt-z]s\b.*$"
    r"|,\s+and\s+(?!(?:the|a|an|their|our|its|senior|junior|associate|intermediate|staff"
    r"|principal|group|executive|regional|area|general|vice|deputy|assistant|lead)\b)[a-z].*$"
)


def reports_target(text: str) -> str:
    """The role a reports-to phrase names, cut where another clause starts: "the
    Engineering Manager and is grade 7" → "Engineering Manager".  "Manager and Senior
    Manager, X" and "Manager/Senior Manager, X" stay whole.
    The cut is made at ";", "who"/"which", "and" followed by a verb or a pronoun ("and
    is", "and has", "and works", "and mentors"), ", and" followed by a lower-case word
    that does not go on with a title, a grade ("at grade 7", "as a grade 7"), and ",
    is"/", has"; a "(grade 7)" inside it is dropped."""
    target = _GRADE_PAREN_RE.sub("", text).strip()
    cuts = [m.start() for r in (_REPORTS_TAIL_RE, _REPORTS_AND_RE) if (m := r.search(target))]
    if cuts and min(cuts) > 0:
        target = target[: min(cuts)]
    return target.strip().rstrip(".").strip(" ,")


def find_reports_to(text: str) -> tuple[str, str] | None:
    """``(subject, target)`` of a sentence such as "The Senior X reports to the Manager, X";
    the subject is "" when the sentence says "They report to...".  The target ends where
    the sentence goes on about something else (see :func:`reports_target`)."""
    for sentence in sentences(text.strip()):
        m = _REPORTS_RE.match(sentence)
        if m:
            target = reports_target(m.group("target"))
            if not target:
                continue
            return clean_subject(m.group("subject")), target
    return None


def split_alternatives(text: str) -> list[str]:
    """Split "Manager/Senior Manager, X" into ["Manager, X", "Senior Manager, X"].

    The parts before the last one receive the last part's subject (what follows its
    comma, or its words after the first one), so "Intermediate and Senior X" gives
    ["Intermediate X", "Senior X"].  A text without alternatives comes back alone.
    """
    parts = [p.strip() for p in _ALTERNATIVES_RE.split(text) if p.strip()]
    if len(parts) < 2:
        return [text.strip()]
    last = parts[-1]
    if "," in last:
        tail = last[last.index(",") :]
        return [p if "," in p else p + tail for p in parts[:-1]] + [last]
    words = last.split()
    if len(words) < 2:
        return parts
    tail_words = words[1:]
    return [p if len(p.split()) > 1 else " ".join([p, *tail_words]) for p in parts[:-1]] + [last]


# --------------------------------------------------------------------------- inheritance

_KIND_WORDS = (
    r"responsibilit(?:y|ies)|requirements?|performance\s+indicators?|kpis?|indicators?"
    r"|level|levels|roles?|positions?|jobs?|expectations|qualifications|duties"
)
_LEADS = [
    r"(?:it\s+)?extends\s+(?:that\s+of\s+|those\s+of\s+|all\s+(?:of\s+)?)?",
    r"(?:it\s+)?extend\s+(?:that\s+of\s+|those\s+of\s+)?",
    r"includes?\s+all\s+(?:of\s+)?(?:the\s+)?(?:" + _KIND_WORDS + r")\s+(?:of|from|for)\s+",
    r"includes?\s+all\s+(?:of\s+)?",
    r"(?:meets|meet|has|have|holds|covers)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:"
    + _KIND_WORDS
    + r")\s+(?:of|from|for)\s+",
    r"in\s+addition\s+to\s+(?:all\s+)?(?:of\s+)?",
    r"everything\s+(?:in|from|of|for)\s+",
    r"all\s+(?:of\s+)?(?:the\s+)?(?:(?:" + _KIND_WORDS + r")\s+(?:of|from|for)\s+)?",
    r"(?:the\s+)?same\s+(?:" + _KIND_WORDS + r")?\s*as\s+(?:for\s+)?",
    r"builds?\s+(?:up)?on\s+",
    r"as\s+(?:per|with|for)\s+",
    r"inherits?\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:(?:" + _KIND_WORDS + r")\s+(?:of|from)\s+)?",
]
_LEAD = r"^\s*(?P<lead>" + "|".join(f"(?:{lead})" for lead in _LEADS) + r")"
_INHERIT_KIND_RE = re.compile(
    _LEAD + r"(?P<ref>.*?)"
    r"(?P<end>(?:\s+(?:individual\s+contributor|ic)\b)?(?:\s+(?:" + _KIND_WORDS + r")\b)+)"
    r"(?:\s*(?:listed\s+above|articulated\s+(?:here|above|below)|above|here|below)\b)?"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_INHERIT_PUNCT_RE = re.compile(
    _LEAD + r"(?P<ref>.*?)"
    r"(?P<end>\s*[,:;]|\.(?:\s|$)|\s+(?:plus|and\s+(?:expands|adds|the\s+following|also))\b|\s*$)"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)


_REF_ARTICLE_RE = re.compile(r"^(?:that\s+of\s+|those\s+of\s+)?(?:the|a|an|our)(?:\s+|$)", re.I)
_CORRESPONDING_RE = re.compile(
    r"^(?:corresponding|respective|equivalent|matching|same)(?:\s+(.*))?$", re.I
)
_REST_RES = [
    re.compile(r"^[\s,:;]*(?:and\s+)?(?:expands?|adds?)\s+(?:up)?on\s+(?:that|this|it)\b", re.I),
    re.compile(
        r"^[\s,:;]*(?:in\s+the\s+following\s+ways|with\s+the\s+following|as\s+follows"
        r"|and\s+the\s+following(?:\s+(?:" + _KIND_WORDS + r"))?)(?:\b|$)",
        re.I,
    ),
    re.compile(
        r"^[\s,:;]*(?:plus|and|also|as\s+well\s+as)?(?:\s*the\s+following"
        r"(?:\s+(?:" + _KIND_WORDS + r"))?)?(?:\b|$)",
        re.I,
    ),
]
_QUICK_LEAD_RE = re.compile(
    r"\s*(?:it\s+)?(?:extends?|includes?|meets?|meet|has|have|holds|covers|in\s+addition"
    r"|everything|all|the\s+same|same|builds?|as|inherits?)\b",
    re.IGNORECASE,
)
_ABBREVIATION_DOT_RE = re.compile(r"\b(Sr|Jr|Snr|Mgr|Dir|Mgmt|Dept|Assoc|Asst|Exec)\.", re.I)


@dataclass(frozen=True, slots=True)
class Inheritance:
    """An inheritance sentence: what it refers to, and any text left after it."""

    refs: tuple[str, ...]
    corresponding: bool
    kind_word: str
    rest: str


def parse_inheritance(text: str) -> Inheritance | None:
    """Read "Extends the X responsibilities", "Includes all responsibilities of the
    Intermediate and Senior X roles and expands on that...", "Meets the requirements of
    X", "In addition to the corresponding X level requirements:", "Everything in X,
    plus", "Same as X"...  Returns ``None`` when the text is not such a sentence.

    The caller decides whether the reference names something real; a sentence without a
    kind word ("responsibilities", "level", "role"...) is only an inheritance sentence if
    its reference resolves.
    """
    if not _QUICK_LEAD_RE.match(text):
        return None
    text = _ABBREVIATION_DOT_RE.sub(r"\1", text)
    for pattern in (_INHERIT_KIND_RE, _INHERIT_PUNCT_RE):
        m = pattern.match(text)
        if not m:
            continue
        kind_word = m.group("end").split()[0].lower() if pattern is _INHERIT_KIND_RE else ""
        ref = m.group("ref").strip()
        ref = _REF_ARTICLE_RE.sub("", ref)
        corresponding = False
        cm = _CORRESPONDING_RE.match(ref)
        if cm and kind_word:
            corresponding = True
            ref = cm.group(1) or ""
        ref = ref.strip(" ,")
        if ref or corresponding:
            break
    else:
        return None
    rest = (m.group("rest") or "").strip()
    if rest:
        for pattern in _REST_RES:
            rest = pattern.sub("", rest)
    rest = rest.strip(" ,:;.")
    refs = tuple(split_alternatives(ref)) if ref else ()
    return Inheritance(refs, corresponding, kind_word, rest)


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


# --------------------------------------------------------------------------- titles

# Words that place a role on a ladder rather than name its subject.
RANK_WORDS = frozenset(
    (
        "associate",
        "junior",
        "intermediate",
        "mid",
        "senior",
        "staff",
        "principal",
        "distinguished",
        "fellow",
        "lead",
        "manager",
        "director",
        "head",
        "vp",
        "chief",
        "executive",
        "officer",
        "president",
        "vice",
        "group",
        "sr",
        "jr",
        "ii",
        "iii",
        "iv",
        "of",
        "the",
        "and",
        "for",
        "a",
        "an",
    )
)
_SYNONYMS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mgmt": "management",
    "dir": "director",
    "svp": "senior vp",
    "evp": "executive vp",
    "avp": "associate vp",
}
_STOP = frozenset(["of", "the", "a", "an", "for", "to", "in", "at", "with", "our", "its", "their"])
_NOT_PLURAL = ("ss", "us", "is", "ics", "ous")
_VP_RE = re.compile(r"vice[\s-]+president", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_CAPITALISED_RE = re.compile(r"[A-Z][a-z]+")
_SLUG_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019]*")


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in ("of", "and", "&", "the"))


@dataclass(slots=True)
class Abbreviations:
    """Abbreviations of a page: those it defines ("Customer Success Manager (CSM)") and
    the capitalised words it uses ("CS"), so titles can be compared and shortened."""

    defined: dict[str, str]  # lower-case phrase -> acronym (upper case)
    text: str = ""  # the page, searched for the acronyms it uses
    _used: dict[str, bool] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def from_text(cls, text: str) -> Abbreviations:
        defined: dict[str, str] = {}
        for m in _ACRONYM_DEFINITION_RE.finditer(text):
            acronym = m.group(1)
            letters = acronym.upper()
            if not acronym[1:].isupper() and sum(c.isupper() for c in acronym) < 2:
                continue
            before = _DEFINITION_WORD_RE.findall(text[max(0, m.start() - 120) : m.start()])
            letters_n = len(letters)
            # The shortest run of words just before "(ABC)" whose initials are ABC.
            for size in range(letters_n, letters_n + 3):
                words = before[-size:]
                if len(words) < size:
                    break
                if _initials(words).upper() == letters:
                    phrase = " ".join(words).lower()
                    defined.setdefault(phrase, acronym.upper())
                    break
        return cls(defined, text)

    def uses(self, acronym: str) -> bool:
        """Whether the page writes ``acronym`` (or its plural) as a word."""
        found = self._used.get(acronym)
        if found is None:
            found = False
            text, size = self.text, len(acronym)
            start = text.find(acronym)
            while start >= 0:
                end = start + size
                if end < len(text) and text[end] == "s":
                    end += 1
                if (start == 0 or not text[start - 1].isalnum()) and (
                    end >= len(text) or not text[end].isalnum()
                ):
                    found = True
                    break
                start = text.find(acronym, start + 1)
            self._used[acronym] = found
        return found

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.defined:
            phrases = sorted(self.defined, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w])("
                + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
                + r")(s)?(?![\w])",
                re.IGNORECASE,
            )
        return self._pattern

    def shorten(self, title: str) -> str:
        """Replace defined phrases by their acronym, and runs of capitalised subject words
        whose initials form an acronym the page uses ("Customer Success" → "CS")."""
        pattern = self.pattern()
        if pattern is not None:
            title = pattern.sub(
                lambda m: self.defined[" ".join(m.group(1).lower().split())] + (m.group(2) or ""),
                title,
            )
        if self.text:
            title = self._shorten_used(title)
        return title

    def _shorten_used(self, title: str) -> str:
        words = title.split()
        out: list[str] = []
        i = 0
        while i < len(words):
            j = i
            while (
                j < len(words)
                and _CAPITALISED_RE.fullmatch(words[j])
                and words[j].lower() not in RANK_WORDS
            ):
                j += 1
            if j - i >= 2 and self.uses(_initials(words[i:j])):
                out.append(_initials(words[i:j]))
                i = j
                continue
            out.append(words[i])
            i += 1
        return " ".join(out)


def title_tokens(title: str, abbreviations: Abbreviations | None = None) -> frozenset[str]:
    """The words of a title, for comparing titles: abbreviations applied, synonyms
    folded ("Sr." → senior, "Vice President" → vp), plurals of acronyms singular,
    filler words dropped."""
    text = title
    if abbreviations is not None:
        text = abbreviations.shorten(text)
    return _tokens(text)


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> frozenset[str]:
    text = _VP_RE.sub("vp", text)
    tokens: set[str] = set()
    for raw in _WORD_RE.findall(text):
        word = raw.lower()
        if len(raw) > 2 and raw[:-1].isupper() and raw.endswith("s"):
            word = word[:-1]  # "CSMs" is the plural of "CSM"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
            word = word[:-3] + "y" if word.endswith("ies") else word[:-1]
        for part in _SYNONYMS.get(word, word).split():
            if part not in _STOP:
                tokens.add(part)
    return frozenset(tokens)


def level_slug(title: str, abbreviations: Abbreviations | None = None) -> str:
    """The id of a level title: abbreviations applied, "Vice President" → "vp",
    parenthesised qualifiers that repeat a word ("(Intermediate)") dropped, filler words
    dropped, then :func:`slugify`.  An abbreviation the title defines itself ("Customer
    Success Manager (CSM)") is applied too."""
    text = title
    if "(" in title:
        own = Abbreviations.from_text(title).defined
        if own:
            defined = dict(abbreviations.defined) if abbreviations is not None else {}
            defined.update(own)
            abbreviations = Abbreviations(defined, abbreviations.text if abbreviations else "")
    if abbreviations is not None:
        text = abbreviations.shorten(text)
    text = _VP_RE.sub("VP", text)
    words: list[str] = []
    seen: set[str] = set()
    for raw in _SLUG_WORD_RE.findall(text):
        word = raw.lower().replace("'", "").replace("\u2019", "")
        if len(raw) > 2 and raw[:-1].isupper() and raw.endswith("s"):
            word = word[:-1]
        word = _SYNONYMS.get(word, word)
        if word in _STOP or word in ("intermediate", "and") or word in seen:
            continue
        seen.add(word)
        words.append(word)
    slug = slugify(" ".join(words))
    return slug or slugify(title) or "level"


# Patterns used inline above, compiled once when the module loads.
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_ACRONYM_DEFINITION_RE = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_DEFINITION_WORD_RE = re.compile(r"[A-Za-z][\w'\u2019-]*|&")
