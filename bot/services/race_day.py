"""Race day and the day after (issue 20, point 12): the morning of a race gets a short message (no
session, good luck, the first days after it), and the day after asks "How did it go?" with one tap.

The answer is stored as the race day's check-in (``note`` ``race:<feel>``) and changes what comes
next: a tough race starts the first lifting week back a step lower; a race not started has nothing
to recover from, so the race is taken off the calendar (a tune-up) or cleared (the goal race) and
the open days are re-planned at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.coach.library import Library
from bot.coach.model import RunKind, SessionKind
from bot.services.accounts import CheckinRecord, CheckinStatus
from bot.services.pauses import settled_account
from bot.services.plans import local_today, replan_open_days, save_profile
from bot.services.ports import UnitOfWork
from bot.services.problems import Problem

if TYPE_CHECKING:
    from bot.services.usecases import Coach

NOTE = "race:"  # the race day's check-in note: race:great, race:ok, race:tough, race:dns
ASKED_FOR = dt.timedelta(days=7)  # how long after a race its answer is taken


class RaceFeel(StrEnum):
    GREAT = "great"
    OK = "ok"
    TOUGH = "tough"
    DNS = "dns"  # did not start


def race_answered(checkin: CheckinRecord | None) -> bool:
    return checkin is not None and checkin.note is not None and checkin.note.startswith(NOTE)


@dataclass(frozen=True, slots=True)
class RaceTold:
    """What the answer changed: ``eased`` the first lifting week back starts a step lower;
    ``cleared`` the race was not started, so it left the calendar and the open days were re-planned."""

    feel: RaceFeel
    day: dt.date
    changed: bool = True
    eased: bool = False
    cleared: bool = False


async def tell_race(
    work: UnitOfWork, telegram_id: int, day: dt.date, feel: RaceFeel, now: dt.datetime, library: Library
) -> RaceTold | Problem:
    """How the race on ``day`` went: stored once (a second answer changes nothing), and acted on."""
    account = await settled_account(work, telegram_id, now, library)
    if account is None:
        return Problem.NOT_ONBOARDED
    today = local_today(now, account.timezone)
    profile = account.profile
    if profile.run_on(day) is not RunKind.RACE or not day <= today <= day + ASKED_FOR:
        return Problem.NEED_STATUS  # not a race day, not yet run, or long past: a stale button
    if race_answered(await work.checkins.get(telegram_id, day)):
        return RaceTold(feel, day, changed=False)
    status: CheckinStatus = "skipped" if feel is RaceFeel.DNS else "done"
    await work.checkins.set_status(
        telegram_id, day, session_kind=SessionKind.REST, status=status, note=f"{NOTE}{feel.value}", now=now
    )
    if feel is RaceFeel.TOUGH and account.state.step > 0:
        state = replace(account.state, step=account.state.step - 1)
        await work.runners.save_state(telegram_id, state)
        account = replace(account, state=state)
        await replan_open_days(work, account, now, library)
        return RaceTold(feel, day, eased=True)
    if feel is RaceFeel.DNS:
        overrides = {d: k for d, k in profile.overrides.items() if d != day}
        distances = {d: k for d, k in profile.tune_up_distances.items() if d != day}
        race = None if profile.race is not None and profile.race.date == day else profile.race
        update = {"overrides": overrides, "tune_up_distances": distances, "race": race}
        account = await save_profile(work, account, profile.model_copy(update=update), now)
        await replan_open_days(work, account, now, library)
        return RaceTold(feel, day, cleared=True)
    return RaceTold(feel, day)


@dataclass(frozen=True)
class RaceDayCoach:
    """The race-day answer as the Telegram edge calls it, in one transaction of the coach."""

    coach: Coach

    async def tell(self, telegram_id: int, day: dt.date, feel: RaceFeel) -> RaceTold | Problem:
        now, library = self.coach.clock.now(), self.coach.library
        return await self.coach._change(lambda work: tell_race(work, telegram_id, day, feel, now, library))
