"""The shipped intent model: `content/intent_model.json.gz`, trained from `content/intents.yaml`.

The process loads the fitted weights at start instead of training (no scikit-learn import, no
training time). After changing the corpus, write the model again:

    .venv/bin/python -m bot.content.intent_model

and a test checks that the shipped model reads every phrasing as a freshly trained one does.
"""

from __future__ import annotations

import gzip
import json
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.coach.intents import Intent, IntentModel, train
from bot.content.intents import IntentCorpus

MODEL_FILE = "intent_model.json.gz"
DIGITS = 6  # decimals kept of each weight: the file stays small and the intents read the same


def _rounded(values: Iterable[float]) -> list[float]:
    return [round(value, DIGITS) for value in values]


def dump_model(model: IntentModel) -> bytes:
    """The model as gzipped JSON, byte for byte the same for the same model (no timestamp)."""
    data = {
        "blocks": [{"analyzer": name, "terms": list(terms), "idf": _rounded(idf)} for name, terms, idf in model.blocks],
        "coef": [_rounded(row) for row in model.rows()],
        "intercept": _rounded(model.intercept),
        "intents": [intent.value for intent in model.intents],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), mtime=0)


def load_model(path: Path) -> IntentModel:
    """The model written by :func:`dump_model`; raises ``ValueError`` if the file is not one."""
    try:
        data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
        intents = tuple(Intent(value) for value in data["intents"])
        coef = array("d")
        for row in data.pop("coef"):
            if len(row) != len(intents):
                raise ValueError(f"a row of {len(row)} weights for {len(intents)} intents")
            coef.extend(row)
        return IntentModel(
            blocks=tuple(
                (str(b["analyzer"]), tuple(str(t) for t in b["terms"]), array("d", b["idf"])) for b in data["blocks"]
            ),
            coef=coef,
            intercept=tuple(float(x) for x in data["intercept"]),
            intents=intents,
        )
    except (OSError, EOFError, KeyError, TypeError, ValueError, gzip.BadGzipFile) as error:
        raise ValueError(f"{path.name}: not an intent model ({error})") from error


def trained_model(corpus: IntentCorpus) -> IntentModel:
    return IntentModel.from_pipeline(train(corpus.examples))


def main() -> int:
    from bot.content.loader import load_intent_corpus
    from bot.resources import CONTENT_DIR

    model = trained_model(load_intent_corpus(CONTENT_DIR))
    target = CONTENT_DIR / MODEL_FILE
    target.write_bytes(dump_model(model))
    terms = sum(len(terms) for _, terms, _ in model.blocks)
    print(f"wrote {target} ({target.stat().st_size // 1024} KiB, {terms} features, {len(model.intents)} intents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
