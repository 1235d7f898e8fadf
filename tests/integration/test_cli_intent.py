"""`coach intent [--today YYYY-MM-DD]` (PRODUCT.md): one message a line in, one JSON object a line out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
KEYS = ["text", "intent", "rpe", "area", "run", "day", "until", "urgent", "flag", "also", "topic"]


def _run(stdin: bytes, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "intent", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    return done.returncode, rows, done.stderr.decode("utf-8", errors="replace")


def test_each_line_becomes_one_json_object_with_every_key() -> None:
    """Messages in, one JSON object each in order, details given as values and absent ones as null."""
    messages = [
        "did it, rpe 7",
        "my achilles is sore",
        "long run moved to saturday",
        "pause until 5 dec",
        "whats on tmrw",
        "chest pain on my run",
        "did it all, 7, but now my knee's throbbing",
        "how do i pause the plan??",
    ]
    code, rows, stderr = _run("\n".join(messages).encode() + b"\n", "--today", "2026-11-25")
    assert code == 0, stderr
    assert [list(row) for row in rows] == [KEYS] * len(messages)
    assert rows == [
        {
            "text": "did it, rpe 7",
            "intent": "done",
            "rpe": 7,
            "area": None,
            "run": None,
            "day": None,
            "until": None,
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": None,
        },
        {
            "text": "my achilles is sore",
            "intent": "pain",
            "rpe": None,
            "area": "ankle",
            "run": None,
            "day": None,
            "until": None,
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": None,
        },
        {
            "text": "long run moved to saturday",
            "intent": "moved_run",
            "rpe": None,
            "area": None,
            "run": "long",
            "day": "sat",
            "until": None,
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": None,
        },
        {
            "text": "pause until 5 dec",
            "intent": "pause",
            "rpe": None,
            "area": None,
            "run": None,
            "day": None,
            "until": "2026-12-05",
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": None,
        },
        {
            "text": "whats on tmrw",
            "intent": "tomorrow",
            "rpe": None,
            "area": None,
            "run": None,
            "day": None,
            "until": None,
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": None,
        },
        {
            "text": "chest pain on my run",
            "intent": "ill",
            "rpe": None,
            "area": None,
            "run": None,
            "day": None,
            "until": None,
            "urgent": True,
            "flag": "chest",
            "also": [],
            "topic": None,
        },
        {
            "text": "did it all, 7, but now my knee's throbbing",
            "intent": "pain",
            "rpe": 7,
            "area": "knee",
            "run": None,
            "day": None,
            "until": None,
            "urgent": False,
            "flag": None,
            "also": ["done"],
            "topic": None,
        },
        {
            "text": "how do i pause the plan??",
            "intent": "help",
            "rpe": None,
            "area": None,
            "run": None,
            "day": None,
            "until": None,
            "urgent": False,
            "flag": None,
            "also": [],
            "topic": "pause",
        },
    ]


def test_relative_dates_follow_the_today_given() -> None:
    """`--today` fixes the day "tomorrow" and "for a week" are read from, so runs are reproducible."""
    _, rows, _ = _run(b"long run is tomorrow instead\npause for a week\n", "--today", "2027-03-06")
    # a week paused: today and six more days
    assert [(row["day"], row["until"]) for row in rows] == [("sun", None), (None, "2027-03-12")]


def test_junk_and_huge_lines_are_unknown_and_the_rest_still_read() -> None:
    """Binary junk, a line of a megabyte and empty lines each print `unknown`; the lines after them are read."""
    stdin = b"\xff\xfe\x00\x81 junk\n" + b"a" * 1_000_000 + b"\n\r\n\x00\x00\nthanks!\n"
    code, rows, stderr = _run(stdin, "--today", "2026-11-25")
    assert code == 0, stderr
    assert [row["intent"] for row in rows] == ["unknown", "unknown", "unknown", "unknown", "greeting"]
    details = ["rpe", "area", "run", "day", "until", "flag", "topic"]
    assert all(row[key] is None for row in rows for key in details)
    assert not any(row["urgent"] or row["also"] for row in rows)
    assert len(rows[1]["text"]) <= 4000


def test_a_bad_today_is_refused_with_a_usage_line() -> None:
    """A `--today` that is not a date stops with exit code 2 and says how to write one, before reading stdin."""
    code, rows, stderr = _run(b"done\n", "--today", "someday")
    assert (code, rows) == (2, [])
    assert "YYYY-MM-DD" in stderr and "Traceback" not in stderr
