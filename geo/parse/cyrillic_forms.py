"""The case forms of a gazetteer's Cyrillic names, in one Aho-Corasick automaton.

Every Cyrillic name the gazetteer holds gets its case forms once
(:mod:`geo.parse.inflection`: "Київ" -> "Києві", "Києва", ...; "велика
новосілка" -> "великій новосілці"), plus the colloquial names of oblasts
(Харківщина) and the few names in :mod:`geo.lexicon_cyr`.  Each form keeps
its readings (the rows it names, and flags the context rules of
:mod:`geo.parse.cyrillic` read).  The forms are cached on disk, keyed by the
gazetteer's names and the source of the rules, so a richer gazetteer brings
its own forms with it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from geo import lexicon_cyr, settings
from geo.gazetteer.loader import Gazetteer
from geo.io import cached_pickle
from geo.names import BOUNDARY, boundary_key
from geo.parse import inflection
from geo.lexicon_cyr import COUNTRY_ABBREVIATIONS, EXTRA_NAMES


_CYRILLIC_KEY = re.compile("[\u0400-\u04ff]")
_FORMS_VERSION = 3
"""Bumped when the forms change in a way the rules' source text would not show."""

# flags of a reading of a form
NOMINATIVE = 1  # the name as the gazetteer holds it (or a colloquial name), not an inflection
OBLAST_ADJECTIVE = 2  # an oblast's adjective alone: a place only before "область"
ADJECTIVAL = 4  # the name is an adjective (Покровське): not one before another noun
ADMIN1 = 8  # names an oblast or region
COMMON = 16  # also a frequent Ukrainian or Russian word (Але, Доля): a small place needs a preposition
NOUN_FORM = 32  # a form of some name that is no adjective (Донецьком, of Донецьк, beside Донецький)

LOCAL_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "PL", "RO", "HU", "SK", "GE", "KZ", "LT", "LV", "EE",
                             "AM", "AZ", "UZ", "KG", "TJ", "TM", "BG", "RS"})
"""Countries whose small towns Ukrainian and Russian reports name in Cyrillic; elsewhere only
towns of ``FOREIGN_MIN_POPULATION`` or more keep their Cyrillic names (GeoNames gives
Japanese and French villages Cyrillic names that are Ukrainian words: Тоді, Але)."""
FOREIGN_MIN_POPULATION = 100_000
COMMON_ZIPF = 4.0
COMMON_MAX_POPULATION = 50_000


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a form: the gazetteer rows it names, how, and the name it inflects."""

    rows: tuple[int, ...]
    flags: int
    lemma: str


@dataclass(frozen=True)
class FormIndex:
    """The case forms of a gazetteer's Cyrillic names, as an automaton over boundary text.

    The automaton's value ``i`` stands for ``forms[i]``, read as a place name
    (``names[i]``) or as an oblast's adjective (``adjectives[i]``), or both
    ("Луганську": the city, or the oblast in "Луганську область").
    """

    automaton: ahocorasick.Automaton
    forms: list[str]
    names: list[Reading | None]
    adjectives: list[Reading | None]


def _cyrillic_keys(gaz: Gazetteer) -> list[tuple[int, str]]:
    return [(kid, k) for kid, k in enumerate(gaz.keys) if _CYRILLIC_KEY.search(k)]


_ADJ_ENDINGS = ("ський", "цький", "зький", "ська", "цька", "зька", "ське", "цьке", "зьке", "ий", "ій",
                "ский", "цкий", "ская", "цкая", "ское", "цкое", "ое", "ая", "ый")


_SETTLEMENT_ADJ_ENDINGS = ("ове", "еве", "єве", "ине", "іне", "їне", "не", "ке", "ова", "ева", "єва")
"""Endings of adjectival village names (Медове, Соколине, Західне, Глибоке, Тернова, Лозова)
that are nouns' endings too often to mark a country's or an oblast's name."""


def _is_adjectival(key: str, settlement: bool = False) -> bool:
    return " " not in key and (key.endswith(_ADJ_ENDINGS) or settlement and key.endswith(_SETTLEMENT_ADJ_ENDINGS))


