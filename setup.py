"""Packaging that pyproject.toml cannot say: ship `content/` and `migrations/` inside the wheel.

The folders stay at the top of the repository; the wheel carries them as `bot/_content` and
`bot/_migrations`, where `bot.resources` finds them with importlib.resources.
"""

from setuptools import find_packages, setup

SHIPPED = {
    "bot._content": "content",
    "bot._migrations": "migrations",
    "bot._migrations.versions": "migrations/versions",
}

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), *SHIPPED],
    package_dir=SHIPPED,
    package_data={"bot._content": ["*.yaml", "*.bin.gz", "*.idx.gz"], "bot._migrations": ["script.py.mako"]},
)
