"""How well and how fast the free-text parser reads: `.venv/bin/python bench/intent_bench.py`.

Scores the shipped parser on the held-out phrasings written apart from the corpus
(`tests/data/intents_heldout.yaml`: intents, details, urgent signs), then the corpus's own
cross-validation (cut in five stratified parts, each read by a parser trained on the other four),
and times importing scikit-learn, training on the whole corpus, and reading one message (intent
only, and with details), wall time and CPU time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from functools import partial

from bot.coach.intent_measures import held_out_score, score
from bot.coach.intents import IntentParser
from bot.content.heldout import describe, heldout_files, load_heldout, score_heldout
from bot.content.loader import default_intent_parser, load_intent_corpus


def _timed(read: Callable[[str], object], texts: list[str], rounds: int = 3) -> str:
    timings = []
    cpu = time.process_time()
    for _ in range(rounds):
        for text in texts:
            tick = time.perf_counter()
            read(text)
            timings.append(time.perf_counter() - tick)
    cpu_each = (time.process_time() - cpu) / len(timings)
    timings.sort()
    p50, p99 = statistics.median(timings), timings[int(len(timings) * 0.99)]
    return (
        f"p50 {p50 * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs, mean {statistics.fmean(timings) * 1e6:.0f} µs "
        f"wall, {cpu_each * 1e6:.0f} µs CPU a message"
    )


def _parse_on(parser: IntentParser, today: dt.date, text: str) -> object:
    return parser.parse(text, today)


def main() -> None:
    tick = time.perf_counter()
    shipped = default_intent_parser()
    loaded = time.perf_counter() - tick
    print(f"loading the shipped model: {loaded * 1000:.0f} ms")
    for path in heldout_files():
        heldout = load_heldout(path)
        print(f"{path.name}:")
        print("\n".join(describe(score_heldout(shipped, heldout))))
        held_texts = [phrasing.text for phrasing in heldout.phrasings]
        print(f"parse (with details): {_timed(partial(_parse_on, shipped, heldout.today), held_texts)}")
    corpus = load_intent_corpus()
    examples = corpus.examples
    tick = time.perf_counter()
    import sklearn.svm  # noqa: F401  (the first training would otherwise pay for the import)

    imported = time.perf_counter() - tick
    tick = time.perf_counter()
    parser = IntentParser.from_examples(examples)
    trained = time.perf_counter() - tick
    full = score(parser, examples, corpus.today)
    held, parts = held_out_score(examples, corpus.today)
    print(f"corpus: {len(examples)} phrasings, {len({e.intent for e in examples})} intents")
    print(f"importing scikit-learn: {imported * 1000:.0f} ms; training on the whole corpus: {trained * 1000:.0f} ms")
    print(f"whole corpus read back: {full.exact}/{full.total} exactly")
    print(
        f"held out (5 parts, each phrasing once): intent {held.intent_right}/{held.total} "
        f"= {held.intent_accuracy:.1%}, "
        f"intent and details {held.exact_accuracy:.1%}; "
        f"parts {', '.join(f'{part.intent_accuracy:.1%}' for part in parts)}"
    )
    for example, parsed in held.misses:
        read = ((k, getattr(parsed, k)) for k in ("rpe", "area", "run", "day", "until", "urgent"))
        details = {k: v for k, v in read if v}
        print(f"  {example.text!r}: {example.intent.value} read as {parsed.intent.value} {details or ''}")
    texts = [example.text for example in examples]
    print(f"intent only: {_timed(parser.intent_of, texts)}")
    print(f"parse (with details): {_timed(lambda text: parser.parse(text, corpus.today), texts)}")


if __name__ == "__main__":
    main()