class _Readings:
    """Readings collected per form while the forms are made."""

    def __init__(self):
        self.rows: dict[str, set[int]] = {}
        self.own: dict[str, set[int]] = {}  # the rows whose own name the form is
        self.flags: dict[str, int] = {}
        self.lemma: dict[str, str] = {}

    def add(self, form: str, rows, flags: int, lemma: str) -> None:
        self.rows.setdefault(form, set()).update(rows)
        if flags & NOMINATIVE and lemma == form:
            self.own.setdefault(form, set()).update(rows)
        self.flags[form] = self.flags.get(form, 0) | flags
        self.lemma.setdefault(form, lemma)

    def reading(self, form: str, common: frozenset[str], gaz: Gazetteer) -> Reading | None:
        if form not in self.rows:
            return None
        rows, lemma, own = self.rows[form], self.lemma[form], self.own.get(form)
        if own and own != rows and all(gaz.population[r] < _OWN_NAME_WINS_BELOW for r in rows - own):
            # a village's own name is not the form of a small place's other name: Борове is
            # the villages so named, not Борова made neuter, nor Черемушна
            rows, lemma = own, form
        # a frequent word that names only villages (or foreign towns); a town's own name is
        # frequent because it is the town's (Херсон)
        minor = all(gaz.population[r] < COMMON_MAX_POPULATION or gaz.cc[r] not in LOCAL_COUNTRIES for r in rows)
        flags = self.flags[form] | (COMMON if form in common and minor else 0)
        return Reading(tuple(sorted(rows)), flags, lemma)


_OWN_NAME_WINS_BELOW = 10_000
"""A form that is some places' own name and an inflection of other places' names reads as the
former only, unless one of the others is a town this big (its cases are what reports write)."""


def _local_rows(gaz: Gazetteer, rows, key: str) -> list[int]:
    rows = [int(r) for r in rows if gaz.cc[r] in LOCAL_COUNTRIES or gaz.kind[r] != "city"
            or gaz.population[r] >= FOREIGN_MIN_POPULATION]
    return _plausible_rows(gaz, rows, key)


_ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "",
})


def _plausible_rows(gaz: Gazetteer, rows: list[int], key: str) -> list[int]:
    """The rows a Cyrillic name plausibly names when it names several cities: those whose own
    (Latin) name reads like it.  GeoNames lists former names and slips as alternate names
    (Шевченко for Aktau, once Shevchenko; Слов'янськ for Nikopol), which would otherwise
    outweigh the villages and towns really called so."""
    cities = [r for r in rows if gaz.kind[r] == "city"]
    if len(cities) < 2:
        return rows
    import difflib

    roman = key.translate(_ROMAN).replace("h", "g")
    score = {r: difflib.SequenceMatcher(None, roman, str(gaz.name[r]).lower().replace("h", "g")).ratio()
             for r in cities}
    best = max(score.values())
    likely = [r for r in cities if score[r] >= best - _PLAUSIBLE_MARGIN]
    # a great city is not outweighed by a village spelt closer to the Cyrillic (Париж: Paris, Parizh)
    great = max(int(gaz.population[r]) for r in likely) * 50
    return [r for r in rows if r not in score or score[r] >= best - _PLAUSIBLE_MARGIN
            or gaz.population[r] >= max(great, FOREIGN_MIN_POPULATION)]


_PLAUSIBLE_MARGIN = 0.25


