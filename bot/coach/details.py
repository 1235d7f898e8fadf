"""The details of a runner's message, read the way a person reads them.

Once the intent is known (:mod:`bot.coach.intents`), small readers pick out what it carries: an
effort out of ten ("an eight out of ten", "7ish", "tough one, 9"), a body area ("hammy", "shin
splints", "achiles"), a kind of run ("hill reps", "the long one"); the days a message names are read
in :mod:`bot.coach.weekdays` (a weekday), :mod:`bot.coach.day_mentions` (every day, span and period
end) and :mod:`bot.coach.day_readers` (the last day of a pause, the day a run moved to, the day a
question is about). Numbers may be digits or words.

Every reader takes ``lowered``: the message lower-cased with its apostrophes removed, as the
parser makes it. Pure: no clock, no I/O. Fast: the patterns are compiled at import, and a misspelt
area is looked for (with ``rapidfuzz``) only among the longer words.
"""

from __future__ import annotations

from enum import StrEnum

from bot.coach import lazy_re
from bot.coach.model import BodyArea, RunKind

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def _number(word: str) -> float | None:
    """A number said in digits ("7", "6.5") or words ("seven"), else None."""
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    try:
        return float(word)
    except ValueError:
        return None


# ---- effort ----

_N = r"(?:10|[1-9](?:\.5)?|one|two|three|four|five|six|seven|eight|nine|ten)"
_TEN = r"(?:10|ten)"
# what follows a number that makes it a count, distance, time or date rather than an effort
_NOT_EFFORT = (
    r"(?!\s*(?:k\b|km|kms|kilo|mi\b|miles?|m\b|min|mins|minutes?|secs?|seconds?|h\b|hrs?|hours?|sets?|reps?|x\b"
    r"|times|rounds?|exercises?|moves?|laps?|days?|weeks?|months?|am\b|pm\b|st\b|nd\b|rd\b|th\b|%|[:/]\d|\.\d"
    r"|thirds?\b|quarters?\b|halves\b|fifths?\b"
    r"|of\b(?!\s*(?:10|ten)\b)|out of (?!10|ten)|-?\d))"
)
_RPE_PATTERNS = (
    # "7/10", "an eight out of ten", "8 outta 10", "7 of 10"
    lazy_re.compile(
        rf"\b({_N})\s*(?:/|out of|outta|oo|of)\s*{_TEN}\b(?!\s*(?:reps?|sets?|exercises?|moves?|min|k\b|km))"
    ),
    # "rpe 7", "rpe six", "effort was a seven", "rpe around 5", "effort: 8", "intensity of about 6"
    lazy_re.compile(
        r"\b(?:rpe|effort|intensity|exertion)(?![a-z])(?:\s*(?:level|score|rating|[:=~-]|was|is|of|at|about|around"
        r"|roughly|maybe|probably|prob|like|solid|a|an|id say|i(?:d| would) say|felt|felt like|approx|prolly))*"
        rf"\s*(\d{{1,2}}(?:\.5)?|{_N})(?:\s*(?:-|–|to|or)\s*({_N}))?\b{_NOT_EFFORT}"
    ),
    # "7 ish", "7ish", "a 6-ish"
    lazy_re.compile(rf"\b({_N})\s*-?\s*ish\b"),
    # "about a 6", "like a three", "felt like a 5", "id say an eight", "a solid 8", "maybe a seven"
    lazy_re.compile(
        r"\b(?:about|around|like|maybe|probably|prolly|prob|say|solid|roughly|approx|easily|def|definitely|call it)"
        rf"\s+(?:a\s+|an\s+)?(?:solid\s+|hard\s+|tough\s+|good\s+|strong\s+)?({_N})\b{_NOT_EFFORT}"
    ),
)
# a bare effort at the very end: "tough one, 9", "did it all, five", "done 7 💪"
# ("one" is left out: "done, hard one" is a hard session, not an effort of 1)
_TRAILING = lazy_re.compile(rf"(?:^|(?P<sep>[,;:.!–—-])\s*|\s)((?!one\b){_N})\s*[!.?]*\s*$")
_TAIL_JUNK = lazy_re.compile(r"[^\w!.?]+$")
# words before a trailing number that make it a count ("2 sets of 10", "set 2 of 3", "ran 5")
_COUNT_BEFORE = lazy_re.compile(
    r"\b(?:of|x|by|at|than|to|from|in|on|for|the|last|first|only|all|did|do|ran|run|walked|set|sets|rep|reps"
    r"|round|rounds|lap|laps|week|day|number|no|about|around|like|maybe|under|over|just|minus|plus|times)\s*$"
)


def _effort(value: float | None) -> int | None:
    if value is None:
        return None
    rounded = int(value + 0.5)  # "6.5" is a 7: the harder reading, the safer one for adapting
    return rounded if 1 <= rounded <= 10 else None


