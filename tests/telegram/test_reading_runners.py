"""What runners really type (issue 16), through the real Application: what they would notice.

Red flags get the doctor first in every state, questions are told from commands, a named day is
shown and not moved, efforts and end dates are read as a person reads them, two things said in one
message are both handled in the order a runner expects, and "how do i ...?" answers that question.
"""

from __future__ import annotations

import datetime as dt

import pytest
from chatdriver import UI, Runner
from test_checkins import BERLIN, ONBOARD, checkin, deliver, on_lift_morning, onboarded, stored_days
from test_sentence_answers import delivery, open_reminder, to

from bot.clock import FakeClock
from bot.coach.model import DayPlan
from bot.coach.wording import day_words
from bot.console.transport import OfflineBotApi
from bot.services.plans import monday_of
from bot.telegram.context import CoachApplication

URGENT = (
    "crushing feeling in my chest on the stairs",
    "nearly keeled over at the end of my run, everything went grey",
    "palpatations on my easy run again",
    "I had chest pain on my run",
)
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)  # the week after onboarding (a Saturday)
REMINDER_QUESTION = UI.onboarding.ask_reminder.split(" · ", 1)[-1]


async def on_monday(runner: Runner, clock: FakeClock) -> None:
    await onboarded(runner)
    clock.set(MONDAY)


async def day_of(runner: Runner, date: dt.date) -> DayPlan:
    return next(d for d in await stored_days(runner, monday_of(date)) if d.date == date)


def shown(runner: Runner, day: DayPlan) -> str:
    """The day as /today shows it."""
    return runner.app.bot_data.deps.render.day(day)


# --- red flags: the doctor first, whatever the state -----------------------------------------------


@pytest.mark.parametrize("text", URGENT)
async def test_an_urgent_sign_gets_the_doctor_first_when_idle(runner: Runner, text: str) -> None:
    """Onboarded and idle: the urgent advice and a Pause button, no swap, no body area rested."""
    await onboarded(runner)
    assert await runner.say(text) == [f"{UI.loop.ill_urgent}\n\n{UI.loop.ill_urgent_pause}"]
    assert runner.labels() == [UI.loop.btn_pause]
    account = await runner.account()
    assert account is not None and not account.state.pain and account.paused_from is None


@pytest.mark.parametrize("text", URGENT)
async def test_an_urgent_sign_after_a_prompt_leaves_the_check_in_pending(
    app: CoachApplication, runner: Runner, clock: FakeClock, text: str
) -> None:
    """Right after the daily prompt: the urgent advice, and the check-in stays open with its buttons."""
    lift = await on_lift_morning(runner, clock)
    await deliver(app, runner, "prompt", lift.date)
    prompt = runner.keyboard_message()
    labels = [b.text for b in prompt.inline_buttons]
    assert await runner.say(text) == [f"{UI.loop.ill_urgent}\n\n{UI.loop.ill_urgent_pause}"]
    assert await checkin(runner, lift.date) is None
    assert [b.text for b in runner.api.message(runner.user_id, prompt.message_id).inline_buttons] == labels
    assert (await day_of(runner, lift.date)).session == lift.session


@pytest.mark.parametrize("text", URGENT)
async def test_an_urgent_sign_while_paused_gets_the_advice_alone(runner: Runner, text: str) -> None:
    """Paused: the advice with nothing to tap, and the pause goes on."""
    await onboarded(runner)
    await runner.say("/pause")
    assert await runner.say(text) == [UI.loop.ill_urgent]
    account = await runner.account()
    assert account is not None and account.paused_from is not None


@pytest.mark.parametrize("text", URGENT)
async def test_an_urgent_sign_mid_onboarding_comes_before_the_question(runner: Runner, text: str) -> None:
    """At onboarding's minutes question: the doctor first, nothing stored, the question again."""
    await runner.steps(*to("minutes"))
    replies = await runner.say(text)
    assert replies[0] == UI.loop.ill_urgent
    assert runner.open_question() == UI.onboarding.ask_minutes
    assert "minutes" not in await runner.answers()


