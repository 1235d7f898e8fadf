"""The third revision's placement rules (COACHING.md P4, P5, P5b, P9, P10), each on a runner like the one
that showed it. Expectations come from the rulebook and the calendar, not from the planner's code."""

from __future__ import annotations

import datetime as dt

from coach_checks import (
    KEY_RUNS,
    ONE_DAY,
    check_notes_are_true,
    check_plan,
    check_reasons_are_true,
    contains_instance,
    fields_in,
    load_test_library,
    near_tune_up,
    words,
)
from hypothesis import given
from plan_strategies import examples, scenarios

from bot.coach.adjust import adjust_today
from bot.coach.model import (
    WEEKDAYS,
    Distance,
    Equipment,
    Level,
    NoteKey,
    Phase,
    Profile,
    Race,
    ReasonKey,
    RunKind,
    Weekday,
    WeekPlan,
)
from bot.coach.phases import tune_up_before
from bot.coach.planner import plan_week, plan_weeks
from bot.coach.week_context import WeekContext

LIBRARY = load_test_library()
NOTES = LIBRARY.messages.week_notes
MONDAY = dt.date(2026, 11, 23)
E, R, Q, L = RunKind.EASY, RunKind.REST, RunKind.QUALITY, RunKind.LONG


def runner(*runs: RunKind, level: Level = Level.SOME, **changes: object) -> Profile:
    """A runner with dumbbells and half-hour sessions whose week is ``runs`` from Monday."""
    fields: dict[str, object] = {
        "strength_level": level,
        "week": dict(zip(WEEKDAYS, runs, strict=True)),
        "equipment": [Equipment.DUMBBELLS],
        "session_minutes": 30,
    }
    return Profile.model_validate(fields | changes)


def lifting_weekdays(week: WeekPlan) -> list[str]:
    return [Weekday.of(day).value for day in week.lifting_days]


def note_keys(week: WeekPlan) -> list[NoteKey]:
    return [part.key for part in week.note.parts]


def named(week: WeekPlan, key: NoteKey) -> list[str]:
    """The weekdays the week's note parts of ``key`` name, each worded in the note."""
    parts = [part for part in week.note.parts if part.key is key]
    note = words(week.note, LIBRARY)
    assert all(contains_instance(NOTES[key], note) for _ in parts)
    return [part.values["weekday"] for part in parts]


# ---------------------------------------------------------------------------------------------
# P4: preferred days, then P5b, then easy, rest, quality (quality first for "hard days hard")


def test_P4_a_preferred_day_wins_over_P5b_and_the_run_kind_order() -> None:
    """A preferred Friday, two days before the long run, is used: the preference comes first."""
    profile = runner(E, R, E, R, E, R, L, preferred_days=[Weekday.FRI])
    assert lifting_weekdays(plan_week(profile, MONDAY, LIBRARY)) == ["mon", "fri"]
    # without the preference, Friday (2 days before the long run) is the one day left out
    assert "fri" not in lifting_weekdays(plan_week(runner(E, R, E, R, E, R, L), MONDAY, LIBRARY))


def test_P4_hard_days_hard_puts_quality_days_first() -> None:
    """With P5b tied, "hard days hard" lifts on both quality days; otherwise an easy day comes first."""
    week = (Q, E, E, Q, E, R, R)
    assert lifting_weekdays(plan_week(runner(*week, hard_days_hard=True), MONDAY, LIBRARY)) == ["mon", "thu"]
    assert "fri" in lifting_weekdays(plan_week(runner(*week), MONDAY, LIBRARY))


def test_P4_a_sunday_lift_never_bars_next_weeks_preferred_monday() -> None:
    """Preferred days hold every week: an easy Sunday is not taken when it would bar the preferred Monday after it."""
    profile = runner(R, R, Q, R, R, L, E, preferred_days=[Weekday.MON])
    plan = plan_weeks(profile, MONDAY, 4, LIBRARY)
    for week in plan:
        assert "mon" in lifting_weekdays(week), (week.start, lifting_weekdays(week))
        assert "sun" not in lifting_weekdays(week)
    check_plan(profile, plan, LIBRARY)


