"""The planner's speed work changes no plan: a fixed sample of runners (plan_bench's generator, a
fixed seed) is planned and each plan compared with the digest stored in tests/data/plan_digest.json.

The digests were written by the code this work started from (``python tests/unit/test_plan_digest.py
--write`` regenerates them; only a deliberate rulebook change may). Each plan is reduced to plain
JSON (dataclass fields, enum values, ISO dates, mappings by sorted key), so a digest moves only when
what a runner would see or the services would store moves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib.util
import json
import random
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from bot.coach.model import WeekPlan
from bot.coach.planner import plan_week, plan_weeks
from bot.content.loader import default_library

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = ROOT / "tests" / "data" / "plan_digest.json"
SEED = 2222
SINGLE_WEEKS = 200  # runners planned for one week, as plan_bench plans them
RUNS_OF_WEEKS = 30  # runners planned for four reviewed weeks (state and context carried over)
WEEKS = 4


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_bench", ROOT / "bench" / "plan_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("plan_bench", module)
    spec.loader.exec_module(module)
    return module


def plain(value: object) -> object:
    """``value`` as JSON-ready data, the same for equal plans however they were built."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(plain(kv[0])))}
    if isinstance(value, (frozenset, set)):
        return sorted((plain(v) for v in value), key=repr)
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def digest(plans: list[WeekPlan]) -> str:
    text = json.dumps([plain(p) for p in plans], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sample_digests() -> list[str]:
    bench = _bench()
    library = default_library()
    rng = random.Random(SEED)
    found = []
    for _ in range(SINGLE_WEEKS):
        case = bench.random_case(rng)
        found.append(digest([plan_week(case.profile, case.start, library)]))
    for _ in range(RUNS_OF_WEEKS):
        case = bench.random_case(rng)
        found.append(digest(plan_weeks(case.profile, case.start, WEEKS, library)))
    return found


def test_the_sample_plans_as_it_did_before_the_speed_work() -> None:
    expected = json.loads(DIGESTS.read_text())
    found = sample_digests()
    changed = [n for n, (old, new) in enumerate(zip(expected, found, strict=True)) if old != new]
    assert not changed, f"{len(changed)} of {len(found)} sample plans changed, first {changed[:10]}"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    DIGESTS.write_text(json.dumps(sample_digests(), indent=0) + "\n")
