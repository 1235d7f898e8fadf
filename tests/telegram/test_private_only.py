"""The coach serves private chats only: a group gets one polite note and nothing of any runner."""

from __future__ import annotations

from typing import Any

from chatdriver import OTHER_ID, RUNNER_ID, UI, Runner, start_application, stop_application

from bot.clock import FakeClock
from bot.console.transport import JSONDict, OfflineBotApi

ONBOARD = (
    "/start",
    "some",
    "mon wed fri sun",
    "sun",
    "wed",
    "no race",
    "gym",
    "30",
    "knee",
    "no",
    "Europe/Berlin",
    "07:00",
    "no",
)
GROUP = -100123
OTHER_GROUP = -100456
ANONYMOUS_ADMIN = 1087968824  # Telegram's GroupAnonymousBot: every anonymous admin everywhere
NOTE = UI.general.fmt("private_only_link", link="https://t.me/coach_bot")


def group_texts(api: OfflineBotApi, chat_id: int = GROUP) -> list[str]:
    return api.texts_since(chat_id, 0)


async def _onboard(runner: Runner) -> list[str]:
    replies = await runner.steps(*ONBOARD)
    assert len(replies) == 3, replies
    return replies


async def test_a_group_gets_one_polite_note_and_nothing_of_a_runner(runner: Runner, api: OfflineBotApi) -> None:
    """An onboarded runner asking for their week, today and /start in a group gets one note with a
    link to a private chat, and nothing of their plan, injuries or timezone is posted there."""
    summary, _, _ = await _onboard(runner)
    assert "knee" in summary
    private_before = api.texts_since(RUNNER_ID, 0)
    for text in ("/start", "/week", "/today", "what should I lift today?", "why?", "/help"):
        await api.deliver(runner.app, api.text(RUNNER_ID, text, "Ada", chat_id=GROUP))
    await api.deliver(runner.app, api.text(OTHER_ID, "/start", "Bo", chat_id=GROUP))
    assert group_texts(api) == [NOTE]
    assert "https://t.me/coach_bot" in NOTE
    assert api.texts_since(RUNNER_ID, 0) == private_before, "nothing went to the runner's private chat either"
    assert await runner.account() is not None
    async with runner.app.bot_data.deps.coach.uow() as work:
        assert await work.answers.get_all(OTHER_ID) == {}, "a group member's /start began no onboarding"


async def test_a_group_is_told_once_even_after_a_restart(db_url: str, clock: FakeClock) -> None:
    """The note is sent once per group, and a restart of the bot does not send it again."""
    api = OfflineBotApi(clock=clock)
    app = await start_application(db_url, clock, api)
    try:
        await api.deliver(app, api.text(RUNNER_ID, "/start", "Ada", chat_id=GROUP))
        await api.deliver(app, api.text(RUNNER_ID, "hello", "Ada", chat_id=GROUP))
    finally:
        await stop_application(app)
    app = await start_application(db_url, clock, api)
    try:
        await api.deliver(app, api.text(OTHER_ID, "/start", "Bo", chat_id=GROUP))
        await api.deliver(app, api.text(OTHER_ID, "/start", "Bo", chat_id=OTHER_GROUP))
    finally:
        await stop_application(app)
    assert group_texts(api) == [NOTE]
    assert group_texts(api, OTHER_GROUP) == [NOTE]


async def test_a_button_tapped_in_a_group_gets_a_short_pop_up_and_changes_nothing(
    runner: Runner, api: OfflineBotApi
) -> None:
    """A tap on a button in a group is answered with a pop-up saying the coach works in private
    chats; it shows no plan and answers no question."""
    await runner.steps(*ONBOARD[:2])
    answers = await runner.answers()
    await api.deliver(runner.app, api.text(RUNNER_ID, "/start", "Ada", chat_id=GROUP))
    (note,) = api.sent_since(GROUP, 0)
    for data in ("menu|go|week", "ob|run_days|mon"):
        marker = api.marker()
        await api.deliver(runner.app, api.press(RUNNER_ID, note.message_id, data, "Ada", chat_id=GROUP))
        assert api.answered_callbacks(RUNNER_ID)[-1].text == UI.general.private_only_tap
        assert api.texts_since(GROUP, marker) == [] and api.texts_since(RUNNER_ID, marker) == []
    assert not api.unanswered_callbacks()
    assert await runner.answers() == answers


def _on_behalf_of(update: JSONDict, chat: JSONDict) -> JSONDict:
    """The update as Telegram sends an anonymous admin's message: from GroupAnonymousBot, for a chat."""
    message: dict[str, Any] = update["message"]
    message["from"] = {"id": ANONYMOUS_ADMIN, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    message["sender_chat"] = chat
    return update


async def test_anonymous_admins_of_different_groups_share_nothing(runner: Runner, api: OfflineBotApi) -> None:
    """Messages sent on behalf of a chat (anonymous admins) start no onboarding and store nothing,
    so admins of unrelated groups cannot finish each other's onboarding."""
    for group in (GROUP, OTHER_GROUP):
        for text in ONBOARD[:4]:
            update = api.text(RUNNER_ID, text, "Ada", chat_id=group)
            await api.deliver(runner.app, _on_behalf_of(update, update["message"]["chat"]))
    async with runner.app.bot_data.deps.coach.uow() as work:
        assert await work.answers.get_all(ANONYMOUS_ADMIN) == {}
        assert await work.runners.get(ANONYMOUS_ADMIN) is None
    assert group_texts(api) == [NOTE] and group_texts(api, OTHER_GROUP) == [NOTE]


async def test_a_message_on_behalf_of_a_channel_in_a_private_chat_is_dropped(
    runner: Runner, api: OfflineBotApi
) -> None:
    """A message carrying a sender_chat is not from a person the coach knows: no reply, nothing stored."""
    update = _on_behalf_of(api.text(RUNNER_ID, "/start", "Ada"), {"id": -100999, "type": "channel", "title": "C"})
    update["message"]["from"] = {"id": RUNNER_ID, "is_bot": False, "first_name": "Ada"}
    marker = api.marker()
    await api.deliver(runner.app, update)
    assert api.texts_since(RUNNER_ID, marker) == []
    assert await runner.answers() == {}


async def test_a_forged_update_for_another_runner_gets_nothing_of_theirs(
    runner: Runner, other: Runner, api: OfflineBotApi
) -> None:
    """An update claiming to be runner A but coming from B's private chat is dropped: B's chat gets
    nothing of A's plan, and A's stored answers do not change."""
    await _onboard(runner)
    answers = await runner.answers()
    marker = api.marker()
    for text in ("/week", "/today", "why?", "/start", "some"):
        forged = api.text(OTHER_ID, text, "Bo")
        forged["message"]["from"] = {"id": RUNNER_ID, "is_bot": False, "first_name": "Ada"}
        await api.deliver(runner.app, forged)
    assert api.texts_since(OTHER_ID, marker) == []
    assert api.texts_since(RUNNER_ID, marker) == []
    assert await runner.answers() == answers
    assert await other.say("/help") == [UI.general.help], "B's own messages are still answered"
