"""Due messages of one runner, for the loop services: the scheduler's ``reschedule``,
``set_one_off`` and ``cancel`` (see ``bot.services.scheduling``), and local wall times in UTC."""

from __future__ import annotations

from bot.services.schedule import at_local as local_instant
from bot.services.scheduling import cancel, reschedule, set_one_off

__all__ = ["cancel", "local_instant", "reschedule", "set_one_off"]