def test_P4_a_preferred_day_barred_by_a_key_run_is_named_every_week() -> None:
    """ "Wednesday is out: Thursday is a quality day": each week the preferred Wednesday is barred, the note says so."""
    profile = runner(E, R, E, Q, R, E, L, preferred_days=[Weekday.WED])
    wording = LIBRARY.messages
    for week in plan_weeks(profile, MONDAY, 3, LIBRARY):
        assert "wed" not in lifting_weekdays(week)
        assert named(week, NoteKey.PREFERRED_OUT_BEFORE_KEY) == ["wed"]
        assert [p.values["next_run"] for p in week.note.parts if p.key is NoteKey.PREFERRED_OUT_BEFORE_KEY] == [
            "quality"
        ]
        note = words(week.note, LIBRARY)
        assert wording.weekday_names["wed"] in note and wording.run_names["quality"] in note


def test_P4_a_preferred_long_run_day_and_a_preferred_day_next_to_a_lift_are_named() -> None:
    """A preferred Sunday holding the long run, and a preferred Tuesday next to Monday's lift, are each named."""
    profile = runner(R, R, R, R, R, R, L, preferred_days=[Weekday.MON, Weekday.TUE, Weekday.SUN])
    week = plan_week(profile, MONDAY, LIBRARY)
    assert "mon" in lifting_weekdays(week) and "tue" not in lifting_weekdays(week)
    assert named(week, NoteKey.PREFERRED_OUT_RUN) == ["sun"]
    assert [p.values["run"] for p in week.note.parts if p.key is NoteKey.PREFERRED_OUT_RUN] == ["long"]
    assert named(week, NoteKey.PREFERRED_OUT_NEXT_TO_LIFT) == ["tue"]


def test_P4_a_preferred_day_next_to_a_tune_up_or_in_a_recovery_is_named() -> None:
    """A preferred Tuesday two days before a Thursday race, and a preferred Monday in a marathon's recovery: named."""
    tune_up = runner(R, R, R, R, R, R, R, overrides={"2026-11-26": "race:10k"}, preferred_days=[Weekday.TUE])
    assert named(plan_week(tune_up, MONDAY, LIBRARY), NoteKey.PREFERRED_OUT_NEAR_RACE) == ["tue"]
    race = Race(distance=Distance.MARATHON, date=dt.date(2026, 11, 18))
    recovering = runner(R, R, R, R, R, R, R, race=race, preferred_days=[Weekday.MON])
    week = plan_week(recovering, MONDAY, LIBRARY)
    assert week.lifting_days and named(week, NoteKey.PREFERRED_OUT_RACE_PHASE) == ["mon"]


def test_P4_a_preferred_day_that_fits_but_is_not_needed_is_not_called_barred() -> None:
    """Three preferred days and two sessions: the unused one is not said to be ruled out."""
    profile = runner(R, R, R, R, R, R, R, preferred_days=[Weekday.MON, Weekday.WED, Weekday.FRI])
    week = plan_week(profile, MONDAY, LIBRARY)
    assert len(week.lifting_days) == 2
    assert not [key for key in note_keys(week) if key.value.startswith("preferred_out")]


# ---------------------------------------------------------------------------------------------
# P5: as many as fit, and the true cause


def test_P5_only_n_fit_when_the_usual_week_has_no_more_room() -> None:
    """Quality Tuesday to Thursday and a Sunday long run leave one day a week: "only 1 of 2 fit" is true."""
    profile = runner(R, Q, Q, Q, R, R, L)
    for week in plan_weeks(profile, MONDAY, 2, LIBRARY):
        assert len(week.lifting_days) == 1
        assert NoteKey.FEWER_FIT in note_keys(week), note_keys(week)


