"""Onboarding and the everyday commands, as the runner sees them in Telegram (offline)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from chatdriver import UI, Runner

from bot.clock import FakeClock
from bot.coach.library import Library
from bot.coach.model import WEEKDAYS, BodyArea, Distance, Equipment, Level, Profile, Race, RunKind, Weekday
from bot.telegram.signing import MAX_UNSIGNED_BYTES

E, Q, L, R = RunKind.EASY, RunKind.QUALITY, RunKind.LONG, RunKind.REST
SHORT = {day.value.capitalize(): day for day in WEEKDAYS}  # "Mon" -> Weekday.MON
DAY_LINE = re.compile(r"^(?P<weekday>\w{3}) (?P<day>\d{1,2}) · (?P<run>.+?) → (?P<icon>\S+) (?P<session>.+)$")
LIFTING_ICONS = ("🏋", "⚡")
# the first plan, made on Saturday 21 November 2026, shows the rest of that week and the next
PLAN_DAYS = list(range(21, 30))


def week(**kinds: RunKind) -> dict[Weekday, RunKind]:
    return {day: kinds.get(day.value, R) for day in WEEKDAYS}


@dataclass(frozen=True)
class Calendar:
    """One runner's onboarding script and what it should leave behind."""

    script: tuple[str, ...]
    profile: Profile
    timezone: str
    reminder: dt.time
    summary_bits: tuple[str, ...] = field(default_factory=tuple)


CALENDARS = {
    "buttons only, no race, location": Calendar(
        script=(
            "/start",
            "#now and then",
            "#mon",
            "#wed",
            "#fri",
            "#sun",
            "#done",
            "#sun",
            "#wed",
            "#done",
            "#no race",
            "#a gym",
            "#done",
            "#45",
            "#all good",
            "@52.52,13.405",
            "#07:00",
            "#none of these",
        ),
        profile=Profile(
            strength_level=Level.SOME,
            week=week(mon=E, wed=Q, fri=E, sun=L),
            equipment=Equipment.GYM,
            session_minutes=45,
        ),
        timezone="Europe/Berlin",
        reminder=dt.time(7, 0),
        summary_bits=("Goal race: none", "Working around: none", "Daily message at 07:00 (Europe/Berlin)"),
    ),
    "typed only, half marathon in one line": Calendar(
        script=(
            "/start",
            "regular",
            "mon tue thu sat sun",
            "sat",
            "tue thu",
            "half 2027-03-14",
            "dumbbells",
            "30",
            "knee",
            "no",
            "europe/berlin",
            "7am",
            "no",
        ),
        profile=Profile(
            strength_level=Level.REGULAR,
            week=week(mon=E, tue=Q, thu=Q, sat=L, sun=E),
            race=Race(distance=Distance.HALF, date=dt.date(2027, 3, 14)),
            equipment=Equipment.DUMBBELLS,
            session_minutes=30,
            injuries=frozenset({BodyArea.KNEE}),
        ),
        timezone="Europe/Berlin",
        reminder=dt.time(7, 0),
        summary_bits=("Goal race: half marathon, 14 Mar 2027", "Working around: knee", "30 min sessions"),
    ),
    "a mix: race by button and typed date, no long run, no quality days, offset": Calendar(
        script=(
            "/start",
            "#never",
            "weekdays",
            "#no long run",
            "#none",
            "#10k",
            "14 March",
            "bands",
            "#20",
            "#knee",
            "#ankle",
            "#done",
            "#no",
            "#no",
            "UTC+5:30",
            "6:30pm",
            "#none of these",
        ),
        profile=Profile(
            strength_level=Level.NEW,
            week=week(mon=E, tue=E, wed=E, thu=E, fri=E),
            race=Race(distance=Distance.K10, date=dt.date(2027, 3, 14)),
            equipment=Equipment.BANDS,
            session_minutes=20,
            injuries=frozenset({BodyArea.KNEE, BodyArea.ANKLE}),
        ),
        timezone="UTC+05:30",
        reminder=dt.time(18, 30),
        summary_bits=("Goal race: 10k, 14 Mar 2027", "Daily message at 18:30 (UTC+05:30)"),
    ),
    "typed no to everything optional, three run days": Calendar(
        script=(
            "/start",
            "new",
            "tue, thu and sun",
            "none",
            "none",
            "no race",
            "nothing",
            "15 min",
            "all good",
            "America/New_York",
            "12:00",
            "none of these",
        ),
        profile=Profile(
            strength_level=Level.NEW,
            week=week(tue=E, thu=E, sun=E),
            equipment=Equipment.NONE,
            session_minutes=15,
        ),
        timezone="America/New_York",
        reminder=dt.time(12, 0),
        summary_bits=("Goal race: none", "Daily message at 12:00 (America/New_York)"),
    ),
    "a city with an accent, a marathon in words, quality typed": Calendar(
        script=(
            "/start",
            "some",
            "mon-sat",
            "#sat",
            "tue",
            "marathon on 12 April 2027",
            "#dumbbells",
            "#done",
            "60",
            "back and hamstrings",
            "no",
            "nope",
            "Zürich",
            "#06:30",
            "nope",
        ),
        profile=Profile(
            strength_level=Level.SOME,
            week=week(mon=E, tue=Q, wed=E, thu=E, fri=E, sat=L),
            race=Race(distance=Distance.MARATHON, date=dt.date(2027, 4, 12)),
            equipment=Equipment.DUMBBELLS,
            session_minutes=60,
            injuries=frozenset({BodyArea.BACK, BodyArea.HAMSTRING}),
        ),
        timezone="Europe/Zurich",
        reminder=dt.time(6, 30),
        summary_bits=("Goal race: marathon, 12 Apr 2027", "Working around: back, hamstring"),
    ),
}

