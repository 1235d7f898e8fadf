"""Print the README's "Worked examples" tables from `examples/*.plan.json` (a test keeps them in step)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = {
    "beginner": "1. A beginner with no race and no equipment",
    "club-half": "2. A club runner with two quality days and a half marathon in 10 weeks",
    "marathon-race-week": "3. A marathoner in race week",
    "achilles-marathon": "4. An Achilles niggle, no equipment, 12 weeks to a marathon",
}
WEEKS = {"achilles-marathon": 4}  # the others print one week


def _exercise(item: dict[str, object]) -> str:
    effort = f" @RPE {item['rpe']}" if item["rpe"] else ""
    rest = f", rest {item['rest_s']} s" if item.get("rest_s") and item.get("type") != "mobility" else ""
    return f"{item['name']} {item['sets']}×{item['reps']}{effort}{rest}"


def _weeks(name: str) -> str:
    return f" --weeks {WEEKS[name]}" if name in WEEKS else ""


def digest() -> str:
    lines: list[str] = []
    for name, title in EXAMPLES.items():
        profile = (HERE / f"{name}.json").read_text(encoding="utf-8").strip()
        plan = json.loads((HERE / f"{name}.plan.json").read_text(encoding="utf-8"))
        lines += [f"### {title}", "", f"`examples/{name}.json`:", "", "```json", profile, "```", ""]
        lines += [
            f"`coach plan --profile examples/{name}.json --start 2026-11-23{_weeks(name)}` prints "
            f"[`examples/{name}.plan.json`](examples/{name}.plan.json); day by day:",
            "",
        ]
        for week in plan["weeks"]:
            lines += [f"> **Week of {week['start']} · {week['phase']}.** {week['note']}", ""]
            lines += ["| day | run | session | reason | exercises |", "|---|---|---|---|---|"]
            for day in week["days"]:
                session = day["session"]
                exercises = "; ".join(_exercise(item) for item in session["exercises"]) or "—"
                lines.append(
                    f"| {day['date'][5:]} | {day['run']} | {session['kind']} ({session['minutes']} min) "
                    f"| {session['reason']} | {exercises} |"
                )
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(digest())