def test_P5_a_runner_who_joined_mid_week_is_told_so_not_that_only_one_fits() -> None:
    """Joining on Saturday leaves one lifting day; the note blames the join, not the calendar."""
    profile = runner(R, R, R, R, R, R, R)
    quiet = {MONDAY + dt.timedelta(days=i): (ReasonKey.MOBILITY_BEFORE_JOINING, "") for i in range(5)}
    week = plan_week(profile, MONDAY, LIBRARY, context=WeekContext(quiet=quiet))
    assert len(week.lifting_days) == 1
    keys = note_keys(week)
    assert NoteKey.FEWER_JOINED in keys and NoteKey.FEWER_FIT not in keys, keys


def test_P5_one_off_key_runs_are_named_as_this_weeks_not_the_usual_week() -> None:
    """Two long runs moved into one week leave one lifting day: "this week's runs", never "only 1 fits"."""
    profile = runner(R, R, R, R, R, R, L, overrides={"2026-11-24": "long", "2026-11-26": "long"})
    plan = plan_weeks(profile, MONDAY, 2, LIBRARY)
    assert len(plan[0].lifting_days) == 1
    assert NoteKey.FEWER_KEY_RUNS in note_keys(plan[0]) and NoteKey.FEWER_FIT not in note_keys(plan[0])
    assert len(plan[1].lifting_days) == 2 and not [k for k in note_keys(plan[1]) if k.value.startswith("fewer")]
    check_notes_are_true(profile, plan, LIBRARY)


def test_P5_recovery_and_taper_are_named_as_the_cause() -> None:
    """A marathon's recovery leaving only Sunday, and a taper starting on Tuesday, are each named."""
    after = runner(R, R, R, R, R, R, R, race=Race(distance=Distance.MARATHON, date=dt.date(2026, 11, 18)))
    week = plan_week(after, MONDAY, LIBRARY)
    assert lifting_weekdays(week) == ["sun"]
    assert NoteKey.FEWER_RECOVERY in note_keys(week), note_keys(week)
    before = runner(R, L, R, R, R, R, R, race=Race(distance=Distance.K10, date=dt.date(2026, 12, 1)))
    week = plan_week(before, MONDAY, LIBRARY)
    assert week.lifting_target == 1 and week.lifting_days == ()
    assert NoteKey.FEWER_TAPER in note_keys(week), note_keys(week)


def test_P5_look_ahead_across_the_week_boundary_is_kept() -> None:
    """Three sessions fit each week if Sunday is left alone (a Sunday lift would cost Monday): each week holds three."""
    profile = runner(R, R, R, R, L, R, E, level=Level.REGULAR, sessions_per_week=3)
    plan = plan_weeks(profile, MONDAY, 4, LIBRARY)
    assert [len(week.lifting_days) for week in plan] == [3, 3, 3, 3]
    assert not [week.start for week in plan if "sun" in lifting_weekdays(week)]
    check_plan(profile, plan, LIBRARY)


# ---------------------------------------------------------------------------------------------
# P5b: 3 or more days before the next key run ranks above 2, whatever the run


def test_P5b_three_days_before_a_quality_run_beats_two() -> None:
    """Tuesday is two days before Thursday's quality session: a day further from it is taken instead."""
    profile = runner(R, E, R, Q, R, E, R)
    week = plan_week(profile, MONDAY, LIBRARY)
    assert len(week.lifting_days) == 2
    assert "tue" not in lifting_weekdays(week), lifting_weekdays(week)
    for date in week.lifting_days:
        assert profile.run_on(date + 2 * ONE_DAY) not in KEY_RUNS


def test_P5b_holds_before_a_long_run_too() -> None:
    """Friday, two days before the Sunday long run, loses to days three or more before it."""
    week = plan_week(runner(R, E, R, E, E, R, L), MONDAY, LIBRARY)
    assert "fri" not in lifting_weekdays(week)


# ---------------------------------------------------------------------------------------------
# P9: 2 days before a tune-up, its distance's recovery days after (4 when unknown)


def _lift_dates(profile: Profile, weeks: int = 3) -> list[dt.date]:
    plan = plan_weeks(profile, MONDAY, weeks, LIBRARY)
    check_plan(profile, plan, LIBRARY)
    check_reasons_are_true(profile, plan, LIBRARY)
    return [date for week in plan for date in week.lifting_days]


