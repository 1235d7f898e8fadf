"""The free-text parser: every phrasing of `content/intents.yaml` read back, and held-out ones read well."""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach.intent_measures import HOLD_OUT_SEED, held_out_parts, held_out_score
from bot.coach.intents import (
    ANALYZERS,
    MAX_TEXT,
    Intent,
    IntentExample,
    IntentModel,
    IntentParser,
    Parsed,
    normalise,
    train,
)
from bot.coach.model import BodyArea, RunKind, Weekday
from bot.content.intent_model import dump_model, load_model
from bot.content.intents import IntentCorpus, parse_intent_corpus
from bot.content.loader import default_intent_parser, load_intent_corpus

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

CORPUS = load_intent_corpus()
WEDNESDAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def parser() -> IntentParser:
    return default_intent_parser()


def test_the_corpus_is_large_and_covers_every_intent() -> None:
    """At least 300 phrasings, and every intent has enough of them to learn from."""
    assert len(CORPUS.examples) >= 300
    per_intent = {intent: sum(e.intent is intent for e in CORPUS.examples) for intent in Intent}
    assert min(per_intent.values()) >= 20, per_intent


def test_every_phrasing_of_the_corpus_is_read_as_written(parser: IntentParser) -> None:
    """A parser trained on the corpus reads each of its phrasings with exactly the intent and details given.

    One test over the whole corpus, not one per phrasing: a failure lists every phrasing misread, and
    the 1,700 phrasings cost a few milliseconds instead of a test's overhead each.
    """
    misread = {
        example.text: (parsed, example.expected)
        for example in CORPUS.examples
        if not example.reads(parsed := parser.parse(example.text, CORPUS.today))
    }
    assert misread == {}


def test_phrasings_held_out_of_training_are_read_at_least_95_percent_right() -> None:
    """A parser never trained on a phrasing reads its intent right at least 95 % of the time.

    The corpus is cut in five stratified parts; each is read by a parser trained on the other four,
    so every phrasing is held out exactly once (the figure in the README).
    """
    total, parts = held_out_score(CORPUS.examples, CORPUS.today)
    misses = [(example.text, parsed.intent.value) for example, parsed in total.misses]
    assert total.total == len(CORPUS.examples)
    assert total.intent_accuracy >= 0.95, misses
    assert total.exact_accuracy >= 0.94, misses
    assert min(part.intent_accuracy for part in parts) >= 0.90, [part.intent_accuracy for part in parts]


def test_the_held_out_parts_are_the_same_every_run_and_cover_the_corpus_once() -> None:
    """The pinned cut holds out the same phrasings each time, each once, every intent in every part."""
    cut = held_out_parts(CORPUS.examples)
    held = [example.text for _, part in cut for example in part]
    assert sorted(held) == sorted(example.text for example in CORPUS.examples)
    assert all({example.intent for example in part} == set(Intent) for _, part in cut)
    assert all(not set(map(id, train)) & set(map(id, part)) for train, part in cut)

    def texts(seed: int) -> list[str]:
        return [example.text for _, part in held_out_parts(CORPUS.examples, seed=seed) for example in part]

    assert held == texts(HOLD_OUT_SEED)
    assert held != texts(HOLD_OUT_SEED + 1)


EXTRA_TEXTS = ["banana bread", "my knee and my hip", "rpe 7", "???", "Did it!! 💪💪", "x" * 300]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return train(CORPUS.examples)


def test_the_fast_scorer_picks_what_scikit_learn_picks(pipeline: Pipeline) -> None:
    """Scoring with the trained weights directly gives the fitted pipeline's own answer for every phrasing."""
    fast = IntentParser(IntentModel.from_pipeline(pipeline))
    texts = [e.text for e in CORPUS.examples] + EXTRA_TEXTS
    from_pipeline = pipeline.predict([normalise(text) for text in texts])
    assert [fast.intent_of(text).value for text in texts] == [str(label) for label in from_pipeline]


def test_the_shipped_model_predicts_what_scikit_learn_predicts(parser: IntentParser, pipeline: Pipeline) -> None:
    """Without scikit-learn, the shipped weights pick the fitted pipeline's intent for every phrasing of the corpus."""
    texts = [e.text for e in CORPUS.examples] + EXTRA_TEXTS
    expected = [str(label) for label in pipeline.predict([normalise(text) for text in texts])]
    assert [parser.intent_of(text).value for text in texts] == expected


