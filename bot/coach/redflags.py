"""Red flags in a runner's words: signs that need a doctor or a physio before any more training.

COACHING.md, "Red flags": chest pain, fainting or palpitations mean no training until a doctor has
seen them (here also breathlessness out of proportion to the effort, which belongs with them); pain
in a bone, worse at night or at rest, that makes them limp, swelling, numbness or pain that grows
during a run mean the area rests until a professional clears it.

These are read before anything else the parser does, and never left to the learned model alone: a
miss costs far more than a false alarm. The reading is in two steps:

1. Every word of four letters or more that is one typo away (two for long words) from a word of
   the signs' lexicon is read as that word (rapidfuzz's optimal string alignment distance, so a
   swapped, dropped or doubled letter is one edit): "palpatations", "chset", "dizy", "faitned".
   A few everyday words that sit one letter from a sign ("paint", "chess") are kept as they are.
2. Patterns of the signs and their paraphrases ("someone sat on my chest", "everything went grey",
   "ticker went funny", "breathing through a straw") run over the corrected text. A sign said not
   to be there ("no chest pain", "not dizzy", "breathless? nope") does not count. Breathlessness
   and a high heart rate count only out of proportion: on an easy run, a walk, stairs or at rest,
   not on the intervals.

Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from bot.coach import lazy_re, text_form


class Sign(StrEnum):
    """The kind of red flag, so the reply can fit it."""

    CHEST = "chest"  # chest pain, pressure or tightness, pain spreading to the arm or jaw
    FAINT = "faint"  # fainting, nearly fainting, dizziness
    HEART = "heart"  # palpitations, a racing or irregular heartbeat, a heart rate out of proportion
    BREATH = "breath"  # breathlessness out of proportion to the effort
    BONE = "bone"  # the bone-stress signs: pain in a bone, at night or rest, a limp, swelling, numbness

    @property
    def urgent(self) -> bool:
        """A doctor before any training (the cardiac kind), rather than the area resting (bone)."""
        return self is not Sign.BONE


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A red flag found in a message: its kind and the words that showed it."""

    sign: Sign
    words: str

    @property
    def urgent(self) -> bool:
        return self.sign.urgent


# ---- step 1: typos corrected towards the signs' words ----

LEXICON: tuple[str, ...] = tuple(
    sorted(
        set(
            """
    chest breastbone sternum pain pains painful pressure tight tightness tighter squeezing squeeze squeezed
    crushing heavy heaviness ache aches ached aching hurts hurting burning angina shoulder
    faint fainted fainting faintness dizzy dizziness lightheaded woozy collapsed collapse blacked blackout
    passed keeled vision tunnel spinning stars nearly almost
    palpitations palpitation palpitating heart heartbeat heartbeats pulse racing pounding fluttering flutter
    skipping skipped missing irregular thumping hammering ticker flip flops erratic somersaults
    breath breathless breathlessness breathing breathe wheezing wheezy gasping straw stairs flight
    easy walking sitting resting catch everything legs jaw left doing going started keeps felt feels funny
    beats flop through someone races raced fluttery weird garmin watch lying couch sofa
    bone bones shin shins night limp limping limped hobbling hopping tender pinpoint swollen swelling numb
    numbness tingling fracture stress throbbing throbs weight
    """.split()  # noqa: SIM905 (a word list reads best as words)
        )
    )
)
# everyday words one typo from a sign word that starts the same, kept as they are ("painting the
# fence", "chess club", "shopping", "paused"); a first letter is rarely the mistyped one, so only
# words starting like the sign word (or with its first two letters swapped) are corrected at all
_KEEP = frozenset(
    """
    paint paints painted painting painter paid pair pail pains plain chess chests cheat cheats chests crest
    fainter feint fizzy heath hearth hearty heady heave heaven heavens
    tights tighten thigh thighs these tender tenders stares start starts stair stars stern
    flights fight fights fright flighty night nights nigh bones boned bond bone
    lamp lump limb limbs limo limit hoping hopped shopping ship ships shine shim shit skin spin shun
    numbs nimble passes pasted parsed paused pauses pressed passer pulls purse pulled
    racing raving rating raking racine skipper skips
    walling talking stalking setting sifting testing nesting rusting wasting eased ease east
    breadth bread breathe breathes breaths wheeling wheezy sweeping sweating sweaty swelled
    almost nearby nearly clearly early dearly hurting hunting hurling huts hurry curling
    weigh height eight weights straws strap straps strip stripe
    """.split()  # noqa: SIM905
)


def _budget(word: str) -> int:
    """Edits a word of this length may be away from a sign word: none below four letters."""
    return 0 if len(word) < 4 else 1 if len(word) < 9 else 2


def _starts_alike(word: str, sign: str) -> bool:
    return word[0] == sign[0] or (word[1] == sign[0] and word[0] == sign[1])