def test_P9_a_tune_up_half_marathon_gets_two_days_before_and_seven_after() -> None:
    """The finding "a tune-up half marathon got two days off": no lifting from 2 days before it to 7 days after."""
    race_day = dt.date(2026, 11, 28)  # a Saturday
    profile = runner(E, R, E, R, E, R, L, overrides={race_day.isoformat(): "race:half"})
    assert profile.tune_up_distances == {race_day: Distance.HALF}
    lifts = _lift_dates(profile)
    blocked = [race_day + dt.timedelta(days=n) for n in range(-2, 8)]
    assert not set(lifts) & set(blocked), lifts
    assert dt.date(2026, 12, 7) in lifts  # the Monday after the 7 days lifts again


def test_P9_a_tune_up_of_unknown_distance_gets_four_days_after() -> None:
    """A race with no distance ("not sure"): 4 days without lifting after it, then lifting again."""
    race_day = dt.date(2026, 11, 25)  # a Wednesday
    profile = runner(R, R, R, R, R, R, R, overrides={race_day.isoformat(): "race"})
    lifts = _lift_dates(profile, 2)
    assert not [d for d in lifts if -2 <= (d - race_day).days <= 4], lifts
    assert race_day + 5 * ONE_DAY in lifts  # the Monday after


def test_P9_a_tune_up_5k_gets_its_three_recovery_days() -> None:
    """A 5k tune-up: lifting returns on the fourth day after it."""
    race_day = dt.date(2026, 11, 25)  # a Wednesday
    profile = runner(R, R, R, R, R, R, R, overrides={race_day.isoformat(): "race:5k"})
    lifts = _lift_dates(profile, 1)
    assert not [d for d in lifts if -2 <= (d - race_day).days <= 3], lifts
    assert race_day + 4 * ONE_DAY in lifts  # Sunday


def test_P9_reasons_and_notes_name_the_race_and_its_days() -> None:
    """Days before the race say it is close; days after say how many recovery days it needs; the next week's note
    names last week's race."""
    race_day = dt.date(2026, 11, 28)  # a Saturday
    profile = runner(E, R, E, R, E, R, L, overrides={race_day.isoformat(): "race:half"})
    first, second = plan_weeks(profile, MONDAY, 2, LIBRARY)
    saturday = LIBRARY.messages.weekday_names["sat"]
    thursday = first.day(dt.date(2026, 11, 26))
    assert thursday is not None and thursday.session.reason.key is ReasonKey.MOBILITY_BEFORE_TUNE_UP
    after = second.day(dt.date(2026, 12, 2))
    assert after is not None and after.session.reason.key is ReasonKey.MOBILITY_AFTER_TUNE_UP
    assert fields_in(LIBRARY.messages.reasons["mobility_after_tune_up"], words(after.session.reason, LIBRARY)) == {
        "tune_up_days": "7",
        "weekday": saturday,
    }
    assert fields_in(NOTES["tune_up"], words(first.note, LIBRARY)) == {"weekday": saturday, "tune_up_days": "7"}
    assert second.lifting_days == ()
    assert fields_in(NOTES["fewer_after_race"], words(second.note, LIBRARY)) == {
        "weekday": saturday,
        "tune_up_days": "7",
        "placed": "0",
        "target": "2",
    }


def test_P9_tune_up_before_names_the_race_for_the_next_lifting_week_only() -> None:
    """The week after a tune-up's window is the one to ease, and only that week: the race and its distance."""
    race_day = dt.date(2026, 11, 28)  # a Saturday half: no lifting until Saturday Dec 5
    profile = runner(E, R, E, R, E, R, L, overrides={race_day.isoformat(): "race:half"})
    weeks = [MONDAY + dt.timedelta(days=7 * n) for n in range(4)]
    assert [tune_up_before(profile, start) for start in weeks] == [None, None, (race_day, Distance.HALF), None]
    unknown = runner(R, R, R, R, R, R, R, overrides={"2026-11-23": "race"})  # a Monday: window ends Friday
    assert tune_up_before(unknown, MONDAY) == (dt.date(2026, 11, 23), None)  # Saturday of the same week
    assert tune_up_before(unknown, MONDAY + 7 * ONE_DAY) is None
    assert tune_up_before(runner(R, R, R, R, R, R, R), MONDAY) is None


