"""The rules on top of the intent model: a message cut into clauses, what a clause alone may add,
pain said in a run-on, "take me off pause" and "dont pause", "how do i ...?" (help, and its topic),
a week asked as "mon to sun", and one check-in per message.

Pure: no I/O, no clock. ``lowered`` is the message lower-cased without apostrophes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.coach import lazy_re, redflags
from bot.coach.details import Table, first_area, first_of, read_area
from bot.coach.intent_types import CHECKINS, RANK, Intent, Topic

_CLAUSE_SPLIT = lazy_re.compile(
    r"[,.!?;:\n]+|\s+(?:but|and|also|btw|plus|then|cos|coz|because|tho|though|anyway)\s+"
    r"|\s+(?=(?:what|whats|wats|wots|why|how|hows|when)\b)"  # a run-on's question
)
# what a clause alone may add: pain, a check-in, a question, politeness, a moved run; never a pause
# or a resume, an illness or soreness read from a fragment ("ready" is no resume, "off sick, pause
# for now" a pause)
_FROM_CLAUSES = frozenset(
    {
        Intent.PAIN,
        Intent.DONE,
        Intent.PARTLY,
        Intent.SKIPPED,
        Intent.MOVED_RUN,
        Intent.TODAY,
        Intent.TOMORROW,
        Intent.WEEK,
        Intent.WHY,
        Intent.HELP,
        Intent.GREETING,
    }
)
_QUESTIONS = frozenset({Intent.TODAY, Intent.TOMORROW, Intent.WEEK, Intent.WHY})
_CLAUSE_WORD = lazy_re.compile(r"[^\W\d_]{2,}")
CLAUSE_MARGIN = 0.3  # a clause adds its intent only when the model is this sure of it (decision score)
_OWNER = lazy_re.compile(r"\b(?:my|the|me|our)\s+$")


def _fragments(clauses: Sequence[str]) -> list[str]:
    """The clauses, and before each that names a body area part-way, the words before it
    ("couldnt do it my knee hurts" is "couldnt do it" too)."""
    out: list[str] = []
    for clause in clauses:
        out.append(clause)
        area = _first_area_at(clause)
        if area > 0:
            owner = _OWNER.search(clause[:area])
            head = clause[: owner.start() if owner else area].strip()
            if len(_CLAUSE_WORD.findall(head)) >= 2:
                out.append(head)
    return out


def _first_area_at(clause: str) -> int:
    """Where the first body area named in ``clause`` starts, -1 when none is (one search for all the
    areas: :func:`bot.coach.details.first_area`)."""
    found = first_area(clause)
    return -1 if found is None else found[0]


def split_clauses(lowered: str) -> list[str]:
    """The clauses of a message: cut at punctuation and at "but", "and", "also", "btw" and the like."""
    return [clause.strip() for clause in _CLAUSE_SPLIT.split(lowered) if clause.strip()]


_MANY_DAYS = lazy_re.compile(
    r"\b(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\w*\s*(?:-|to|till|until|thru|through)\s*"
    r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
)


_HOW_TO = lazy_re.compile(
    r"\bhow\s+(?:do|can|would|should|could)\s+(?:i|you|we)\b|\bhow\s+to\b|\bhow\s+does\b"
    r"|\bwhat\s+(?:do|should|can)\s+i\s+(?:type|send|write|say|press|tap|put|do\s+to)\b"
    r"|\bwhats?\s+(?:is\s+)?the\s+(?:command|button|word|way)\b|\bwhich\s+(?:command|button)\b"
    r"|\bis\s+there\s+(?:a|any)\s+(?:way|command|button|option|setting)\b|\bcan\s+i\b[^.!]*\?|\bam\s+i\s+able\s+to\b"
    r"|\bis\s+it\s+possible\s+to\b"
)
_REPORT = lazy_re.compile(r"\b(?:report|tell|log|let\s+you\s+know|say|send|type|mention|record|flag)\b")
_RESUME = lazy_re.compile(
    r"\b(?:take|get|bring|let)\s+me\s+off\s+(?:the\s+|my\s+)?pause|\b(?:end|stop|cancel|finish|lift|remove|drop|kill)"
    r"\s+(?:the\s+|my\s+|this\s+)?pause\b|\btake\s+(?:the|my|this)\s+pause\s+off|\b(?:dont|do not|stop)\s+keep(?:ing)?"
    r"\s+me\s+(?:on\s+)?paused?|\bno\s+more\s+paus\w*|\bun-?pause\w*|\bpause\s+(?:is\s+)?over\b"
    r"|\b(?:dont|do not)\s+want\s+to\s+be\s+paused|\bpaused\s+any\s*more\b"
)
_AWAY = r"\b(?:travel\w*|away|holiday|vacation|trip)\b"
AWAY_NEXT_WEEK = lazy_re.compile(rf"{_AWAY}.*\bnext\s+week\b|\bnext\s+week\b.*{_AWAY}")  # a week away, asked ahead
_NOT_PAUSE = lazy_re.compile(r"\b(?:dont|do not|no need to|not|never|no)\s+(?:\w+\s+){0,3}?paus")
_TOPICS = Table(
    (Topic.PAUSE, lazy_re.compile(r"paus\w*|\bresume|\bholiday|\bvacation|\bbreak\b|\btravel\w*|\baway\b")),
    (Topic.PAIN, lazy_re.compile(r"\bpain|\binjur\w*|\bniggle|\bhurt\w*|\bsore\w*|\bill\b|\bsick\b")),
    (
        Topic.MOVE,
        lazy_re.compile(r"\bmove\w*|\bchange\s+(?:my\s+|the\s+)?(?:run|days?)|\bcalendar|\blong\s+run|\bswap\s+days?"),
    ),
    (Topic.LOG, lazy_re.compile(r"\blog\w*|\bcheck\s*-?\s*in|\brpe\b|\beffort|\bmark\w*\s+(?:it\s+)?(?:as\s+)?done")),
    (Topic.SETTINGS, lazy_re.compile(r"\bsetting|\breminder|\btime\s*zone|\bequipment|\bchange\s+my\b")),
)
_ACTIONS = frozenset({Intent.PAUSE, Intent.RESUME, Intent.MOVED_RUN, Intent.HELP})


_HURTS = lazy_re.compile(
    r"\b(?:hurts?|hurting|hurt|pain|painful|aching|aches|ached|throbb\w*|killing|twing\w*|agony|swollen|swelling)\b"
)


def _pain_said(lowered: str) -> bool:
    """Whether a body area is said to hurt, within a few words, and not denied ("knee hurts too much")."""
    if read_area(lowered) is None:
        return False
    for match in _HURTS.finditer(lowered):
        if redflags.denied(lowered, match.start(), match.end()):
            continue
        window = lowered[max(0, match.start() - 40) : match.end() + 40]
        if read_area(window) is not None:
            return True
    return False


def read_topic(lowered: str) -> Topic | None:
    """What a help question is about ("how do i pause?" is the pause), else None."""
    found = first_of(_TOPICS, lowered)
    return None if found is None else Topic(found)


def _asks_about(lowered: str, found: Sequence[Intent]) -> bool:
    """Whether a "how do i ...?" is about using the bot: pausing, moving a run, or how to report something."""
    if any(intent in _ACTIONS for intent in found):
        return True
    return bool(_REPORT.search(lowered)) and read_topic(lowered) is not None


# ---- what the message says, by the model and the rules together ----


def clause_intents(clauses: Sequence[str], confident: Callable[[str], Intent | None]) -> list[Intent]:
    """What the clauses add, in order: each clause's intent when the model is sure of it (``confident``
    reads a clause, at :data:`CLAUSE_MARGIN`), if a clause alone may say it."""
    found: list[Intent] = []
    for number, clause in enumerate(_fragments(clauses)):
        if len(clauses) == 1 and number == 0:
            continue  # the whole message, read by the caller
        words = len(_CLAUSE_WORD.findall(clause))
        if words == 0:
            continue
        said = confident(clause)
        if words == 1 and number > 0 and said not in _QUESTIONS:  # "dizzy? nope" skips nothing
            continue
        if said in _FROM_CLAUSES:
            found.append(said)
    return found


def settle(read: Sequence[Intent], whole: Intent, lowered: str, flag: redflags.RedFlag | None) -> tuple[Intent, ...]:
    """Everything the message says, most important first: what the model read (``read``: the whole
    message's intent ``whole``, then each clause's) and the rules the model must not overrule."""
    found = list(read)
    if flag is not None or _pain_said(lowered):  # a bone-stress sign, or "my knee hurts" in a run-on
        found.append(Intent.PAIN)
    # each form of _RESUME and _NOT_PAUSE has "paus" in it, and each of AWAY_NEXT_WEEK "next": a message
    # without the word is not searched for them
    not_pause = "paus" in lowered and _NOT_PAUSE.search(lowered) is not None
    if "paus" in lowered and _RESUME.search(lowered):  # "take me off pause", "no more pause"
        found = [Intent.RESUME, *(i for i in found[1:] if i not in (Intent.PAUSE, Intent.HELP))]
    elif not_pause:  # "dont pause", "dont need a pause, long run moved"
        found = [i for i in found if i not in (Intent.PAUSE, Intent.RESUME)]
    if "next" in lowered and AWAY_NEXT_WEEK.search(lowered) and not not_pause:  # "I'm travelling next week"
        found = [Intent.PAUSE, *(i for i in found if i not in (Intent.WEEK, Intent.PAUSE))]
    if _HOW_TO.search(lowered) and _asks_about(lowered, found):
        return (Intent.HELP,)  # "how do i pause?" asks how, it does not pause
    if _MANY_DAYS.search(lowered):  # "plan for mon to sun": the week, never a pause
        found = [Intent.WEEK if i in (Intent.PAUSE, Intent.TODAY, Intent.TOMORROW) else i for i in found]
    ordered = sorted(dict.fromkeys(i for i in found if i is not Intent.UNKNOWN), key=RANK.__getitem__)
    if Intent.PAIN in ordered and Intent.SORE_OR_TIRED in ordered:
        ordered.remove(Intent.SORE_OR_TIRED)
    checkins = [i for i in ordered if i in CHECKINS]
    if len(checkins) > 1:  # one check-in per message: the whole message's, else the first said
        keep = whole if whole in CHECKINS else checkins[0]
        ordered = [i for i in ordered if i not in CHECKINS or i is keep]
    return tuple(ordered)