@lru_cache(maxsize=8192)
def correct(word: str) -> str:
    """The sign word ``word`` is a typo of, else ``word`` itself."""
    budget = _budget(word)
    if budget == 0 or word in _KEEP:
        return word
    from rapidfuzz import fuzz, process  # on the first typo-length word: not at start (see bot.entry.start_up)
    from rapidfuzz.distance import OSA

    near = process.extract(word, LEXICON, scorer=OSA.distance, score_cutoff=budget, limit=6)
    # the nearest that starts alike; of equally near ones, the one sharing most letters ("beath": breath, not beats)
    alike = sorted(
        ((distance, -fuzz.ratio(word, sign), sign) for sign, distance, _ in near if _starts_alike(word, sign)),
    )
    return alike[0][2] if alike else word


_WORD = lazy_re.compile(r"[a-z]+")


def corrected(lowered: str) -> str:
    """A text in its lowered form (``bot.coach.text_form``), each word a typo of a sign word read as
    that word."""
    words = _WORD.findall(lowered)
    fixed = list(map(correct, words))
    if fixed == words:  # no word to correct (nearly every message): the text as it is
        return lowered
    each = iter(fixed)  # the words in the order ``sub`` meets them, each corrected once
    return _WORD.sub(lambda _match: next(each), lowered)


# ---- step 2: the signs and their paraphrases ----

_NEAR = r"(?:[^\w.,;!?]+(?!but\b)\w+){0,5}?[^\w.,;!?]+"  # up to four words between, in one clause
_PAIN = (
    r"(?:pains?|painful|hurts?|hurting|hurt|ache[sd]?|aching|achey|achy|tight\w*|pressure|squeez\w*|crush\w*"
    r"|heav(?:y|iness)|burning|sharp|stabbing|agony|discomfort)"
)
_EASY = (
    r"(?:\beasy\b|\bjog\w*|\bwalk\w*|\bstairs\b|\bflight\b|\bsitting\b|\bsat\b|\bat rest\b|\bresting\b"
    r"|\b(?:sitting|standing|lying|keeping) still\b"
    r"|\blying\b|\bbed\b|\bdoing nothing\b|\btalking\b|\bslow\w*\b|\bgentle\b|\brecovery\b|\bwarm ?up\b|\bshower"
    r"|\bcouch\b|\bsofa\b|\bdesk\b|\bno reason\b|\bout of nowhere\b|\bdoing nothing\b|\bone flight\b)"
)
_HEART = r"(?:heart(?:\s*beats?)?|heartbeats?|pulse|hr|ticker|heart\s*rate)"
_CHEST_GYM = lazy_re.compile(
    r"\bchest\s+(?:day|press|fly|flies|flyes|workout|strap|stretch|opener|muscles?)\b"
    r"|\bpress\s*-?\s*ups?\b|\bpush\s*-?\s*ups?\b|\bbench\b|\bpecs?\b"
)

_SORE = (
    r"(?:\bpains?|\bpainful|\bhurt\w*|\bache[sd]?\b|\baching|\bachy|\bsore\w*|\bthrob\w*|\btender\w*|\bworse\b"
    r"|\bkill(?:s|ing)\b|\bagony|\bsharp\b|\bstabbing)"
)
_BONE_WHERE = (
    r"(?:\bbones?\b|\bbony\b|\btibia\b|\bmetatarsals?\b|\bfemur\b|\bnavicular\b|\bat\s+night\b|\bin\s+the\s+night\b"
    r"|\bnight\s*time\b|\bin\s+bed\b|\bwakes?\s+me\b|\bwoke\s+me\b|\bkeeps?\s+me\s+(?:up|awake)\b|\bat\s+rest\b"
    r"|\bwhen\s+(?:im\s+|i\s+)?(?:rest|resting|sitting|sit|lie|lying)\b|\beven\s+(?:sitting|resting|lying)\b"
    r"|\bhop(?:s|ping|ped)?\b|\bto\s+touch\b|\bpress\s+on\s+it\b"
    r"|\bwith\s+every\s+(?:mile|km|step)\b)"
)

