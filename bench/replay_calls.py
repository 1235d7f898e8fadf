"""Every Bot API call the coach makes for a few thousand scripted updates, written to a file, to
compare two trees: `python bench/replay_calls.py --updates 4000 --out calls.txt`, then the same with
this file copied into the other tree's ``bench/``, then `diff` (after ``--normalise``, which blanks the
random token of a calendar Undo button and its MAC: both differ from run to run on any tree).

The updates are update_bench's coach side (10 onboarded runners; taps, questions, free text, the
settings steps) with three in ten replaced by others: commands (known, unknown, in capitals, with
the bot's or another bot's name, with arguments), calendar and race words, pain, over-long text,
taps with forged, unsigned or empty data and on the latest buttons, a group's message, a location,
a sticker, a photo, an edited message. Each call is written as its method and its parameters in
order, each as the string python-telegram-bot hands the transport (what goes on the wire), as the
offline Bot API's ``WireRecorder`` notes it: a tree from before 8 December 2026 needs that class
added to its ``bot/console/transport/api.py`` too."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import random
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing
sys.path.insert(0, str(Path(__file__).resolve().parent))

import update_bench as ub

from bot.console.transport import OfflineBotApi, WireRecorder
from bot.entry.start_up import hold_collector
from bot.logs import configure_logging

WORDS = (
    "/race",
    "/calendar",
    "no run on the 24th",
    "/cancel",
    "/help",
    "/history",
    "/settings",
    "/start",
    "my knee hurts",
    "done, rpe 7",
    "skip today",
    "/stats",
    "10k on 2027-03-01",
    "yes",
    "no",
    "/week",
    "move my long run to saturday",
    "/pause",
    "/delete",
    "/today",
    "x" * 5000,
    "/TODAY",
    "/today@coach_bot",
    "/today@other_bot",
    "/nosuch",
    "/week extra args",
    "/ today",
    "/settings@coach_bot",
)
UNDO = re.compile(r"cal\|undo\|[0-9a-f]+#[A-Za-z0-9_-]{8}")


def other_update(api: OfflineBotApi, rng: random.Random, user_id: int, pick: float) -> dict[str, Any]:
    if pick < 0.5:
        return api.text(user_id, rng.choice(WORDS), "Runner")
    if pick < 0.63:
        message = api.last_with_buttons(user_id)
        if message is None:
            return api.text(user_id, "/today", "Runner")
        latest = message.inline_buttons[0].callback_data or "z"
        data = rng.choice(["ck|done|x#AAAAAAAA", "forged", "", "pr|ask|-", latest])
        return api.press(user_id, message.message_id, data, "Runner")
    if pick < 0.7:
        return api.text(user_id, "hello group", "Runner", chat_id=-1000 - rng.randrange(3))
    if pick < 0.77:
        return api.location(user_id, 52.5, 13.4)
    if pick < 0.83:
        return api.sticker(user_id)
    if pick < 0.9:
        return api.photo(user_id, rng.choice([None, "my knee"]))
    sent = api.text(user_id, rng.choice(ub.FREE), "Runner")
    return {"update_id": sent["update_id"], "edited_message": sent["message"]}


async def replay(updates: int) -> list[Any]:
    hold_collector()
    configure_logging("WARNING", json=True, stream=io.StringIO())
    with tempfile.TemporaryDirectory() as folder:
        coach = ub.CoachSide(folder, 10, 20261130)
        api = coach.api = WireRecorder(clock=coach.clock)
        await coach.open()
        rng = random.Random(7)
        calls: list[Any] = []
        for n in range(updates):
            pick, user_id = rng.random(), rng.choice(coach.ids)
            calls.extend(api.wire)  # the calls so far, then this update's after its mark
            api.wire.clear()
            calls.append(("--update", n))
            if pick < 0.7:
                await coach.step()
                continue
            await api.deliver(coach.app, other_update(api, rng, user_id, (pick - 0.7) / 0.3))
            coach.clock.advance(dt.timedelta(seconds=3))
        await coach.close()
    return calls + api.wire


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=4000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--normalise", action="store_true", help="blank the calendar Undo buttons' tokens")
    args = parser.parse_args()
    calls = asyncio.run(replay(args.updates))
    lines = [json.dumps(call, ensure_ascii=False) for call in calls]
    if args.normalise:
        lines = [UNDO.sub("cal|undo|TOKEN", line) for line in lines]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    made = sum(1 for call in calls if call[0] != "--update")
    print(f"{args.updates:,} updates, {made:,} Bot API calls written to {args.out}")


if __name__ == "__main__":
    main()
