"""`coach chat`'s `:file PATH` sends a document: the README's calendar-import sample runs as written
and imports a training calendar on any day."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from test_cli_chat import chat, clean_env

from bot.content.ui import default_ui

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_import_sample() -> str:
    """The README's shell sample that imports a calendar with `:file`."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    [sample] = [block for block in blocks if ":file plan.ics" in block]
    return sample


def test_the_readme_sample_imports_its_calendar(tmp_path: Path) -> None:
    """The sample, run as written (the coach command swapped for this interpreter), shows the two
    weeks read and stores them on Confirm."""
    script = readme_import_sample().replace(".venv/bin/coach", f"{sys.executable} -m bot")
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=clean_env(), timeout=90, check=False
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr
    assert "coach> Here's what I read in your calendar," in out
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ · long run · Long Run 22 km", out)
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ · quality session · Intervals 6x800", out)
    assert "you> [✅ Use this calendar]" in out
    assert "now come from your calendar." in out
    assert "Your strength sessions, re-planned:" in out


def test_file_sends_a_document_and_a_missing_file_is_said_plainly(tmp_path: Path) -> None:
    """`:file` with no such file says so and the chat goes on; an onboarding-less runner sending a
    calendar is told to finish onboarding first."""
    (tmp_path / "plan.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n", encoding="utf-8")
    result = chat(tmp_path, [":file nowhere.ics", ":file plan.ics"], "--fresh")
    assert result.returncode == 0, result.stderr
    assert "cannot read nowhere.ics" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"coach> {default_ui().general.not_onboarded}" in result.stdout.split(":file plan.ics", 1)[1]