_PATTERNS: tuple[tuple[Sign, lazy_re.LazyPattern], ...] = (
    (
        Sign.CHEST,
        lazy_re.compile(
            rf"\bchest\b{_NEAR}{_PAIN}|\b{_PAIN}{_NEAR}chest\b|\btight\s+chest\b|\bangina\b"
            rf"|\b(?:breastbone|sternum)\b|\b(?:sat|sitting|standing|elephant|weight|band|vice)\b{_NEAR}(?:my\s+)?chest\b"
            rf"|\b{_PAIN}\s+(?:down|in|along|into|through|up)\s+(?:my\s+|the\s+)?(?:left\s+)?arm\b"
            rf"|\bleft\s+arm\b{_NEAR}(?:{_PAIN}|numb\w*|tingl\w*|dead)|\b(?:{_PAIN}|numb\w*|tingl\w*){_NEAR}left\s+arm\b"
            rf"|\bjaw\b{_NEAR}(?:arm|chest)\b|\b(?:arm|chest)\b{_NEAR}jaw\b"
        ),
    ),
    (
        Sign.FAINT,
        lazy_re.compile(
            r"\bfaint\w*|\bpass(?:ed|ing)?\s+out\b|\bblack(?:ed|ing)?\s*out\b|\bcollaps\w*|\bkeel(?:ed|ing)?\s+over\b"
            r"|\bdizz\w*|\blight\s*-?\s*headed\w*|\bwoozy\b|\bwoozie\w*|\bhead\s+(?:was\s+|is\s+|went\s+)?spinning\b"
            r"|\broom\s+(?:was\s+|is\s+|started\s+)?spinning\b|\btunnel\s+vision\b|\bvision\s+(?:went|goes|going|blurr\w*|closed)"
            r"|\b(?:everything|world|it all|eyes|sight)\s+(?:went|go|goes|going|turned|started going)\s+"
            r"(?:\w+\s+)?(?:grey|gray|black|dark|white|fuzzy|blurry|spotty|funny|wobbly|swimmy)"
            r"|\bwent\s+(?:all\s+)?(?:fuzzy|grey|gray|swimmy)\b|\bsaw\s+stars\b|\bseeing\s+stars\b"
            r"|\blegs\s+(?:went|gave way|gave out|buckled)"
            r"|\b(?:nearly|almost)\s+(?:went down|hit the deck|hit the floor|fell over|dropped)"
        ),
    ),
    (
        Sign.HEART,
        lazy_re.compile(
            r"\bpalp\w+|\barrh?ythmi\w*|\ba-?fib\b|\bafib\b|\bectopics?\b"
            r"|\b(?:racing|pounding|irregular|flutter\w*|skipping|thumping|hammering|erratic|weird|funny|odd|strange)"
            r"\s+(?:heart|pulse|heartbeat)"
            rf"|\b{_HEART}\s*(?:(?:is|was|went|keeps|kept|been|started|starts|felt|feels|doing|did|kept on|going)\s+)*"
            r"(?:rac(?:ing|ed|es|e)|pounding|pounded|flutter\w*|skipp\w*|skips|jump\w*|irregular|weird\w*|funny|strange\w*"
            r"|crazy|all over the place|thumping|hammering|erratic|flip\s*-?\s*flops?|somersaults?|missing beats"
            r"|mental|wild|nuts|mad|going mad|bonkers|berserk)"
            r"|\b(?:skipp\w*|skipped|missed|missing|extra)\s+(?:a\s+)?beats?\b"
        ),
    ),
    (
        Sign.BREATH,
        lazy_re.compile(
            r"\bbreathing\s+(?:through|thru)\s+a\s+st[a-z]{3,4}\b"
            r"|\b(?:cant|couldnt|could not|can not)\s+breathe?\s+lying"
        ),
    ),
    (
        Sign.BONE,
        lazy_re.compile(
            # alone: a fracture, a limp, no weight on it, swelling, numbness
            r"\bfractur\w*|\bstress\s+(?:reaction|response)|\bbroken\s+(?:bone|toe|foot|ankle|leg|hip|shin)"
            r"|\blimp(?:s|ing|ed|y)?\b|\bhobbl\w*|\bcant\s+(?:put|bear|take)\s+(?:any\s+|much\s+)?weight|\bcant\s+walk(?:\s+on\s+it)?\b"
            r"|\b(?:swollen|swelling|swelled|swoll\w*|puffy)\b(?!\s+(?:glands?|lymph|tonsils?|eyes?|face|lips?|throat|nose))|\bnumb(?:ness)?\b|\bpins\s+and\s+needles\b"
            r"|\bpinpoint\w*|\btender\s+(?:spot|point)|\bone\s+(?:tiny\s+|small\s+|exact\s+|specific\s+)?(?:spot|point)\b"
            # with pain near: in a bone, at night or at rest, to hop on, growing as they run
            rf"|{_SORE}{_NEAR}{_BONE_WHERE}|{_BONE_WHERE}{_NEAR}{_SORE}"
            r"|\b(?:worse|builds?|building|grows?|growing|more and more)\b(?:\W+\w+){0,3}?\W+"
            r"(?:as\s+i\s+(?:run|go|ran|went)"
            r"|the\s+(?:more|further|longer)\b|with\s+every\b|each\s+(?:mile|km)|the\s+whole\s+run|during\s+(?:the|my)\s+run)"
        ),
    ),
)
# breathlessness, and a high heart rate: signs only out of proportion to the effort
_BREATHLESS = lazy_re.compile(
    r"\bbreathless\w*|\bout\s+of\s+breath\b|\bshort\s+of\s+breath\b|\b(?:cant|couldnt|could not|cannot|struggl\w*\s+to)"
    r"\s+(?:catch\s+(?:my\s+)?breath|get\s+(?:my\s+)?breath|breathe?)\b|\bgasp\w*|\bwheez\w*|\bwinded\b|\bpuffed\s+out\b"
    r"|\bno\s+breath\b|\bbreathing\s+(?:was\s+|is\s+)?(?:hard|laboured|labored|awful|terrible|heavy)"
)
_HIGH_RATE = lazy_re.compile(
    rf"\b{_HEART}\D{{0,16}}\b(1[5-9]\d|2\d\d)\b|\b(1[5-9]\d|2\d\d)\s*bpm\b|\bresting\s+{_HEART}\D{{0,12}}\b1\d\d\b"
    r"|\b(?:watch|garmin|strap|monitor|tracker|fitbit|whoop)\s+(?:said|says|showed|shows|read|reads|hit|was|on)"
    r"\s+(?:over\s+|like\s+)?(1[5-9]\d|2\d\d)\b"
)
# a sign said not to be there: "no chest pain", "not dizzy", "never fainted" (up to three words between)
_NEGATION = lazy_re.compile(
    r"\b(?:no|not|never|without|nope|nah|zero|none|dont|didnt|doesnt|isnt|wasnt|havent|hasnt|hadnt|arent|werent|nor)"
    r"(?!\s+(?:sure|just|only|too|even|so|that|idea|way|joke|kidding|lie|doubt|better))"
    r"(?:\W+\w+){0,3}\W*$"
)
_DENIED_AFTER = lazy_re.compile(
    r"^\W{0,3}\s*(?:\?|-|:)\s*(?:no\b|nope\b|nah\b|not\b|none\b|never\b|nothing\b)"
    r"|^\s*(?:is|was|feels|felt|s|are|seems?)?\s*(?:fine|ok|okay|good|all good|normal|grand|great)\b"
)
_CLAUSE_END = lazy_re.compile(r"[.!?;,\n]|\bbut\b|\bthough\b|\balthough\b|\bhowever\b")


