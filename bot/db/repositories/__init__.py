"""Repositories: the only place where database rows turn into the services' types and back.

Every method is keyed by the runner's Telegram id and resolves the internal row id itself, so
no caller can reach another runner's rows by passing a wrong id. Nothing here commits: the
:class:`bot.db.uow.UnitOfWork` that owns the session does. One module per aggregate; the row
mappers are in :mod:`bot.db.mappers`, the types in :mod:`bot.services.accounts` and
:mod:`bot.services.records`; each repository satisfies its protocol in :mod:`bot.services.ports`.
"""

from bot.db.repositories.answers import AnswerRepository
from bot.db.repositories.base import FIRST_NAME_MAX, NOTE_MAX, UNSET, UnknownRunner, printable
from bot.db.repositories.checkins import CheckinRepository
from bot.db.repositories.groups import GroupRepository
from bot.db.repositories.plans import PlanRepository
from bot.db.repositories.reviews import ReviewRepository
from bot.db.repositories.runners import RunnerRepository
from bot.services.accounts import CHECKIN_STATUSES, CheckinRecord, CheckinStatus, RunnerAccount, RunnerBrief

__all__ = [
    "CHECKIN_STATUSES",
    "FIRST_NAME_MAX",
    "NOTE_MAX",
    "UNSET",
    "AnswerRepository",
    "CheckinRecord",
    "CheckinRepository",
    "CheckinStatus",
    "GroupRepository",
    "PlanRepository",
    "ReviewRepository",
    "RunnerAccount",
    "RunnerBrief",
    "RunnerRepository",
    "UnknownRunner",
    "printable",
]
