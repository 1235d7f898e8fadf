"""Signed callback data: a button's data carries a MAC of its chat and data, and nothing else passes."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coach.model import BodyArea
from bot.coach.niggles import Compare
from bot.config import Settings, SettingsError, load_settings
from bot.telegram.loop_render import (
    AREA,
    CHECKIN,
    HEALTH,
    LOG,
    MORNING,
    NIGGLE,
    PAIN,
    RPE,
    SORE,
    TEST,
    WEEK_CHECK,
    data,
)
from bot.telegram.render import parse_callback
from bot.telegram.signing import MAC_CHARS, MAX_DATA_BYTES, MAX_UNSIGNED_BYTES, Signer, callback_key, unsigned

TOKEN = "123456:AAHsecretsecretsecret"
KEY = "k" * 32


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_a_signed_button_verifies_only_in_its_own_chat() -> None:
    """The data with its MAC verifies for the chat it was signed for, and for no other chat."""
    signer = Signer(b"key")
    signed = signer.sign(4242, "rpe|20261121|7")
    assert signed.startswith("rpe|20261121|7#") and len(signed) == len("rpe|20261121|7#") + MAC_CHARS
    assert signer.verify(4242, signed)
    assert not signer.verify(5353, signed)
    assert not Signer(b"other key").verify(4242, signed)


@pytest.mark.parametrize(
    "tampered",
    ["rpe|20261121|7", "rpe|20261121|9#{mac}", "rpe|20261121|7#", "rpe|20261121|7#{mac}x", "#{mac}", "", "²" * 70],
)
def test_tampered_or_unsigned_data_does_not_verify(tampered: str) -> None:
    """A changed field under the old MAC, no MAC, a cut or lengthened MAC, or junk never verifies."""
    signer = Signer(b"key")
    mac = signer.sign(4242, "rpe|20261121|7").rpartition("#")[2]
    assert not signer.verify(4242, tampered.format(mac=mac))


def test_signing_twice_signs_once_and_parse_callback_drops_the_mac() -> None:
    """A button copied from a sent message (already signed) is signed once; the handlers read the
    renderer's data, the MAC dropped."""
    signer = Signer(b"key")
    once = signer.sign(1, "nw|20261122|knee.same")
    assert signer.sign(1, once) == once
    assert unsigned(once) == "nw|20261122|knee.same"
    assert parse_callback(once) == ("nw", "20261122", "knee.same")
    assert unsigned("ob|level|new") == "ob|level|new"


def test_data_too_long_to_sign_is_refused_at_once() -> None:
    """Data that would not fit Telegram's 64 bytes with its MAC fails where the keyboard is built."""
    signer = Signer(b"key")
    assert len(signer.sign(1, "x" * MAX_UNSIGNED_BYTES).encode()) == MAX_DATA_BYTES
    with pytest.raises(ValueError, match="over 55 bytes"):
        signer.sign(1, "x" * (MAX_UNSIGNED_BYTES + 1))


def test_the_key_is_callback_key_else_derived_from_the_token() -> None:
    """Unset, the key is derived from the token (every process of one bot agrees; another token
    gives another key); CALLBACK_KEY replaces it."""
    derived = callback_key(settings(telegram_bot_token=TOKEN), TOKEN)
    assert derived == callback_key(settings(telegram_bot_token=TOKEN), TOKEN)
    assert derived != callback_key(settings(), "999:AAHanotheranother")
    assert TOKEN.encode() not in derived
    assert callback_key(settings(callback_key=KEY), TOKEN) == KEY.encode()


def test_a_short_callback_key_stops_start_up_and_the_key_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CALLBACK_KEY shorter than 32 characters is named in one line; a good one is in secrets()."""
    monkeypatch.setenv("CALLBACK_KEY", "short")
    with pytest.raises(SettingsError, match=r"^CALLBACK_KEY: must be at least 32"):
        load_settings(_env_file=None)
    monkeypatch.setenv("CALLBACK_KEY", KEY)
    assert KEY in load_settings(_env_file=None).secrets()


def test_the_longest_buttons_the_renderer_makes_fit_with_their_mac() -> None:
    """The longest data of each day-keyed scope (every body area with the longest answer, a date,
    a setting's name) still fits Telegram's 64 bytes once the MAC is added."""
    day = dt.date(2026, 12, 31)
    longest = [
        *(
            data(scope, day, f"{area.value}.{answer}")
            for scope in (MORNING, WEEK_CHECK, NIGGLE)
            for area in BodyArea
            for answer in (*Compare, "flare", "worse")
        ),
        *(data(HEALTH, "flag", f"{area.value}.yes") for area in BodyArea),
        *(data(scope, day, "unsure") for scope in (CHECKIN, RPE, SORE, AREA, PAIN, LOG, TEST, "pause", "tu")),
        "set|open|sessions",
        "ob|quality_days|cancel",
    ]
    signer = Signer(b"key")
    for made in longest:
        assert len(signer.sign(-1_000_000_000_000, made).encode()) <= MAX_DATA_BYTES, made


def test_a_mac_is_the_first_characters_of_the_digest_in_base64url() -> None:
    """The MAC as it was first written (a fresh HMAC, the whole digest encoded, cut): buttons signed
    before keep verifying, and the same buttons are signed the same."""
    import base64
    import hashlib
    import hmac

    signer = Signer(b"key")
    for chat_id, raw in [(4242, "rpe|20261121|7"), (-100, ""), (1, "²" * 20), (987654321, "ck|done|20261123")]:
        digest = hmac.new(b"key", f"{chat_id}|{raw}".encode(), hashlib.sha256).digest()
        assert signer.mac(chat_id, raw) == base64.urlsafe_b64encode(digest).decode()[:MAC_CHARS]
