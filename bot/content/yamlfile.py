"""Reading the content's YAML with libyaml's parser when PyYAML has it.

The shipped content is about 160 KB of YAML, read at every start (the bot, each `coach` command, each
test process): PyYAML's pure-Python parser takes about 0.6 s for it, libyaml's about 0.08 s. Both
build the same values with the same safe constructor and both raise ``yaml.YAMLError`` with the line
of a mistake, so callers see no difference but the time.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The document in ``text``, as ``yaml.safe_load`` reads it."""
    return yaml.load(text, Loader=_LOADER)
