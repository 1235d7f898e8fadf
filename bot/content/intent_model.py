"""The shipped intent model: `content/intent_model.bin.gz`, trained from `content/intents.yaml`.

The process loads the fitted weights at start instead of training (no scikit-learn import, no
training time). After changing the corpus, write the model again:

    .venv/bin/python -m bot.content.intent_model

and a test checks that the shipped model reads every phrasing as a freshly trained one does.

The file is binary, read at every start: a short JSON header (intents, intercepts, each block's
analyzer and number of terms), every term in UTF-8 separated by NUL, then the idf weights and the
SVM's weights as little-endian doubles that become arrays in one copy. Parsing the same 243,000
weights from JSON text took a tenth of a second or more of each start.
"""

from __future__ import annotations

import gzip
import json
import struct
import sys
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.coach.intents import Intent, IntentModel, train
from bot.content.intents import IntentCorpus

MODEL_FILE = "intent_model.bin.gz"
DIGITS = 6  # decimals kept of each weight: the file compresses better and the intents read the same
MAGIC = b"coach intent model 1\n"
_LENGTHS = struct.Struct("<II")  # bytes of the JSON header, bytes of the terms
_SEPARATOR = "\0"


def _rounded(values: Iterable[float]) -> array[float]:
    return array("d", (round(value, DIGITS) for value in values))


def _little_endian(values: array[float]) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover - the file is the same on every machine
        values = array("d", values)
        values.byteswap()
    return values.tobytes()


def _doubles(data: bytes) -> array[float]:
    values = array("d")
    values.frombytes(data)
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values


def dump_model(model: IntentModel) -> bytes:
    """The model as gzipped binary (see the module's docstring), byte for byte the same for the same
    model (no timestamp); weights rounded to ``DIGITS`` decimals."""
    terms = [term for _, block_terms, _ in model.blocks for term in block_terms]
    if any(_SEPARATOR in term for term in terms):
        raise ValueError("a term holds a NUL character")
    header = {
        "intents": [intent.value for intent in model.intents],
        "intercept": list(_rounded(model.intercept)),
        "blocks": [{"analyzer": name, "terms": len(block_terms)} for name, block_terms, _ in model.blocks],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text = _SEPARATOR.join(terms).encode("utf-8")
    idf = array("d")
    for _, _, block_idf in model.blocks:
        idf.extend(_rounded(block_idf))
    parts = [
        MAGIC,
        _LENGTHS.pack(len(head), len(text)),
        head,
        text,
        _little_endian(idf),
        _little_endian(_rounded(model.coef)),
    ]
    return gzip.compress(b"".join(parts), mtime=0)


def load_model(path: Path) -> IntentModel:
    """The model written by :func:`dump_model`; raises ``ValueError`` if the file is not one."""
    try:
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(MAGIC):
            raise ValueError("no intent model header")
        at = len(MAGIC) + _LENGTHS.size
        head_size, text_size = _LENGTHS.unpack_from(data, len(MAGIC))
        header: dict[str, Any] = json.loads(data[at : at + head_size].decode("utf-8"))
        at += head_size
        terms = data[at : at + text_size].decode("utf-8").split(_SEPARATOR) if text_size else []
        at += text_size
        intents = tuple(Intent(value) for value in header["intents"])
        counts = [int(block["terms"]) for block in header["blocks"]]
        if sum(counts) != len(terms):
            raise ValueError(f"{len(terms)} terms for blocks of {sum(counts)}")
        idf_end = at + 8 * len(terms)
        idf, coef = _doubles(data[at:idf_end]), _doubles(data[idf_end:])
        if len(idf) != len(terms) or len(coef) != len(terms) * len(intents):
            raise ValueError(f"{len(idf)} idf and {len(coef)} weights for {len(terms)} terms, {len(intents)} intents")
        blocks = []
        start = 0
        for block, count in zip(header["blocks"], counts, strict=True):
            blocks.append((str(block["analyzer"]), tuple(terms[start : start + count]), idf[start : start + count]))
            start += count
        return IntentModel(
            blocks=tuple(blocks),
            coef=coef,
            intercept=tuple(float(x) for x in header["intercept"]),
            intents=intents,
        )
    except (OSError, EOFError, KeyError, TypeError, ValueError, struct.error, gzip.BadGzipFile) as error:
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