def denied(canon: str, start: int, end: int) -> bool:
    """Whether the sign at ``start:end`` is said not to be there, in its own clause."""
    before = canon[:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    if _NEGATION.search(before[cut:]):
        return True
    return bool(_DENIED_AFTER.match(canon[end:]))


def _first_kept(pattern: lazy_re.LazyPattern, canon: str) -> re.Match[str] | None:
    for match in pattern.finditer(canon):
        if not denied(canon, match.start(), match.end()):
            return match
    return None


# every sign's patterns in one alternation: it matches somewhere exactly when one of them does, so a
# message naming no sign at all (nearly all of them) is told by one search instead of seven
_ANY_SIGN = lazy_re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern in (*(p for _, p in _PATTERNS), _BREATHLESS, _HIGH_RATE))
)
_EASY_EFFORT = lazy_re.compile(_EASY)


def find(text: str) -> RedFlag | None:
    """The red flag ``text`` names and does not deny, the cardiac kind first; else None."""
    return find_lowered(text_form.lowered(text))


def find_lowered(lowered: str) -> RedFlag | None:
    """:func:`find` of a text in its lowered form (``bot.coach.text_form``)."""
    canon = corrected(lowered)
    if _ANY_SIGN.search(canon) is None:
        return None
    gym = _CHEST_GYM.search(canon) is not None
    for sign, pattern in _PATTERNS:
        if sign is Sign.CHEST and gym:
            continue  # a chest day, press-ups or a chest strap: muscles and kit, not the heart
        if sign is Sign.BREATH:
            match = _first_kept(pattern, canon) or _out_of_proportion(canon)
        else:
            match = _first_kept(pattern, canon)
        if sign is Sign.HEART and match is None:
            match = _high_rate(canon)
        if match is not None:
            return RedFlag(sign, match.group(0))
    return None


def _out_of_proportion(canon: str) -> re.Match[str] | None:
    """Breathless on an easy run, a walk, stairs or at rest (not on the intervals)."""
    match = _first_kept(_BREATHLESS, canon)
    return match if match is not None and _EASY_EFFORT.search(canon) else None


def _high_rate(canon: str) -> re.Match[str] | None:
    """A heart rate of 150 or more walking, sitting or on an easy run; a resting one over 100."""
    match = _first_kept(_HIGH_RATE, canon)
    if match is None:
        return None
    if match.group(0).startswith("resting") or _EASY_EFFORT.search(canon):
        return match
    return None
