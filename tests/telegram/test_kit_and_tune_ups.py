"""Issue 15 in chat: equipment is one multi-select (ticks kept in the database), a declared niggle
first gets its red-flag question (N1), and a race day added to the calendar asks its distance with
one tap (P9)."""

from __future__ import annotations

import datetime as dt

from chatdriver import RUNNER_ID, UI, Runner, start_application, stop_application
from test_checkins import BERLIN, ONBOARD, onboarded, stored_days

from bot.clock import FakeClock
from bot.coach.model import BodyArea, Distance, Equipment, RunKind
from bot.console.transport import OfflineBotApi
from bot.services.health import UNTIL_CLEARED
from bot.telegram.context import CoachApplication

B = UI.buttons
TO_EQUIPMENT = ONBOARD[:6]  # up to and including "no race": the equipment question is open
AFTER_EQUIPMENT = ("30",)
AFTER_NIGGLES = ("Europe/Berlin", "07:00", "no")
MONDAY = dt.datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)
SATURDAY = dt.date(2026, 11, 28)


def _loaded(days: tuple, area: BodyArea, since: dt.date) -> list[str]:  # type: ignore[type-arg]
    return [p.id for d in days if d.date >= since for p in d.session.exercises if area in p.loads]


# --- equipment: one multi-select ---------------------------------------------------------------


async def test_equipment_ticks_show_and_done_stores_the_kit(runner: Runner) -> None:
    """Tapping Bands and Dumbbells ticks both (the ticks stored in the database), Done stores the
    kit, and the summary shows it."""
    await runner.steps(*TO_EQUIPMENT)
    assert runner.open_question() == UI.onboarding.ask_equipment
    assert set(runner.labels()) >= {B.equipment_bands, B.equipment_dumbbells, B.equipment_gym, B.equipment_none, B.done}
    assert await runner.press(B.equipment_bands) == []
    assert f"✅ {B.equipment_bands}" in runner.labels()
    await runner.press(B.equipment_dumbbells)
    assert {f"✅ {B.equipment_bands}", f"✅ {B.equipment_dumbbells}", B.equipment_gym} <= set(runner.labels())
    assert (await runner.answers())["draft:equipment"] == ["bands", "dumbbells"]
    await runner.press(B.equipment_bands)  # a second tap unticks
    await runner.press(B.equipment_bands)
    await runner.press(B.done)
    assert (await runner.answers())["equipment"] == ["bands", "dumbbells"]
    summary, _plan, _why = await runner.steps(*AFTER_EQUIPMENT, "none", *AFTER_NIGGLES)
    assert f"{B.equipment_bands}, {B.equipment_dumbbells}" in summary
    assert (await runner.profile()).equipment == {Equipment.BANDS, Equipment.DUMBBELLS}


async def test_none_is_bodyweight_only(runner: Runner) -> None:
    """ "None (bodyweight)" answers at once with the empty kit."""
    await runner.steps(*TO_EQUIPMENT)
    await runner.press(B.equipment_none)
    assert (await runner.answers())["equipment"] == []
    summary, _plan, _why = await runner.steps(*AFTER_EQUIPMENT, "none", *AFTER_NIGGLES)
    assert B.equipment_none in summary
    assert (await runner.profile()).equipment == frozenset()


async def test_a_typed_kit_is_read_as_a_set(runner: Runner) -> None:
    """ "dumbbells and bands" typed instead of tapping stores both items."""
    await runner.steps(*TO_EQUIPMENT)
    assert await runner.say("dumbbells and bands") == [UI.onboarding.ask_minutes]
    assert (await runner.answers())["equipment"] == ["bands", "dumbbells"]


async def test_I_have_a_barbell_at_the_gym(runner: Runner) -> None:
    """A sentence naming a barbell at the gym is the gym."""
    await runner.steps(*TO_EQUIPMENT)
    await runner.say("I have a barbell at the gym")
    assert (await runner.answers())["equipment"] == ["gym"]


async def test_equipment_ticks_survive_a_restart(db_url: str, clock: FakeClock) -> None:
    """A tick made before a restart is still ticked after it: another process serves the next tap."""
    first_api = OfflineBotApi(clock=clock)
    first = await start_application(db_url, clock, first_api)
    try:
        before = Runner(first, first_api, RUNNER_ID, "Ada")
        await before.steps(*TO_EQUIPMENT)
        await before.press(B.equipment_gym)
    finally:
        await stop_application(first)
    api = OfflineBotApi(clock=clock)
    second = await start_application(db_url, clock, api)
    try:
        after = Runner(second, api, RUNNER_ID, "Ada")
        await after.say("/start")
        assert f"✅ {B.equipment_gym}" in after.labels()
        await after.press(B.equipment_bands)
        assert {f"✅ {B.equipment_bands}", f"✅ {B.equipment_gym}"} <= set(after.labels())
        await after.press(B.done)
        assert (await after.answers())["equipment"] == ["bands", "gym"]
    finally:
        await stop_application(second)