# A complete typed onboarding, and the prefix of it that leads to each question.
TYPED = (
    "/start",
    "some",
    "mon wed fri sun",
    "sun",
    "wed",
    "no race",
    "gym",
    "30",
    "none",
    "Europe/Berlin",
    "07:00",
    "no",
)
QUESTIONS = ("level", "run_days", "long_day", "quality_days", "race", "equipment", "minutes", "niggles", "timezone")
TO_QUESTION = {name: TYPED[: i + 1] for i, name in enumerate((*QUESTIONS, "reminder"))}
TO_QUESTION["race_date"] = (*TYPED[:5], "#half marathon")


async def onboard(runner: Runner, script: tuple[str, ...] = TYPED) -> list[str]:
    """Run a whole onboarding; returns the last three messages (summary, plan, why strength)."""
    replies = await runner.steps(*script)
    assert len(replies) == 3, replies
    return replies


def plan_lines(plan: str) -> list[re.Match[str]]:
    return [m for line in plan.splitlines() if (m := DAY_LINE.match(line))]


def reask(key: str, **fields: str) -> str:
    """The re-ask ``key``, its placeholders (if any) filled from ``fields``."""
    return UI.reasks.fmt(key, **fields)


async def assert_reasked(runner: Runner, action: Any, prefix: str) -> None:
    """``action`` gets ``prefix`` and the open question again, and changes no stored answer."""
    question = runner.open_question()
    before = await runner.answers()
    replies = await action
    assert replies == [f"{prefix}\n\n{question}"]
    assert await runner.answers() == before


# --- complete onboarding ---------------------------------------------------------------------


@pytest.mark.parametrize("calendar", CALENDARS.values(), ids=CALENDARS.keys())
async def test_onboarding_ends_with_summary_and_plan(runner: Runner, calendar: Calendar, library: Library) -> None:
    """Each calendar ends with a summary, the first weeks on the runner's own run days, and the stored profile."""
    summary, plan, why = await onboard(runner, calendar.script)

    assert summary.startswith("All set, Ada!")
    for bit in calendar.summary_bits:
        assert bit in summary
    assert plan.startswith(UI.onboarding.first_week)
    assert why == UI.onboarding.why_strength

    lines = plan_lines(plan)
    assert [int(m["day"]) for m in lines] == PLAN_DAYS
    for line in lines:
        kind = calendar.profile.week[SHORT[line["weekday"]]]
        assert line["run"] == library.messages.run_names[kind.value], line.group(0)
        if kind is RunKind.LONG:
            assert line["icon"] not in LIFTING_ICONS, f"lifting on the long-run day: {line.group(0)}"
    assert any(line["icon"] in LIFTING_ICONS for line in lines), "the plan has strength sessions"

    account = await runner.account()
    assert account is not None and account.onboarded
    assert account.profile == calendar.profile
    assert account.timezone == calendar.timezone
    assert account.reminder_time == calendar.reminder
    assert account.first_name == "Ada"
    assert await runner.answers() == {}, "answers are cleared once the profile is stored"


