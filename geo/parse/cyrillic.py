"""Place mentions in Ukrainian and Russian text, inflected as the grammar wants them.

Every Cyrillic name the gazetteer holds gets its case forms once
(:mod:`geo.parse.inflection`: "Київ" -> "Києві", "Києва", ...; "велика
новосілка" -> "великій новосілці"), plus the colloquial names of oblasts
(Харківщина) and the few names in :mod:`geo.lexicon_cyr`.  The forms go
into one Aho-Corasick automaton, so a text is matched in one pass with the
original offsets (:mod:`geo.parse.cyrillic_forms` makes and caches them).

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
import re
import threading

from geo.gazetteer.loader import Gazetteer
from geo.names import boundary_text
from geo.parse import inflection
from geo.parse.cyrillic_forms import (ADJECTIVAL, ADMIN1, COMMON, COUNTRY_ABBREVIATIONS, LOCAL_COUNTRIES, NOUN_FORM,
                                      FormIndex, Reading, form_index)
from geo.parse.language import analyser, has_cyrillic
from geo.lexicon_cyr import NOT_PLACES, ORG_HEADS, ORGANISATIONS, PLACE_NOUNS, PREPOSITIONS, TITLES
from geo.records import Mention

_CYRILLIC_KEY = re.compile("[\u0400-\u04ff]")


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
    rf"(?:\s*(?:,|\s(?:та|і|й|и|або|чи|а\s+також)(?:\s+(?:у|в|на))?)\s*{_WORD}){{0,10}}\s+(?:област|обл\.)",
    re.I)
_UNIT_OF = re.compile(r"\s+[А-ЯІЇЄҐ][\w'’ʼ-]*(?:ого|ої|ой|ього)\s+(?:району|районі|громади|громаді|області|обл\.)"
                      r"(?![^\W\d_])")
"""A raion, hromada or oblast in the genitive: the unit the name before it lies in."""
_OBLAST_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:област|обл\.)\w*(?:\s+(?:України|Украины))?\s*[:–—-]?\s*"
    rf"(?:[А-ЯІЇЄҐ]{_WORD}\s*(?:,|\s(?:та|і|й|и|або|чи))\s*){{0,10}}$")
"""An oblast's adjective in a list after "областях" ("у західних областях України – Волинській,
Київській, Львівській")."""
_ORGANISATION = re.compile(r"(?<![^\W\d_])(?:" + "|".join(ORGANISATIONS) + r")")
_ORG_HEAD_BEFORE = re.compile(rf"(?<![^\W\d_])(?:{ORG_HEADS})(?:\s+м\s?\.|\s+міста|\s+города|\s+г\s?\.)?\s+$",
                              re.I)
_ORG_HEAD_WORD = re.compile(rf"(?:{ORG_HEADS})", re.I)
_QUOTED = re.compile(r"«[^«»]{1,60}»|“[^“”\n]{1,60}”|\"[^\"\n]{1,60}\"")
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


def whole_form_hits(gaz: Gazetteer, folded: str) -> list[int]:
    """Where a Cyrillic place name's form stands as whole words in ``folded`` text (starts,
    overlaps included): what ``cyrillic_mentions`` reads, without reading it."""
    return [s for s, _, _ in _whole_hits(form_index(gaz), folded)]


_LAST_TEXT = threading.local()