async def test_settings_equipment_ticks_the_kit_and_confirms_it(runner: Runner) -> None:
    """/settings opens the kit owned now ticked; adding bands confirms the whole kit."""
    await onboarded(runner)  # dumbbells
    await runner.say("/settings")
    await runner.press(UI.settings.btn_equipment)
    assert f"✅ {B.equipment_dumbbells}" in runner.labels()
    await runner.press(B.equipment_bands)
    replies = await runner.press(B.done)
    kit = f"{B.equipment_bands}, {B.equipment_dumbbells}"
    assert replies[0].startswith(UI.settings.fmt("changed_equipment", equipment=kit))
    assert (await runner.profile()).equipment == {Equipment.BANDS, Equipment.DUMBBELLS}


async def test_settings_equipment_none_is_bodyweight(runner: Runner) -> None:
    """In /settings, None (bodyweight) empties the kit and no exercise needs any equipment."""
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(UI.settings.btn_equipment)
    replies = await runner.press(B.equipment_none)
    assert replies[0].startswith(UI.settings.fmt("changed_equipment", equipment=B.equipment_none))
    assert (await runner.profile()).equipment == frozenset()


# --- N1: a declared niggle first gets its red-flag question ------------------------------------


async def test_N1_finding_shin_foot_and_hip_declared_at_sign_up_each_get_the_bone_stress_question(
    runner: Runner,
) -> None:
    """Shin, foot and hip declared at sign-up are each asked the red-flag question (bone pain
    first); a yes for the shin sends it to a professional and rests it, the others stay niggles."""
    await runner.steps(*TO_EQUIPMENT, "dumbbells", "30", "shin, foot and hip")
    asked = []
    for area, answer in (("hip", "no"), ("shin", "yes"), ("foot", "no")):
        question = runner.open_question()
        assert question == UI.onboarding.fmt("ask_niggle_flag", area=area)
        assert "bone" in question
        asked.append(area)
        await runner.press(UI.loop.btn_red_flag_yes if answer == "yes" else UI.loop.btn_red_flag_no)
    assert asked == ["hip", "shin", "foot"]
    replies = await runner.steps(*AFTER_NIGGLES)
    assert UI.loop.fmt("red_flag", area="shin") in replies
    assert UI.buttons.cleared in runner.labels()
    profile = await runner.profile()
    assert profile.injuries == {BodyArea.FOOT, BodyArea.HIP}
    account = await runner.account()
    assert account is not None and account.state.pain.get(BodyArea.SHIN) == UNTIL_CLEARED


async def test_N1_typed_answers_screen_each_area(runner: Runner) -> None:
    """ "yes" and "no" typed answer the red-flag question of the area it names."""
    await runner.steps(*TO_EQUIPMENT, "dumbbells", "30", "knee")
    assert runner.open_question() == UI.onboarding.fmt("ask_niggle_flag", area="knee")
    assert await runner.say("no") == [UI.onboarding.ask_timezone]
    assert (await runner.answers())["niggle_flags"] == {"knee": False}


async def test_N1_back_from_the_red_flag_question_reopens_the_niggles(runner: Runner) -> None:
    """Back from the red-flag question reopens the niggles with the areas ticked."""
    await runner.steps(*TO_EQUIPMENT, "dumbbells", "30", "#knee", "#done")
    await runner.press(B.back)
    assert "✅ knee" in runner.labels()


async def test_N1_a_niggle_added_in_settings_with_a_red_flag_takes_the_red_flag_route(
    runner: Runner, clock: FakeClock
) -> None:
    """An ankle added in /settings with a yes is not a niggle: it rests until a professional clears
    it (nothing loads it), with the clearance button; the tap brings it back as a niggle."""
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(UI.settings.btn_niggles)
    await runner.press("ankle")
    await runner.press(B.done)
    assert runner.open_question() == UI.onboarding.fmt("ask_niggle_flag", area="ankle")
    replies = await runner.press(UI.loop.btn_red_flag_yes)
    assert replies[0].startswith(UI.settings.fmt("changed_niggles", niggles=UI.render.none))
    assert replies[1] == UI.loop.fmt("red_flag", area="ankle")
    account = await runner.account()
    assert account is not None and account.state.pain.get(BodyArea.ANKLE) == UNTIL_CLEARED
    assert account.profile is not None and BodyArea.ANKLE not in account.profile.injuries
    today = clock.now().astimezone(BERLIN).date()
    monday = today - dt.timedelta(days=today.weekday())
    assert _loaded(await stored_days(runner, monday), BodyArea.ANKLE, today) == []
    await runner.press(UI.buttons.cleared)
    assert BodyArea.ANKLE in (await runner.profile()).injuries


