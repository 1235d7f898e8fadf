"""How fast does the coach plan a week? `python bench/plan_bench.py [--profiles N] [--seed S]`.

Generates N random runner profiles (untimed, with ``random.Random(seed)`` so every run plans the
same runners), then times ``plan_week`` over all of them with ``time.perf_counter``. Memory is
measured in a separate, smaller pass under ``tracemalloc`` so its overhead does not distort the
timing. The budget is 1 ms per profile and week.

``--instructions N`` counts instructions instead (load does not move them): valgrind's callgrind
runs N plans in a child process, once planning and once only loading and generating, for this tree
and, at the same time, the reference commit's (e704201, the November planner, or ``--reference PATH``); each tree
plans the same runners with its own generator, and the bench prints instructions per week and the
ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from bot.coach.library import Library
from bot.coach.model import (
    WEEKDAYS,
    BodyArea,
    Distance,
    Equipment,
    Level,
    Profile,
    Race,
    RunKind,
    WeekPlan,
    kit_of,
)
from bot.coach.planner import plan_week
from bot.content.loader import default_library

TODAY = dt.date(2026, 11, 23)
BUDGET_SECONDS = 1e-3  # per profile
COLD = 1000  # the first profiles, planned while the selection caches are still empty
TEMPLATE_RUNS = (RunKind.REST, RunKind.EASY, RunKind.EASY, RunKind.QUALITY, RunKind.LONG)
SESSION_MINUTES = (15, 20, 30, 45, 60)
ROOT = Path(__file__).resolve().parents[1]
REFERENCE_COMMIT = "e704201"  # the November planner (issue 22: no more instructions a week than it)
# the child that valgrind runs: the tree's own plan_bench generates the runners and plans them
CHILD = """
import importlib.util, random, sys
tree, count, seed, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, tree)
spec = importlib.util.spec_from_file_location("plan_bench", tree + "/bench/plan_bench.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["plan_bench"] = bench
spec.loader.exec_module(bench)
library = bench.default_library()
rng = random.Random(seed)
cases = [bench.random_case(rng) for _ in range(count)]
if mode == "plan":
    for case in cases:
        bench.plan_week(case.profile, case.start, library)
"""


@dataclass(frozen=True, slots=True)
class Case:
    profile: Profile
    start: dt.date


def random_case(rng: random.Random) -> Case:
    """One runner and the first day of the week to plan, anywhere in the coming year."""
    start = TODAY + dt.timedelta(days=rng.randint(-7, 400))
    race = None
    if rng.random() < 0.6:
        race = Race(distance=rng.choice(list(Distance)), date=start + dt.timedelta(days=rng.randint(-10, 200)))
    overrides = {
        start + dt.timedelta(days=rng.randint(0, 7)): rng.choice(list(RunKind)) for _ in range(rng.choice((0, 0, 1, 3)))
    }
    return Case(
        profile=Profile(
            strength_level=rng.choice(list(Level)),
            week={day: rng.choice(TEMPLATE_RUNS) for day in WEEKDAYS},
            race=race,
            equipment=kit_of(rng.choice(list(Equipment))),
            session_minutes=rng.choice(SESSION_MINUTES),
            sessions_per_week=rng.choice((None, None, 1, 2, 3)),
            injuries=frozenset(area for area in BodyArea if rng.random() < 0.08),
            overrides=overrides,
            hard_days_hard=rng.random() < 0.2,
            preferred_days=frozenset(day for day in WEEKDAYS if rng.random() < 0.1),
        ),
        start=start,
    )


def time_plans(cases: Sequence[Case], library: Library) -> tuple[float, float]:
    """Wall and CPU seconds to plan a week for each case, garbage collection off so it doesn't land in
    one chunk (CPU time beside wall time shows how much a shared machine took from the run)."""
    gc.collect()
    gc.disable()
    try:
        began, cpu_began = time.perf_counter(), time.process_time()
        for case in cases:
            plan_week(case.profile, case.start, library)
        return time.perf_counter() - began, time.process_time() - cpu_began
    finally:
        gc.enable()


def measure_memory(cases: Sequence[Case], library: Library) -> tuple[int, int]:
    """Peak bytes while planning the cases one at a time, and bytes one kept week plan holds on average."""
    gc.collect()
    tracemalloc.start()
    try:
        for case in cases:
            plan_week(case.profile, case.start, library)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        kept: list[WeekPlan] = [plan_week(case.profile, case.start, library) for case in cases]
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, (after - before) // max(1, len(kept))


def instructions(tree: Path, count: int, seed: int, *, plan: bool) -> int:
    """Instructions callgrind counts for the child over ``tree`` (hash seed fixed, so runs repeat)."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree)}
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD]
    command += [str(tree), str(count), str(seed), "plan" if plan else "load"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind over {tree} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_week(tree: Path, count: int, seed: int) -> float:
    """Instructions a planned week: the planning run minus the loading run, over ``count``; the two
    runs go side by side (instruction counts do not depend on what else runs)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        planned = pool.submit(instructions, tree, count, seed, plan=True)
        loaded = pool.submit(instructions, tree, count, seed, plan=False)
        return (planned.result() - loaded.result()) / count


def compare_instructions(count: int, seed: int, reference: Path | None) -> int:
    """This tree's instructions a week against the reference's, measured back to back."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    with tempfile.TemporaryDirectory(prefix="plan_bench_ref_") as scratch:
        if reference is None:  # the reference commit's files, exported (no worktree to clean up)
            reference = Path(scratch)
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", REFERENCE_COMMIT], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", scratch], input=archive.stdout, check=True)
            label = REFERENCE_COMMIT
        else:
            label = str(reference)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            ours_running = pool.submit(per_week, ROOT, count, seed)
            theirs_running = pool.submit(per_week, reference, count, seed)
            ours, theirs = ours_running.result(), theirs_running.result()
        took = time.perf_counter() - began
    print(f"profiles            {count} (seed {seed}), the same runners for both trees")
    print(f"this tree           {ours / 1e6:.3f} M instructions a week (callgrind)")
    print(f"reference {label:<9} {theirs / 1e6:.3f} M instructions a week (callgrind)")
    print(f"took                {took:.0f} s wall (four callgrind runs side by side)")
    print(f"ratio               x{ours / theirs:.2f} (goal: at most x1.00)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--profiles", type=int, default=100_000, help="profiles to plan (default 100000)")
    parser.add_argument("--seed", type=int, default=20261123, help="random seed (default 20261123)")
    parser.add_argument("--memory-profiles", type=int, default=2000, help="profiles in the memory pass (2000)")
    parser.add_argument(
        "--instructions", type=int, metavar="N", help="count instructions a week over N profiles with callgrind instead"
    )
    parser.add_argument(
        "--reference", type=Path, help=f"the tree to compare with (default: commit {REFERENCE_COMMIT}, exported)"
    )
    args = parser.parse_args(argv)
    if args.instructions:
        return compare_instructions(args.instructions, args.seed, args.reference)
    if args.profiles <= COLD:
        parser.error(f"--profiles must be more than {COLD} (the cold chunk)")

    library = default_library()  # loaded before any timing
    rng = random.Random(args.seed)
    began = time.perf_counter()
    cases = [random_case(rng) for _ in range(args.profiles)]
    generated = time.perf_counter() - began

    cold, cold_cpu = time_plans(cases[:COLD], library)
    warm, warm_cpu = time_plans(cases[COLD:], library)
    total, total_cpu = cold + warm, cold_cpu + warm_cpu
    per_profile = total / len(cases)
    cold_each = cold / COLD
    warm_each = warm / (len(cases) - COLD)

    memory_rng = random.Random(args.seed + 1)
    memory_cases = [random_case(memory_rng) for _ in range(args.memory_profiles)]
    peak, per_plan = measure_memory(memory_cases, library)

    print(f"python              {sys.version.split()[0]}")
    print(f"profiles generated  {len(cases)} in {generated:.1f} s (untimed, seed {args.seed})")
    print(f"profiles planned    {len(cases)} (one week each)")
    print(f"total seconds       {total:.3f} wall, {total_cpu:.3f} CPU (CPU/wall {total_cpu / total:.2f})")
    print(f"per profile         {per_profile * 1e6:.1f} us wall, {total_cpu / len(cases) * 1e6:.1f} us CPU")
    print(f"profiles per second {len(cases) / total:,.0f}")
    print(f"budget ratio        {per_profile / BUDGET_SECONDS:.3f} of the 1 ms budget")
    print(
        f"cold vs warm        {cold_each * 1e6:.1f} us (first {COLD}) vs {warm_each * 1e6:.1f} us (rest): "
        f"x{cold_each / warm_each:.2f}"
    )
    print(
        f"peak memory         {peak / 1024:,.0f} KiB while planning {len(memory_cases)} profiles one by one "
        f"(tracemalloc, separate pass)"
    )
    print(f"kept week plan      {per_plan / 1024:.1f} KiB each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