@pytest.mark.slow
def test_a_stored_model_predicts_what_scikit_learn_predicts_on_phrasings_held_out(tmp_path: Path) -> None:
    """In each cross-validation part, a model stored as the shipped one is (rounded, written, read back)
    picks what its own fitted pipeline picks for every phrasing held out of its training."""
    path = tmp_path / "model.json.gz"
    for trained_on, held in held_out_parts(CORPUS.examples):
        fold = train(trained_on)
        path.write_bytes(dump_model(IntentModel.from_pipeline(fold)))
        stored = IntentParser(load_model(path))
        texts = [e.text for e in held]
        expected = [str(label) for label in fold.predict([normalise(text) for text in texts])]
        assert [stored.intent_of(text).value for text in texts] == expected


def test_the_analyzers_cut_text_as_scikit_learn_does(pipeline: Pipeline) -> None:
    """The shipped model's own n-gram readers give scikit-learn's features, so no import is needed to read."""
    vectorizers = dict(pipeline.named_steps["features"].transformer_list)
    for text in [normalise(e.text) for e in CORPUS.examples] + EXTRA_TEXTS + ["a", "  ", "ok ok ok"]:
        for name, analyze in ANALYZERS.items():
            assert analyze(text) == vectorizers[name].build_analyzer()(text), (name, text)


def test_the_shipped_model_reads_as_a_freshly_trained_one(parser: IntentParser, pipeline: Pipeline) -> None:
    """`content/intent_model.json.gz` is current: after a corpus change, `python -m bot.content.intent_model`."""
    fresh = IntentParser(IntentModel.from_pipeline(pipeline))
    assert parser.model.intents == fresh.model.intents
    texts = [e.text for e in CORPUS.examples] + EXTRA_TEXTS
    stale = [t for t in texts if parser.parse(t, WEDNESDAY) != fresh.parse(t, WEDNESDAY)]
    assert not stale, f"regenerate the model (python -m bot.content.intent_model): {stale[:5]}"


def test_the_model_file_round_trips_and_a_broken_one_is_refused(tmp_path: Path, pipeline: Pipeline) -> None:
    model = IntentModel.from_pipeline(pipeline)
    path = tmp_path / "model.json.gz"
    path.write_bytes(dump_model(model))
    assert dump_model(load_model(path)) == path.read_bytes()
    path.write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="not an intent model"):
        load_model(path)


def test_the_bots_parser_reads_its_model_on_the_first_message_not_at_start(
    parser: IntentParser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bot.content import loader

    shipped = loader.shipped_intent_parser()
    assert "model" not in vars(shipped)  # the weights are not read yet
    today = dt.date(2026, 11, 25)
    assert shipped.parse("did it, rpe 7", today) == parser.parse("did it, rpe 7", today)
    assert shipped.model is default_intent_parser().model

    monkeypatch.setattr(loader, "CONTENT_DIR", tmp_path)  # a package without the model stops the start
    with pytest.raises(loader.ContentError, match="intent_model"):
        loader.shipped_intent_parser()


def test_the_process_starts_without_training() -> None:
    """Loading the shipped parser and reading a message never imports scikit-learn (nor trains)."""
    code = (
        "import sys, datetime as dt\n"
        "from bot.content.loader import default_intent_parser\n"
        "p = default_intent_parser()\n"
        "assert p.parse('did it, rpe 7', dt.date(2026, 11, 25)).rpe == 7\n"
        "print('sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Did it, RPE 7 💪", Parsed("Did it, RPE 7 💪", Intent.DONE, rpe=7)),
        ("done 8/10", Parsed("done 8/10", Intent.DONE, rpe=8)),
        ("done, rpe 14", Parsed("done, rpe 14", Intent.DONE)),
        ("sore but did it rpe 6", Parsed("sore but did it rpe 6", Intent.DONE, rpe=6)),
        ("My Achilles is sore", Parsed("My Achilles is sore", Intent.PAIN, area=BodyArea.ANKLE)),
        (
            "Long run moved to Saturday",
            Parsed("Long run moved to Saturday", Intent.MOVED_RUN, run=RunKind.LONG, day=Weekday.SAT),
        ),
        (
            "moved the tempo from tuesday to friday",
            Parsed("moved the tempo from tuesday to friday", Intent.MOVED_RUN, run=RunKind.QUALITY, day=Weekday.FRI),
        ),
        ("pause until 5 dec", Parsed("pause until 5 dec", Intent.PAUSE, until=dt.date(2026, 12, 5))),
        (
            "going away for 2 weeks, pause pls",
            Parsed("going away for 2 weeks, pause pls", Intent.PAUSE, until=dt.date(2026, 12, 8)),
        ),
    ],
)
def test_details_are_read_from_phrasings_outside_the_corpus(parser: IntentParser, text: str, expected: Parsed) -> None:
    """Effort, body area, run, weekday and pause end are read from new wordings, relative to the runner's today."""
    assert parser.parse(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("got a bit of a cold", False),
        ("think i have covid", False),
        ("fever and chills", False),
        ("caught a cold off my son", False),
        ("no fever, just a runny nose", False),
        ("no chest pain or anything, just a cold", False),
        ("chest felt tight on the hills", True),
        ("heart pounding like mad", True),
        ("felt faint and had to stop", True),
        ("dizzy since my run", True),
        ("hr went crazy on my run", True),
    ],
)
def test_illness_is_read_with_whether_it_needs_a_doctor_first(parser: IntentParser, text: str, urgent: bool) -> None:
    """A cold, flu or covid said in new words is `ill`; chest pain, fainting or dizziness and palpitations
    make it urgent, unless the runner says they are not there."""
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.urgent, parsed.flag is not None) == (Intent.ILL, urgent, urgent)


