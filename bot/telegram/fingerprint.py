"""The fingerprint of what draws a prompt (``LoopRenderer.fingerprint``): the texts, the plans'
words and the drawing code, the same in every process.

The bot's processes each start with their own hash seed, so anything iterated in set order (a
tip's areas to avoid, a ``frozenset`` in the texts) would give each process its own fingerprint,
and every process but the planner's would redraw every stored prompt. So the texts are encoded
canonically here: sets sorted, mappings by sorted key, models and dataclasses by their fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib.metadata
import inspect
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel


def fingerprint(values: Iterable[object], modules: Iterable[str]) -> str:
    """16 hex digits of the values' canonical encoding and the modules' source."""
    digest = hashlib.sha256()
    for value in values:
        digest.update(json.dumps(canonical(value), separators=(",", ":")).encode())
    for name in modules:
        try:
            digest.update(inspect.getsource(sys.modules[name]).encode())
        except (OSError, TypeError):  # installed without sources: the version stands for the code
            digest.update(f"{name} {_version()}".encode())
    return digest.hexdigest()[:16]


def canonical(value: object) -> Any:
    """``value`` as JSON whose text does not depend on the hash seed or on insertion order."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, BaseModel):
        return canonical(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: canonical(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return sorted(([canonical(k), canonical(v)] for k, v in value.items()), key=_text)
    if isinstance(value, set | frozenset):
        return sorted((canonical(item) for item in value), key=_text)
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return str(value)
    raise TypeError(f"no canonical form for {type(value).__name__}")  # a repr could hold an address


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _version() -> str:
    try:
        return importlib.metadata.version("runner-strength-coach")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
