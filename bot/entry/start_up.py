"""What `coach run` and `coach chat` do first to start quickly.

The garbage collector held off while the process starts, then told to leave start-up's objects be.

Importing the bot and building its application leave about 230,000 objects the collector tracks
(classes, functions, the library, the intent model) that live as long as the process. Each allocation
counts towards the collector's next run, so start-up triggers hundreds of collections, the older
generations' walking those objects again and again to find next to no garbage (a full collection at
the end frees under 1,000 objects). Held off until the application is built, then ``gc.freeze()``
moves everything alive into the permanent generation, which later collections skip, so they stay as
cheap as in a small process. No collection before the freeze: it would cost a full walk to free a
few kilobytes.

httpx and python-telegram-bot imported without two parts the coach never uses. PTB's
``telegram.ext`` imports its own webhook server (``Updater.start_webhook``, on Tornado's ``web``
module) whenever Tornado is installed, and httpx its command line (click and Pygments) whenever
click is: about a twentieth of the start. The bot polls with its own loop (``bot.entry.polling``)
and serves webhooks with its own Tornado application (``bot.entry.webhook``, which imports Tornado
itself). Both libraries import those modules inside ``try/except ImportError``, to work without the
extras: :func:`import_libraries` makes those imports fail once, as if the extras were missing, then
forgets it, so a later ``import`` of either module works as usual.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from typing import Any

from bot.entry import code_cache

_held = False  # whether this process's collector is held off by ``hold_collector``


def hold_collector() -> None:
    """Stop automatic collections until ``release_collector``; does nothing when they are off already
    (someone else turned them off, and turns them on)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """Freeze what start-up made and collect automatically again; does nothing unless
    ``hold_collector`` turned collections off, so it is safe on every path out. The dataclasses'
    code cache (``starting``) is finished too: start-up's classes are made."""
    global _held
    code_cache.finish()
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


# module -> the library that imports it only if it can (its ImportError is caught there)
UNUSED = {
    "httpx._main": "httpx",  # `httpx` on the command line
    "telegram.ext._utils.webhookhandler": "telegram.ext",  # Updater.start_webhook's server
}


def import_libraries() -> None:
    """Import httpx and ``telegram.ext`` without the modules of ``UNUSED`` (see the module's docstring),
    the installed packages' entry points read once (see ``_entry_points_read_once``); leaves a library
    imported already as it is."""
    blocked = [name for name, library in UNUSED.items() if library not in sys.modules and name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        with _entry_points_read_once():
            import httpx  # noqa: F401
            import telegram.ext  # noqa: F401
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


@contextlib.contextmanager
def _entry_points_read_once() -> Iterator[None]:
    """``importlib.metadata.entry_points`` reading every installed package's entry points once in the block.

    APScheduler (python-telegram-bot's job queue) asks, as it is imported, for three groups of entry
    points, and each call reads the ``entry_points.txt`` of every installed package again: about 2 % of
    the start. In the block the first call reads them all and the others pick their group from that;
    outside it (a name bound to this function in the block included) every call reads afresh as usual.
    """
    import importlib.metadata  # SQLAlchemy imports it too

    real = importlib.metadata.entry_points
    everything: list[Any] = []
    active = True

    def entry_points(**params: Any) -> Any:
        if not active or not params:
            return real(**params)
        if not everything:
            everything.append(real())
        return everything[0].select(**params)

    importlib.metadata.entry_points = entry_points
    try:
        yield
    finally:
        active = False
        importlib.metadata.entry_points = real


@contextlib.contextmanager
def starting() -> Iterator[None]:
    """A verb's start: the collector held off (until the application is built, which releases it, or
    the block ends), the dataclasses' methods compiled through ``bot.entry.code_cache`` meanwhile, and
    the libraries imported as above."""
    hold_collector()
    code_cache.start()
    try:
        import_libraries()
        yield
    finally:
        release_collector()
