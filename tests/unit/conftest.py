"""Shared fixtures for the coaching-core unit tests."""

from __future__ import annotations

import pytest
from coach_checks import load_test_library

from bot.coach.library import Library


@pytest.fixture(scope="session")
def library() -> Library:
    """The content library the planner draws exercises and texts from."""
    return load_test_library()