async def test_multi_select_buttons_toggle_and_show_the_picks(runner: Runner) -> None:
    """Tapping a day ticks it, tapping it again unticks it, and the question line lists the picks."""
    await runner.steps("/start", "#now and then")
    await runner.steps("#mon", "#wed", "#fri")
    assert runner.replies == [], "ticking a day edits the question in place"
    assert runner.toasts == [None]
    assert runner.open_question() == "2/11 · Run days so far: Mon, Wed, Fri. Tap to add or remove, then Done."
    assert [b for b in runner.labels() if b.startswith("✅")] == ["✅ Mon", "✅ Wed", "✅ Fri"]

    await runner.press("wed")
    assert runner.open_question() == "2/11 · Run days so far: Mon, Fri. Tap to add or remove, then Done."
    assert (await runner.answers())["draft:run_days"] == ["mon", "fri"]

    await runner.press("done")
    assert runner.replies == [UI.onboarding.ask_long_day]
    assert runner.labels() == ["Mon", "Fri", "No long run", UI.buttons.back, UI.buttons.cancel]
    assert await runner.answers() == {"level": "some", "run_days": ["mon", "fri"]}


async def test_done_with_no_run_day_picked_asks_for_one(runner: Runner) -> None:
    """Done before any run day is ticked gets a pop-up asking for a day, and nothing is stored."""
    await runner.steps("/start", "#now and then")
    before = await runner.answers()
    assert await runner.press("done") == []
    assert runner.toasts == [reask("need_run_days")]
    assert await runner.answers() == before


async def test_a_typed_distance_alone_asks_for_the_date(runner: Runner) -> None:
    """Typing just "half" at the race question moves on to asking the date of the half marathon."""
    await runner.steps(*TYPED[:5])
    await runner.say("half marathon")
    assert runner.replies == [UI.onboarding.fmt("ask_race_date", distance="half marathon")]
    await runner.say("14/03/2027")
    assert runner.replies == [UI.onboarding.ask_equipment]
    assert (await runner.answers())["race"] == {"distance": "half", "date": "2027-03-14"}


async def test_race_date_question_accepts_no_race_after_all(runner: Runner) -> None:
    """After tapping a distance, "no race" at the date question records no race and moves on."""
    await runner.steps(*TO_QUESTION["race_date"])
    await runner.say("no race")
    assert runner.replies == [UI.onboarding.ask_equipment]
    answers = await runner.answers()
    assert answers["race"] is None
    assert "draft:race_distance" not in answers


async def test_timezone_is_confirmed_with_local_time_and_keyboard_removed(runner: Runner) -> None:
    """A typed timezone is confirmed with the local time there, and the location keyboard goes away."""
    await runner.steps(*TO_QUESTION["timezone"])
    assert runner.keyboard_message().buttons[0].request_location
    await runner.say("Europe/Berlin")
    assert runner.replies == [
        UI.onboarding.fmt("timezone_found", timezone="Europe/Berlin", local_time="10:00"),
        UI.onboarding.ask_reminder,
    ]
    confirmation = runner.api.sent_since(runner.user_id)[-2]
    assert confirmation.reply_markup == {"remove_keyboard": True}


async def test_typing_a_button_label_counts_as_tapping_it(runner: Runner) -> None:
    """Typing "Never / not this year" or "A gym" instead of tapping is understood."""
    await runner.steps(*TYPED[:1])
    assert await runner.say("Never / not this year") == [UI.onboarding.ask_run_days]
    await runner.steps(*TYPED[2:6])
    assert await runner.say("a GYM") == [UI.onboarding.ask_minutes]
    answers = await runner.answers()
    assert (answers["level"], answers["equipment"]) == ("new", ["gym"])


