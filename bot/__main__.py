"""The `coach` command line: chat | run | migrate | plan | dispatch."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.clock import SystemClock


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _weeks(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 52:
        raise argparse.ArgumentTypeError("weeks must be a whole number from 1 to 52")
    return int(text)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


def cmd_plan(args: argparse.Namespace) -> int:
    from bot.coach.planner import plan_weeks
    from bot.coach.profile_io import ProfileError, parse_profile, plan_to_json
    from bot.content.loader import ContentError, default_library

    today = SystemClock().now().date()
    try:
        raw = json.loads(Path(args.profile).read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"profile: cannot read {args.profile}: {exc.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"profile: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", file=sys.stderr)
        return 2
    try:
        profile = parse_profile(raw, today=today)
    except ProfileError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    try:
        library = default_library()
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    start = args.start or next_monday(today)
    json.dump(plan_to_json(plan_weeks(profile, start, args.weeks, library)), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="A strength and mobility coach for runners.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = sub.add_parser("plan", help="print the plan for a profile as JSON (no database, no network)")
    plan.add_argument("--profile", required=True, metavar="FILE", help="the runner profile (JSON)")
    plan.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help="first day (default: next Monday)")
    plan.add_argument("--weeks", type=_weeks, default=1, metavar="N", help="how many weeks (default 1)")
    plan.set_defaults(func=cmd_plan)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
