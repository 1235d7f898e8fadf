"""What kind of run a training-calendar event is, read from its title (and its description).

Titles come from training platforms and runners' own calendars: "Long Run 22 km", "Intervals
6x800", "Tempo 5 km", "Easy 40'", "Race: Berlin Half", "Rest day"; other sports ("Bike intervals",
"Swim", "Yoga", "Strength") are no runs. English first, with the common German, Spanish, French and
Dutch words. Matching is case- and accent-insensitive and on whole words, so "Cycling intervals" is
a bike session and "trackpad" no track session.

The words live here, beside the reader, like the rest of the core's readers of what runners write
(:mod:`bot.coach.details`, :mod:`bot.coach.day_mentions`): the core imports no content loader.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
import unicodedata

from bot.coach import lazy_re
from bot.coach.model import Distance, RunKind

__all__ = ["classify", "race_distance"]


def _words(phrases: str) -> lazy_re.LazyPattern:
    """One pattern matching any of the comma-separated ``phrases`` as whole words; a space in a
    phrase is any run of spaces, hyphens, underscores or slashes ("long-run", "long_run")."""
    alternatives = sorted(
        (r"[\s\-_/]+".join(re.escape(part) for part in phrase.split()) for phrase in phrases.split(",")),
        key=len,
        reverse=True,
    )
    return lazy_re.compile(r"(?<![a-z0-9])(?:" + "|".join(alternatives) + r")(?![a-z0-9])")


# a run of any kind, said plainly: what makes "Run + strength" a run and "Cycling intervals" none
_RUN = _words(
    "run, runs, running, jog, jogging, laufen, lauf, dauerlauf, waldlauf, correr, carrera, rodaje,"
    " trote, footing, hardlopen, duurloop, course a pied, trail run, treadmill run"
)
_OTHER_SPORT = _words(
    "bike, biking, cycling, cycle, ride, riding, spin, spinning, zwift, velo, radfahren, rad,"
    " fahrrad, ciclismo, bici, bicicleta, fietsen, swim, swimming, schwimmen, natacion, natation,"
    " nage, zwemmen, yoga, pilates, strength, krafttraining, kraft, fuerza, musculation, gym, weights,"
    " lifting, core, stretching, mobility, row, rowing, rudern, erg, elliptical, crossfit, hike,"
    " hiking, wandern, walk, walking, gehen, caminar, marcha, marche, wandelen, ski, skiing, langlauf,"
    " climbing, klettern, tennis, padel, football, fussball, soccer, cross training, cross-training,"
    " nordic walking, weight training, strength training"
)
_REST = _words(
    "rest, off, ruhetag, ruhe, pause, descanso, repos, rustdag, rust, rest day, day off, off day,"
    " jour de repos, dia de descanso, dia libre"
)
# "race pace", "race simulation": a workout at race effort, no race
_NOT_A_RACE = _words("race pace, race-pace, racepace, race simulation, race prep, race week")
_RACE = _words(
    "race, racing, wettkampf, wettbewerb, rennen, competition, competicion, carrera-popular,"
    " competition, course-officielle, wedstrijd, race day, raceday, a race"
)
_RACE_EVENT = _words(
    "marathon, half marathon, halbmarathon, halfmarathon, halve marathon, ultra, ultramarathon, maraton,"
    " media maraton, medio maraton, semi marathon, semi-marathon, semimarathon"
)
_LONG = _words(
    "long, lsr, lange, langer, largo, larga, longue, long run, long slow, sortie longue,"
    " tirada larga, rodaje largo, langer lauf, lange duurloop"
)
_QUALITY = _words(
    "intervals, interval, repeats, reps, tempo, threshold, fartlek, hills, hill, track, vo2, vo2max,"
    " speed, progression, cruise, lactate, anaerobic, strides-workout, intervalle, intervalltraining,"
    " schwelle, tempolauf, tempodauerlauf, bergsprints, berglauf, huegel, series, umbral, cuestas,"
    " fartleck, fractionne, seuil, cote, cotes, piste, vma, intervallen, drempel, heuvels, baan,"
    " parkrun, marathon pace, half marathon pace, race pace, mp run, steady state, hill repeats,"
    " track session"
)
_REPEATS = lazy_re.compile(r"(?<![a-z0-9])\d+\s*x\s*\(?\s*\d")  # 6x800, 5 x 1 km, 3x(2km)
_EASY = _words(
    "easy, recovery, recover, shakeout, shake-out, aerobic, base, steady, jog, jogging, locker,"
    " lockerer, regeneration, regenerativ, suave, recuperacion, facil, footing, recuperation, facile,"
    " rustig, herstel, shake out, general aerobic, easy run, recovery run, endurance fondamentale"
)

_DISTANCES: tuple[tuple[Distance, lazy_re.LazyPattern], ...] = (
    (Distance.ULTRA, _words("ultra, ultramarathon, 50k, 50 km, 100k, 100 km, 50 mile, 100 mile")),
    (
        Distance.HALF,
        _words(
            "half, halbmarathon, halfmarathon, semi, semimarathon, 21k, 21.1k, 21km, 21.1km, 13.1,"
            " half marathon, halve marathon, media maraton, medio maraton, semi marathon, 21 km, 21.1 km"
        ),
    ),
    (Distance.MARATHON, _words("marathon, maraton, 42k, 42km, 42.2k, 42.2km, 42 km, 42.2 km, 26.2")),
    (Distance.K10, _words("10k, 10km, 10 km, 10000m, 10000 m, 10 000 m, 10.000 m, 6.2 mi")),
    (Distance.K5, _words("5k, 5km, 5 km, 5000m, 5000 m, 5.000 m, parkrun, 3.1 mi")),
)


def _plain(text: str) -> str:
    """``text`` lower-cased, without accents, apostrophes or punctuation that joins words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ß", "ss")