async def test_an_edited_earlier_answer_is_not_taken_for_the_open_question(runner: Runner) -> None:
    """Editing an earlier message mid-onboarding changes nothing and gets no reply."""
    await runner.steps(*TO_QUESTION["quality_days"])
    before = await runner.answers()
    for text in ("sat", "/today"):
        update = runner.api.text(runner.user_id, text, runner.name)
        edited = {"update_id": update["update_id"], "edited_message": {**update["message"], "edit_date": 1}}
        assert await runner.send(edited) == []
    assert await runner.answers() == before
    assert await runner.say("wed") == [UI.onboarding.ask_race]


# --- bad input -------------------------------------------------------------------------------

BAD_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "level": [("abc", "bad_level"), ("🏋️💪", "bad_level"), ("what should I lift today?", "bad_level")],
    "run_days": [("mon blursday", "bad_days"), ("🏃‍♀️🏃", "bad_days"), ("mon-xyz", "bad_days")],
    "long_day": [("tue", "not_a_run_day"), ("sat sun", "one_day"), ("someday", "bad_days"), ("🏃", "bad_days")],
    "quality_days": [("sun", "long_not_quality"), ("tue", "not_a_run_day"), ("🔥", "bad_days")],
    "race": [
        ("half 2026-11-20", "date_past"),
        ("marathon 2029-11-21", "date_far"),
        ("10k on 30 February 2027", "bad_date"),
        ("a swim", "bad_race"),
        ("🏅", "bad_race"),
    ],
    "race_date": [
        ("2026-11-20", "date_past"),
        ("21 November 2029", "date_far"),
        ("30 February 2027", "bad_date"),
        ("soon", "bad_date"),
        ("📅", "bad_date"),
    ],
    "equipment": [("a spaceship", "bad_equipment"), ("🏋️", "bad_equipment")],
    "minutes": [("abc", "bad_minutes"), ("5", "bad_minutes"), ("200", "bad_minutes"), ("⏱", "bad_minutes")],
    "niggles": [("my elbow", "bad_areas"), ("🤕", "bad_areas")],
    "timezone": [
        ("Narnia", "no_place"),
        ("UTC+15", "no_place"),
        ("Mars/Olympus_Mons", "no_place"),
        ("🌍", "no_place"),
        ("Atlantis", "no_place"),
    ],
    "reminder": [
        ("abc", "bad_time"),
        ("24:00", "bad_time"),
        ("⏰", "bad_time"),
    ],
}


@pytest.mark.parametrize("question", BAD_ANSWERS.keys())
async def test_bad_input_repeats_the_question_and_keeps_the_answers(runner: Runner, question: str) -> None:
    """Wrong answers, a 5,000-character message, a sticker, a photo or an unknown command at any
    question get a clear re-ask with the same question, and leave the stored answers as they were."""
    await runner.steps(*TO_QUESTION[question])
    question_text = runner.open_question()
    for text, key in BAD_ANSWERS[question]:
        await assert_reasked(runner, runner.say(text), reask(key, place=text, country="United States"))
    await assert_reasked(runner, runner.say("x" * 5000), reask("too_long"))
    await assert_reasked(runner, runner.sticker(), reask("not_text"))
    await assert_reasked(runner, runner.photo("my shoes"), reask("not_text"))
    await assert_reasked(runner, runner.say("/frobnicate now"), reask("finish_first"))
    if question != "timezone":
        await assert_reasked(runner, runner.location(52.52, 13.405), reask("not_text"))
    assert runner.open_question() == question_text


async def test_location_in_the_open_sea_gets_a_timezone_too(runner: Runner) -> None:
    """A location shared from the middle of the Atlantic still gives a (nautical) timezone."""
    await runner.steps(*TO_QUESTION["timezone"])
    await runner.location(0.0, -30.0)
    assert runner.replies[0].startswith("Got it: Etc/GMT+2,")
    assert (await runner.answers())["timezone"] == "Etc/GMT+2"


# --- /cancel, /help, /start mid-way ----------------------------------------------------------


async def test_cancel_stops_keeps_answers_and_start_resumes(runner: Runner) -> None:
    """/cancel mid-way stops and keeps the answers; /start later picks up at the same question."""
    await runner.steps(*TO_QUESTION["minutes"])
    question = runner.open_question()
    before = await runner.answers()

    assert await runner.say("/cancel") == [UI.onboarding.cancelled]
    assert await runner.answers() == before
    # no longer in onboarding: a typed "30" is not taken as an answer
    assert await runner.say("what should I lift today?") == [UI.general.not_onboarded]
    assert await runner.say("30") == [UI.general.unknown]
    assert await runner.say("/cancel") == [UI.onboarding.nothing_to_cancel]
    assert await runner.answers() == before

    assert await runner.say("/start") == [f"{UI.onboarding.resumed}\n\n{question}"]
    await runner.say("30")
    assert runner.replies == [UI.onboarding.ask_niggles]
    assert await runner.answers() == {**before, "minutes": 30}


