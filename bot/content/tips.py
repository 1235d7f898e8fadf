"""The weekly review's tips and what decides whether one fits a runner's week: a tip about jumps
not in a week without them nor with a sore knee, one the onboarding note already said not in the
first weeks, one about the strength built not to a runner who has not lifted."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class TipWeek(BaseModel):
    """What a review's tip must fit: the areas with a niggle or pain, whether next week has jumps,
    the lifts done lately and the weeks since onboarding."""

    model_config = ConfigDict(frozen=True)

    areas: frozenset[str] = frozenset()
    jumps: bool = False
    lifts_done: int = 0
    weeks_coached: int = 0


class Tip(BaseModel):
    """A weekly tip and the weeks it suits (``content/ui.yaml``, ``loop.tips``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    avoid: frozenset[str] = frozenset()  # not while one of these areas has a niggle or pain
    jumps: bool = False  # only when next week has jumps
    lifted: bool = False  # only once the runner has lifted
    told_at_start: bool = False  # the onboarding note says it: not in the first four weeks

    def fits(self, week: TipWeek) -> bool:
        return not (
            self.avoid & week.areas
            or (self.jumps and not week.jumps)
            or (self.lifted and week.lifts_done == 0)
            or (self.told_at_start and week.weeks_coached < FRESH_WEEKS)
        )


FRESH_WEEKS = 4  # the onboarding note is fresh in mind this long
