"""How well and how fast the free-text parser reads: `python bench/intent_bench.py`.

Trains on the whole corpus and on the pinned 80 % split, scores the held-out 20 %, and times
training and one message (intent only, and with details).
"""

from __future__ import annotations

import statistics
import time

from bot.coach.intents import IntentParser, hold_out, score
from bot.content.loader import load_intent_corpus


def main() -> None:
    corpus = load_intent_corpus()
    examples = corpus.examples
    started = time.perf_counter()
    parser = IntentParser.from_examples(examples)
    trained = time.perf_counter() - started
    train, held = hold_out(examples)
    held_score = score(IntentParser.from_examples(train), held, corpus.today)
    full_score = score(parser, examples, corpus.today)
    print(f"corpus: {len(examples)} phrasings, {len({e.intent for e in examples})} intents")
    print(f"training on all of it: {trained * 1000:.0f} ms")
    print(f"whole corpus read back: {full_score.exact}/{full_score.total} exactly")
    print(
        f"held out: {held_score.total} phrasings, intent {held_score.intent_accuracy:.1%}, "
        f"intent and details {held_score.exact_accuracy:.1%}"
    )
    for example, parsed in held_score.misses:
        print(f"  miss: {example.text!r}: expected {example.expected}, read {parsed}")
    for label, read in (
        ("intent only", lambda text: parser.intent_of(text)),
        ("parse (with details)", lambda text: parser.parse(text, corpus.today)),
    ):
        timings = []
        for _ in range(3):
            for example in examples:
                tick = time.perf_counter()
                read(example.text)
                timings.append(time.perf_counter() - tick)
        timings.sort()
        p50, p99 = statistics.median(timings), timings[int(len(timings) * 0.99)]
        print(f"{label}: p50 {p50 * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs, mean {statistics.fmean(timings) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