async def test_help_mid_way_shows_help_and_repeats_the_question(runner: Runner) -> None:
    """/help during onboarding shows what the bot can do, then the open question again."""
    await runner.steps(*TO_QUESTION["long_day"])
    await assert_reasked(runner, runner.say("/help"), UI.general.help)
    await runner.press("sun")
    assert runner.replies == [UI.onboarding.ask_quality_days]


async def test_start_mid_way_repeats_the_open_question(runner: Runner) -> None:
    """/start during onboarding welcomes the runner back at the open question, with its buttons."""
    await runner.steps(*TO_QUESTION["equipment"])
    question = runner.open_question()
    before = await runner.answers()
    assert await runner.say("/start") == [f"{UI.onboarding.resumed}\n\n{question}"]
    assert await runner.answers() == before
    await runner.press("a gym")
    await runner.press("done")
    assert runner.replies == [UI.onboarding.ask_minutes]


async def test_picks_not_confirmed_with_done_survive_a_cancel(runner: Runner) -> None:
    """Run days ticked but not confirmed are still ticked after /cancel and /start."""
    await runner.steps("/start", "#now and then", "#tue", "#thu", "/cancel", "/start")
    assert runner.open_question() == "2/11 · Run days so far: Tue, Thu. Tap to add or remove, then Done."
    await runner.press("done")
    assert (await runner.answers())["run_days"] == ["tue", "thu"]


# --- two runners -----------------------------------------------------------------------------


async def test_two_runners_onboarding_interleaved_keep_their_own_answers(runner: Runner, other: Runner) -> None:
    """Two runners answering in turns each see their own questions and end with their own profile."""
    mine = CALENDARS["typed only, half marathon in one line"]
    theirs = CALENDARS["buttons only, no race, location"]
    steps = max(len(mine.script), len(theirs.script))
    for i in range(steps):
        for who, calendar in ((runner, mine), (other, theirs)):
            if i < len(calendar.script):
                before = await (other if who is runner else runner).answers()
                await who.steps(calendar.script[i])
                assert await (other if who is runner else runner).answers() == before
    assert other.replies[0].startswith("All set, Bo!")
    assert runner.replies[0].startswith("All set, Ada!")
    assert await runner.profile() == mine.profile
    assert await other.profile() == theirs.profile
    for who, stranger in ((runner, "Bo"), (other, "Ada")):
        texts = [m.plain_text for m in who.api.messages(who.user_id)]
        assert not any(f"Hi {stranger}!" in t or f"All set, {stranger}!" in t for t in texts)


# --- buttons that do not belong --------------------------------------------------------------

TAMPERED = [
    "ob|level|new",  # a value for another question
    "ob|long_day|sun",
    "ob|run_days|funday",  # a value this question never offered
    "ob|run_days|none",
    "garbage",
    "ob|run_days|mon|extra",
    "ob|run_days|" + "m" * 80,  # longer than Telegram's 64 bytes
    "menu|go|today",
    "",
]


async def test_tampered_buttons_get_a_polite_answer_and_change_nothing(runner: Runner) -> None:
    """Callback data for another question, unknown values, garbage or over-long data change nothing:
    as sent by a modified client (unsigned) they stop at the gate; even signed and on the message
    (as if the bot had offered them), the onboarding handler refuses them."""
    await runner.steps("/start", "#now and then", "#mon")
    before = await runner.answers()
    message = runner.keyboard_message()
    shown = message.plain_text
    for data in TAMPERED:
        assert await runner.press_data(data) == [], data
        assert runner.toasts == [UI.general.button_gone], data
    for data in [d for d in TAMPERED if len(d) <= MAX_UNSIGNED_BYTES]:
        assert await runner.press_offered(data) == [], data
        assert runner.toasts == [reask("stale_button")], data
    assert await runner.answers() == before
    assert runner.api.message(runner.user_id, message.message_id).plain_text == shown