def test_P9_a_swapped_lift_never_moves_into_a_tune_ups_recovery_days() -> None:
    """Adjusting today: with a 10k on Thursday, Monday's lift cannot move to Sunday (3 days after the race, still
    its recovery), so it is dropped."""
    race_day = dt.date(2026, 11, 26)  # a Thursday 10k: Tuesday and Wednesday before, Friday to Sunday after
    profile = runner(R, R, R, R, R, R, R, overrides={race_day.isoformat(): "race:10k"})
    week = plan_week(profile, MONDAY, LIBRARY)
    assert week.lifting_days == (MONDAY,)
    adjusted = adjust_today(week, MONDAY, profile, LIBRARY)
    assert adjusted.lifting_days == ()
    assert adjusted.days[0].session.reason.key is ReasonKey.MOBILITY_NO_FIT
    assert adjusted.days[-1].session.reason.key is ReasonKey.MOBILITY_AFTER_TUNE_UP
    assert all(near_tune_up(profile, MONDAY + n * ONE_DAY) for n in range(1, 7) if n != 3)


# ---------------------------------------------------------------------------------------------
# P10: the plan never changes a run


def test_P10_the_day_after_the_goal_race_keeps_its_calendar_run_and_advises_rest() -> None:
    """A quality Monday after a Sunday marathon stays a quality session; its reason advises rest."""
    race = Race(distance=Distance.MARATHON, date=dt.date(2026, 11, 22))
    profile = runner(Q, R, E, R, E, R, L, race=race)
    week = plan_week(profile, MONDAY, LIBRARY)
    monday = week.days[0]
    assert monday.run is RunKind.QUALITY and profile.run_on(MONDAY) is RunKind.QUALITY
    assert monday.session.reason.key is ReasonKey.MOBILITY_DAY_AFTER_RACE
    text = words(monday.session.reason, LIBRARY)
    assert "rest" in text.lower() and LIBRARY.messages.run_names["quality"] in text
    assert monday.phase is Phase.RECOVERY and not monday.session.kind.is_lifting
    rest_after = plan_week(runner(R, R, E, R, E, R, L, race=race), MONDAY, LIBRARY)
    assert rest_after.days[0].session.reason.key is ReasonKey.MOBILITY_RECOVERY


@examples(150)
@given(scenario=scenarios())
def test_P10_every_planned_run_is_the_calendars(scenario: tuple[Profile, dt.date, int]) -> None:
    """Every date's run is its override, else the goal race on race day, else the weekly template."""
    profile, start, weeks = scenario
    for week in plan_weeks(profile, start, weeks, LIBRARY):
        for day in week.days:
            if day.date in profile.overrides:
                expected = profile.overrides[day.date]
            elif profile.race is not None and day.date == profile.race.date:
                expected = RunKind.RACE
            else:
                expected = profile.week[Weekday.of(day.date)]
            assert day.run is expected, (day.date, day.run, expected)


def test_P5_the_note_of_a_short_week_always_says_why() -> None:
    """Every week of a runner with a tune-up and a one-off long run holds as many as fit and says why when short."""
    profile = runner(E, R, Q, R, E, R, L, overrides={"2026-12-05": "race:10k", "2026-12-16": "long"})
    plan = plan_weeks(profile, MONDAY, 5, LIBRARY)
    check_plan(profile, plan, LIBRARY)
    check_notes_are_true(profile, plan, LIBRARY)
    for week in plan:
        if len(week.lifting_days) < week.lifting_target:
            assert any(k.value.startswith(("fewer", "none")) for k in note_keys(week)), note_keys(week)
            assert contains_instance(NOTES["tune_up"], words(week.note, LIBRARY)) or NoteKey.FEWER_FIT not in (
                note_keys(week)
            )
