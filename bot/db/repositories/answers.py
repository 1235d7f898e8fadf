"""Onboarding answers given so far, so onboarding resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, delete, select

from bot.db.engine import upsert
from bot.db.models import (
    OnboardingAnswer,
)
from bot.db.repositories.base import (
    Repository,
    aware,
)

# ---------------------------------------------------------------------------------------------
# onboarding answers

_TABLE = OnboardingAnswer.__table__
# built once on the table (Core rows, no ORM): an open setting's every step reads them
_ANSWERS = select(_TABLE.c.question, _TABLE.c.value).where(_TABLE.c.telegram_id == bindparam("telegram_id"))


class AnswerRepository(Repository):
    """Onboarding answers given so far, so onboarding resumes where it stopped."""

    async def get_all(self, telegram_id: int) -> dict[str, Any]:
        rows = await self._session.execute(_ANSWERS, {"telegram_id": telegram_id})
        return {question: value for question, value in rows.all()}

    async def put(self, telegram_id: int, question: str, value: Any, now: dt.datetime) -> None:
        """Record (or replace) the answer to one question; ``value`` must be JSON-serialisable."""
        json.dumps(value)  # fail here, with the caller on the stack, rather than at commit
        await upsert(
            self._session,
            OnboardingAnswer,
            {"telegram_id": telegram_id, "question": question, "value": value, "answered_at": aware(now)},
            keys=["telegram_id", "question"],
            update=["value", "answered_at"],
        )

    async def put_all(self, telegram_id: int, values: Mapping[str, Any], now: dt.datetime) -> None:
        """Record (or replace) the answers to several questions in one statement."""
        if not values:
            return
        for value in values.values():
            json.dumps(value)  # as in put: fail with the caller on the stack
        moment = aware(now)
        await upsert(
            self._session,
            OnboardingAnswer,
            [
                {"telegram_id": telegram_id, "question": question, "value": value, "answered_at": moment}
                for question, value in values.items()
            ],
            keys=["telegram_id", "question"],
            update=["value", "answered_at"],
        )

    async def discard(self, telegram_id: int, questions: Iterable[str]) -> None:
        """Forget the answers to some questions (drafts that a final answer replaced)."""
        await self._session.execute(
            delete(OnboardingAnswer).where(
                OnboardingAnswer.telegram_id == telegram_id, OnboardingAnswer.question.in_(list(questions))
            )
        )

    async def clear(self, telegram_id: int) -> None:
        await self._session.execute(delete(OnboardingAnswer).where(OnboardingAnswer.telegram_id == telegram_id))