def read_rpe(lowered: str) -> int | None:
    """An effort from 1 to 10 said in the message, in digits or words, else None.

    Read: "rpe 7", "rpe six", "effort was a seven", "an eight out of ten", "7/10", "about a 6",
    "felt like a 5 out of 10", "7 ish", "like a three", and a bare number closing the message
    ("tough one, 9"). Not read: counts, distances, times and dates ("2 sets of 10", "set 2 of 3",
    "5k", "20 min", "6:30", "the 20th"). An effort named but out of range ("rpe 14") is None.
    """
    for pattern in _RPE_PATTERNS:
        match = pattern.search(lowered)
        if match is not None:  # "rpe 7-8" is an 8: the harder reading
            return _effort(max(filter(None, map(_number, filter(None, match.groups()))), default=None))
    tail = _TAIL_JUNK.sub("", lowered)
    match = _TRAILING.search(tail)
    if match is None:
        return None
    sep = match.group("sep")
    if sep is None and _COUNT_BEFORE.search(tail, 0, match.start(2)):
        return None  # "2 sets of 10", "set 2 of 3"
    if sep is not None and sep in ":/." and tail[: match.start("sep")][-1:].isdigit():
        return None  # "at 6:30", "1/2"
    return _effort(_number(match.group(2)))


class Table(tuple[tuple[StrEnum, lazy_re.LazyPattern], ...]):
    """Members and the patterns that name them, in order, with the patterns as one search (``search``,
    built with the table): its first match starts where the earliest of the patterns' own first
    matches does (a search tries each position in turn, every alternative at each). In one
    alternation without groups, a search skips positions as fast as a search for one of them, three
    times faster than with a group for each; every table's patterns have the default flags (the
    tests check)."""

    search: lazy_re.LazyPattern

    def __new__(cls, *rows: tuple[StrEnum, lazy_re.LazyPattern]) -> Table:
        table = super().__new__(cls, rows)
        table.search = lazy_re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in rows))
        return table


# ---- body area ----

# "back" is the body part only when said as one ("my back", "lower back", "back pain"), never in
# "my knee is back", "back on monday" or "back to running"
_BACK = (
    r"\b(?:my|the|lower|low|upper|mid|middle|sore|bad|stiff|tight|achy|achey|painful|tweaked|hurt|pulled|put out my"
    r"|threw out my|twinged|tweaked my)\s+back\b(?!\s+(?:to|on|again|in|from|home|into|up|out)\b)"
    r"|^back\b(?!\s+(?:to|on|again|in|from|home|into|up|out)\b)"
    r"|\bback\s+(?:pain|ache|aches|achy|spasms?|hurts|hurting|started|starting|went|locked|muscles?|problems?|issues?"
    r"|injury|twinge|is|feels|stiff|tight|sore)"
)
_SPINE = r"\bspine\b|\bspinal\b|\blumbar\b|\bsciatica?\b|\bsi joint\b"
AREAS = Table(
    # the IT band runs from hip to knee; runners feel it at the knee (ITB syndrome), so it is the knee
    (BodyArea.KNEE, lazy_re.compile(r"\bknee+s?\b|\bkneecaps?\b|\bknee ?cap|\bpatell\w*|\bit ?-?bands?\b|\bitbs?\b")),
    # the shin is its own area (COACHING.md "Vocabulary"): shin pain can be a stress fracture
    (BodyArea.SHIN, lazy_re.compile(r"\bshins?\b|\btibia\w*|\bmtss\b")),
    (
        BodyArea.ANKLE,
        lazy_re.compile(
            r"\bankles?\b|\bach+il+[ei]*s\b|\bachil+[ei]*s?\b|\bcal(?:f|ves|fs|vs)\b|\bsoleus\b|\bgastroc\w*"
        ),
    ),
    (
        BodyArea.FOOT,
        lazy_re.compile(
            r"\bfoot\b|\bpf\b|\bfeet\b|\bheels?\b|\bplantar\b|\b(?:big |little )?toes?\b|\barch(?:es)?\b"
            r"|\bbunions?\b|\bmetatarsals?\b|\bsole of\b"
        ),
    ),
    (
        BodyArea.HIP,
        lazy_re.compile(
            r"\bhips?\b|\bhip ?flexors?\b|\bglutes?\b|\bglute?us\b|\bgroin\b|\bpiriformis\b|\bbum\b|\bbutt\b"
            r"|\badductors?\b"
        ),
    ),
    (BodyArea.HAMSTRING, lazy_re.compile(r"\bham(?:st?ri?n?g|mie|my|mies|stirng|strig|strung)s?\b|\bhammy\b|\bhams\b")),
    (BodyArea.BACK, lazy_re.compile(_BACK + "|" + _SPINE)),
    (BodyArea.SHOULDER, lazy_re.compile(r"\bshoulders?\b|\bsholders?\b|\bshoudlers?\b|\brotator\b|\brotator cuff\b")),
)
# the same without "back" said as the body part: each of _BACK's forms has the word "back" in it, so in a
# text without that word the areas read the same with the back's pattern only its other words (and the
# one search for all areas skips the slowest of its patterns, tried at every word of every message)
_AREAS_NO_BACK = Table(
    *((area, lazy_re.compile(_SPINE) if area is BodyArea.BACK else pattern) for area, pattern in AREAS)
)


