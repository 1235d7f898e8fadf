"""The dataclasses' methods compiled once and kept beside the bytecode (bot.entry.code_cache): the same
classes as compiling them afresh, never an old text's code, and nothing kept after the start."""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.entry import code_cache


@pytest.fixture(autouse=True)
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "__pycache__" / "dataclass-code.marshal"
    monkeypatch.setattr(code_cache, "cache_file", lambda: path)
    yield path
    code_cache.finish(write=False)
    assert "exec" not in vars(dataclasses)


def make_point(*fields: str) -> type:
    """A frozen dataclass named Point with ``fields``, as a module would define it."""
    return dataclasses.make_dataclass("Point", [(name, int) for name in fields], frozen=True)


def test_a_start_writes_the_code_and_the_next_one_compiles_nothing(cache_in: Path) -> None:
    code_cache.start()
    first = make_point("x", "y")
    code_cache.finish(write=True)
    assert cache_in.exists()
    assert "exec" not in vars(dataclasses)  # the builtin again once started

    code_cache.start()
    again = make_point("x", "y")
    assert code_cache._compiled == 0  # every method's code came from the file
    code_cache.finish(write=True)
    plain = make_point("x", "y")
    for cls in (first, again):
        point = cls(1, 2)
        assert point == cls(1, 2) and point != cls(2, 1) and hash(point) == hash(cls(1, 2))
        assert repr(point) == "Point(x=1, y=2)"
        with pytest.raises(dataclasses.FrozenInstanceError):
            point.x = 3  # type: ignore[attr-defined]
        for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__"):
            assert getattr(cls, method).__code__.co_code == getattr(plain, method).__code__.co_code


def test_an_edited_class_never_gets_the_old_ones_code(cache_in: Path) -> None:
    code_cache.start()
    make_point("x", "y")
    code_cache.finish(write=True)

    code_cache.start()
    edited = make_point("x", "y", "z")  # the same class with one more field: another text
    assert code_cache._compiled > 0
    code_cache.finish(write=True)
    assert repr(edited(1, 2, 3)) == "Point(x=1, y=2, z=3)"
    with pytest.raises(TypeError):
        edited(1, 2)  # type: ignore[call-arg]


def test_a_broken_file_is_ignored_and_replaced(cache_in: Path) -> None:
    cache_in.parent.mkdir()
    for broken in (b"not marshal", marshal.dumps(["a list"]), marshal.dumps({"text": "not code"})):
        cache_in.write_bytes(broken)
        code_cache.start()
        assert repr(make_point("x")(1)) == "Point(x=1)"
        code_cache.finish(write=True)
    assert isinstance(marshal.loads(cache_in.read_bytes()), dict)


def test_nothing_is_written_where_bytecode_is_not(cache_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.dont_write_bytecode", True)
    code_cache.start()
    make_point("x")
    code_cache.finish()
    assert not cache_in.exists()


def test_the_file_is_named_for_the_interpreter_as_bytecode_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real location
    import importlib.util
    import sys

    name = code_cache.cache_file().name
    assert sys.implementation.cache_tag in name and importlib.util.MAGIC_NUMBER.hex() in name
    assert code_cache.cache_file().parent.name == "__pycache__"
