"""Niggles: the body areas named (with their everyday names), or "none"."""

from __future__ import annotations

import re

from bot.coach import lazy_re
from bot.coach.answers.days import _NO
from bot.coach.answers.words import AnswerError, _fix, _sentence, _settle, _words, _wordset, clean
from bot.coach.model import BodyArea

_AREAS: dict[str, BodyArea] = {
    "knee": BodyArea.KNEE,
    "knees": BodyArea.KNEE,
    "hip": BodyArea.HIP,
    "hips": BodyArea.HIP,
    "glute": BodyArea.HIP,
    "glutes": BodyArea.HIP,
    "groin": BodyArea.HIP,
    "ankle": BodyArea.ANKLE,
    "ankles": BodyArea.ANKLE,
    "achilles": BodyArea.ANKLE,
    "calf": BodyArea.ANKLE,
    "calves": BodyArea.ANKLE,
    "shin": BodyArea.SHIN,  # its own area (COACHING.md, "Vocabulary"): shin bone pain is a red flag
    "shins": BodyArea.SHIN,
    "tibia": BodyArea.SHIN,
    "foot": BodyArea.FOOT,
    "feet": BodyArea.FOOT,
    "plantar": BodyArea.FOOT,
    "heel": BodyArea.FOOT,
    "back": BodyArea.BACK,
    "spine": BodyArea.BACK,
    "hamstring": BodyArea.HAMSTRING,
    "hamstrings": BodyArea.HAMSTRING,
    "hammy": BodyArea.HAMSTRING,
    "shoulder": BodyArea.SHOULDER,
    "shoulders": BodyArea.SHOULDER,
}


_IT_BAND = lazy_re.compile(r"\b(?:it\s*-?\s*band|itb|itbs|iliotibial)\b", re.IGNORECASE)


def find_areas(text: str) -> list[BodyArea]:
    """Body areas mentioned anywhere in a sentence ("my left knee and achilles")."""
    found = {_AREAS[word] for word in _words(text) if word in _AREAS}
    return [area for area in BodyArea if area in found]


def parse_areas(text: str) -> list[BodyArea]:
    """Niggles by area. The IT band runs from hip to knee, so on its own it is asked back: knee or hip?"""
    text = clean(text)
    if text.lower().strip(" .!") in _NO | {"all good", "healthy", "fine"}:
        return []
    areas = find_areas(text)
    if _IT_BAND.search(text) and not {BodyArea.KNEE, BodyArea.HIP} & set(areas):
        raise AnswerError("it_band")
    if not areas:
        raise AnswerError("bad_areas")
    return areas


# --- niggles -------------------------------------------------------------------------------------

_AREA_VOCABULARY = sorted({*_AREAS, "achilles"})
_NIGGLE_FILLER = _wordset(
    """
    left right both side sides a bit little slightly sore sorish tight stiff achy aches ache ache's
    hurts hurt hurting painful pain niggle niggles niggly dodgy bad weak old injury injured issue issues
    problem problems tendon tendons knees when sometimes after running runs run lately recently since
    then now still there is it's been occasionally mild minor ongoing recurring flare flares up plantar
    fasciitis tendonitis tendinopathy strain strained pulled lower upper outer inner front back of the
    and my
    """
)
_NO_NIGGLES = lazy_re.compile(
    r"^(?:none|no|nope|nah|nothing|all good|healthy|fine|i'?m fine|all fine|no niggles|no injuries|not really|"
    r"nothing really|none really|none right now|nothing right now|none at the moment|nothing at the moment|"
    r"none atm|nothing atm|no,? all good|all good thanks|no issues|no problems|injury free|n/a|na|-|0|zero|"
    r"no,? none|no,? nothing|i'?m good|good|feeling good|all healthy)$"
)


def read_areas(text: str) -> list[BodyArea]:
    """Niggles in a sentence: "my left achilles is a bit sore" (ankle), "none", "knee and hip"."""
    said = _sentence(text)
    if _NO_NIGGLES.match(said):
        return []
    fixed = " ".join(_fix(w, _AREA_VOCABULARY) for w in said.split())
    areas = parse_areas(fixed)  # the IT band and the unknown are asked back as before
    _settle(areas, fixed, _NIGGLE_FILLER | frozenset(_AREAS) | {"it", "band", "itb", "iliotibial"})
    return areas
