"""Onboarding answers given so far, so onboarding resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select

from bot.db.models import (
    OnboardingAnswer,
)
from bot.db.repositories.base import (
    Repository,
    aware,
)
from bot.db.repositories.upserts import Upsert

# ---------------------------------------------------------------------------------------------
# onboarding answers

_TABLE = cast(Table, OnboardingAnswer.__table__)
# built once on the table (Core rows, no ORM): an open setting's every step reads them
_ANSWERS = select(_TABLE.c.question, _TABLE.c.value).where(_TABLE.c.telegram_id == bindparam("telegram_id"))
# the writes as Core statements built once (the ORM's bulk DELETE looked for loaded answers to
# synchronise on every call; none is ever loaded as an object) and the upsert compiled once per
# row count (``bot.db.repositories.upserts``)
_CLEAR = delete(_TABLE).where(_TABLE.c.telegram_id == bindparam("telegram_id"))
_DISCARD = _CLEAR.where(_TABLE.c.question.in_(bindparam("questions", expanding=True)))
_PUT = Upsert(
    _TABLE,
    ("telegram_id", "question", "value", "answered_at"),
    keys=("telegram_id", "question"),
    update=("value", "answered_at"),
)


class AnswerRepository(Repository):
    """Onboarding answers given so far, so onboarding resumes where it stopped."""

    async def get_all(self, telegram_id: int) -> dict[str, Any]:
        rows = await self._session.execute(_ANSWERS, {"telegram_id": telegram_id})
        return {question: value for question, value in rows.all()}

    async def put(self, telegram_id: int, question: str, value: Any, now: dt.datetime) -> None:
        """Record (or replace) the answer to one question; ``value`` must be JSON-serialisable."""
        json.dumps(value)  # fail here, with the caller on the stack, rather than at commit
        row = {"telegram_id": telegram_id, "question": question, "value": value, "answered_at": aware(now)}
        await self._on_connection(lambda connection: _PUT.run(connection, [row]))

    async def put_all(self, telegram_id: int, values: Mapping[str, Any], now: dt.datetime) -> None:
        """Record (or replace) the answers to several questions in one statement."""
        if not values:
            return
        for value in values.values():
            json.dumps(value)  # as in put: fail with the caller on the stack
        moment = aware(now)
        rows = [
            {"telegram_id": telegram_id, "question": question, "value": value, "answered_at": moment}
            for question, value in values.items()
        ]
        await self._on_connection(lambda connection: _PUT.run(connection, rows))

    async def discard(self, telegram_id: int, questions: Iterable[str]) -> None:
        """Forget the answers to some questions (drafts that a final answer replaced)."""
        await self._session.execute(_DISCARD, {"telegram_id": telegram_id, "questions": list(questions)})

    async def clear(self, telegram_id: int) -> None:
        await self._session.execute(_CLEAR, {"telegram_id": telegram_id})
