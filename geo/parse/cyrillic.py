"""Place mentions in Ukrainian and Russian text, inflected as the grammar wants them.

Every Cyrillic name the gazetteer holds gets its case forms once
(:mod:`geo.parse.inflection`: "Київ" -> "Києві", "Києва", ...; "велика
новосілка" -> "великій новосілці"), plus the colloquial names of oblasts
(Харківщина) and the few names in :mod:`geo.parse.lexicon_cyr`.  The forms go
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

import functools
import hashlib
import logging
import pickle
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import ahocorasick
import numpy as np

from geo import settings
from geo.gazetteer.loader import Gazetteer
from geo.names import BOUNDARY, boundary_key, boundary_text
from geo.parse import inflection
from geo.parse.language import has_cyrillic
from geo.parse.lexicon_cyr import (COUNTRY_ABBREVIATIONS, EXTRA_NAMES, NOT_PLACES, ORGANISATIONS,
                                   PLACE_NOUNS, PREPOSITIONS, TITLES)
from geo.records import Mention

log = logging.getLogger(__name__)

_CYRILLIC_KEY = re.compile("[\u0400-\u04ff]")
_FORMS_VERSION = 3
"""Bumped when the forms change in a way the rules' source text would not show."""

# flags of a form
NOMINATIVE = 1  # the name as the gazetteer holds it (or a colloquial name), not an inflection
OBLAST_ADJECTIVE = 2  # an oblast's adjective alone: a place only before "область"
ADJECTIVAL = 4  # the name is an adjective (Покровське): not one before another noun
ADMIN1 = 8  # names an oblast or region


@dataclass(frozen=True)
class FormIndex:
    """The case forms of a gazetteer's Cyrillic names, as an automaton over boundary text.

    The automaton's value ``i`` stands for ``forms[i]``, whose places are
    ``rows[i]`` (gazetteer rows) and whose kind is ``flags[i]``.
    """

    automaton: ahocorasick.Automaton
    forms: list[str]
    rows: list[tuple[int, ...]]
    flags: list[int]
    lemmas: list[str]


def _cyrillic_keys(gaz: Gazetteer) -> list[tuple[int, str]]:
    return [(kid, k) for kid, k in enumerate(gaz.keys) if _CYRILLIC_KEY.search(k)]


_ADJ_ENDINGS = ("ський", "цький", "зький", "ська", "цька", "зька", "ське", "цьке", "зьке", "ий", "ій",
                "ский", "цкий", "ская", "цкая", "ское", "цкое", "ое", "ая", "ый")


def _is_adjectival(key: str) -> bool:
    return " " not in key and key.endswith(_ADJ_ENDINGS)


def _build_forms(gaz: Gazetteer) -> tuple[list[str], list[tuple[int, ...]], list[int], list[str]]:
    """Every form of every Cyrillic name: {form: (rows, flags, lemma)}, as parallel lists."""
    rows_of: dict[str, set[int]] = {}
    flags_of: dict[str, int] = {}
    lemma_of: dict[str, str] = {}

    def add(form: str, rows, flags: int, lemma: str) -> None:
        rows_of.setdefault(form, set()).update(rows)
        flags_of[form] = flags_of.get(form, 0) | flags
        lemma_of.setdefault(form, lemma)

    admin1 = gaz.kind == "admin1"
    for kid, key in _cyrillic_keys(gaz):
        rows = [int(r) for r in gaz.entries_for_key(kid)[0]]
        unit = ADMIN1 if any(admin1[r] for r in rows) else 0
        adjectival = ADJECTIVAL if _is_adjectival(key) else 0
        names = [key]
        region = inflection.colloquial_region(key) if unit else None
        if region:
            names.append(region)
        for name in names:
            add(name, rows, NOMINATIVE | unit | adjectival, name)
            for form in inflection.name_forms(name):
                add(form, rows, unit | (adjectival if name == key else 0), name)
        words = key.split(" ")
        if unit and len(words) == 2 and words[1] in ("область",):
            # "у Волинській та Львівській областях": the adjective, alone, names the oblast
            for form in {words[0], *inflection.adjective_forms(words[0])}:
                if " " not in form:
                    add(form, rows, OBLAST_ADJECTIVE | unit, key)
    for name, target in EXTRA_NAMES.items():
        rows = _target_rows(gaz, target)
        if rows:
            unit = ADMIN1 if any(admin1[r] for r in rows) else 0
            region = inflection.colloquial_region(name) if unit else None
            for n in (name, region) if region else (name,):
                add(n, rows, NOMINATIVE | unit, n)
                for form in inflection.name_forms(n):
                    add(form, rows, unit, n)
    for name, cc in COUNTRY_ABBREVIATIONS.items():  # США, РФ: they do not inflect
        row = gaz.country_row(cc)
        if row is not None:
            add(name, [row], NOMINATIVE, name)
    for form in list(rows_of):  # apostrophes are often left out: Словянськ
        if "'" in form:
            add(form.replace("'", ""), rows_of[form], flags_of[form], lemma_of[form])
    forms = sorted(rows_of)
    return (forms, [tuple(sorted(rows_of[f])) for f in forms], [flags_of[f] for f in forms],
            [lemma_of[f] for f in forms])