@pytest.mark.parametrize("text", ["done, rpe 8, but my heart was racing weirdly after", "skipped it, felt dizzy"])
def test_a_red_flag_comes_first_whatever_else_the_message_says(parser: IntentParser, text: str) -> None:
    """A message naming chest pain, fainting or palpitations is urgent illness even when it also logs or skips."""
    parsed = parser.parse(text, WEDNESDAY)
    assert (parsed.intent, parsed.urgent, parsed.also) == (Intent.ILL, True, ())
    assert parsed.flag is not None and parsed.flag.urgent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sick of this", Intent.UNKNOWN),
        ("calf pain", Intent.PAIN),
        ("off sick, pause for now", Intent.PAUSE),
        ("everything aches", Intent.SORE_OR_TIRED),
        ("is it cold outside", Intent.UNKNOWN),
    ],
)
def test_words_that_sound_like_illness_keep_their_own_meaning(parser: IntentParser, text: str, intent: Intent) -> None:
    """Being sick of something, a sore calf, a pause for sickness or the weather are not read as illness."""
    assert parser.parse(text, WEDNESDAY).intent is intent


def test_a_weekday_is_read_from_the_runners_today(parser: IntentParser) -> None:
    """ "Tomorrow" in a moved run is the day after the today passed in, not the machine's."""
    assert parser.parse("long run is tomorrow instead", dt.date(2026, 11, 28)).day is Weekday.SUN
    assert parser.parse("long run is tomorrow instead", dt.date(2026, 11, 25)).day is Weekday.THU


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "\n\t", "x" * (MAX_TEXT + 1), "done " * 400])
def test_empty_control_or_huge_text_is_unknown(parser: IntentParser, text: str) -> None:
    """Nothing to read, or more than a message's worth, is `unknown` with no details."""
    assert parser.parse(text, WEDNESDAY) == Parsed(text, Intent.UNKNOWN)


@given(text=st.text(max_size=1200))
def test_any_text_gives_a_valid_reading(parser: IntentParser, text: str) -> None:
    """Whatever is typed, the parser answers with a known intent and details in range, never an exception.

    The parser comes from a fixture, so training it is never timed as an example (run alone, with
    ``-m properties``, the first example used to train it and miss Hypothesis's deadline)."""
    parsed = parser.parse(text, WEDNESDAY)
    assert parsed.text == text
    assert isinstance(parsed.intent, Intent)
    assert parsed.rpe is None or 1 <= parsed.rpe <= 10
    assert parsed.area is None or isinstance(parsed.area, BodyArea)
    assert parsed.run is None or isinstance(parsed.run, RunKind)
    assert parsed.day is None or isinstance(parsed.day, Weekday)
    assert parsed.until is None or isinstance(parsed.until, dt.date)
    if parsed.intent not in (Intent.DONE, Intent.PARTLY):
        assert parsed.rpe is None
    if parsed.intent is not Intent.ILL:
        assert not parsed.urgent


def test_a_parser_needs_two_intents_to_learn() -> None:
    """Training on one intent alone is refused with a clear error rather than a model that always says it."""
    with pytest.raises(ValueError, match="two intents"):
        IntentParser.from_examples([IntentExample("hi", Intent.GREETING), IntentExample("hello", Intent.GREETING)])


# ---- the corpus file: a broken entry is named, field and all ----


def _corpus(*phrasings: dict[str, object]) -> tuple[IntentCorpus | None, list[str]]:
    return parse_intent_corpus({"today": WEDNESDAY, "phrasings": list(phrasings)})


