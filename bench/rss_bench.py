"""How light is `coach run`? `python bench/rss_bench.py [--runs N]`.

Starts the real bot process (``python -m bot run``, this tree first on ``PYTHONPATH``) in polling mode
against the offline Bot API served over HTTP on 127.0.0.1 (`BotApiEmulator`, as the integration tests
do), on a SQLite file migrated by an untimed first run (a restart, as in production). A runner's
``/start`` is queued before the process starts, so the first answer shows the whole start-up:

- **first answer**: wall clock from launching the process to the answer arriving at the emulator, and
  the process's CPU time (user + system, from /proc) at that moment;
- **idle RSS**: ``VmRSS`` once the process is idle after its first answer (under 20 ms of CPU in a
  second), and ``VmHWM``, the most it was resident at any moment so far;
- **after a place**: the same once a runner has typed a city ("Berlin", the city index's first use).

Then ``coach chat``'s first answer, timed as `start_bench.py` does. Aims (issue 22): idle RSS at most
120 MiB, start to first answer under 1 s. Each is run ``--runs`` times (default 3), the median and the
best printed, with the machine's load average: on a shared machine the CPU column is the steadier one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from start_bench import ROOT, _cpu_from_proc, time_chat  # this folder is on the path when the script runs

from bot.console.emulator import BotApiEmulator

TOKEN = "987654321:bench-token-XYZ"
RUNNER = 777
AIM_RSS_MIB = 120.0
AIM_FIRST_ANSWER_S = 1.0
WITHIN = 120.0  # seconds: only catches a hang


@dataclass(frozen=True)
class Run:
    wall: float  # launch to first answer
    cpu: float  # the process's CPU at the first answer
    idle_rss: float  # MiB
    idle_hwm: float  # MiB
    place_rss: float  # MiB, after a city was typed
    place_hwm: float


def _env(base_url: str, database: Path, tree: Path) -> dict[str, str]:
    # bytecode written by the untimed run, as an installed wheel has it
    names = {"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "DATABASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "PORT"}
    names.add("PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(
        PYTHONPATH=os.pathsep.join([str(tree), *filter(None, [os.environ.get("PYTHONPATH")])]),
        PYTHONUNBUFFERED="1",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        LOG_LEVEL="WARNING",
    )
    return env


def memory_mib(pid: int) -> tuple[float, float]:
    """``VmRSS`` and ``VmHWM`` of a process, in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def settled(pid: int) -> tuple[float, float]:
    """RSS and high-water mark once the process is idle: it used under 20 ms of CPU in the last second
    (a thread still building something at start-up, on a loaded machine, keeps the memory still for
    a while but not the CPU)."""
    last = _cpu_from_proc(pid)
    for _ in range(240):
        await asyncio.sleep(1.0)
        now = _cpu_from_proc(pid)
        if now - last < 0.02:
            return memory_mib(pid)
        last = now
    raise SystemExit("coach run never went idle")


async def _answer(emulator: BotApiEmulator, process: asyncio.subprocess.Process, text: str) -> None:
    """The runner says ``text``; wait for the bot's answer."""
    marker = emulator.api.marker()
    emulator.send_text(RUNNER, text, "Ada")
    await _answered(emulator, process, marker)


async def _answered(emulator: BotApiEmulator, process: asyncio.subprocess.Process, marker: int) -> None:
    def arrived() -> bool:
        return bool(emulator.api.sent_since(RUNNER, marker)) or process.returncode is not None

    if not await emulator.api.wait_for(arrived, WITHIN) or process.returncode is not None:
        raise SystemExit(f"coach run gave no answer (exit {process.returncode})")


