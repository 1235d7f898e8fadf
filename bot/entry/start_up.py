"""The garbage collector held off while a process starts, then told to leave the start-up's objects be.

Importing the bot and building its application leave about 230,000 objects the collector tracks
(classes, functions, the library, the intent model) that live as long as the process. Each allocation
counts towards the collector's next run, so start-up triggers hundreds of collections, the older
generations' walking those objects again and again to find next to no garbage (a full collection at
the end frees under 1,000 objects). Held off until the application is built, then ``gc.freeze()``
moves everything alive into the permanent generation, which later collections skip, so they stay as
cheap as in a small process. No collection before the freeze: it would cost a full walk to free a
few kilobytes.
"""

from __future__ import annotations

import gc

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
    ``hold_collector`` turned collections off, so it is safe on every path out."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
