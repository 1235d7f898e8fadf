"""The offline Telegram edge: an in-memory Bot API, its HTTP emulator and the `coach chat` loop."""