def test_a_valid_corpus_becomes_examples() -> None:
    """Entries with their details become examples; the corpus keeps the day its dates are read from."""
    corpus, problems = _corpus(
        {"text": "did it rpe 7", "intent": "done", "rpe": 7},
        {"text": "pause until 5 dec", "intent": "pause", "until": dt.date(2026, 12, 5)},
    )
    assert problems == []
    assert corpus is not None and corpus.today == WEDNESDAY
    assert corpus.examples == (
        IntentExample("did it rpe 7", Intent.DONE, rpe=7),
        IntentExample("pause until 5 dec", Intent.PAUSE, until=dt.date(2026, 12, 5)),
    )


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"text": "did it rpe 11", "intent": "done", "rpe": 11},
            "intents.yaml: entry #2 ('did it rpe 11'), field 'rpe': Input should be less than or equal to 10",
        ),
        ({"text": "hello", "intent": "hello"}, "intents.yaml: entry #2 ('hello'), field 'intent'"),
        (
            {"text": "knee hurts", "intent": "pain", "area": "elbow"},
            "intents.yaml: entry #2 ('knee hurts'), field 'area'",
        ),
        ({"text": "hi", "intent": "greeting", "rpe": 5}, "'rpe' is not a detail of 'greeting'"),
        (
            {"text": "Done", "intent": "done"},
            "intents.yaml: entry #2 ('Done'), field 'text': reads the same as entry #1",
        ),
        ({"intent": "done"}, "intents.yaml: entry #2, field 'text': Field required"),
        ({"text": "moved", "intent": "moved_run", "day": "someday"}, "entry #2 ('moved'), field 'day'"),
        ({"text": "knee hurts", "intent": "pain", "urgent": True}, "'urgent' is not a detail of 'pain'"),
    ],
)
def test_a_broken_entry_is_named_with_its_field(entry: dict[str, object], problem: str) -> None:
    """Each mistake names the file, the entry (number and text) and the field, and no corpus is built."""
    corpus, problems = _corpus({"text": "done", "intent": "done"}, entry)
    assert corpus is None
    assert any(problem in line for line in problems), problems


def test_a_corpus_without_its_keys_is_refused() -> None:
    """A file that is not the corpus's shape says which keys it needs."""
    assert parse_intent_corpus(["done"]) == (None, ["intents.yaml: expected the keys 'today' and 'phrasings'"])


@pytest.mark.parametrize(
    ("text", "day_first", "until"),
    [
        ("hold everything till 12/5", False, dt.date(2026, 12, 5)),  # a runner in New York
        ("hold everything till 12/5", True, dt.date(2027, 5, 12)),  # a runner in London
        ("pause till 5/12", True, dt.date(2026, 12, 5)),
        ("pause till 5/12", None, None),  # nobody's custom known: no end date rather than a guess
        ("hold everything till 12/18", None, dt.date(2026, 12, 18)),  # only one reading: no custom needed
        ("till 17/12 pls", False, dt.date(2026, 12, 17)),
    ],
)
def test_a_pause_date_is_read_the_runners_way(
    parser: IntentParser, text: str, day_first: bool | None, until: dt.date | None
) -> None:
    """The runner's way of writing dates reaches a pause's end date; an ambiguous one without it is no date."""
    parsed = parser.parse(text, WEDNESDAY, day_first=day_first)
    assert (parsed.intent, parsed.until) == (Intent.PAUSE, until)


def test_a_model_file_cut_short_or_of_another_kind_is_refused(tmp_path: Path, pipeline: Pipeline) -> None:
    """The binary file is checked as it is read: a truncated copy, or gzip of something else, is not a model."""
    whole = gzip.decompress(dump_model(IntentModel.from_pipeline(pipeline)))
    path = tmp_path / "model.bin.gz"
    for broken in (whole[: len(whole) - 8], whole[: len(whole) // 2], b"{}", whole.replace(b"coach", b"other", 1)):
        path.write_bytes(gzip.compress(broken))
        with pytest.raises(ValueError, match="not an intent model"):
            load_model(path)


def test_the_stored_weights_are_the_fitted_ones_to_six_decimals(tmp_path: Path, pipeline: Pipeline) -> None:
    """Writing and reading a model changes no weight beyond the rounding (so the binary file reads the
    same intents as the JSON one it replaced, which kept the same six decimals)."""
    model = IntentModel.from_pipeline(pipeline)
    path = tmp_path / "model.bin.gz"
    path.write_bytes(dump_model(model))
    stored = load_model(path)
    assert stored.intents == model.intents
    assert [(name, terms) for name, terms, _ in stored.blocks] == [(name, terms) for name, terms, _ in model.blocks]
    assert list(stored.coef) == [round(weight, 6) for weight in model.coef]
    assert list(stored.intercept) == [round(weight, 6) for weight in model.intercept]
    for (_, _, read), (_, _, fitted) in zip(stored.blocks, model.blocks, strict=True):
        assert list(read) == [round(weight, 6) for weight in fitted]
