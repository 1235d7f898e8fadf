"""Settings from the environment (and a `.env` file), read once at start and passed down."""

from __future__ import annotations

import logging
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AwareDatetime, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.db.urls import asyncpg_url, is_postgres

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///coach.db"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DISPATCH_INTERVAL = 60  # seconds between two sweeps of due prompts, nudges and reviews
MIN_WEBHOOK_SECRET = 32  # anyone who can guess it can post updates as any runner
MIN_CALLBACK_KEY = 32  # anyone who has it can forge any runner's button taps


class SettingsError(Exception):
    """A missing or malformed setting; the message is one line that names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    # a plain string for its many users, kept out of repr(); its password is redacted from logs
    database_url: str = Field(default=DEFAULT_DATABASE_URL, repr=False)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    port: int = Field(default=8080, ge=1, le=65535)
    # the base of the runners' calendar feed links (https); in webhook mode WEBHOOK_URL's origin by default
    public_url: str | None = None
    log_level: str = "INFO"
    # prompts, nudges and reviews a second, from all the bot's processes together: Telegram allows a
    # bot about 30 messages a second, and the rest is left for the replies to runners
    broadcast_rate: int = Field(default=25, ge=1, le=1000)
    log_tracebacks: bool = False  # start-up and command-line failures with their traceback, at any level
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # signs every button's callback data; unset, it is derived from the bot token (bot.telegram.signing)
    callback_key: SecretStr | None = None
    # messages a second the bot sends in all (Telegram's limit per bot is about 30); replies to
    # runners go first, the dispatcher's prompts take the rest (bot.telegram.rate_limit)
    send_rate: float = Field(default=30.0, gt=0, le=1000)
    # the dispatcher's prompts as Telegram's paid broadcasts (a fee per message, up to 1,000 a second)
    allow_paid_broadcast: bool = False
    # `coach chat` only: the instant its clock starts at (ISO, with its offset), to try a script on
    # another day; unset, now
    chat_start: AwareDatetime | None = None
    # whether `coach run` sweeps due prompts itself; false where `coach dispatch --loop` workers do
    dispatch_in_bot: bool = True
    dispatch_interval: int = Field(default=DEFAULT_DISPATCH_INTERVAL, ge=1, le=3600)  # seconds

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        token = value.get_secret_value()
        if any(character.isspace() for character in token):
            stray = "a line break" if "\n" in token or "\r" in token else "spaces"
            raise ValueError(f"has {stray} in it (left over from copying it?): remove them, a token has none")
        bot_id, _, secret = token.partition(":")
        if not (bot_id.isascii() and bot_id.isdigit()) or len(secret) < 10:
            raise ValueError("does not look like a bot token from @BotFather (digits:secret)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            value = None
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        if info.data.get("webhook_url") and (value is None or len(value.get_secret_value()) < MIN_WEBHOOK_SECRET):
            raise ValueError(
                f"webhook mode (WEBHOOK_URL is set) needs a WEBHOOK_SECRET of at least {MIN_WEBHOOK_SECRET} "
                "characters of A-Z, a-z, 0-9, _ and -; make one with: openssl rand -hex 32"
            )
        return value

    @field_validator("callback_key")
    @classmethod
    def _callback_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_CALLBACK_KEY:
            raise ValueError(f"must be at least {MIN_CALLBACK_KEY} characters; make one with: openssl rand -hex 32")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(
                "must be an https:// URL (Telegram delivers webhooks over HTTPS only), e.g. https://coach.example/telegram"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        local = parts.hostname in ("localhost", "127.0.0.1", "::1")
        if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
            raise ValueError("must be an https:// URL (the base of the calendar links runners subscribe to)")
        if parts.query or parts.fragment:
            raise ValueError("must be a plain base URL, without ? or #")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        """A SQLite URL as written; a PostgreSQL one in any spelling hosts hand out, made asyncpg's."""
        if is_postgres(value):
            return asyncpg_url(value)
        if not value.startswith("sqlite"):
            raise ValueError("must be a sqlite or postgresql URL")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in logging.getLevelNamesMapping():
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value.upper()

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            if not all(part.isascii() and part.lstrip("-").isdigit() for part in parts):
                raise ValueError("must be comma-separated Telegram user ids")
            return [int(part) for part in parts]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def serves_http(self) -> bool:
        """Whether `coach run` serves HTTP: always in webhook mode, in polling mode when PORT is set."""
        return bool(self.webhook_url) or "port" in self.model_fields_set

    def feed_base(self) -> str | None:
        """The base URL of calendar feed links: PUBLIC_URL, else WEBHOOK_URL's origin; None without both
        (the calendar then goes to the runner as a file)."""
        if self.public_url:
            return self.public_url
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            return f"{parts.scheme}://{parts.netloc}"
        return None

    def secrets(self) -> list[str]:
        """Every secret the settings hold, for the log redactor: token (and its secret half),
        webhook secret, callback key, database password."""
        found: list[str] = []
        if self.telegram_bot_token is not None:
            token = self.telegram_bot_token.get_secret_value()
            found += [token, token.partition(":")[2]]
        if self.webhook_secret is not None:
            found.append(self.webhook_secret.get_secret_value())
        if self.callback_key is not None:
            found.append(self.callback_key.get_secret_value())
        try:
            password = make_url(self.database_url).password
        except ArgumentError:
            password = None
        if password:
            found.append(str(password))
        return found

    def require_token(self) -> SecretStr:
        if self.telegram_bot_token is None:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather, or try `coach chat` offline")
        return self.telegram_bot_token


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one line that names the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {msg}") from None
