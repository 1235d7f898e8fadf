"""How fast does the coach start? `python bench/start_bench.py [--runs N]`.

Times, in the same run and each as a fresh process of this tree (``python -m bot``, the tree first on
``PYTHONPATH``), wall clock and CPU (user + system of the process):

- ``python -c pass``: the interpreter alone, the floor under everything else;
- ``import bot.app``: the composition root with everything it pulls in;
- ``coach dispatch --help``: the command line's start (issue 17 wants it under 1 s);
- ``coach chat`` to its first answer: ``/start`` piped in, timed until the first ``coach>`` line
  arrives (the CPU read from /proc at that moment); issue 17 wants it under 1.5 s.

Each is run ``--runs`` times (default 5), interleaved, after one untimed warm-up round (the OS's file
cache, Python's bytecode cache); the median and the best are printed. Timing belongs here, never in
a test: a shared machine's load moves it. The machine's load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
FIRST_ANSWER = b"coach>"


def _env() -> dict[str, str]:
    """This tree first on the path, no bot token (so `coach chat` is offline), no settings file nearby, and
    bytecode written (as an installed wheel has it: PYTHONDONTWRITEBYTECODE would compile every module of
    the tree at every start, a second of CPU)."""
    dropped = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def _cpu_of_child(pid: int) -> tuple[int, float]:
    """Wait for the child ``pid``; its exit status and CPU seconds (user + system)."""
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime


def _cpu_from_proc(pid: int) -> float:
    """The CPU seconds (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def time_command(argv: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one process from start to exit."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    code, cpu = _cpu_of_child(process.pid)
    wall = time.perf_counter() - start
    process.returncode = code  # reaped by wait4: tell Popen, so it does not wait again
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}: {process.stderr.read().decode() if process.stderr else ''}")
    if process.stderr:
        process.stderr.close()
    return wall, cpu


def time_chat(cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds from starting `coach chat --fresh` with `/start` piped in to its first answer."""
    database = cwd / "bench-chat.db"
    argv = [sys.executable, "-m", "bot", "chat", "--fresh", "--db", str(database)]
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"/start\n")
    process.stdin.flush()
    wall = cpu = None
    for line in process.stdout:
        if line.startswith(FIRST_ANSWER):
            wall = time.perf_counter() - start
            cpu = _cpu_from_proc(process.pid)
            break
    process.stdin.close()  # end of input: the chat leaves
    process.stdout.read()
    if process.wait(60) != 0 or wall is None or cpu is None:
        raise SystemExit(f"coach chat gave no answer (exit {process.returncode})")
    return wall, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        measures: dict[str, Callable[[], tuple[float, float]]] = {
            "python -c pass": lambda: time_command([python, "-c", "pass"], cwd),
            "import bot.app": lambda: time_command([python, "-c", "import bot.app"], cwd),
            "coach dispatch --help": lambda: time_command([python, "-m", "bot", "dispatch", "--help"], cwd),
            "coach chat, first answer": lambda: time_chat(cwd),
        }
        for measure in measures.values():  # warm-up: bytecode and file caches
            measure()
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in measures}
        load_before = os.getloadavg()[0]
        for _ in range(args.runs):
            for name, measure in measures.items():
                results[name].append(measure())
        load_after = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each")
    print(f"load average (1 min) {load_before:.2f} before, {load_after:.2f} after")
    print(f"{'':28}{'wall median':>12}{'wall best':>11}{'CPU median':>12}{'CPU best':>10}")
    for name, runs in results.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"{name:28}{statistics.median(walls):>11.2f}s{min(walls):>10.2f}s"
            f"{statistics.median(cpus):>11.2f}s{min(cpus):>9.2f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