@pytest.mark.parametrize("text", URGENT)
async def test_an_urgent_sign_at_a_settings_question_comes_before_the_question(runner: Runner, text: str) -> None:
    """At /settings' reminder question: the doctor first, the reminder unchanged, the question again."""
    await open_reminder(runner)
    replies = await runner.say(text)
    assert replies[0].startswith(UI.loop.ill_urgent)
    assert runner.open_question() == REMINDER_QUESTION
    account = await runner.account()
    assert account is not None and account.reminder_time == dt.time(7, 0)


@pytest.mark.parametrize(
    ("question", "then"),
    [
        ("run_days", None),  # the same question again
        ("minutes", None),
        ("niggles", UI.onboarding.fmt("niggles_picked", areas="shin")),  # ticked, to confirm with Done
        ("reminder", UI.onboarding.fmt("ask_niggle_flag", area="shin")),  # added: its red-flag check first (N1)
    ],
)
async def test_a_bone_stress_sign_at_an_onboarding_question_is_not_an_answer(
    runner: Runner, question: str, then: str | None
) -> None:
    """ "my shin hurts at night" is noted as a shin niggle, whose red-flag check is the niggles' own,
    and never read as days, minutes or a time; then the open question again."""
    await runner.steps(*to(question))
    asked = runner.open_question()
    replies = await runner.say("my shin hurts at night")
    assert replies[0] in (UI.onboarding.fmt("pain_noted", area="shin"), UI.onboarding.fmt("pain_added", area="shin"))
    assert question not in await runner.answers()
    assert runner.open_question() == (then or asked)


async def test_a_bone_stress_sign_at_a_settings_question_gets_the_red_flag_route(runner: Runner) -> None:
    """In /settings, "my shin hurts at night" rests the shin until a professional clears it, then the
    reminder question comes again and still takes its answer."""
    await open_reminder(runner)
    replies = await runner.say("my shin hurts at night")
    assert UI.loop.fmt("red_flag", area="shin") in replies
    assert runner.open_question() == REMINDER_QUESTION
    assert await runner.say("7pm") == [delivery(runner, "19:00")]


# --- questions told from commands ----------------------------------------------------------------


async def test_plan_for_mon_to_sun_shows_the_week_and_does_not_pause(runner: Runner, clock: FakeClock) -> None:
    await on_monday(runner, clock)
    week = await runner.say("/week")
    assert await runner.say("plan for mon to sun pls") == week
    account = await runner.account()
    assert account is not None and account.paused_from is None


@pytest.mark.parametrize("text", ["take me off pause", "end the pause pls"])
async def test_asking_off_the_pause_resumes(runner: Runner, clock: FakeClock, text: str) -> None:
    """A paused runner who asks to be taken off the pause is back, as /resume would have it."""
    await on_monday(runner, clock)
    await runner.say("/pause")
    replies = await runner.say(text)
    assert replies[0].startswith(UI.promises.fmt("welcome_back", rule=UI.promises.back_short))
    account = await runner.account()
    assert account is not None and account.paused_from is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("what do i type to pause for my holiday", UI.general.help_pause),
        ("how do i pause the plan??", UI.general.help_pause),
        ("can I pause?", UI.general.help_pause),
        ("how do you report pain on here", UI.general.help_pain),
        ("is there a way to move my long run to another day?", UI.general.help_move),
        ("how do i log a session?", UI.general.help_log),
        ("how do i change my reminder time?", UI.general.help_settings),
    ],
)
async def test_how_do_i_gets_the_answer_to_that_and_changes_nothing(
    runner: Runner, clock: FakeClock, text: str, answer: str
) -> None:
    """A "how do i ...?" is explained, on its topic alone; the account and the week are as they were."""
    await on_monday(runner, clock)
    account, week = await runner.account(), await stored_days(runner, MONDAY.date())
    assert await runner.say(text) == [answer]
    assert await runner.account() == account
    assert await stored_days(runner, MONDAY.date()) == week


