"""Place mentions in Ukrainian and Russian text, inflected as the grammar wants them.

Every Cyrillic name the gazetteer holds gets its case forms once
(:mod:`geo.parse.inflection`: "Київ" -> "Києві", "Києва", ...; "велика
новосілка" -> "великій новосілці"), plus the colloquial names of oblasts
(Харківщина) and the few names in :mod:`geo.lexicon_cyr`.  The forms go
into one Aho-Corasick automaton, so a text is matched in one pass with the
original offsets; the forms are cached on disk, keyed by the gazetteer's
names, so a richer gazetteer brings its own forms with it.

A match is kept by context, with the morphological analyser (pymorphy3)
asked only about the few words that need it:

* a capital letter, and not inside a longer capitalised name;
* not a person: no initial or given name before it, no surname after a
  given name, not a small place whose word is only a name or surname;
* not an adjective qualifying another noun ("Київський університет"); an
  oblast's adjective counts only before "область" ("Київська область",
  "у Волинській та Львівській областях");
* not a common word that opens a sentence, unless the place is big.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import pickle
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from geo import settings
from geo.gazetteer.loader import Gazetteer
from geo.names import BOUNDARY, boundary_key, boundary_text
from geo.parse import inflection
from geo.parse.language import analyser, has_cyrillic
from geo.lexicon_cyr import (COUNTRY_ABBREVIATIONS, EXTRA_NAMES, NOT_PLACES, ORG_HEADS,
                                   ORGANISATIONS, PLACE_NOUNS, PREPOSITIONS, TITLES)
from geo.records import Mention

log = logging.getLogger(__name__)

_CYRILLIC_KEY = re.compile("[\u0400-\u04ff]")
_FORMS_VERSION = 3
"""Bumped when the forms change in a way the rules' source text would not show."""

# flags of a reading of a form
NOMINATIVE = 1  # the name as the gazetteer holds it (or a colloquial name), not an inflection
OBLAST_ADJECTIVE = 2  # an oblast's adjective alone: a place only before "область"
ADJECTIVAL = 4  # the name is an adjective (Покровське): not one before another noun
ADMIN1 = 8  # names an oblast or region
COMMON = 16  # also a frequent Ukrainian or Russian word (Але, Доля): a small place needs a preposition

LOCAL_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "PL", "RO", "HU", "SK", "GE", "KZ", "LT", "LV", "EE",
                             "AM", "AZ", "UZ", "KG", "TJ", "TM", "BG", "RS"})
"""Countries whose small towns Ukrainian and Russian reports name in Cyrillic; elsewhere only
towns of ``FOREIGN_MIN_POPULATION`` or more keep their Cyrillic names (GeoNames gives
Japanese and French villages Cyrillic names that are Ukrainian words: Тоді, Але)."""
FOREIGN_MIN_POPULATION = 100_000
COMMON_ZIPF = 4.0
COMMON_MAX_POPULATION = 50_000


@dataclass(frozen=True)
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


def _is_adjectival(key: str) -> bool:
    return " " not in key and key.endswith(_ADJ_ENDINGS)


class _Readings:
    """Readings collected per form while the forms are made."""

    def __init__(self):
        self.rows: dict[str, set[int]] = {}
        self.flags: dict[str, int] = {}
        self.lemma: dict[str, str] = {}

    def add(self, form: str, rows, flags: int, lemma: str) -> None:
        self.rows.setdefault(form, set()).update(rows)
        self.flags[form] = self.flags.get(form, 0) | flags
        self.lemma.setdefault(form, lemma)

    def reading(self, form: str, common: frozenset[str], gaz: Gazetteer) -> Reading | None:
        if form not in self.rows:
            return None
        # a frequent word that names only villages (or foreign towns); a town's own name is
        # frequent because it is the town's (Херсон)
        minor = all(gaz.population[r] < COMMON_MAX_POPULATION or gaz.cc[r] not in LOCAL_COUNTRIES
                    for r in self.rows[form])
        flags = self.flags[form] | (COMMON if form in common and minor else 0)
        return Reading(tuple(sorted(self.rows[form])), flags, self.lemma[form])


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
    return [r for r in rows if r not in score or score[r] >= best - _PLAUSIBLE_MARGIN]


_PLAUSIBLE_MARGIN = 0.25


