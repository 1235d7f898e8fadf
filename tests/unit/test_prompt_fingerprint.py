"""The fingerprint a stored prompt carries (``bot.services.ready_prompts``) is the same in every
process: the bot's processes each start with their own hash seed, and a fingerprint that followed
it would make every other process redraw every stored prompt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.content.loader import default_library
from bot.content.ui import default_ui
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer

ROOT = Path(__file__).resolve().parents[2]
CODE = """
from bot.content.loader import default_library
from bot.content.ui import default_ui
from bot.telegram.loop_render import LoopRenderer
from bot.telegram.render import Renderer
print(LoopRenderer(Renderer(default_ui(), default_library())).fingerprint)
"""


def fingerprint_in_process(seed: str) -> str:
    env = os.environ | {"PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return done.stdout.strip()


def test_the_fingerprint_does_not_follow_the_hash_seed() -> None:
    """Seeds 1 and 2 order the texts' sets differently (a tip's areas to avoid): one fingerprint."""
    here = LoopRenderer(Renderer(default_ui(), default_library())).fingerprint
    seen = {fingerprint_in_process(seed) for seed in ("1", "2", "3", "4")}
    assert seen == {here}