def _word_before(text: str, s: int) -> tuple[str, bool] | None:
    """The word just before ``s`` on its line, and whether a full stop follows it (asked by
    several rules about one name: kept for the text last asked about, per thread)."""
    memo = getattr(_LAST_TEXT, "value", None)
    if memo is None or memo[0] is not text:
        memo = _LAST_TEXT.value = (text, {})
    try:
        return memo[1][s]
    except KeyError:
        m = _BEFORE.search(text, max(0, s - 40), s)
        found = memo[1][s] = (m.group(1), bool(m.group(2))) if m else None
        return found


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
    # "село Перемога", "Перемога, Харківська область": a village, whatever else the word means
    # ("населенный пункт", "н.п." before it, or before the list it ends: both words hold a "п",
    # looked for first, as most names have neither before them)
    settlement_word = _SETTLEMENT_BEFORE.search(text, max(0, s - 12), s) is not None or (
        text.find("п", max(0, s - _LOCALITY_REACH), s) >= 0 and _LOCALITY_BEFORE.search(
            text, max(0, s - _LOCALITY_REACH), s) is not None)
    oblast_after = _in_oblast_named_after(text, gaz, r, e)
    if (r.lemma in NOT_PLACES or surface.lower() in NOT_PLACES) and not (settlement_word or oblast_after):
        return False
    if surface.isupper() and len(surface) <= 4 and r.lemma not in COUNTRY_ABBREVIATIONS:
        return False
    unit = all(gaz.kind[row] in ("country", "admin1") for row in r.rows)
    if _in_institution_name(text, s, lang, not unit) or _STREET_BEFORE.search(text, max(0, s - 30), s):
        return False  # "Верховний суд України", "МНС України", "вулиця Шевченка"
    if oblast_after and not unit:
        return True  # "Сонячне, Чернігівська область", "з Рубіжного Луганської області": its village
    # an adjective's form ("Київського", "Медове") that is no noun's (Луганську, of Луганськ;
    # Донецьком, of Донецьк beside the village Донецький)
    adjectival = not r.flags & NOUN_FORM and (r.flags & ADJECTIVAL or (
        " " not in surface and _ADJECTIVE_SURFACE.search(surface.lower())))
    if adjectival and _adjective_before_noun(text, s, e, lang) and not _UNIT_OF.match(text, e):
        return False  # but "Широке Мелітопольського району": the village, then the raion it lies in
    if unit:
        return True
    if settlement_word:
        return True  # "м. Яворові", "у селі Любохини", "города Орел": a settlement, named
    if _named_person_before(text, s, lang):
        return False  # "Б. Хмельницький", "Богдана Хмельницького", even a city's name
    if " " not in surface and _given_name(surface, r.lemma, lang) and not _after_preposition(text, s):
        return False  # a given name first: "Владимир", "Володимира"
    if _prominent(gaz, r.rows, _PROMINENT) and any(gaz.cc[row] in LOCAL_COUNTRIES for row in r.rows):
        return True
    small = not _prominent(gaz, r.rows, _SMALL)
    foreign = not any(gaz.cc[row] in LOCAL_COUNTRIES for row in r.rows)
    if (small or foreign) and r.flags & COMMON and not _after_preposition(text, s) and not (
            foreign and _great_city_noun(gaz, r, surface, lang)):
        return False  # "Але", "Доля", "Час", "Думаю": words first
    if _common_word_opening(text, gaz, r, s, e, lang):
        return False  # "Голуби літають", "Степи, що становили": a word, capitalised by its place
    if not _prominent(gaz, r.rows, _PROMINENT) and not _after_preposition(text, s) and (
            _creature(surface, lang) or _function_word(surface, lang)):
        return False  # "Орел летів здалеку" (a creature as a character), "Ота жінка" (a pronoun)
    if small and _QUOTE_AFTER.match(text, e):
        return False  # «Шахта «Білозерська»: the common noun heading a quoted name
    if _village_named_like_a_person(gaz, r, surface, lang):
        return False  # "до Наталі", "з Богданом", "братам Бурякам": people, even after a preposition
    return not (small and _person(text, s, e, lang))


_GREAT = 1_000_000


def _great_city_noun(gaz: Gazetteer, r: Reading, surface: str, lang: str) -> bool:
    """A great foreign city's frequent name that the dictionary reads as a noun (Берліні, Лондон),
    not only as another word (Усі: Wuxi; Аби: Aba; Багата: Bogotá)."""
    parses = known_analyses(surface.lower(), lang)
    return (any(gaz.population[row] >= _GREAT for row in r.rows) and bool(parses)
            and all("NOUN" in g for _, g in parses) and any("inan" in g for _, g in parses))


def _creature(surface: str, lang: str) -> bool:
    """Whether the dictionary reads a one-word name only as an animate common noun (Орел, the eagle;
    Russian marks Орёл the city Geox, and a place is never animate)."""
    parses = known_analyses(surface.lower(), lang) if " " not in surface else ()
    return bool(parses) and all("NOUN" in g and "anim" in g and not g & _PROPER_TAGS for _, g in parses)


_FUNCTION_TAGS = frozenset({"NPRO", "CONJ", "PRCL", "PREP", "INTJ", "ADVB", "PRED", "NUMR", "VERB", "INFN",
                            "GRND"})
_QUOTE_AFTER = re.compile(r"[ \t\u00a0]*[«“„]")


def _function_word(surface: str, lang: str) -> bool:
    """Whether the dictionary reads a one-word name only as a pronoun, conjunction, adverb, verb
    or the like (Ота, Оту: "that"; GeoNames gives such words to towns abroad)."""
    parses = known_analyses(surface.lower(), lang) if " " not in surface else ()
    return bool(parses) and all(g & _FUNCTION_TAGS for _, g in parses)