@pytest.mark.parametrize(
    ("question", "data", "toast"),
    [
        ("long_day", "ob|long_day|tue", "stale_button"),
        ("quality_days", "ob|quality_days|sun", "stale_button"),
        ("race", "ob|race|triathlon", "stale_button"),
        ("equipment", "ob|equipment|rocket", "stale_button"),
        ("minutes", "ob|minutes|999", "stale_button"),
        ("niggles", "ob|niggles|elbow", "stale_button"),
        ("reminder", "ob|reminder|2561", "stale_button"),
        ("reminder", "ob|reminder|abcd", "stale_button"),
    ],
)
async def test_forged_values_for_the_open_question_are_refused(
    runner: Runner, question: str, data: str, toast: str
) -> None:
    """A button value the open question never offered gets a pop-up and changes nothing."""
    await runner.steps(*TO_QUESTION[question])
    before = await runner.answers()
    assert await runner.press_offered(data) == []
    assert runner.toasts == [reask(toast)]
    assert await runner.answers() == before


async def test_a_button_from_an_earlier_question_is_stale(runner: Runner) -> None:
    """Tapping a day on the run-days keyboard after typing the run days gets a pop-up, no change."""
    await runner.steps("/start", "#now and then")
    run_days_message = runner.keyboard_message()
    tue = next(b for b in run_days_message.inline_buttons if b.text == "Tue")
    assert tue.callback_data is not None
    await runner.say("mon wed fri sun")
    before = await runner.answers()
    assert await runner.press_offered(tue.callback_data, run_days_message.message_id) == []
    assert runner.toasts == [reask("stale_button")]
    assert await runner.answers() == before
    await runner.press("fri")
    assert runner.replies == [UI.onboarding.ask_quality_days]


async def test_an_onboarding_button_after_onboarding_has_expired(runner: Runner) -> None:
    """A leftover onboarding button tapped by an onboarded runner gets the expired-button pop-up."""
    await runner.steps("/start", "#now and then")
    old = runner.keyboard_message()
    await onboard(runner, TYPED[2:])
    profile = await runner.profile()
    assert await runner.press_offered("ob|run_days|tue", old.message_id) == []
    assert runner.toasts == [UI.general.stale_button]
    assert await runner.profile() == profile


# --- after onboarding ------------------------------------------------------------------------


async def test_returning_runner_gets_the_menu_and_its_buttons_work(runner: Runner) -> None:
    """/start after onboarding shows the menu, not onboarding; its buttons show today and the week."""
    await onboard(runner)
    await runner.say("/start")
    assert runner.replies == [UI.general.fmt("menu", name="Ada")]
    assert runner.labels() == [UI.buttons.today, UI.buttons.week]

    await runner.press(UI.buttons.today)
    assert runner.toasts == [None]
    assert len(runner.replies) == 1 and runner.replies[0].startswith("Saturday 21 Nov · rest day")

    await runner.press(UI.buttons.week)
    assert len(runner.replies) == 1
    assert "Week of 16 Nov" in runner.text and "Week of 23 Nov" in runner.text
    assert await runner.answers() == {}


async def test_everyday_questions_after_onboarding(runner: Runner) -> None:
    """/today, "what should I lift today?", /tomorrow, /week and "why?" answer from the runner's plan."""
    await onboard(runner)
    today = (await runner.say("/today"))[0]
    assert today.startswith("Saturday 21 Nov · rest day\n")
    reason = next(line for line in today.splitlines() if line.startswith("Why: "))

    assert await runner.say("what should I lift today?") == [today]
    assert await runner.say("What's today's workout?") == [today]
    assert await runner.say("what's the plan for today?") == [today]
    assert await runner.say("why?") == [reason.removeprefix("Why: ")]

    tomorrow = (await runner.say("/tomorrow"))[0]
    assert tomorrow.startswith("Sunday 22 Nov · long run\n")
    assert await runner.say("and tomorrow?") == [tomorrow]
    tomorrow_reason = next(line for line in tomorrow.splitlines() if line.startswith("Why: "))
    assert await runner.say("why?") == [tomorrow_reason.removeprefix("Why: ")], "why explains the day just shown"

    week_text = (await runner.say("/week"))[0]
    assert await runner.say("show my week") == [week_text]
    lines = plan_lines(week_text)
    assert [int(m["day"]) for m in lines] == PLAN_DAYS
    sunday = next(m for m in lines if m["day"] == "22")
    assert sunday["run"] == "long run" and sunday["icon"] not in LIFTING_ICONS

    assert await runner.say("/help") == [UI.general.help]
    assert await runner.say("help") == [UI.general.help]