def test_each_help_topic_names_real_commands() -> None:
    """The topic answers point at commands the bot has (checked against the command menu)."""
    g = UI.general
    assert "/pause" in g.help_pause and "/resume" in g.help_pause
    assert "/log" in g.help_log and "/settings" in g.help_settings and "/settings" in g.help_pain
    for text in (g.help_pause, g.help_pain, g.help_move, g.help_log, g.help_settings):
        for word in text.split():
            if word.startswith("/"):
                assert word.strip(".,").lstrip("/") in UI.commands, word


# --- a named day is shown, not moved -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("what's on thursday", dt.date(2026, 11, 26)),
        ("whats on friday", dt.date(2026, 11, 27)),
        ("what's on wednesday?", dt.date(2026, 11, 25)),
        ("anything saturday?", dt.date(2026, 11, 28)),
    ],
)
async def test_a_question_about_a_named_day_shows_that_day(
    runner: Runner, clock: FakeClock, text: str, date: dt.date
) -> None:
    """On a Monday, "what's on thursday" shows Thursday's session; the calendar is not touched."""
    await on_monday(runner, clock)
    profile, week = await runner.profile(), await stored_days(runner, MONDAY.date())
    assert await runner.say(text) == [shown(runner, await day_of(runner, date))]
    assert await runner.profile() == profile
    assert await stored_days(runner, MONDAY.date()) == week


async def test_why_no_lifting_thursday_explains_thursday(runner: Runner, clock: FakeClock) -> None:
    await on_monday(runner, clock)
    thursday = await day_of(runner, dt.date(2026, 11, 26))
    reason = runner.app.bot_data.deps.render.reason(thursday.session)
    assert await runner.say("why no lifting thursday?") == [UI.general.fmt("why", reason=reason)]


# --- efforts and end dates read as a person reads them ---------------------------------------------


@pytest.mark.parametrize("text", ["finished, effort seven", "thanks coach! did it btw, 7"])
async def test_a_check_in_with_its_effort_in_any_words_is_logged(runner: Runner, clock: FakeClock, text: str) -> None:
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(18, 30), tzinfo=BERLIN))
    await runner.say(text)
    assert await checkin(runner, lift.date) == ("done", 7, None, None)
    assert UI.loop.ask_soreness in runner.text


async def onboarded_in(runner: Runner, timezone: str) -> None:
    await runner.steps(*(timezone if step == "Europe/Berlin" else step for step in ONBOARD))
    account = await runner.account()
    assert account is not None and account.timezone == timezone, account


@pytest.mark.parametrize(
    ("timezone", "text", "until"),
    [
        ("Europe/Berlin", "away til the 20th", dt.date(2026, 12, 20)),
        ("America/New_York", "hold everything till 12/18", dt.date(2026, 12, 18)),
        ("America/New_York", "hold everything till 12/5", dt.date(2026, 12, 5)),  # month first there
        ("Europe/London", "till 17/12 please, pause it", dt.date(2026, 12, 17)),
        ("Europe/London", "hold everything till 5/12", dt.date(2026, 12, 5)),  # day first there
    ],
)
async def test_a_pause_ends_on_the_day_the_runner_means(
    runner: Runner, timezone: str, text: str, until: dt.date
) -> None:
    """The end date in the runner's own words and their own way of writing dates."""
    await onboarded_in(runner, timezone)
    assert await runner.say(text) == [UI.loop.fmt("pause_until", date=day_words(until))]
    account = await runner.account()
    assert account is not None and account.paused_from is not None and account.paused_until == until