async def test_N1_a_no_in_settings_keeps_it_a_niggle(runner: Runner) -> None:
    """A no to the red-flag question keeps the area a niggle; areas already declared are not asked again."""
    await onboarded(runner)
    await runner.say("/settings")
    await runner.press(UI.settings.btn_niggles)
    await runner.press("knee")
    await runner.press(B.done)
    replies = await runner.press(UI.loop.btn_red_flag_no)
    assert replies[0].startswith(UI.settings.fmt("changed_niggles", niggles="knee"))
    await runner.say("/settings")
    await runner.press(UI.settings.btn_niggles)
    await runner.press("hip")
    await runner.press(B.done)
    assert runner.open_question() == UI.onboarding.fmt("ask_niggle_flag", area="hip")  # the knee is not asked
    await runner.say("no")
    assert (await runner.profile()).injuries == {BodyArea.KNEE, BodyArea.HIP}


# --- P9: a race day added asks its distance ----------------------------------------------------


async def test_P9_race_on_saturday_asks_its_distance_and_stores_it(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """ "race on saturday" makes Saturday a race, then asks how far with one tap; "half marathon"
    is stored on the day's override and the week re-plans."""
    await onboarded(runner)
    clock.set(MONDAY)
    await runner.say("race on saturday")
    assert runner.replies[0].startswith(UI.loop.fmt("moved_run", run="race", weekday="Saturday"))
    assert runner.replies[-1] == UI.loop.fmt("ask_tune_up_distance", weekday="Saturday")
    names = app.bot_data.deps.library.messages.distance_names
    assert set(runner.labels()) == {*(names[d.value] for d in Distance), UI.loop.btn_tune_up_unsure}
    await runner.press(names["half"])
    assert runner.replies[0].startswith(UI.loop.fmt("tune_up_set", distance=names["half"], weekday="Saturday"))
    profile = await runner.profile()
    assert profile.run_on(SATURDAY) is RunKind.RACE
    assert profile.tune_up_distances == {SATURDAY: Distance.HALF}
    days = {d.date: d for d in await stored_days(runner, SATURDAY - dt.timedelta(days=5))}
    assert days[SATURDAY].run is RunKind.RACE
    for day in (SATURDAY - dt.timedelta(days=1), SATURDAY - dt.timedelta(days=2)):
        assert not days[day].session.kind.is_lifting, day


async def test_P9_parkrun_not_sure_stores_no_distance(runner: Runner, clock: FakeClock) -> None:
    """ "parkrun saturday" asks the distance too; "Not sure" stores none (the distance stays unknown)."""
    await onboarded(runner)
    clock.set(MONDAY)
    await runner.say("parkrun saturday")
    assert runner.replies[-1] == UI.loop.fmt("ask_tune_up_distance", weekday="Saturday")
    await runner.press(UI.loop.btn_tune_up_unsure)
    assert runner.replies[0].startswith(UI.loop.fmt("tune_up_unsure", weekday="Saturday"))
    profile = await runner.profile()
    assert profile.run_on(SATURDAY) is RunKind.RACE and profile.tune_up_distances == {}


async def test_P9_the_distance_moves_with_the_race_and_a_stale_tap_is_refused(
    app: CoachApplication, runner: Runner, clock: FakeClock
) -> None:
    """A 10k moved from Saturday to Friday keeps its distance; the old question's buttons for
    Saturday, no longer a race day, change nothing."""
    await onboarded(runner)
    clock.set(MONDAY)
    await runner.say("race on saturday")
    old_question = runner.keyboard_message().message_id
    names = app.bot_data.deps.library.messages.distance_names
    await runner.press(names["10k"])
    await runner.say("race moved to friday")
    friday = SATURDAY - dt.timedelta(days=1)
    profile = await runner.profile()
    assert profile.run_on(friday) is RunKind.RACE and profile.run_on(SATURDAY) is not RunKind.RACE
    assert profile.tune_up_distances == {friday: Distance.K10}
    await runner.press_offered("tu|20261128|half", old_question)
    assert runner.toasts == [UI.general.stale_button]
    assert (await runner.profile()).tune_up_distances == {friday: Distance.K10}


async def test_P9_racing_on_sunday_in_words_is_a_race_day_too(runner: Runner, clock: FakeClock) -> None:
    """ "I'm racing a 10k on sunday" makes Sunday a race and asks its distance like any added race."""
    await onboarded(runner)
    clock.set(MONDAY)
    await runner.say("I'm racing a 10k on sunday")
    assert runner.replies[-1] == UI.loop.fmt("ask_tune_up_distance", weekday="Sunday")
    assert (await runner.profile()).run_on(SATURDAY + dt.timedelta(days=1)) is RunKind.RACE
