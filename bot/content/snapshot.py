"""The library and the chat texts kept as a snapshot of what the YAML gave, read instead of the YAML.

Every start reads `content/`'s YAML, validates it against the pydantic models of ``bot.content.schema``
and ``bot.content.ui_groups`` and checks every reference and placeholder: a twelfth of the
instructions to `coach run`'s first answer, PyYAML's import and the schema's models included. What
that gives (a ``Library``, a ``Ui``) depends only on the bytes of the files read and on the code that
reads them and defines its types, so :func:`kept` keeps it as a pickle beside the package's bytecode,
named by a digest of exactly that: the files' bytes, the source of the modules of ``MODULES`` (the readers, the
schema, the types the snapshot holds: a test checks the snapshot refers to no other module), and the
versions of Python and pydantic. A snapshot is only ever read under the digest of the files and
modules as they are now, so an edited YAML file or module is read, validated and checked afresh
(and a broken one stops the start as before); a snapshot that cannot be read is ignored.

The snapshot is written where bytecode is (not under ``PYTHONDONTWRITEBYTECODE``) and, in the image,
at install time (``python -m bot.entry.code_cache``).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar, cast

import bot

T = TypeVar("T")

# the modules that read the YAML and define what a snapshot holds, by snapshot
MODULES = {
    "library": (
        "bot.content.loader",
        "bot.content.schema",
        "bot.content.yamlfile",
        "bot.coach.library",
        "bot.coach.model",
        "bot.coach.vocabulary",
        "bot.coach.plural",
    ),
    "ui": (
        "bot.content.ui",
        "bot.content.ui_groups",
        "bot.content.ui_calendar",
        "bot.content.ui_feed",
        "bot.content.ui_history",
        "bot.content.ui_imports",
        "bot.content.ui_promises",
        "bot.content.ui_rhythm",
        "bot.content.race_texts",
        "bot.content.tips",
        "bot.content.loader",
        "bot.content.yamlfile",
        "bot.coach.plural",
    ),
}


def folder() -> Path:
    """Where snapshots are kept: the package's ``__pycache__``, beside its bytecode."""
    return Path(bot.__file__).parent / "__pycache__"


def digest(name: str, files: Sequence[Path]) -> str:
    """What a snapshot named ``name`` of ``files`` depends on, as a hex digest; raises OSError when a
    file or module cannot be read."""
    import pydantic

    hashed = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0{name}\0".encode())
    sources = []
    for module in MODULES[name]:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise OSError(f"no source for {module}")
        sources.append(Path(spec.origin))
    for path in [*files, *sources]:
        data = path.read_bytes()
        hashed.update(f"{path.name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()[:32]


def kept(name: str, files: Sequence[Path], build: Callable[[], T], *, write: bool | None = None) -> T:
    """What ``build()`` gives from ``files``: its snapshot if one was kept for these very files and
    modules, else built (and kept, ``write`` None: where bytecode is written)."""
    try:
        path = folder() / f"{name}.{digest(name, files)}.pickle"
    except OSError:
        return build()  # a file missing: the build says which, as it always did
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return cast(T, pickle.loads(path.read_bytes()))
    value = build()
    if write if write is not None else not sys.dont_write_bytecode:
        with contextlib.suppress(OSError, pickle.PicklingError):
            _replace(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def write_whole(path: Path, data: bytes) -> None:
    """``data`` into ``path`` whole or not at all (another process may read it meanwhile), readable
    by whoever runs the bot, as the bytecode beside it (the code cache writes its file this way too)."""
    import tempfile

    path.parent.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _replace(path: Path, data: bytes) -> None:
    """``path`` written whole (:func:`write_whole`), and the snapshots of the same name for other
    digests removed."""
    write_whole(path, data)
    name = path.name.split(".", 1)[0]
    for old in path.parent.glob(f"{name}.*.pickle"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