def race_distance(text: str) -> Distance | None:
    """The race distance ``text`` names ("Berlin Half", "10k", "Marathon"), or None."""
    plain = _plain(text)
    for distance, pattern in _DISTANCES:
        if pattern.search(plain):
            return distance
    return None


def _kind_of(plain: str) -> RunKind | None:
    """The run kind the words of ``plain`` say, strongest first; None when they say no run."""
    if _RACE.search(plain) and not _NOT_A_RACE.search(plain):
        return RunKind.RACE
    workout = _LONG.search(plain) or _QUALITY.search(plain) or _REPEATS.search(plain) or _EASY.search(plain)
    if _RACE_EVENT.search(plain) and not workout:
        return RunKind.RACE  # "Berlin Marathon", "Half Marathon": the event itself, not "marathon pace"
    if _LONG.search(plain):
        return RunKind.LONG
    if _QUALITY.search(plain) or _REPEATS.search(plain):
        return RunKind.QUALITY
    if _EASY.search(plain) or _RUN.search(plain):
        return RunKind.EASY
    return None


def _run_kind(plain: str) -> RunKind | None:
    """The run kind ``plain`` says, None for another sport unless a run is named too ("Run + core")."""
    said_run = _RUN.search(plain) or _RACE.search(plain) or _RACE_EVENT.search(plain)
    return None if _OTHER_SPORT.search(plain) and not said_run else _kind_of(plain)


def classify(title: str, description: str = "") -> tuple[RunKind, Distance | None] | None:
    """The run kind of an event titled ``title`` (with ``description``), and a race's distance.

    None when the event is no run: another sport ("Cycling intervals", "Yoga"), or a note. A title
    that says only "Run" (or nothing of a kind, like "Workout") takes a long or quality kind from
    its description ("6x800 at 5k pace"). A rest day is ``RunKind.REST``. A race's distance comes
    from the title, else the description; None when neither says it.
    """
    plain, notes = _plain(title), _plain(description)
    kind = _run_kind(plain)
    if kind is None and _OTHER_SPORT.search(plain):
        return None
    if kind is None and _REST.search(plain):
        return RunKind.REST, None
    if kind is None or (kind is RunKind.EASY and not _EASY.search(plain)):
        # "Run" or "Workout": the description may say more; a title of no kind ("NYC Half") needs it
        # to say "run" or "race"
        from_notes = _run_kind(notes)
        said_run = kind is None and (from_notes is RunKind.RACE or (from_notes is not None and _RUN.search(notes)))
        if said_run or from_notes in (RunKind.LONG, RunKind.QUALITY):
            kind = from_notes
    if kind is None:
        return None
    if kind is RunKind.RACE:
        return kind, race_distance(title) or race_distance(description)
    return kind, None
