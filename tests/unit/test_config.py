"""Settings: one clear line naming a missing or malformed setting; secrets never printed."""

from __future__ import annotations

import logging

import pytest
import structlog

from bot.config import Settings, SettingsError, load_settings
from bot.logs import REDACTED, configure_logging

TOKEN = "123456:AAHsecretsecretsecret"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    names = (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "PORT",
        "LOG_LEVEL",
        "ADMIN_IDS",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "PUBLIC_URL",
        "DISPATCH_IN_BOT",
        "DISPATCH_INTERVAL",
    )
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env file


def test_defaults_need_nothing_set() -> None:
    """With nothing configured the coach uses a local SQLite file and Telegram's own API."""
    settings = load_settings()
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_bot_token is None


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("PORT", "eighty", "PORT"),
        ("PORT", "70000", "PORT"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("TELEGRAM_API_BASE_URL", "127.0.0.1:8081/bot", "TELEGRAM_API_BASE_URL"),
        ("WEBHOOK_SECRET", "has spaces!", "WEBHOOK_SECRET"),
        ("WEBHOOK_URL", "coach.example/hook", "WEBHOOK_URL"),
    ],
)
def test_malformed_setting_names_itself(monkeypatch: pytest.MonkeyPatch, name: str, value: str, named: str) -> None:
    """A malformed setting stops start-up with one line that names the variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{named}:")
    assert "\n" not in message


def test_malformed_token_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a wrong token is never repeated back in the error."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "12345:short")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "short" not in str(caught.value)


def test_admin_ids_are_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """ADMIN_IDS takes comma-separated Telegram ids."""
    monkeypatch.setenv("ADMIN_IDS", "12, 34")
    assert load_settings().admin_ids == [12, 34]


def test_token_is_secret_in_repr() -> None:
    """Printing the settings never shows the token."""
    settings = Settings(telegram_bot_token=TOKEN)  # type: ignore[arg-type]
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.model_dump())


def test_logs_redact_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    """A token inside any log line, from our code or a library's, is replaced before output."""
    configure_logging("INFO", [TOKEN])
    try:
        structlog.get_logger("test").info("calling", url=f"https://api.telegram.org/bot{TOKEN}/getMe")
        logging.getLogger("some.library").warning("failed POST https://x/bot%s/sendMessage", TOKEN)
        out = capsys.readouterr().out
    finally:
        logging.getLogger().handlers.clear()
        structlog.reset_defaults()
    assert TOKEN not in out
    assert out.count(REDACTED) == 2


