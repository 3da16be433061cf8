"""Recognising the phrases of job-family pages that describe levels: section kinds,
grades, reports-to and inheritance sentences.

Everything here works on plain text (see :func:`ladder.handbook.inline.plain`) and is
independent of any particular family: no seed title appears in this module.  Titles are
compared in :mod:`ladder.handbook.titles`; hiring stages are read in
:mod:`ladder.handbook.stages`.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Inheritance",
    "Kind",
    "classify_heading",
    "find_grade",
    "find_reports_to",
    "grade_subject",
    "parse_inheritance",
    "reports_target",
    "sentences",
    "split_alternatives",
]

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
        r"|duties|what you(?:'|\u2019)?ll do|what you will do",
    ),
    (
        Kind.REQUIREMENTS,
        r"(?:minimum |basic |key |job |role |additional |base )?requirements?"
        r"(?: across all (?:levels|roles))?"
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
        r"(?:hiring process|interview(?:ing)? process|recruiting process"
        r"|hiring and interview process)(?: overview)?",
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
_BARE_REPORTING_RE = re.compile(r"\breporting\s*[:.]?\s*$", re.IGNORECASE)


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
            if kind is Kind.REPORTS_TO and prefix and _BARE_REPORTING_RE.search(text):
                # "Post Campaign Reporting": reporting on results, not a reporting line.
                continue
            return kind, prefix
        m = at_start.match(text)
        if m and kind not in (Kind.LEVELS, Kind.INTRO):
            return kind, m.group("prefix").strip(" ,:;\u2013\u2014-")
    # A misspelt last word ("Responsibilties", "Requirments", "Responsibilites").
    words = text.split()
    if words:
        last = words[-1].lower().strip(":.")
        for kind, word in _MISSPELT:
            close = difflib.SequenceMatcher(None, last, word).ratio() >= 0.9
            if last != word and len(last) > 8 and close:
                return kind, " ".join(words[:-1]).strip(" ,:;\u2013\u2014-")
    return Kind.OTHER, text


_MISSPELT = (
    (Kind.RESPONSIBILITIES, "responsibilities"),
    (Kind.REQUIREMENTS, "requirements"),
    (Kind.REQUIREMENTS, "qualifications"),
)


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
    r"^(?:they|he|she|it|we|you|who|this\s+(?:role|position|level|job)|(?:the\s+)?(?:role"
    r"|position|level|job)|this|that)$",
    re.IGNORECASE,
)
_ROLE_WORD_END_RE = re.compile(r"\s+(?:role|position|job)$", re.IGNORECASE)
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
    # "The Engineering Manager role is a grade 8": the role is the Engineering Manager.
    return _ROLE_WORD_END_RE.sub("", subject) or subject


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
    r"(?:the\s+|a\s+|an\s+|their\s+|our\s+)?(?P<target>.+?)\s*[.;]?\s*$",
    re.IGNORECASE,
)


_REPORTING_TO_RE = re.compile(
    r"^[Rr]eporting\s+(?:directly\s+)?to\s+(?:the\s+|a\s+|an\s+)?(?P<target>[^,;]+?)\s*,\s*"
    r"(?:the\s+|this\s+)?(?P<subject>[A-Z][^,;]*?)\s+(?:will|is|are|shall|can|also|works?"
    r"|supports?|helps?|leads?|manages?|plays?)\b",
)
_PAREN_GROUP_RE = re.compile(r"\([^()]*\)")
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
    r"|,?\s+(?:(?:for|in|of|to|from|at|with|on|by)\s+)?(?:who|whom|which|whose|where|while|whilst)\b.*$"
    r"|\s+(?:role|position)\s+(?:at|in|within|on)\b.*$"
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
        participle = _REPORTING_TO_RE.match(sentence) if not m else None
        if participle:
            # "Reporting to the X, the Y will ...": the Y reports to the X.
            target = reports_target(participle.group("target"))
            if target and (target[0].isupper() or target[0].isdigit()):
                return clean_subject(participle.group("subject")), target
            continue
        if m:
            target = reports_target(m.group("target"))
            if not target or not (target[0].isupper() or target[0].isdigit()):
                # "reports directly to a leader they support": no role named.
                continue
            return clean_subject(m.group("subject")), target
    return None


def split_alternatives(text: str) -> list[str]:
    """Split "Manager/Senior Manager, X" into ["Manager, X", "Senior Manager, X"].

    The parts before the last one receive the last part's subject (what follows its
    comma, or its words after the first one), so "Intermediate and Senior X" gives
    ["Intermediate X", "Senior X"].  A text without alternatives comes back alone.
    """
    # "Manager, International Payroll (EMEA/APAC/LATAM)": no split inside parentheses.
    groups = _PAREN_GROUP_RE.findall(text)
    masked = _PAREN_GROUP_RE.sub("\x00", text)
    parts = [p.strip() for p in _ALTERNATIVES_RE.split(masked) if p.strip()]
    if groups:
        restored = []
        for part in parts:
            while "\x00" in part and groups:
                part = part.replace("\x00", groups.pop(0), 1)
            restored.append(part)
        parts = restored
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
    r"(?:it\s+)?extends\s+(?:to\s+(?=that|those))?(?:that\s+of\s+|those\s+of\s+|all\s+(?:of\s+)?)?",
    r"(?:it\s+)?extend\s+(?:to\s+(?=that|those))?(?:that\s+of\s+|those\s+of\s+)?",
    r"includes?\s+all\s+(?:of\s+)?(?:the\s+)?(?:" + _KIND_WORDS + r")\s+(?:of|from|for)\s+",
    r"includes?\s+all\s+(?:of\s+)?",
    r"(?:meets|meet|has|have|holds|covers)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:"
    + _KIND_WORDS
    + r")\s+(?:of|from|for)\s+",
    r"in\s+addition\s+to\s+(?:meeting|having|holding)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:"
    + _KIND_WORDS
    + r")\s+(?:of|for|from)\s+",
    r"in\s+addition\s+to\s+(?!(?:meeting|having|holding)\s)(?:all\s+)?(?:of\s+)?",
    r"everything\s+(?:in|from|of|for)\s+",
    r"all\s+(?:of\s+)?(?:the\s+)?(?:(?:" + _KIND_WORDS + r")\s+(?:of|from|for)\s+)?",
    r"(?:the\s+)?same\s+(?:" + _KIND_WORDS + r")?\s*as\s+(?:for\s+)?",
    r"(?:the\s+)?same\s+(?:" + _KIND_WORDS + r")\s+(?:of|from)\s+",
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
    re.compile(
        r"^[\s,:;]*(?:the\s+|this\s+)?[^,.;:]*?\b(?:will|shall|should|must)\s+(?:also\s+)?"
        r"(?:have|meet|take\s+on|include)\s+the\s+following\b.*$",
        re.I,
    ),
    re.compile(r"^[\s,:;]*(?:and\s+)?(?:expands?|adds?)\s+(?:up)?on\s+(?:that|this|it)\b", re.I),
    re.compile(
        r"^[\s,:;]*(?:in\s+the\s+following\s+ways|with\s+the\s+following|as\s+follows"
        r"|and\s+the\s+following(?:\s+(?:" + _KIND_WORDS + r"))?)(?:\b|$)",
        re.I,
    ),
    re.compile(
        r"^[\s,:;]*(?:plus|and|also|as\s+well\s+as)?(?:\s*the\s+(?:following|below)"
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
    #: The sentence goes on after the reference without a break ("... with a wider
    #: scope"): the whole item is kept as written.
    continues: bool = False
    #: Capitalised words after a comma that ended the reference ("a Manager, Regional
    #: Marketing, the ..."): with them the reference may name a title with a comma; the
    #: rest is then ``tail_rest``.
    comma_tail: str = ""
    tail_rest: str = ""


def parse_inheritance(text: str) -> Inheritance | None:
    """Read "Extends the X responsibilities", "Includes all responsibilities of the
    Intermediate and Senior X roles and expands on that...", "Meets the requirements of
    X", "In addition to the corresponding X level requirements:", "Everything in X,
    plus", "Same as X"...  Returns ``None`` when the text is not such a sentence.

    The caller decides whether the reference names something real; a sentence without a
    kind word ("responsibilities", "level", "role"...) is only an inheritance sentence if
    its reference resolves.
    """
    lead = _QUICK_LEAD_RE.match(text)
    plus = None if lead else _PLUS_RE.match(_ABBREVIATION_DOT_RE.sub(r"\1", text))
    if plus:
        # "The Intermediate responsibilities, plus the responsibilities below:"
        tail = plus.group("rest").strip(" ,:;.")
        continues = bool(tail) and not _PLUS_TAIL_RE.match(tail)
        kind_word = plus.group("kind").split()[0].lower()
        refs = tuple(split_alternatives(plus.group("ref").strip()))
        return Inheritance(refs, False, kind_word, "", continues)
    if not lead:
        return None
    text = _ABBREVIATION_DOT_RE.sub(r"\1", text)
    for pattern in (_INHERIT_KIND_RE, _INHERIT_PUNCT_RE):
        m = pattern.match(text)
        if not m:
            continue
        pattern_used = pattern
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
    raw_rest = m.group("rest") or ""
    rest = _clean_rest(raw_rest)
    comma_tail = tail_rest = ""
    if pattern_used is _INHERIT_PUNCT_RE and m.group("end").strip() == ",":
        tail = _COMMA_TAIL_RE.match(raw_rest)
        if tail and _clean_rest(tail.group("tail")):  # not "Plus"
            comma_tail = tail.group("tail")
            tail_rest = _clean_rest(raw_rest[tail.end() :])
    if not kind_word:
        # "In addition to meeting all of the requirements of X": the kind is in the lead.
        lead_kind = _LEAD_KIND_RE.match(m.group("lead"))
        kind_word = lead_kind.group("kind").split()[0].lower() if lead_kind else ""
    continues = False
    if rest and pattern_used is _INHERIT_KIND_RE and not _SEPARATOR_RE.match(raw_rest):
        # "Extends the X responsibilities with a company-wide scope": the words after the
        # reference go on with the sentence; they are not an item of their own.
        rest, continues = "", True
    if comma_tail:
        # "a Manager, Regional Marketing, the ...": unless the words after the comma turn
        # out to complete the title (see ``tail_rest``), the sentence is kept whole rather
        # than cut into a fragment.
        rest, continues = "", True
    refs = tuple(split_alternatives(ref)) if ref else ()
    return Inheritance(refs, corresponding, kind_word, rest, continues, comma_tail, tail_rest)


def _clean_rest(raw_rest: str) -> str:
    """The words after a reference without closing words ("(Grade 7) plus", "the
    following", "the Senior Manager will have the following")."""
    rest = _REST_PAREN_RE.sub("", raw_rest.strip())  # "(Grade 7) plus"
    if rest:
        for pattern in _REST_RES:
            rest = pattern.sub("", rest)
    return rest.strip(" ,:;.")


_COMMA_TAIL_RE = re.compile(
    r"^\s*(?P<tail>[A-Z][\w&'-]*(?:\s+(?:[A-Z][\w&'-]*|of|and|&))*)\s*(?=,|$)"
)
_LEAD_KIND_RE = re.compile(
    r"^in\s+addition\s+to\s+\w+\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(?P<kind>" + _KIND_WORDS + r")",
    re.IGNORECASE,
)


# Patterns used inline above, compiled once when the module loads.
_PLUS_RE = re.compile(
    r"^\s*(?:the\s+)?(?P<ref>[^,:;.]+?)\s+(?P<kind>" + _KIND_WORDS + r")\s*,?\s+plus\b"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
_PLUS_TAIL_RE = re.compile(
    r"^(?:the\s+)?(?:following|(?:" + _KIND_WORDS + r")\s+(?:below|above|listed\s+below))\b",
    re.IGNORECASE,
)
_REST_PAREN_RE = re.compile(r"^\([^()]*\)\s*")
_SEPARATOR_RE = re.compile(r"^\s*(?:[,;:.\u2013\u2014]|-\s)")
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