def _build_forms(gaz: Gazetteer) -> tuple[list[str], list[Reading | None], list[Reading | None]]:
    """Every form of every Cyrillic name, with its readings as a name and as an oblast adjective."""
    names, adjectives = _Readings(), _Readings()
    admin1 = gaz.kind == "admin1"

    def add_name(name: str, rows: list[int], flags: int) -> None:
        names.add(name, rows, NOMINATIVE | flags, name)
        for form in inflection.name_forms(name):
            names.add(form, rows, flags, name)

    for kid, key in _cyrillic_keys(gaz):
        rows = _local_rows(gaz, gaz.entries_for_key(kid)[0], key)
        if not rows:
            continue
        unit = ADMIN1 if any(admin1[r] for r in rows) else 0
        add_name(key, rows, unit | (ADJECTIVAL if _is_adjectival(key) else 0))
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
    return (forms, [names.reading(f, common, gaz) for f in forms],
            [adjectives.reading(f, common, gaz) for f in forms])


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
    source = Path(inflection.__file__).read_bytes() + Path(__file__).read_bytes()
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
    path = _cache_path(gaz)
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception as exc:  # written by another version of a library: make it again
        log.warning("cached Cyrillic name forms unreadable (%s); making them again", exc)
    index = _index_from(*_build_forms(gaz))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:  # a read-only checkout still parses, only slower to start
        log.warning("could not cache Cyrillic name forms in %s: %s", path.parent, exc)
    return index


def form_index(gaz: Gazetteer) -> FormIndex:
    """The case forms of ``gaz``'s Cyrillic names, made once a gazetteer (seconds) and cached."""
    with _LOCK:
        return _form_index(gaz)


