"""The library and the chat texts read from a snapshot of the YAML (bot.content.snapshot): the same
values as reading the YAML, and never a snapshot of other files or of other code."""

from __future__ import annotations

import io
import pickle
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.content import snapshot
from bot.content.loader import LIBRARY_FILES, ContentError, load_library
from bot.content.ui import load_ui
from bot.resources import CONTENT_DIR

SNAPSHOTS: dict[str, tuple[tuple[str, ...], Callable[[Path], Any]]] = {
    "library": (LIBRARY_FILES, load_library),
    "ui": (("ui.yaml",), load_ui),
}


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped content, its snapshots kept in a folder of the test's own."""
    monkeypatch.setattr(snapshot, "folder", lambda: tmp_path / "__pycache__")
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("*.gz"))
    return copy


def kept(name: str, directory: Path, **options: Any) -> Any:
    files, read = SNAPSHOTS[name]
    return snapshot.kept(name, [directory / file for file in files], lambda: read(directory), **options)


def snapshots(directory: Path) -> list[Path]:
    return sorted((directory.parent / "__pycache__").glob("*.pickle"))


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_a_snapshot_gives_what_reading_the_yaml_gives(content: Path, name: str) -> None:
    built = kept(name, content, write=True)
    assert len(snapshots(content)) == 1
    from_snapshot = kept(name, content)
    assert from_snapshot is not built  # read back from the file
    fresh = SNAPSHOTS[name][1](content)
    fields = vars(fresh) if hasattr(fresh, "__dict__") else {f: getattr(fresh, f) for f in fresh.__dataclass_fields__}
    assert fields and all(getattr(from_snapshot, field) == value for field, value in fields.items())


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_a_snapshot_refers_to_no_module_its_digest_does_not_read(name: str) -> None:
    """Every module of the bot whose classes a snapshot holds is one of ``MODULES``, so editing it makes
    a new digest; the rest is Python's and pydantic's, whose versions the digest reads."""
    seen: set[str] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            seen.add(module)
            return super().find_class(module, name)

    read = SNAPSHOTS[name][1]
    Recording(io.BytesIO(pickle.dumps(read(CONTENT_DIR)))).load()
    ours = {module for module in seen if module.split(".")[0] == "bot"}
    assert ours and ours <= set(snapshot.MODULES[name])
    assert {module.split(".")[0] for module in seen - ours} <= {"builtins", "copyreg", "pydantic", "collections"}


def test_an_edited_yaml_file_is_read_again_never_the_old_snapshot(content: Path) -> None:
    before = kept("library", content, write=True)
    exercises = content / "exercises.yaml"
    some = next(iter(before.exercises.values()))
    exercises.write_text(exercises.read_text(encoding="utf-8").replace(some.name, "Renamed lift", 1), encoding="utf-8")
    after = kept("library", content, write=True)
    assert any(ex.name == "Renamed lift" for ex in after.exercises.values())
    assert len(snapshots(content)) == 1  # the old one removed

    exercises.write_text("- id: [broken", encoding="utf-8")
    with pytest.raises(ContentError):  # a broken file stops the start as it always did
        kept("library", content, write=True)


def test_an_edited_module_makes_another_digest(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "modules" / "snapshot_probe.py"
    module.parent.mkdir()
    module.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(module.parent))
    monkeypatch.setitem(snapshot.MODULES, "probe", ("snapshot_probe",))
    files = [content / "ui.yaml"]
    first = snapshot.digest("probe", files)
    module.write_text("X = 2\n", encoding="utf-8")
    assert snapshot.digest("probe", files) != first
    sys.modules.pop("snapshot_probe", None)


def test_a_snapshot_that_cannot_be_read_is_built_again(content: Path) -> None:
    kept("ui", content, write=True)
    (path,) = snapshots(content)
    path.write_bytes(b"not a pickle")
    assert kept("ui", content).commands == load_ui(content).commands


def test_nothing_is_written_where_bytecode_is_not(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept("ui", content)
    assert snapshots(content) == []
