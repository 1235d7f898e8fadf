"""`fly.toml`, `fly.sqlite.toml` and the `Dockerfile` agree with each other and with the code: one port,
both health checks on paths the server serves, the webhook and worker processes and the release
command are `coach` commands that parse, the environment is valid settings, the SQLite file is on
the volume, and the image runs as a non-root user."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import build_parser
from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ("fly.toml", "fly.sqlite.toml")
FLY: dict[str, Any] = tomllib.loads((ROOT / "fly.toml").read_text(encoding="utf-8"))
SQLITE: dict[str, Any] = tomllib.loads((ROOT / "fly.sqlite.toml").read_text(encoding="utf-8"))
TOKEN = "123456:AAHsecretsecretsecret"


def config(name: str) -> dict[str, Any]:
    return FLY if name == "fly.toml" else SQLITE


def fly_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], **secrets: str) -> Settings:
    """The settings a machine with ``env`` and Fly secrets ``secrets`` starts with."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name, value in {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "s" * 64, **secrets}.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def final_stage() -> list[tuple[str, str]]:
    """The Dockerfile's last stage (the image that runs) as (instruction, arguments), continuation
    lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    instructions = [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def instruction(name: str) -> list[str]:
    return [arguments for found, arguments in final_stage() if found == name]


def command(line: str) -> Any:
    """``line`` as the `coach` command line reads it (argparse exits on anything it does not know)."""
    argv = shlex.split(line)
    assert argv[0] == "coach", line
    return build_parser().parse_args(argv[1:])


def seconds(text: str) -> float:
    assert text.endswith("s"), text
    return float(text.removesuffix("s"))


@pytest.mark.parametrize("name", CONFIGS)
def test_one_port_everywhere(name: str) -> None:
    """The port Fly routes to is the one the image exposes and the one `coach run` listens on (PORT)."""
    fly = config(name)
    port = fly["http_service"]["internal_port"]
    assert int(fly["env"]["PORT"]) == port
    assert instruction("EXPOSE") == [str(port)]
    assert f"PORT={port}" in instruction("ENV")


@pytest.mark.parametrize("name", CONFIGS)
def test_both_health_checks_poll_what_the_server_serves(name: str) -> None:
    """Fly checks GET /healthz and GET /readyz, giving each longer than the readiness query's own bound."""
    from bot.entry.health import PATH, PING_TIMEOUT, READY_PATH  # here: the server is no light import

    checks = config(name)["http_service"]["checks"]
    assert sorted(check["path"] for check in checks) == sorted([PATH, READY_PATH])
    for check in checks:
        assert check["method"] == "GET"
        assert seconds(check["timeout"]) > PING_TIMEOUT
        assert seconds(check["grace_period"]) >= seconds(check["interval"])


def test_webhook_machines_and_dispatch_workers_are_coach_commands() -> None:
    """`app` runs the bot (the image's own command) and takes the HTTP traffic; `worker` is
    `coach dispatch --loop`; the release command migrates."""
    processes = FLY["processes"]
    assert set(processes) == {"app", "worker"}
    assert command(processes["app"]).func.__name__ == "cmd_run"
    assert instruction("CMD") == [str(shlex.split(processes["app"])).replace("'", '"')]
    worker = command(processes["worker"])
    assert (worker.func.__name__, worker.loop) == ("cmd_dispatch", True)
    assert FLY["http_service"]["processes"] == ["app"]
    assert command(FLY["deploy"]["release_command"]).func.__name__ == "cmd_migrate"


def test_the_environment_is_valid_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """fly.toml's [env], with the secrets and the URL `fly postgres attach` sets, is a webhook
    configuration whose webhook machines leave the sweeps to the workers."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name, value in FLY["env"].items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:AAHsecretsecretsecret")
    monkeypatch.setenv("WEBHOOK_SECRET", "s" * 64)
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://coach:pw@runner-strength-coach-db.flycast:5432/coach?sslmode=disable"
    )
    settings = load_settings()
    assert settings.webhook_url is not None and settings.webhook_url.startswith("https://")
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert not settings.dispatch_in_bot
    assert FLY["kill_signal"] == "SIGTERM"  # both `coach run` and the worker stop cleanly on it


def test_the_image_runs_as_a_user_that_is_not_root() -> None:
    """The final stage switches to an unprivileged user before its command."""
    users = instruction("USER")
    assert users and users[-1] not in ("root", "0")
    names = [name for name, _ in final_stage()]
    assert names.index("USER") < names.index("CMD")


def test_the_small_case_keeps_its_sqlite_file_on_the_volume(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """fly.sqlite.toml: the database is a file under the volume's mount, a folder the image makes for its
    user; one process that sweeps itself, the image's own command; no release command (a release
    machine mounts no volume)."""
    settings = fly_settings(monkeypatch, tmp_path, SQLITE["env"])
    mount = SQLITE["mounts"]["destination"]
    assert settings.database_url == f"sqlite+aiosqlite:///{mount}/coach.db"
    assert any(line.endswith(f" {mount}") and "-o coach" in line for line in instruction("RUN"))
    assert settings.dispatch_in_bot and settings.webhook_url is not None
    assert "processes" not in SQLITE and "release_command" not in SQLITE.get("deploy", {})
    assert SQLITE["app"] == FLY["app"] and SQLITE["kill_signal"] == "SIGTERM"
