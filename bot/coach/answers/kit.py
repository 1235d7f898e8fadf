"""Equipment: bands, dumbbells, a gym or bodyweight only, said in words or with typos."""

from __future__ import annotations

import re

from bot.coach.answers.words import AnswerError, _fix, _sentence, _settle, _wordset, clean
from bot.coach.model import BODYWEIGHT, Equipment, Kit

_EQUIPMENT_WORDS = {
    Equipment.BANDS: ("band", "bands", "resistance band", "resistance bands", "mini band", "mini bands", "loop band"),
    Equipment.DUMBBELLS: (
        "dumbbell",
        "dumbbells",
        "dumbell",
        "dumbells",
        "db",
        "dbs",
        "kettlebell",
        "kettlebells",
        "kb",
        "kbs",
        "weights",
        "free weights",
    ),
    Equipment.GYM: ("gym", "gyms", "barbell", "barbells", "full gym", "rack", "squat rack", "machines", "machine"),
}
_BODYWEIGHT_WORDS = (
    "none",
    "nothing",
    "no",
    "bodyweight",
    "body weight",
    "body-weight",
    "just bodyweight",
    "only bodyweight",
    "no equipment",
    "no kit",
    "home",
    "just me",
)


def parse_equipment(text: str) -> Kit:
    """The kit a typed answer names ("dumbbells and bands", "I have a barbell at the gym"); "none"
    or "just bodyweight" is the empty kit (bodyweight is always in it). COACHING.md, "Vocabulary"."""
    said = " " + " ".join(re.findall(r"[a-z]+(?:-[a-z]+)?", clean(text).lower())) + " "
    # "no barbell, just bands": an item said to be missing is not in the kit
    kept = re.sub(r" (?:no|not|without|dont|don't|haven't|havent)(?: have| got)?(?: a| any)? [a-z-]+", " ", said)
    kit = {item for item, names in _EQUIPMENT_WORDS.items() if any(f" {name} " in kept for name in names)}
    if kit:
        return frozenset(kit)
    if any(f" {name} " in said for name in _BODYWEIGHT_WORDS):
        return BODYWEIGHT
    raise AnswerError("bad_equipment")


# --- equipment -----------------------------------------------------------------------------------

_KIT_TYPOS = {
    "dumbel": "dumbbell", "dumbels": "dumbbells", "dumbbel": "dumbbell", "dumbbels": "dumbbells",
    "dumbbell's": "dumbbells", "kettle": "kettlebell", "kettlebel": "kettlebell", "kettlebels": "kettlebells",
    "barbel": "barbell", "barbels": "barbells", "resistence": "resistance", "theraband": "bands",
    "therabands": "bands", "elastic": "bands",
}  # fmt: skip
_KIT_VOCABULARY = [
    "dumbbell",
    "dumbbells",
    "kettlebell",
    "kettlebells",
    "barbell",
    "barbells",
    "bands",
    "band",
    "resistance",
    "bodyweight",
    "nothing",
    "weights",
    "machines",
]
_KIT_FILLER = _wordset(
    """
    home house garage flat apartment gym gyms at the local work pair set couple few light heavy
    adjustable own owns membership member access kit equipment stuff plus lifting lift weights weight
    bells bell bar bars plates plate rack cable cables machine machines full proper big small mini loop
    resistance only no nothing none just bodyweight body
    """
)


def read_equipment(text: str) -> Kit:
    """Kit in a sentence: "I have a barbell at the gym", "just dumbbells at home", "nothing,
    bodyweight only", "full gym"; "kettle bells" and "dumbels" read as meant."""
    said = _sentence(text).replace("kettle bell", "kettlebell").replace("free weights", "dumbbells")
    said = " ".join(_KIT_TYPOS.get(w, _fix(w, _KIT_VOCABULARY)) for w in said.replace(",", " , ").split())
    said = said.replace(" ,", ",")
    kit = parse_equipment(said)
    kit_words = {name for names in _EQUIPMENT_WORDS.values() for name in names for name in name.split()}
    _settle(kit, said, _KIT_FILLER | kit_words | frozenset(_BODYWEIGHT_WORDS))
    return kit