def _target_rows(gaz: Gazetteer, target: str) -> list[int]:
    """Rows an extra name stands for: an admin-1 code (``UA.07``), a country code, or a name."""
    if "." in target:
        row = gaz.admin1_row(target)
        return [row] if row is not None else []
    if len(target) == 2 and target.isupper():
        row = gaz.country_row(target)
        return [row] if row is not None else []
    return gaz.lookup(target)[:1]


def _index_from(forms, rows, flags, lemmas) -> FormIndex:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, f in enumerate(forms):
        # whole words only: a boundary before and after; the text is checked at each hit
        automaton.add_word(boundary_key(f) + BOUNDARY, i)
    automaton.make_automaton()
    return FormIndex(automaton, forms, rows, flags, lemmas)


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
@functools.lru_cache(maxsize=2)
def _analyser(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@functools.lru_cache(maxsize=65536)
def analyses(word: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Every parse pymorphy3 gives a (lower-case) word: (normal form, grammemes), best first."""
    return tuple((p.normal_form, frozenset(p.tag.grammemes)) for p in _analyser(lang).parse(word))


_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


def _is_given_name(word: str, lang: str) -> bool:
    parses = analyses(word.lower(), lang)
    return bool(parses) and ("Name" in parses[0][1] or "Patr" in parses[0][1])


def _is_person_word(word: str, lang: str) -> bool:
    """Whether a word reads only as a name or surname (no place, no thing)."""
    parses = analyses(word.lower(), lang)
    if not parses or any("Geox" in g for _, g in parses):
        return False
    return all(g & _PERSON_TAGS or "anim" in g for _, g in parses) and bool(parses[0][1] & _PERSON_TAGS)


def _is_noun(word: str, lang: str) -> bool:
    parses = analyses(word.lower(), lang)
    return bool(parses) and "NOUN" in parses[0][1]


def _is_common_word(word: str, lemma: str, lang: str) -> bool:
    """A word the dictionary knows as something other than the place it would name."""
    parses = analyses(word.lower(), lang)
    if not parses or any("Geox" in g or n == lemma for n, g in parses):
        return False
    return _analyser(lang).word_is_known(word.lower())


# matching ------------------------------------------------------------------------------
_WORD = r"[^\W\d_][\w'ʼ’-]*"
_BEFORE = re.compile(rf"({_WORD})(\s?\.)?[ \t\u00a0]+$")
_AFTER = re.compile(rf"[ \t\u00a0]+({_WORD})")
_INITIAL_BEFORE = re.compile(r"(?<![^\W\d_])[А-ЯІЇЄҐA-Z]\s?\.\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.!?…\n:;]\s*|^)[\"'«“(\[—–-]?\s*$")
_OBLAST_AFTER = re.compile(
    rf"(?:\s*(?:,|\s(?:та|і|й|и|або|чи|а\s+також))\s*{_WORD}){{0,8}}\s+(?:област|обл\.)", re.I)
_ORGANISATION = re.compile(r"(?<![^\W\d_])(?:" + "|".join(ORGANISATIONS) + r")")
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


def _person(text: str, s: int, e: int, lang: str, small: bool) -> bool:
    """Whether the capitalised word(s) at text[s:e] are (part of) a person's name."""
    if _INITIAL_BEFORE.search(text, max(0, s - 6), s):
        return True  # "В. Зеленський", "Т . Шевченка"
    before = _word_before(text, s)
    if before and not before[1] and before[0][:1].isupper() and _is_given_name(before[0], lang):
        return True
    if before and before[0].lower() in TITLES and small:
        return True
    nxt = _AFTER.match(text, e)
    if nxt and nxt.group(1)[:1].isupper():
        parses = analyses(nxt.group(1).lower(), lang)
        if parses and parses[0][1] & {"Surn", "Patr"} and small:
            return True
    return small and " " not in text[s:e] and _is_person_word(text[s:e], lang)


def _keep(text: str, gaz: Gazetteer, index: FormIndex, s: int, e: int, i: int, lang: str) -> bool:
    surface = text[s:e]
    if not surface[0].isupper():
        return False
    flags, rows = index.flags[i], index.rows[i]
    folded = index.forms[i]
    if folded in NOT_PLACES:
        return False
    if surface.isupper() and len(surface) <= 4 and folded not in COUNTRY_ABBREVIATIONS:
        return False
    if flags & OBLAST_ADJECTIVE and not _OBLAST_AFTER.match(text, e):
        return False
    nxt = _AFTER.match(text, e)
    if flags & ADJECTIVAL and nxt and nxt.group(1)[:1].islower():
        word = nxt.group(1).lower()
        if word.rstrip(".") not in PLACE_NOUNS and _is_noun(word, lang):
            return False  # "Київське водосховище", "Покровського району"
    small = not _prominent(gaz, rows, _SMALL)
    if not _prominent(gaz, rows, _PROMINENT) and _person(text, s, e, lang, small):
        return False
    if small and _SENTENCE_START.search(text, max(0, s - 4), s):
        before = _word_before(text, s)
        if not (before and before[0].lower() in PREPOSITIONS) and _is_common_word(
                surface, index.lemmas[i], lang):
            return False
    return True


def cyrillic_mentions(text: str, folded: str, gaz: Gazetteer) -> list[Mention]:
    """Every Cyrillic place mention in ``text`` (``folded`` is ``fold_text(text)``), in order."""
    from geo.parse.language import text_language

    index = form_index(gaz)
    default = text_language(text)
    default = default if default in ("uk", "ru") else "uk"
    admin1 = gaz.kind == "admin1"
    blocked = bytearray(len(text))
    for m in _ORGANISATION.finditer(text):  # "Верховна Рада України", "Київстар"
        blocked[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    out = []
    for s, e, i in _whole_hits(index, folded):
        if blocked.find(1, s, e) >= 0:
            continue
        langs = inflection.languages_of(index.forms[i])
        lang = langs[0] if len(langs) == 1 else default
        if not _keep(text, gaz, index, s, e, i, lang):
            continue
        rows = index.rows[i]
        hint = "admin1" if index.flags[i] & ADMIN1 and all(admin1[r] for r in rows) else None
        out.append(Mention(text[s:e], s, e, rows, kind_hint=hint, lemma=index.lemmas[i]))
    return out


def merge_mentions(text: str, folded: str, gaz: Gazetteer, found: list[Mention]) -> list[Mention]:
    """``found`` (the name automaton's mentions) with its Cyrillic names replaced by this
    module's: the same names, inflected ones too, judged by Ukrainian and Russian context."""
    if not has_cyrillic(text):
        return found
    kept = [m for m in found if not _CYRILLIC_KEY.search(m.text)]
    return kept + cyrillic_mentions(text, folded, gaz)
