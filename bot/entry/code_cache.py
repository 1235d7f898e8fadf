"""The methods ``dataclasses`` writes, compiled once per installation rather than at every start.

Python 3.11's ``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and a frozen
class's ``__hash__``, ``__setattr__`` and ``__delattr__``) as source text and compiles each with
``exec``: over 1,100 compilations for the 210 dataclasses `coach run` imports, an eighth of the
instructions to its first answer (4.19 G with them, 3.68 G without, by cachegrind). The same text
always compiles to the same code, so while the process starts (from :func:`start` to :func:`finish`,
which ``bot.entry.start_up`` calls) each text's code is looked up in a file an earlier start wrote
beside the package's bytecode, and only a text not found there is compiled. ``python -m
bot.entry.code_cache`` writes the file at install time (the Dockerfile does), the way pip compiles a
wheel's bytecode; a start writes it too unless bytecode is not written (``PYTHONDONTWRITEBYTECODE``).

Code is only ever found under its exact text, so an edited class never gets an old class's code (its
text differs), and only for the interpreter that compiled it: the file's name carries the bytecode's
magic number and the optimisation level, as a ``.pyc``'s does. A file that cannot be read or written
is ignored. Only ``dataclasses``' own ``exec`` is replaced, and only while starting: a module-level
``exec`` that shadows the builtin for that module alone.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import bot

LIMIT = 2048  # texts kept in the file; past it, only those the last start used (old ones drop out)

_codes: dict[str, CodeType] = {}  # text -> code: the file's, then those compiled since
_used: set[str] = set()  # the texts this start looked up
_compiled = 0  # texts compiled since the file was read (the file is rewritten if any)
_active = False


def cache_file() -> Path:
    """Where this interpreter's code is kept: the package's ``__pycache__``, named as a ``.pyc`` is."""
    tag = f"{sys.implementation.cache_tag}-{importlib.util.MAGIC_NUMBER.hex()}-opt{sys.flags.optimize}"
    return Path(bot.__file__).parent / "__pycache__" / f"dataclass-code.{tag}.marshal"


def _code(text: str) -> CodeType:
    """The code of ``text``: the cache's when it holds this very text, else compiled (and kept)."""
    global _compiled
    code = _codes.get(text)
    if code is None:
        # as exec compiles dataclasses' text: that module passes on no __future__ flags (dont_inherit)
        code = _codes[text] = compile(text, "<string>", "exec", dont_inherit=True)
        _compiled += 1
    _used.add(text)
    return code


def _exec(source: Any, *namespaces: Any) -> None:
    """``exec`` for ``dataclasses``: a text's code from the cache."""
    builtins.exec(_code(source) if isinstance(source, str) else source, *namespaces)


def start() -> None:
    """Read the file and have ``dataclasses`` compile through it until :func:`finish`."""
    global _active, _compiled
    if _active or "exec" in vars(dataclasses):
        return
    _codes.clear()
    _used.clear()
    _compiled = 0
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        read = marshal.loads(cache_file().read_bytes())
        if isinstance(read, dict):
            _codes.update((k, v) for k, v in read.items() if isinstance(k, str) and isinstance(v, CodeType))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # shadows the builtin in dataclasses alone
    _active = True


def finish(*, write: bool | None = None) -> None:
    """``dataclasses`` back to the builtin ``exec``; the file rewritten if texts were compiled (``write`` None:
    unless bytecode is not written, as for a ``.pyc``). Does nothing unless :func:`start` ran."""
    global _active
    if not _active:
        return
    _active = False
    del dataclasses.exec  # type: ignore[attr-defined]
    if write is None:
        write = not sys.dont_write_bytecode
    if write and _compiled:
        kept = _codes if len(_codes) <= LIMIT else {text: _codes[text] for text in _used}
        with contextlib.suppress(OSError, ValueError):
            from bot.content.snapshot import write_whole  # after the start: not on its path

            write_whole(cache_file(), marshal.dumps(kept))
    _codes.clear()
    _used.clear()


def main() -> int:
    """Write the file for what `coach run` and `coach chat` import, and the content's snapshots
    (bot.content.snapshot), at install time."""
    from bot.entry.start_up import import_libraries

    start()
    try:
        import_libraries()
        import bot.__main__
        import bot.config
        import bot.console.chatfile
        import bot.entry.chat
        import bot.entry.run
        import bot.logs  # noqa: F401
    finally:
        finish(write=True)
    from bot.content.loader import LIBRARY_FILES, load_library
    from bot.content.snapshot import kept
    from bot.content.ui import load_ui
    from bot.resources import CONTENT_DIR

    kept("library", [CONTENT_DIR / name for name in LIBRARY_FILES], load_library, write=True)
    kept("ui", [CONTENT_DIR / "ui.yaml"], load_ui, write=True)
    print(cache_file())
    return 0


if __name__ == "__main__":
    sys.exit(main())
