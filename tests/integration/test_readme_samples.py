"""Every `coach chat` sample in the README works on any day it is run (issue 20, point 11): each is
run as written, its clock starting on days other than the one it was written on (`CHAT_START`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_chat import clean_env

README = Path(__file__).resolve().parents[2] / "README.md"
# a Wednesday in spring, a Sunday evening across the clocks going forward, a Monday in summer
STARTS = ("2027-03-03T09:00:00+01:00", "2027-03-21T21:30:00+01:00", "2027-07-12T06:45:00+02:00")


def chat_samples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if "coach chat" in block]


def run(sample: str, start: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = sample.replace(".venv/bin/coach", f"{sys.executable} -m bot")
    env = clean_env() | {"CHAT_START": start}
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=cwd, env=env, timeout=120, check=False
    )


def test_the_readme_has_chat_samples() -> None:
    assert len(chat_samples()) >= 3


@pytest.mark.parametrize("start", STARTS)
def test_every_chat_sample_runs_on_another_day(tmp_path: Path, start: str) -> None:
    """Each sample exits 0, with no refused line (a clock moved back, a date before joining) and no
    traceback, whatever day it starts on; the week sample logs its Monday lift at effort 7 and gets
    Sunday's review."""
    for number, sample in enumerate(chat_samples()):
        folder = tmp_path / str(number)
        folder.mkdir()
        result = run(sample, start, folder)
        out = result.stdout + result.stderr
        assert result.returncode == 0, out
        assert "Traceback" not in out
        assert not [line for line in result.stdout.splitlines() if line.startswith("! ")], out
        assert "before you joined" not in out
        if ":clock mon 18:00" in sample:  # the week sample
            assert "Your week in review" in result.stdout
            assert "effort 7" in result.stdout.lower()


def test_the_clock_never_moves_back(tmp_path: Path) -> None:
    """`:clock` to an earlier instant is refused with the time it is, and the chat goes on."""
    script = f"printf '%s\\n' ':clock 2020-01-01T07:00' ':now' | {sys.executable} -m bot chat --fresh"
    env = clean_env() | {"CHAT_START": STARTS[0]}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    # no runner yet, so no zone: the chat's clock reads UTC
    assert "! the clock only moves forward: it is Wed 2027-03-03 08:00 now" in result.stdout
    assert result.returncode == 0
