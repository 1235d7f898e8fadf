"""Telegram edge: handlers, conversations, rendering, sending."""