# the analyser, asked about single words, each once ------------------------------------
@functools.lru_cache(maxsize=65536)
def analyses(word: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Every parse pymorphy3 gives a (lower-case) word: (normal form, grammemes), best first."""
    return tuple((p.normal_form, frozenset(p.tag.grammemes)) for p in analyser(lang).parse(word))


@functools.lru_cache(maxsize=65536)
def known_analyses(word: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """``analyses`` of a word the dictionary holds; none for a word it only guesses at (a
    Russian word read with the Ukrainian dictionary comes out a given name)."""
    return analyses(word, lang) if analyser(lang).word_is_known(word) else ()


_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


def _first_tags(word: str, lang: str) -> frozenset[str]:
    parses = analyses(word.lower(), lang)
    return parses[0][1] if parses else frozenset()


def _reads_as_person(word: str, lang: str) -> bool:
    """Whether the dictionary reads a word as a given name, surname or patronymic (and never as
    a place: Russian marks toponyms Geox; the Ukrainian dictionary has no such mark)."""
    parses = known_analyses(word.lower(), lang)
    return any(g & _PERSON_TAGS for _, g in parses) and not any("Geox" in g for _, g in parses)


def _is_noun(word: str, lang: str) -> bool:
    return "NOUN" in _first_tags(word, lang)


# matching ------------------------------------------------------------------------------
_WORD = r"[^\W\d_][\w'ʼ’-]*"
_BEFORE = re.compile(rf"({_WORD})(\s?\.)?[ \t\u00a0]+$")
_AFTER = re.compile(rf"[ \t\u00a0]+({_WORD})")
_INITIAL_BEFORE = re.compile(r"(?<![^\W\d_])[А-ЯІЇЄҐA-Z]\s?\.\s*$")
_OBLAST_AFTER = re.compile(
    rf"(?:\s*(?:,|\s(?:та|і|й|и|або|чи|а\s+також))\s*{_WORD}){{0,8}}\s+(?:област|обл\.)", re.I)
_ORGANISATION = re.compile(r"(?<![^\W\d_])(?:" + "|".join(ORGANISATIONS) + r")")
_ORG_HEAD_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{ORG_HEADS})(?:\s+м\s?\.|\s+міста|\s+города|\s+г\s?\.)?\s+$",
                              re.I)
_ORG_HEAD_WORD = re.compile(rf"(?:{ORG_HEADS})", re.I)
_QUOTED = re.compile(r"«[^«»\n]{1,60}»|“[^“”\n]{1,60}”|\"[^\"\n]{1,60}\"")
_ADJECTIVE_SURFACE = re.compile(
    r"(?:[сц]ьк|зьк|[сц]к)(?:ий|ій|а|е|ого|ому|им|ім|ій|ої|у|ою|і|их|ими|ая|ое|ой|ую|ом|ым|ие|ые|ых|ыми|ими)$")
_SMALL = 100_000
_PROMINENT = 500_000


def _prominent(gaz: Gazetteer, rows: tuple[int, ...], population: int) -> bool:
    return any(gaz.kind[r] in ("country", "admin1") or gaz.population[r] >= population for r in rows)


def _whole_hits(index: FormIndex, folded: str) -> list[tuple[int, int, int]]:
    """(start, end, form) of every form found as whole words, longest first where they overlap."""
    btext, _ = boundary_text(folded)
    hits = []
    forms = index.forms
    for j, i in index.automaton.iter(btext):
        e = j - 1  # btext[j] is the boundary after the form: folded[j - 1]
        s = e - len(forms[i])
        if folded[s:e] == forms[i]:
            hits.append((s, e, i))
    hits.sort(key=lambda h: (h[0] - h[1], h[0]))
    taken = bytearray(len(folded) + 1)
    kept = []
    for s, e, i in hits:
        if taken.find(1, s, e) < 0:
            kept.append((s, e, i))
            taken[s:e] = b"\x01" * (e - s)
    return sorted(kept)


def _word_before(text: str, s: int) -> tuple[str, bool] | None:
    """The word just before ``s`` on its line, and whether a full stop follows it."""
    m = _BEFORE.search(text, max(0, s - 40), s)
    return (m.group(1), bool(m.group(2))) if m else None


def _after_preposition(text: str, s: int) -> bool:
    before = _word_before(text, s)
    return bool(before) and not before[1] and before[0].lower() in PREPOSITIONS


def _person(text: str, s: int, e: int, lang: str) -> bool:
    """Whether the capitalised word(s) at text[s:e], a small place's name, are a person's name."""
    if _INITIAL_BEFORE.search(text, max(0, s - 6), s):
        return True  # "В. Зеленський", "Т . Шевченка"
    before = _word_before(text, s)
    if before and not before[1]:
        if before[0][:1].isupper() and any("Name" in g for _, g in known_analyses(before[0].lower(), lang)[:1]):
            return True  # "Тараса Шевченка"
        if before[0].lower() in TITLES:
            return True
    first, _, rest = text[s:e].partition(" ")
    if rest and any("Name" in g for _, g in known_analyses(first.lower(), lang)[:1]):
        return True  # a village named after a person ("Тараса Шевченка") reads as the person
    nxt = _AFTER.match(text, e)
    if nxt and nxt.group(1)[:1].isupper() and (_first_tags(nxt.group(1), lang) & {"Surn", "Patr"} or any(
            "anim" in g for _, g in known_analyses(text[s:e].lower(), lang))):
        return True  # "Володимир Зеленський", "Володимир Усатенко"
    return " " not in text[s:e] and not _after_preposition(text, s) and _reads_as_person(text[s:e], lang)


def _given_name(word: str, lemma: str, lang: str) -> bool:
    """Whether the dictionary reads ``word`` as the given name ``lemma`` (Володимир), and not
    as a place (Russian marks toponyms Geox; "Києві" as the name Кий is not Київ)."""
    parses = known_analyses(word.lower(), lang)
    return any("Name" in g and n == lemma for n, g in parses) and not any("Geox" in g for _, g in parses)


_NOUN_ENDINGS_LIKE_ADJECTIVES = ("ськ", "цьк", "зьк", "ск", "цк")
_STREET_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:вулиц\w*|вул\s?\.|проспект\w*|просп\s?\.|площ\w*|пл\s?\.|провулк\w*|провулок|"
    r"пров\s?\.|бульвар\w*|бул\s?\.|узвіз\w*|набережн\w*|імені|ім\s?\.|улиц\w*|ул\s?\.|площад\w*|"
    r"переул\w*|пер\s?\.|имени|им\s?\.|станці\w*\s+метро|станци\w*\s+метро|метро)\s*$", re.I)


def _adjective_before_noun(text: str, s: int, e: int, lang: str) -> bool:
    """An adjective qualifying a noun or standing in a name: "Київський університет",
    "Хмельницького району", "Українська правда"; not "у Хмельницькому" (the city)."""
    nxt = _AFTER.match(text, e)
    if not nxt:
        return False
    word = nxt.group(1)
    if word[:1].isupper():
        return True
    word = word.lower().rstrip(".")
    return word not in PLACE_NOUNS and bool(_first_tags(word, lang) & {"NOUN", "ADJF"})


def _name_kept(text: str, gaz: Gazetteer, r: Reading, s: int, e: int, lang: str) -> bool:
    """Context rules for a form read as a place name at text[s:e]."""
    surface = text[s:e]
    if r.lemma in NOT_PLACES:
        return False
    if surface.isupper() and len(surface) <= 4 and r.lemma not in COUNTRY_ABBREVIATIONS:
        return False
    # an adjective's form ("Київського") that is no noun's (Луганську, of Луганськ)
    adjectival = r.flags & ADJECTIVAL or (" " not in surface and _ADJECTIVE_SURFACE.search(surface.lower())
                                          and not r.lemma.endswith(_NOUN_ENDINGS_LIKE_ADJECTIVES))
    if adjectival and _adjective_before_noun(text, s, e, lang):
        return False
    if _in_institution_name(text, s) or _STREET_BEFORE.search(text, max(0, s - 30), s):
        return False  # "Верховний суд України", "МНС України", "вулиця Шевченка"
    if all(gaz.kind[row] in ("country", "admin1") for row in r.rows):
        return True
    if " " not in surface and _given_name(surface, r.lemma, lang) and not _after_preposition(text, s):
        return False  # a given name first: "Владимир", "Володимира"
    if _prominent(gaz, r.rows, _PROMINENT) and any(gaz.cc[row] in LOCAL_COUNTRIES for row in r.rows):
        return True
    small = not _prominent(gaz, r.rows, _SMALL)
    foreign = not any(gaz.cc[row] in LOCAL_COUNTRIES for row in r.rows)
    if (small or foreign) and r.flags & COMMON and not _after_preposition(text, s):
        return False  # "Але", "Доля", "Час", "Думаю": words first
    return not (small and _person(text, s, e, lang))


def _in_institution_name(text: str, s: int) -> bool:
    """Whether the name at ``s`` ends an institution's name ("Верховний суд України",
    "МНС України", "Кабінету Міністрів України"); a lower-case head after a lower-case
    word ("президент Росії", "громадян України") leaves the name a place standing for its
    state, as news corpora mark it."""
    before = _word_before(text, s)
    if before and not before[1] and len(before[0]) >= 2 and before[0].isupper():
        return True  # an acronym: "ДАБІ України", "НАН України", "ЗС України"
    phrase = text[max(0, s - 80):s]
    cut = max(phrase.rfind(c) for c in ",.;:!?()«»\"“”\n–—")
    if any(w[:1].isupper() and _ORG_HEAD_WORD.fullmatch(w) for w in phrase[cut + 1:].split()):
        return True  # a capitalised head earlier in the phrase: "Міністерство палива та енергетики України"
    m = _ORG_HEAD_BEFORE.search(text, max(0, s - 40), s)
    if not m:
        return False
    head = m.group(0)
    if head[:1].isupper():
        return not _sentence_start(text, m.start()) or head.isupper()
    before = text[max(0, m.start() - 40):m.start()].split()
    return any(w[:1].isupper() for w in before[-2:]) and not _sentence_start(
        text, m.start() - len(" ".join(before[-2:])) - 1)


_SENTENCE_END = re.compile(r"(?:^|[.!?…\n:;«\"“(])\s*$")


def _sentence_start(text: str, i: int) -> bool:
    return bool(_SENTENCE_END.search(text, max(0, i - 6), max(0, i)))


def _reading(text: str, gaz: Gazetteer, index: FormIndex, s: int, e: int, i: int, lang: str) -> Reading | None:
    """How the form at text[s:e] names a place here, or ``None`` if it does not."""
    if not text[s].isupper():
        return None
    adjective = index.adjectives[i]
    if adjective is not None and _OBLAST_AFTER.match(text, e):
        return adjective  # "у Волинській та Львівській областях"
    name = index.names[i]
    if name is not None and _name_kept(text, gaz, name, s, e, lang):
        return name
    return None


def _blocked(text: str) -> bytearray:
    """One byte per character, 1 inside an institution's name or a short quoted name
    («Київ-Арт», «Наші гроші. Львів»)."""
    blocked = bytearray(len(text))
    for rx in (_ORGANISATION, _QUOTED):
        for m in rx.finditer(text):
            blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return blocked


def cyrillic_mentions(text: str, folded: str, gaz: Gazetteer) -> list[Mention]:
    """Every Cyrillic place mention in ``text`` (``folded`` is ``fold_text(text)``), in order."""
    from geo.parse.language import text_language

    index = form_index(gaz)
    default = text_language(text)
    default = default if default in ("uk", "ru") else "uk"
    admin1 = gaz.kind == "admin1"
    blocked = _blocked(text)
    out = []
    for s, e, i in _whole_hits(index, folded):
        if blocked.find(1, s, e) >= 0:
            continue
        langs = inflection.languages_of(index.forms[i])
        r = _reading(text, gaz, index, s, e, i, langs[0] if len(langs) == 1 else default)
        if r is None:
            continue
        hint = "admin1" if r.flags & ADMIN1 and all(admin1[row] for row in r.rows) else None
        out.append(Mention(text[s:e], s, e, r.rows, kind_hint=hint, lemma=r.lemma))
    return out + [m for m in special_mentions(text) if blocked.find(1, m.start, m.end) < 0]


_COUNTRY_ADJECTIVES = {"українськ": "UA", "украинск": "UA", "російськ": "RU", "российск": "RU",
                       "білоруськ": "BY", "белорусск": "BY", "польськ": "PL", "польск": "PL",
                       "молдовськ": "MD", "молдавск": "MD", "румунськ": "RO", "румынск": "RO"}
_COUNTRY_STEMS = {"україн": "UA", "украин": "UA", "росі": "RU", "росси": "RU", "білорус": "BY",
                  "белорус": "BY", "польщ": "PL", "польш": "PL", "молдов": "MD", "молдав": "MD"}
_ADJ = "|".join(_COUNTRY_ADJECTIVES)
_STEM = "|".join(_COUNTRY_STEMS)
_BORDERS = (
    # "на українсько-білоруському кордоні", "украинско-белорусской границы"
    re.compile(rf"(?<![^\W\d_])(?P<a>{_ADJ})[оі]-(?P<b>{_ADJ})\w*\s+(?:державн\w*\s+|государственн\w*\s+)?"
               r"(?:кордон\w*|границ\w*)", re.I),
    # "на кордоні (між) України та Білорусі", "на границе России и Белоруссии"
    re.compile(rf"(?<![^\W\d_])(?:кордон\w*|границ\w*)\s+(?:між\s+|между\s+)?(?P<a>{_STEM})\w*\s+"
               rf"(?:та|і|й|и)\s+(?P<b>{_STEM})\w*", re.I),
    # "на кордоні з Білоруссю", "на границе с Украиной" (the other side is the report's country)
    re.compile(rf"(?<![^\W\d_])(?:кордон\w*|границ\w*)\s+(?:з|із|зі|с)\s+(?P<b>{_STEM})\w*", re.I),
)
_CAPITAL = re.compile(rf"(?<![^\W\d_])(?:(?P<adj>{_ADJ})\w*\s+)?столиц(?:я|і|ю|ею|а|ы|е|у|ей)(?![^\W\d_])",
                      re.I)


def _country_of(word: str, table: dict[str, str]) -> str:
    low = word.lower()
    return next((cc for stem, cc in table.items() if low.startswith(stem)), "")


def special_mentions(text: str) -> list[Mention]:
    """Borders ("українсько-білоруський кордон") and "столиця" in Ukrainian and Russian."""
    out = []
    low = text.lower()
    # each pattern holds its noun: the text is searched only when the noun is in it
    for rx in _BORDERS if "кордон" in low or "границ" in low else ():
        for m in rx.finditer(text):
            table = _COUNTRY_ADJECTIVES if rx is _BORDERS[0] else _COUNTRY_STEMS
            a = _country_of(m.group("a"), table) if "a" in rx.groupindex else ""
            b = _country_of(m.group("b"), table)
            if b and a != b:
                out.append(Mention(m.group(0), m.start(), m.end(), (), "border", (a, b)))
    for m in _CAPITAL.finditer(text) if "столиц" in low else ():
        cc = _country_of(m.group("adj"), _COUNTRY_ADJECTIVES) if m.group("adj") else ""
        out.append(Mention(m.group(0), m.start(), m.end(), (), "capital", (cc,)))
    taken = bytearray(len(text))
    kept = []
    for m in out:  # the first pattern's border over the second's
        if taken.find(1, m.start, m.end) < 0:
            kept.append(m)
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    return kept


def merge_mentions(text: str, folded: str, gaz: Gazetteer, found: list[Mention]) -> list[Mention]:
    """``found`` (the name automaton's mentions) with its Cyrillic names replaced by this
    module's: the same names, inflected ones too, judged by Ukrainian and Russian context."""
    if not has_cyrillic(text):
        return found
    from geo.parse.language import sentences_with_languages

    # a Latin word in a Ukrainian or Russian sentence is a brand or a title (Nokia, Air France)
    cyrillic = [(s, e) for s, e, lang in sentences_with_languages(text) if lang in ("uk", "ru")]
    starts = [s for s, _ in cyrillic]
    kept = []
    for m in found:
        if _CYRILLIC_KEY.search(m.text):
            continue
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < cyrillic[k][1]:
            continue
        kept.append(m)
    return kept + cyrillic_mentions(text, folded, gaz)
