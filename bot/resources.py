"""Where the shipped data is: the YAML of `content/` and the Alembic scripts of `migrations/`.

Both folders sit beside `bot/` in the source tree. A wheel carries them inside the package, as
`bot/_content` and `bot/_migrations` (`setup.py` maps them there), so an installed `coach` finds
them through ``importlib.resources`` from any working directory. The package's own copy wins;
the source tree's folders are the fallback for a checkout run in place (editable installs and
``python -m bot`` with the tree on the path), so code always reads the data it shipped with.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SOURCE_TREE = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> Path:
    """The folder ``name`` of the data shipped with this ``bot`` package."""
    packaged = files("bot") / f"_{name}"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return SOURCE_TREE / name


CONTENT_DIR = _shipped("content")
MIGRATIONS_DIR = _shipped("migrations")
