"""The parser on phrasings written apart from its corpus (`tests/data/intents_heldout*.yaml`).

The corpus's own cross-validation flatters the parser (the same hands wrote both); these phrasings
were written by hands that saw neither the corpus nor the parser, and nothing trains on them.
The floors are issue 16's: intents 95 %, details (effort, area, day, end date) 90 %, urgent signs
every one; false alarms stay rare.
"""

from __future__ import annotations

import pytest

from bot.content.heldout import HeldOut, describe, heldout_files, load_heldout, score_heldout
from bot.content.loader import default_intent_parser, load_intent_corpus

pytestmark = pytest.mark.unit

INTENT_FLOOR = 0.95
DETAIL_FLOOR = 0.90


@pytest.fixture(scope="module", params=heldout_files(), ids=lambda path: path.stem)
def heldout(request: pytest.FixtureRequest) -> HeldOut:
    """Each held-out part, written at a different time by different hands."""
    return load_heldout(request.param)


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("'", "").replace("’", "").split())


def test_no_held_out_phrasing_is_copied_into_the_training_corpus(heldout: HeldOut) -> None:
    """Stock messages ("done", "hi", "knee hurts") are written alike by anyone; a longer phrasing
    found in both would mean the held-out part leaked into training."""
    trained = {_key(example.text) for example in load_intent_corpus().examples}
    shared = [p.text for p in heldout.phrasings if _key(p.text) in trained]
    copied = [text for text in shared if len(text.split()) > 6]
    assert not copied, f"held-out phrasings copied into content/intents.yaml: {copied}"
    assert len(shared) < 0.15 * len(heldout.phrasings), f"{len(shared)} held-out phrasings are in the corpus"


def test_the_held_out_part_covers_every_kind_of_message(heldout: HeldOut) -> None:
    kinds = {p.intent for p in heldout.phrasings}
    assert len(kinds) >= 16 and len(heldout.phrasings) >= 300
    assert sum(p.urgent for p in heldout.phrasings) >= 30
    assert sum(bool(p.also) for p in heldout.phrasings) >= 10


def test_every_urgent_sign_held_out_is_read_urgent(heldout: HeldOut) -> None:
    scored = score_heldout(default_intent_parser(), heldout)
    missed = [m for m in scored.misses if "urgent" in m.wrong]
    assert not missed, "\n".join(describe(scored, missed))


def test_false_alarms_stay_rare(heldout: HeldOut) -> None:
    """A sign half taken back ("my chest is tight from the cold air? nah, just a stuffy nose") is
    answered as urgent on purpose: when in doubt the runner is asked to get checked, never waved on.
    Plain talk is never an alarm: at most 1 % of the messages without a sign."""
    scored = score_heldout(default_intent_parser(), heldout)
    alarms = [m for m in scored.misses if "false alarm" in m.wrong]
    assert len(alarms) <= 0.01 * (scored.total - scored.urgent), "\n".join(describe(scored, alarms))


def test_intents_held_out_are_read_right_at_the_floor(heldout: HeldOut) -> None:
    scored = score_heldout(default_intent_parser(), heldout)
    wrong = [m for m in scored.misses if "intent" in m.wrong]
    assert scored.intent_accuracy >= INTENT_FLOOR, "\n".join(describe(scored, wrong))


def test_details_held_out_are_read_right_at_the_floor(heldout: HeldOut) -> None:
    scored = score_heldout(default_intent_parser(), heldout)
    wrong = [m for m in scored.misses if set(m.wrong) & {"rpe", "area", "day", "until"}]
    assert scored.detail_accuracy >= DETAIL_FLOOR, "\n".join(describe(scored, wrong))
