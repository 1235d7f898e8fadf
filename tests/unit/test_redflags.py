"""Red flags and mixed messages: every example of issue 16 read as it must be, and typos never hide an urgent sign."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from plan_strategies import examples

from bot.coach import redflags
from bot.coach.intents import Intent, IntentParser, Topic
from bot.coach.model import BodyArea, Weekday
from bot.coach.redflags import Sign
from bot.content.loader import default_intent_parser

WEDNESDAY = dt.date(2026, 11, 25)
URGENT = [
    "chest pain on my run",
    "chest felt tight",
    "pressure in my chest",
    "squeezing in my chest",
    "felt like someone was sat on my chest",
    "pressure behind my breastbone",
    "chest and jaw ached",
    "pain down my left arm",
    "nearly keeled over",
    "everything went grey",
    "went fuzzy and my legs went",
    "blacked out",
    "almost passed out",
    "felt woozy",
    "fainted at the finish",
    "really dizzy after",
    "palpitations again",
    "palpatations",
    "heart doing flip flops",
    "ticker went funny",
    "heart racing sitting still",
    "skipping beats",
    "HR 190 walking",
    "couldn't catch my breath on an easy jog",
    "out of breath on one flight of stairs",
    "breathing through a straw",
    # found on the second held-out part, written blind: a heart said to go mad, race or flutter
    "my heart went mad on the sofa last night",
    "pulse races whenever i get up off the couch",
    "weird fluttery heartbeat after my run",
    "odd heartbeat on my warm up",
    "lying in bed and the garmin said 160",
]
NOT_URGENT = [
    "no chest pain or anything",
    "not dizzy, not faint",
    "breathless? nope",
    "heart's fine, no palpitations",
    "breathing fine, chest fine",
    "chest day",
    "heart rate zones",
    "my HR strap battery",
    "out of breath on the intervals",
    "ran a PB at parkrun!!",
    "HR hit 175 in the last rep of the intervals",
    "race pace felt mad, my legs were racing",
]
CHATTER = ["", "hey coach", "so", "on my long run today", "lol", "after the tempo", "🙈", "not sure what to do"]


@pytest.fixture(scope="module")
def parser() -> IntentParser:
    return default_intent_parser()


@pytest.mark.parametrize("text", URGENT)
def test_urgent_signs_are_urgent_illness(parser: IntentParser, text: str) -> None:
    """Each urgent sign, in its paraphrases, is urgent illness with a cardiac-type flag."""
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.urgent) == (Intent.ILL, True)
    assert parsed.flag is not None and parsed.flag.urgent


@pytest.mark.parametrize("text", NOT_URGENT)
def test_denied_signs_and_runner_talk_are_not_urgent(parser: IntentParser, text: str) -> None:
    """A sign said not to be there, or ordinary runner talk, raises no alarm."""
    parsed = parser.parse(text, WEDNESDAY)
    assert not parsed.urgent and parsed.flag is None
    if text == "ran a PB at parkrun!!":
        assert parsed.intent is Intent.GREETING


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("my shin hurts at night", BodyArea.SHIN),
        ("pain in my shin bone", BodyArea.SHIN),
        ("foot hurts to hop on", BodyArea.FOOT),
        ("pinpoint tender spot on my foot", BodyArea.FOOT),
        ("hip aches at rest", BodyArea.HIP),
        ("limping, knee is bad", BodyArea.KNEE),
    ],
)
def test_bone_stress_signs_are_pain_with_the_flag(parser: IntentParser, text: str, area: BodyArea) -> None:
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.area, parsed.flag, parsed.urgent) == (Intent.PAIN, area, Sign.BONE, False)


@pytest.mark.parametrize(
    ("text", "also", "rpe", "area"),
    [
        ("finished the lot, rpe 7, but my left knee is throbbing now", (Intent.DONE,), 7, BodyArea.KNEE),
        ("did it all, 7, but now my knee's throbbing", (Intent.DONE,), 7, BodyArea.KNEE),
        ("skipped it, my ankle's swollen", (Intent.SKIPPED,), None, BodyArea.ANKLE),
        ("did half, had to stop cos my hip started hurting", (Intent.PARTLY,), None, BodyArea.HIP),
        ("whats today? my back's been hurting since monday", (Intent.TODAY,), None, BodyArea.BACK),
    ],
)
def test_pain_with_a_checkin_is_both(
    parser: IntentParser, text: str, also: tuple[Intent, ...], rpe: int | None, area: BodyArea
) -> None:
    """Pain comes first, and the check-in (with its effort) or question is kept."""
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.also, parsed.rpe, parsed.area) == (Intent.PAIN, also, rpe, area)


@pytest.mark.parametrize(
    ("text", "intent", "also", "day", "topic"),
    [
        ("thanks coach! did it btw, 7", Intent.DONE, (Intent.GREETING,), None, None),
        ("done, what's tomorrow?", Intent.DONE, (Intent.TOMORROW,), None, None),
        ("thanks, what does the week look like", Intent.WEEK, (Intent.GREETING,), None, None),
        (
            "skipped it, why is there lifting the day before my long run anyway?",
            Intent.SKIPPED,
            (Intent.WHY,),
            None,
            None,
        ),
        ("what do I type to pause", Intent.HELP, (), None, Topic.PAUSE),
        ("how do I report pain", Intent.HELP, (), None, Topic.PAIN),
        ("can I pause?", Intent.HELP, (), None, Topic.PAUSE),
        ("how do i pause the plan??", Intent.HELP, (), None, Topic.PAUSE),
        ("whats the command to pause when im on holiday", Intent.HELP, (), None, Topic.PAUSE),
        ("is there a way to move my long run", Intent.HELP, (), None, Topic.MOVE),
        ("take me off pause", Intent.RESUME, (), None, None),
        ("end the pause pls", Intent.RESUME, (), None, None),
        ("take the pause off", Intent.RESUME, (), None, None),
        ("don't keep me paused", Intent.RESUME, (), None, None),
        ("no more pause", Intent.RESUME, (), None, None),
        ("plan for mon to sun pls", Intent.WEEK, (), None, None),
        ("ran a PB at parkrun!!", Intent.GREETING, (), None, None),
        ("what's on thursday", Intent.TOMORROW, (), None, None),  # the corpus's today is a Wednesday
        ("what's on wednesday", Intent.TODAY, (), None, None),
        ("anything saturday?", Intent.TODAY, (), Weekday.SAT, None),
        ("what do i have on weds", Intent.TODAY, (), None, None),
        ("why no lifting thursday?", Intent.WHY, (), Weekday.THU, None),
    ],
)
def test_mixed_messages_questions_and_negations(
    parser: IntentParser, text: str, intent: Intent, also: tuple[Intent, ...], day: Weekday | None, topic: Topic | None
) -> None:
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.also, parsed.day, parsed.topic) == (intent, also, day, topic)


@pytest.mark.parametrize("text", ["don't pause", "don't need a pause, long run just moved to sunday"])
def test_a_negated_pause_does_not_pause(parser: IntentParser, text: str) -> None:
    assert Intent.PAUSE not in parser.parse(text, WEDNESDAY).intents


def test_a_named_day_is_read_from_the_runners_today(parser: IntentParser) -> None:
    """ "what do i have on weds" is today on a Wednesday, tomorrow on a Tuesday, a day ahead otherwise."""
    assert parser.parse("what do i have on weds", WEDNESDAY - dt.timedelta(days=1)).intent is Intent.TOMORROW
    parsed = parser.parse("what do i have on weds", WEDNESDAY + dt.timedelta(days=1))
    assert (parsed.intent, parsed.day) == (Intent.TODAY, Weekday.WED)


def _typo(word: str, kind: int, at: int) -> str:
    """A swapped, dropped or doubled letter, never the first (people rarely mistype that one)."""
    i = 1 + at % (len(word) - 1)
    if kind == 0 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


@given(
    phrase=st.sampled_from(URGENT),
    kind=st.integers(0, 2),
    at=st.integers(0, 50),
    which=st.integers(0, 10),
    before=st.sampled_from(CHATTER),
    after=st.sampled_from(CHATTER),
)
@examples(600)
# found unpinned: "pules" was kept as a word of its own, so a mistyped pulse raised no flag
@example(phrase="pulse races whenever i get up off the couch", kind=0, at=2, which=0, before="", after="")
def test_an_urgent_sign_with_a_typo_and_chatter_is_always_urgent(
    parser: IntentParser, phrase: str, kind: int, at: int, which: int, before: str, after: str
) -> None:
    """Whatever runner chatter surrounds it and whichever of its longer words has a typo, an urgent
    sign is read as urgent illness and nothing else."""
    words = phrase.split()
    long = [n for n, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    if long:
        n = long[which % len(long)]
        words[n] = _typo(words[n], kind, at)
    text = f"{before}, {' '.join(words)}. {after}".strip(" ,.")
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.urgent, parsed.also) == (Intent.ILL, True, ()), text


def test_the_typo_in_the_issue_is_a_red_flag() -> None:
    """ "palpatations on my easy run again" was read as "resume"; speed is measured in bench/intent_bench.py."""
    assert redflags.find("palpatations") is not None