@pytest.mark.parametrize(
    "value", ["http://coach.example", "ftp://coach.example", "coach.example", "https://x.example/?a=1"]
)
def test_public_url_must_be_a_plain_https_url(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """PUBLIC_URL, the base of the runners' calendar links, is refused unless it is https (plain
    http only for this machine), naming itself."""
    monkeypatch.setenv("PUBLIC_URL", value)
    with pytest.raises(SettingsError, match=r"^PUBLIC_URL: "):
        load_settings()


def test_feed_links_use_public_url_else_the_webhooks_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Feed links start at PUBLIC_URL; without it, in webhook mode, at WEBHOOK_URL's origin; in polling
    mode without it there are none (the calendar goes as a file)."""
    assert load_settings().feed_base() is None
    monkeypatch.setenv("WEBHOOK_URL", "https://coach.example:8443/telegram-hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s" * 40)
    assert load_settings().feed_base() == "https://coach.example:8443"
    monkeypatch.setenv("PUBLIC_URL", "https://plan.example/coach/")
    assert load_settings().feed_base() == "https://plan.example/coach"


def test_polling_serves_http_only_when_port_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polling mode starts the HTTP server (health and feeds) only when PORT is set; webhook mode always."""
    assert not load_settings().serves_http
    monkeypatch.setenv("PORT", "8080")
    assert load_settings().serves_http
    monkeypatch.delenv("PORT")
    monkeypatch.setenv("WEBHOOK_URL", "https://coach.example/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "s" * 40)
    assert load_settings().serves_http


@pytest.mark.parametrize(
    ("given", "used"),
    [
        # Fly.io's `fly postgres attach` hands this form out
        (
            "postgres://coach:p%40ss@coach-db.flycast:5432/coach?sslmode=disable",
            "postgresql+asyncpg://coach:p%40ss@coach-db.flycast:5432/coach?ssl=disable",
        ),
        ("postgres://coach:pw@ec2.example.com:5432/d1", "postgresql+asyncpg://coach:pw@ec2.example.com:5432/d1"),
        ("postgresql://coach:pw@db/coach?sslmode=require", "postgresql+asyncpg://coach:pw@db/coach?ssl=require"),
        ("postgresql+psycopg2://coach@db/coach", "postgresql+asyncpg://coach@db/coach"),
        ("postgresql+asyncpg://coach:pw@db:5432/coach", "postgresql+asyncpg://coach:pw@db:5432/coach"),
    ],
)
def test_postgres_urls_as_hosts_hand_them_out_are_taken(monkeypatch: pytest.MonkeyPatch, given: str, used: str) -> None:
    """`postgres://` and `postgresql://` URLs (Fly's, Heroku's) are read as asyncpg's, libpq's sslmode= as
    asyncpg's ssl=, the password kept as written."""
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_settings().database_url == used


@pytest.mark.parametrize(
    ("given", "fix"),
    [
        ("postgres://coach:pw@db/coach?sslmode=maybe", "sslmode must be one of disable, allow, prefer, require,"),
        (
            "postgres://coach:pw@db/coach?channel_binding=require",
            "?channel_binding= is an option asyncpg does not take",
        ),
        ("postgresql+pg8000://coach:pw@db/coach", "write postgresql+asyncpg://... (not postgresql+pg8000://)"),
        ("postgres://coach:pw@db/coach?sslmode=require&ssl=require", "has both sslmode= and ssl=: keep one"),
    ],
)
def test_postgres_url_options_asyncpg_cannot_take_are_answered_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, given: str, fix: str
) -> None:
    """What cannot be carried over to asyncpg stops start-up with one line saying what to change, never
    the password."""
    monkeypatch.setenv("DATABASE_URL", given)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("DATABASE_URL: ") and fix in message
    assert "\n" not in message and "pw" not in message


@pytest.mark.parametrize("value", ["http://coach.example/hook", "https:///hook", "ftp://coach.example/hook"])
def test_webhook_url_must_be_https(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """Telegram posts webhooks over HTTPS only: any other WEBHOOK_URL is one line saying so."""
    monkeypatch.setenv("WEBHOOK_URL", value)
    monkeypatch.setenv("WEBHOOK_SECRET", "s" * 40)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "WEBHOOK_URL: must be an https:// URL (Telegram delivers webhooks over HTTPS only), "
        "e.g. https://coach.example/telegram"
    )


@pytest.mark.parametrize(
    ("token", "stray"),
    [
        (f"{TOKEN}\n", "a line break"),
        (f"{TOKEN}\r\n", "a line break"),
        (f" {TOKEN}", "spaces"),
        ("123456: AAHsecret", "spaces"),
    ],
)
def test_a_token_with_stray_spaces_or_a_line_break_says_so(
    monkeypatch: pytest.MonkeyPatch, token: str, stray: str
) -> None:
    """A token pasted with a space or a newline is refused in one line that says which, not the token."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        f"TELEGRAM_BOT_TOKEN: has {stray} in it (left over from copying it?): remove them, a token has none"
    )


def test_dispatch_in_bot_is_on_unless_workers_take_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """By default `coach run` sweeps due prompts itself, every minute; DISPATCH_IN_BOT=false leaves it to
    `coach dispatch --loop` workers, DISPATCH_INTERVAL sets their pace."""
    settings = load_settings()
    assert (settings.dispatch_in_bot, settings.dispatch_interval) == (True, 60)
    monkeypatch.setenv("DISPATCH_IN_BOT", "false")
    monkeypatch.setenv("DISPATCH_INTERVAL", "15")
    settings = load_settings()
    assert (settings.dispatch_in_bot, settings.dispatch_interval) == (False, 15)
    monkeypatch.setenv("DISPATCH_INTERVAL", "0")
    with pytest.raises(SettingsError, match=r"^DISPATCH_INTERVAL: "):
        load_settings()


@pytest.mark.parametrize("value", ["0", "1001", "fast"])
def test_broadcast_rate_is_1_to_1000_a_second_default_25(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """BROADCAST_RATE defaults to 25 (room under Telegram's ~30 a second for replies); a value
    outside 1 to 1,000 stops start-up with one line naming it."""
    assert load_settings().broadcast_rate == 25
    monkeypatch.setenv("BROADCAST_RATE", value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("BROADCAST_RATE:")