def _build_forms(gaz: Gazetteer) -> tuple[list[str], list[Reading | None], list[Reading | None]]:
    """Every form of every Cyrillic name, with its readings as a name and as an oblast adjective."""
    names, adjectives = _Readings(), _Readings()
    admin1 = gaz.kind == "admin1"

    def add_name(name: str, rows: list[int], flags: int) -> None:
        flags |= 0 if flags & ADJECTIVAL else NOUN_FORM
        names.add(name, rows, NOMINATIVE | flags, name)
        forms = inflection.name_forms(name)
        if flags & ADJECTIVAL and name.endswith(("а", "я")):  # Тернова -> Тернової, Алчевська -> Алчевській
            forms |= inflection.adjective_forms(name)
        for form in forms:
            names.add(form, rows, flags, name)

    for kid, key in _cyrillic_keys(gaz):
        rows = _local_rows(gaz, gaz.entries_for_key(kid)[0], key)
        if not rows:
            continue
        unit = ADMIN1 if any(admin1[r] for r in rows) else 0
        settlement = not unit and all(gaz.kind[r] == "city" for r in rows)
        add_name(key, rows, unit | (ADJECTIVAL if _is_adjectival(key, settlement) else 0))
        region = inflection.colloquial_region(key) if unit else None
        if region:
            add_name(region, rows, unit)
        words = key.split(" ")
        if unit and len(words) == 2 and words[1] == "область":
            # "у Волинській та Львівській областях": the adjective, alone, names the oblast
            for form in {words[0], *inflection.adjective_forms(words[0])}:
                adjectives.add(form, rows, OBLAST_ADJECTIVE | unit, key)
    for name, target in EXTRA_NAMES.items():
        rows = _target_rows(gaz, target)
        if rows:
            unit = ADMIN1 if any(admin1[r] for r in rows) else 0
            add_name(name, rows, unit)
            region = inflection.colloquial_region(name) if unit else None
            if region:
                add_name(region, rows, unit)
    for name, cc in COUNTRY_ABBREVIATIONS.items():  # США, РФ: they do not inflect
        row = gaz.country_row(cc)
        if row is not None:
            names.add(name, [row], NOMINATIVE, name)
    for readings in (names, adjectives):
        for form in [f for f in readings.rows if "'" in f]:  # apostrophes are often left out: Словянськ
            readings.add(form.replace("'", ""), readings.rows[form], readings.flags[form], readings.lemma[form])
    forms = sorted(names.rows.keys() | adjectives.rows.keys())
    common = _common_words(forms)
    shared = _Shared()
    return (forms, [shared(names.reading(f, common, gaz)) for f in forms],
            [shared(adjectives.reading(f, common, gaz)) for f in forms])


class _Shared:
    """One object for equal readings, rows and lemmas: the forms of a name mostly read alike,
    and the index holds some 450,000 of them (shared, they pickle and load once each)."""

    def __init__(self):
        self._seen: dict = {}

    def _one(self, value):
        return self._seen.setdefault(value, value)

    def __call__(self, reading: Reading | None) -> Reading | None:
        if reading is None:
            return None
        return self._one(Reading(self._one(reading.rows), reading.flags, self._one(reading.lemma)))


def _common_words(forms: list[str]) -> frozenset[str]:
    """The one-word forms that are frequent Ukrainian or Russian words (Zipf >= ``COMMON_ZIPF``)."""

    from wordfreq import get_frequency_dict

    least = 10 ** (COMMON_ZIPF - 9)
    out = set()
    for lang in ("uk", "ru"):
        freq = get_frequency_dict(lang)
        out |= {f for f in forms if " " not in f and freq.get(f, 0.0) >= least}
    return frozenset(out)


def _target_rows(gaz: Gazetteer, target: str) -> list[int]:
    """Rows an extra name stands for: an admin-1 code (``UA.07``), a country code, or a name."""
    if "." in target:
        row = gaz.admin1_row(target)
        return [row] if row is not None else []
    if len(target) == 2 and target.isupper():
        row = gaz.country_row(target)
        return [row] if row is not None else []
    return gaz.lookup(target)[:1]


def _index_from(forms, names, adjectives) -> FormIndex:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, f in enumerate(forms):
        # whole words only: a boundary before and after; the text is checked at each hit
        automaton.add_word(boundary_key(f) + BOUNDARY, i)
    automaton.make_automaton()
    return FormIndex(automaton, forms, names, adjectives)


def _cache_path(gaz: Gazetteer) -> Path:
    source = b"".join(Path(m.__file__).read_bytes() for m in (inflection, lexicon_cyr)) + Path(__file__).read_bytes()
    digest = hashlib.sha1(source)
    digest.update(str(_FORMS_VERSION).encode())
    names = gaz.directory / "names.parquet"
    stat = names.stat() if names.exists() else None
    digest.update(f"{gaz.directory.resolve()}|{stat and stat.st_size}|{stat and stat.st_mtime_ns}|{len(gaz)}"
                  .encode())
    return settings.CACHE_DIR / f"cyrillic_forms-{digest.hexdigest()[:16]}.pkl"


_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _form_index(gaz: Gazetteer) -> FormIndex:
    return cached_pickle(_cache_path(gaz), lambda: _index_from(*_build_forms(gaz)), "Cyrillic name forms")


def form_index(gaz: Gazetteer) -> FormIndex:
    """The case forms of ``gaz``'s Cyrillic names, made once a gazetteer (seconds) and cached."""
    with _LOCK:
        return _form_index(gaz)
