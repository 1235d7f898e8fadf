"""Telegram edge: handlers, conversations, rendering, persistence."""