def _village_named_like_a_person(gaz: Gazetteer, r: Reading, surface: str, lang: str) -> bool:
    """A village's one-word name that the dictionary reads as a given name or a surname (and
    not as a place): a person, wherever it stands."""
    if " " in surface or any(gaz.kind[row] != "city" or gaz.population[row] >= _VILLAGE for row in r.rows):
        return False
    parses = known_analyses(surface.lower(), lang)
    return any(g & {"Name", "Surn"} for _, g in parses) and not any("Geox" in g for _, g in parses)


_SETTLEMENT_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:м|с|смт|сел|г|д|пос)\s?\.\s*$|(?<![^\W\d_])(?:міст[оаіу]|сел[оаіу]|селищ[еіау]|смт|пгт|"
    r"селище|хутор[іау]?|город[ауе]?|деревн[яиеу]|посёлк[ае]|поселк[ае]|станиц[аыеу])\s+$", re.I)
# "населенный пункт Прогресс", "населених пунктів Роботине та Вербове", "н.п. Гірник": the
# Russian and Ukrainian word for a locality before one name or a list of them
_LOCALITY_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:населен|населён)\w*\s+пункт\w*|(?<![^\W\d_])н\s?\.\s?п\s?\.)\s+"
    r"(?:[^\W\d_][\w'’ʼ-]*\s*(?:,\s*|\s+(?:и|і|й|та)\s+))*$", re.I)
_LOCALITY_REACH = 120
# the oblast a report writes after a village: "Сонячне, Чернігівська область", "Майбутнє
# (Чернігівська обл.)", "Короп Чернігівської області", "Короп на Чернігівщині"
_OBLAST_NAMED_AFTER = re.compile(r"(?:[ \t]*[,(][ \t]*|[ \t]+)(?:(?:на|у|в|во)[ \t]+)?([^\W\d_]+)", re.I)


@functools.lru_cache(maxsize=1)
def _oblast_forms() -> dict[str, str]:
    """Each Cyrillic form of an oblast's name (Чернігівська, -ої; Чернігівщині; Черниговской)
    to its admin1 code."""
    from geo.gazetteer.ukraine import oblast_names

    return {form.casefold(): admin1 for admin1, forms in oblast_names().items()
            for form in forms if has_cyrillic(form)}


def _in_oblast_named_after(text: str, gaz: Gazetteer, r: Reading, e: int) -> bool:
    """Whether an oblast is named right after a name that has a settlement in that oblast."""
    m = _OBLAST_NAMED_AFTER.match(text, e)
    admin1 = _oblast_forms().get(m.group(1).casefold()) if m else None
    return admin1 is not None and any(gaz.admin1[row] == admin1 for row in r.rows)


_VILLAGE = 10_000
"""Below this population a place whose word is an everyday word is the word at a sentence's start."""


def _named_person_before(text: str, s: int, lang: str) -> bool:
    """An initial ("Б. Хмельницький", "С . П . Корольова") or a capitalised given name
    ("Богдана Хмельницького") just before: the name is a person's, whatever town shares it."""
    if _INITIAL_BEFORE.search(text, max(0, s - 6), s):
        return True
    before = _word_before(text, s)
    return bool(before) and not before[1] and before[0][:1].isupper() and any(
        "Name" in g for _, g in known_analyses(before[0].lower(), lang))


def _common_word_opening(text: str, gaz: Gazetteer, r: Reading, s: int, e: int, lang: str) -> bool:
    """A village's name that the dictionary knows as an everyday word (no name, surname or
    toponym), at a sentence's start with no preposition: the word, not the village."""
    surface = text[s:e]
    if " " in surface or not _OPENING.search(text, max(0, s - 8), s) or _UNIT_AFTER.match(text, e):
        return False
    if any(gaz.kind[row] != "city" or gaz.population[row] >= _VILLAGE for row in r.rows):
        return False
    parses = known_analyses(surface.lower(), lang)
    return bool(parses) and not any(g & _PROPER_TAGS for _, g in parses)


_OPENING = re.compile(r"(?:^|[.!?…\n])[\s«\"“—–-]*$")
_UNIT_AFTER = re.compile(r"[\s,(]*(?:[^\W\d_]+\s+)?(?:област|обл\.|район|р-н|громад|област|район)", re.I)
"""A unit after the name ("Нескучне, Донецька область"): the village, named with its oblast."""
_PROPER_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