async def test_the_clock_moving_on_moves_today(runner: Runner, clock: FakeClock) -> None:
    """A day later, /today shows the next day's session."""
    await onboard(runner)
    clock.advance(dt.timedelta(days=1))
    assert (await runner.say("/today"))[0].startswith("Sunday 22 Nov · long run\n")


async def test_today_is_the_runners_local_day(runner: Runner, clock: FakeClock) -> None:
    """At 20:00 UTC on Saturday it is already Sunday in Tokyo: the plan and /today start on Sunday."""
    clock.set(dt.datetime(2026, 11, 21, 20, 0, tzinfo=dt.UTC))
    await runner.steps(*TO_QUESTION["timezone"])
    await runner.say("Asia/Tokyo")
    assert runner.replies[0] == UI.onboarding.fmt("timezone_found", timezone="Asia/Tokyo", local_time="05:00")
    await runner.say("07:00")
    _summary, plan, _why = await runner.say("no")
    assert [int(m["day"]) for m in plan_lines(plan)] == PLAN_DAYS[1:]
    assert (await runner.say("/today"))[0].startswith("Sunday 22 Nov · long run\n")


async def test_unknown_things_after_onboarding_get_a_friendly_answer(runner: Runner) -> None:
    """Unknown text or commands, long texts, stickers and photos after onboarding get a friendly pointer."""
    await onboard(runner)
    assert await runner.say("the weather is nice") == [UI.general.unknown]
    assert (await runner.say("/frobnicate"))[0].startswith(UI.loop.unknown_command.split("{")[0])
    assert await runner.say("x" * 5000) == [UI.general.too_long]
    assert await runner.sticker() == [UI.general.not_text]
    assert await runner.photo() == [UI.general.not_text]
    assert await runner.say("/cancel") == [UI.onboarding.nothing_to_cancel]
    assert await runner.press_data("garbage", runner.api.last_message(runner.user_id).message_id) == []  # type: ignore[union-attr]
    assert runner.toasts == [UI.general.button_gone]  # forged: refused before any handler reads it


@pytest.mark.parametrize("text", ["/today", "/tomorrow", "/week", "what should I lift today?", "why?", "show my week"])
async def test_before_onboarding_the_coach_says_to_start(runner: Runner, text: str) -> None:
    """Asking for a session before onboarding gets a pointer to /start, and stores nothing."""
    assert await runner.say(text) == [UI.general.not_onboarded]
    assert await runner.account() is None
    assert await runner.answers() == {}


async def test_bot_registers_its_command_menu(runner: Runner) -> None:
    """The bot lists its commands in Telegram's menu at start-up."""
    commands = [c["command"] for c in runner.api.commands()]
    assert commands == [
        *("start", "today", "tomorrow", "week", "log", "pause", "resume", "cleared", "calendar"),
        *("settings", "race", "history", "stats", "export", "delete", "help", "cancel"),
    ]


async def test_a_tapped_answer_stays_under_its_question(runner: Runner) -> None:
    """After a tap, the question keeps its text with the chosen answer under it, and its buttons go away."""
    await runner.say("/start")
    question = runner.keyboard_message()
    await runner.press("Now and then")
    answered = runner.api.message(runner.user_id, question.message_id)
    assert answered.plain_text.endswith("1/11 · How much strength training do you do at the moment?\n→ Now and then")
    assert answered.inline_buttons == []


async def test_why_much_later_explains_today(runner: Runner, clock: FakeClock) -> None:
    """ "Why?" long after looking at tomorrow explains today, not a day shown hours ago."""
    await onboard(runner)
    today = (await runner.say("/today"))[0]
    await runner.say("/tomorrow")
    clock.advance(dt.timedelta(hours=2))
    reason = next(line for line in today.splitlines() if line.startswith("Why: "))
    assert await runner.say("why?") == [reason.removeprefix("Why: ")]