async def one_run(folder: Path, *, onboard_to_place: bool, tree: Path = ROOT) -> Run:
    """Start `coach run` with `/start` waiting, time its first answer, then read its memory idle and after a city."""
    async with BotApiEmulator(TOKEN) as emulator:
        marker = emulator.api.marker()
        emulator.send_text(RUNNER, "/start", "Ada")
        with (folder / "out.txt").open("wb") as out:
            start = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=folder,
                env=_env(emulator.base_url, folder / "bot.db", tree),
                stdout=out,
                stderr=out,
            )
            try:
                await _answered(emulator, process, marker)
                wall, cpu = time.perf_counter() - start, _cpu_from_proc(process.pid)
                idle_rss, idle_hwm = await settled(process.pid)
                place_rss = place_hwm = float("nan")
                if onboard_to_place:
                    await _to_the_timezone_question(emulator, process)
                    await _answer(emulator, process, "Berlin")
                    place_rss, place_hwm = await settled(process.pid)
            finally:
                if process.returncode is None:
                    process.terminate()
                    await process.wait()
    return Run(wall, cpu, idle_rss, idle_hwm, place_rss, place_hwm)


async def _to_the_timezone_question(emulator: BotApiEmulator, process: asyncio.subprocess.Process) -> None:
    """Onboard the runner up to the question where they type a place (as test_coach_run.py does)."""
    steps: list[tuple[str, str]] = [
        ("say", "/cancel"),
        ("say", "/start"),
        ("press", "Now and then"),
        ("say", "mon wed fri sun"),
        ("press", "Sun"),
        ("say", "wed"),
        ("press", "No race"),
        ("say", "gym"),
        ("press", "30"),
        ("say", "none"),
    ]
    for kind, text in steps:
        marker = emulator.api.marker()
        if kind == "say":
            emulator.send_text(RUNNER, text, "Ada")
        else:
            try:
                emulator.press_label(RUNNER, text)
            except LookupError:
                continue  # a step this runner's state skips
        await _answered(emulator, process, marker)
        await asyncio.sleep(0.05)  # a step may answer with two messages: let both arrive


def _row(name: str, values: list[float], unit: str, aim: float | None = None) -> str:
    med, best = statistics.median(values), min(values)
    text = f"{name:34}{med:>10.2f}{unit:<4}{best:>10.2f}{unit:<4}"
    return text + (f"  aim {aim:g}{unit}, ratio {med / aim:.2f}" if aim else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument(
        "--against", type=Path, help="another checkout whose `coach run` is measured in turn with this one's"
    )
    args = parser.parse_args(argv)
    trees = {"this tree": ROOT, **({str(args.against): args.against.resolve()} if args.against else {})}
    with tempfile.TemporaryDirectory() as name:
        folders = {label: Path(name) / str(n) for n, label in enumerate(trees)}
        for label, tree in trees.items():  # untimed: migrates each file, writes bytecode, fills caches
            folders[label].mkdir()
            asyncio.run(one_run(folders[label], onboard_to_place=False, tree=tree))
        time_chat(Path(name))
        load_before = os.getloadavg()[0]
        runs: dict[str, list[Run]] = {label: [] for label in trees}
        chats = []
        for n in range(args.runs):
            for label, tree in trees.items():
                runs[label].append(asyncio.run(one_run(folders[label], onboard_to_place=n == 0, tree=tree)))
            chats.append(time_chat(Path(name)))
        load_after = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each")
    print(f"load average (1 min) {load_before:.2f} before, {load_after:.2f} after")
    print(f"{'':34}{'median':>10}{'':4}{'best':>10}")
    for label, measured in runs.items():
        print(f"-- coach run of {label}")
        print(_row("coach run, first answer (wall)", [r.wall for r in measured], "s", AIM_FIRST_ANSWER_S))
        print(_row("coach run, first answer (CPU)", [r.cpu for r in measured], "s", AIM_FIRST_ANSWER_S))
        print(_row("coach run, idle RSS", [r.idle_rss for r in measured], "MiB", AIM_RSS_MIB))
        print(_row("coach run, peak RSS (VmHWM)", [r.idle_hwm for r in measured], "MiB"))
        first = measured[0]
        print(f"after a city was typed (1 run): RSS {first.place_rss:.1f} MiB, peak {first.place_hwm:.1f} MiB")
    print("-- coach chat of this tree")
    print(_row("coach chat, first answer (wall)", [w for w, _ in chats], "s", AIM_FIRST_ANSWER_S))
    print(_row("coach chat, first answer (CPU)", [c for _, c in chats], "s", AIM_FIRST_ANSWER_S))
    return 0


if __name__ == "__main__":
    sys.exit(main())