def _in_institution_name(text: str, s: int, lang: str = "uk", settlement: bool = False) -> bool:
    """Whether the name at ``s`` ends an institution's name ("Верховний суд України",
    "МНС України", "Кабінету Міністрів України"); a lower-case head after a lower-case
    word ("президент Росії", "громадян України") leaves the name a place standing for its
    state, as news corpora mark it."""
    before = _word_before(text, s)
    if before and not before[1] and len(before[0]) >= 2 and before[0].isupper():
        return True  # an acronym: "ДАБІ України", "НАН України", "ЗС України"
    if settlement and before and not before[1] and before[0].lower() in _LOCATIVE:
        # "Партії регіонів у Краматорську", "працівнику СБУ з Луцька": where, not whose (a body's
        # official name takes its oblast or country so: "Управління СБУ у Волинській області")
        return False
    phrase = text[max(0, s - 80):s]
    cut = max(phrase.rfind(c) for c in ",.;:!?()«»\"“”\n–—")
    if any(w[:1].isupper() and _ORG_HEAD_WORD.fullmatch(w) and _could_be_noun(w, lang) for w in phrase[cut + 1:].split()):
        return True  # a capitalised head earlier in the phrase: "Міністерство палива та енергетики України"
    m = _ORG_HEAD_BEFORE.search(text, max(0, s - 40), s)
    if not m:
        return False
    head = m.group(0)
    if head[:1].isupper():
        return not _sentence_start(text, m.start()) or head.isupper()
    before = text[max(0, m.start() - 40):m.start()].split()
    capitalised = [w for w in before[-2:] if w[:1].isupper()]
    if not capitalised:
        return False
    # at a sentence's start only an adjective tells a name ("Вищий господарський суд України")
    return not _sentence_start(text, m.start() - len(" ".join(before[-2:])) - 1) or any(
        "ADJF" in _first_tags(w, lang) for w in capitalised)


_LOCATIVE = frozenset({"у", "в", "на", "під", "біля", "поблизу", "з", "із", "зі", "до", "від", "під", "через",
                       "под", "около", "возле", "из", "от", "во", "со"})


def _in_title(text: str, s: int) -> bool:
    """Whether ``s`` is inside a quoted title of a law or a paper ("«Про місцеве самоврядування в
    Україні»", "«О защите прав...»")."""
    q = max(text.rfind("«", max(0, s - 60), s), text.rfind('"', max(0, s - 60), s))
    return q >= 0 and text[q + 1:s].lstrip().startswith(("Про ", "О ", "Об "))


def _after_locative(text: str, s: int) -> bool:
    before = _word_before(text, s)
    return bool(before) and not before[1] and before[0].lower() in _LOCATIVE


def _could_be_noun(word: str, lang: str) -> bool:
    """Whether a word matching an institution's head (суд-, спіл-, закон-) may be that noun:
    not when the dictionary reads it only as a verb, adverb or the like ("Спілкувались",
    "Судячи", "Законно")."""
    parses = known_analyses(word.lower(), lang)
    return not parses or any(g & _NOUN_LIKE for _, g in parses)


_NOUN_LIKE = frozenset({"NOUN", "ADJF", "Abbr"})
_SENTENCE_END = re.compile(r"(?:^|[.!?…\n:;«\"“(])\s*$")


def _sentence_start(text: str, i: int) -> bool:
    return bool(_SENTENCE_END.search(text, max(0, i - 6), max(0, i)))


def _reading(text: str, gaz: Gazetteer, index: FormIndex, s: int, e: int, i: int, lang: str) -> Reading | None:
    """How the form at text[s:e] names a place here, or ``None`` if it does not."""
    if not text[s].isupper():
        return None
    adjective = index.adjectives[i]
    if adjective is not None and (_OBLAST_AFTER.match(text, e) or _OBLAST_BEFORE.search(text, max(0, s - 200), s)):
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
    kind = gaz.kind
    blocked = _blocked(text)
    out = []
    for s, e, i in _whole_hits(index, folded):
        if blocked.find(1, s, e) >= 0 and not (_after_locative(text, s) and not _in_title(text, s)):
            continue  # inside a quoted name («Наші гроші. Львів»), unless quoted speech says where
        langs = inflection.languages_of(index.forms[i])
        r = _reading(text, gaz, index, s, e, i, langs[0] if len(langs) == 1 else default)
        if r is None:
            continue
        hint = "admin1" if r.flags & ADMIN1 and all(kind[row] == "admin1" for row in r.rows) else None
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
    from geo.parse.language import sentences_with_languages, text_language

    # a Latin word in a Ukrainian or Russian sentence is a brand or a title (Nokia, Air France);
    # in a Ukrainian or Russian report, so is one in a sentence of both scripts ("Toyota Camry")
    langs = ("uk", "ru", "mixed") if text_language(text) in ("uk", "ru") else ("uk", "ru")
    cyrillic = [(s, e) for s, e, lang in sentences_with_languages(text) if lang in langs]
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