async def test_a_check_in_with_pain_logs_both(runner: Runner, clock: FakeClock) -> None:
    """ "finished the lot, rpe 7, but my left knee is throbbing now": the pain rule for the knee,
    and the session logged done at 7."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(18, 30), tzinfo=BERLIN))
    replies = await runner.say("finished the lot, rpe 7, but my left knee is throbbing now")
    assert replies[:2] == [UI.loop.fmt("pain_rule", area="knee"), UI.loop.fmt("ask_red_flag", area="knee")]
    stored = await checkin(runner, lift.date)
    assert stored is not None and stored[:2] == ("done", 7)
    account = await runner.account()
    assert account is not None and "knee" in {a.value for a in account.state.pain}


async def test_a_pb_is_good_news_not_an_illness(runner: Runner, clock: FakeClock) -> None:
    """ "ran a PB at parkrun!!": a warm reply; nothing paused, swapped or logged."""
    lift = await on_lift_morning(runner, clock)
    assert await runner.say("ran a PB at parkrun!!") == [UI.loop.fmt("cheer", name="Ada")]
    account = await runner.account()
    assert account is not None and account.paused_from is None and not account.state.pain
    assert await checkin(runner, lift.date) is None
    assert (await day_of(runner, lift.date)).session == lift.session


# --- two things in one message, in order ------------------------------------------------------------


async def test_done_then_a_question_logs_then_answers(runner: Runner, clock: FakeClock) -> None:
    """ "done, what's tomorrow?": logged first, then tomorrow's session."""
    lift = await on_lift_morning(runner, clock)
    clock.set(dt.datetime.combine(lift.date, dt.time(18, 30), tzinfo=BERLIN))
    replies = await runner.say("done, what's tomorrow?")
    assert (await checkin(runner, lift.date) or ("",))[0] == "done"
    assert UI.loop.logged_done in replies[0]
    assert replies[-1] == shown(runner, await day_of(runner, lift.date + dt.timedelta(days=1)))


async def test_a_question_with_pain_takes_the_pain_route_first(runner: Runner, clock: FakeClock) -> None:
    """ "whats today? my back's been hurting since monday": the pain rule for the back, then today's
    session as re-planned without it."""
    await on_monday(runner, clock)
    clock.set(dt.datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN))  # Wednesday
    replies = await runner.say("whats today? my back's been hurting since monday")
    assert replies[0] == UI.loop.fmt("pain_rule", area="back")
    assert replies[-1] == shown(runner, await day_of(runner, dt.date(2026, 11, 25)))
    assert len(replies) == 3


# --- every typo of every urgent sign, in every state ------------------------------------------------


def _typos(phrase: str) -> list[str]:
    """The phrase with each of its longer words mistyped each way: a swapped, dropped or doubled
    letter (never the first: people rarely mistype that one), one typo at a time."""
    words = phrase.split()
    found = []
    for n, word in enumerate(words):
        if len(word) < 5 or not word.isalpha():
            continue
        i = len(word) // 2
        for typo in (
            word[:i] + word[i + 1] + word[i] + word[i + 2 :],
            word[:i] + word[i + 1 :],
            word[:i] + word[i] + word[i:],
        ):
            found.append(" ".join([*words[:n], typo, *words[n + 1 :]]))
    return found


async def test_every_typo_of_an_urgent_sign_gets_the_doctor_first_in_every_state(
    app: CoachApplication, api: OfflineBotApi
) -> None:
    """Four runners, one in each state (idle, paused, at an onboarding question, at a /settings
    question): each typo of each urgent message, with chatter around it, gets the urgent advice
    first, and each runner is still in their state after it."""
    idle, paused, onboarding, settings = (Runner(app, api, 9100 + n, name) for n, name in enumerate("ABCD"))
    await onboarded(idle)
    await onboarded(paused)
    await paused.say("/pause")
    await onboarding.steps(*to("minutes"))
    await open_reminder(settings)
    messages = [
        f"{before}{typo}{after}"
        for n, typo in enumerate(typo for phrase in URGENT for typo in _typos(phrase))
        for before, after in [("", ""), ("hey coach, ", " lol"), ("so after the tempo ", ". what now?")][
            n % 3 : n % 3 + 1
        ]
    ]
    assert len(messages) >= 24  # every longer word of the four messages, mistyped three ways
    for runner in (idle, paused, onboarding, settings):
        for text in messages:
            replies = await runner.say(text)
            assert replies and replies[0].startswith(UI.loop.ill_urgent), (runner.name, text, replies)
    assert onboarding.open_question() == UI.onboarding.ask_minutes
    assert settings.open_question() == REMINDER_QUESTION
    account = await paused.account()
    assert account is not None and account.paused_from is not None