def first_area(lowered: str) -> tuple[int, BodyArea] | None:
    """Where the first body area named in the text starts, and that area (:func:`first_at` of the areas)."""
    found = first_at(AREAS if "back" in lowered else _AREAS_NO_BACK, lowered)
    return None if found is None else (found[0], BodyArea(found[1]))


# Quads and thighs name no area on purpose: the rulebook has no thigh, and sore quads after a run are
# muscle soreness, not a knee niggle; a runner whose knee hurts says "knee". Read as no area, the
# coach asks or simply logs the soreness rather than easing knee work for a tired thigh.

# misspellings of the longer area words, matched by similarity ("hamstirng", "shoudler", "achillis")
_AREA_WORDS: dict[str, BodyArea] = {
    "achilles": BodyArea.ANKLE,
    "hamstring": BodyArea.HAMSTRING,
    "hamstrings": BodyArea.HAMSTRING,
    "shoulder": BodyArea.SHOULDER,
    "shoulders": BodyArea.SHOULDER,
    "plantar": BodyArea.FOOT,
    "piriformis": BodyArea.HIP,
    "kneecap": BodyArea.KNEE,
}
_AREA_NAMES = tuple(_AREA_WORDS)
_WORD = lazy_re.compile(r"[a-z]+")


def first_at(table: Table, lowered: str) -> tuple[int, StrEnum] | None:
    """Where the first member's words named in the text start, and that member (of those starting at
    the same place, the first in the table): one search for all (``Table.search``), then the members
    tried there."""
    match = table.search.search(lowered)
    if match is None:
        return None
    start = match.start()
    member = next(member for member, pattern in table if pattern.match(lowered, start) is not None)
    return start, member


def first_of(table: Table, lowered: str) -> StrEnum | None:
    """The member whose words come first in the text ("plantar fasciitis is back" is the foot)."""
    found = first_at(table, lowered)
    return None if found is None else found[1]


def read_area(lowered: str) -> BodyArea | None:
    """The body area a message names first, else None.

    Per the rulebook's areas: an Achilles or calf is the ankle, a shin is the shin, the IT band is the
    knee, a glute or hip flexor the hip, sciatica the back; slang ("hammy") and common misspellings
    ("achiles", "hamstirng") are read too. Quads and thighs are no area (see above).
    """
    found = first_area(lowered)
    if found is not None:
        return found[1]
    for word in _WORD.findall(lowered):
        if 7 <= len(word) <= 11:
            from rapidfuzz import fuzz, process  # on the first long word: not at start (see bot.entry.start_up)

            close = process.extractOne(word, _AREA_NAMES, scorer=fuzz.ratio, score_cutoff=85)
            if close is not None:
                return _AREA_WORDS[close[0]]
    return None


# ---- run ----

_RUNS = Table(
    (RunKind.LONG, lazy_re.compile(r"\blong\b|\blongrun\b|\blr\b|\blsr\b|\blong slow\b")),
    (
        RunKind.QUALITY,
        lazy_re.compile(
            r"\btempos?\b|\bintervals?\b|\bspeed(?:work)?\b|\btrack\b|\bthreshold\b|\bhills?\b|\brepeats\b"
            r"|\bfartleks?\b|\bquality\b|\bworkouts?\b|\breps\b|\bvo2\w*|\btime trial\b|\bprogression\b"
            r"|\b\d{3,4}s\b|\bcruise\b"
        ),
    ),
    # strides are short pick-ups at the end of an easy run: a run "with strides" moves as the easy run
    (RunKind.EASY, lazy_re.compile(r"\beasy\b|\brecovery\b|\bjog\b|\bshake ?out\b|\bstrides\b")),
    (
        RunKind.RACE,
        lazy_re.compile(r"\brace\b|\bparkrun\b|\bcross ?country\b|\bxc\b|\b(?:half )?marathon\b(?! pace)|\bultra\b"),
    ),
)


def read_run(lowered: str) -> RunKind | None:
    """The kind of run a message names first ("long run", "the long one", "lsr", "hill reps", "club speed
    session", "cross country race", "recovery jog"), else None."""
    found = first_of(_RUNS, lowered)
    return None if found is None else RunKind(found)
