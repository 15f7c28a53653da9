"""Recognition: text to ``Mention`` spans with character offsets.

Names are matched all at once with the gazetteer's Aho-Corasick automaton,
then kept or dropped by context rules: word boundaries, capitalisation, a
common-word filter, organisations and demonyms.  Two kinds of mention are not
names at all: "the capital" and borders such as "the Ukraine-Belarus border".
"""

from __future__ import annotations

import dataclasses
import functools
import re
import string

from geo.parse.bracket_units import russian_regions
from geo.parse.cues import LIST_CONTINUATION
from geo.parse.cyrillic import merge_mentions
from geo.parse.language import has_cyrillic
from geo.parse.unit_names import adjective_unit_mentions
from geo.gazetteer.loader import Gazetteer
from geo.lexicon import (COMPOUND_FIRST_WORDS, COUNTRY_ABBREVIATIONS, DEMONYMS, GENERIC_WORDS,
                         PERSON_VERBS, TITLES_BEFORE_NAME, organisation_spans)
from geo.names import fold_text, run_start, word_char_at
from geo.records import Mention
from geo import settings

_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*[\"'“‘(]?|^[\"'“‘(])\s*$")
_CAPITAL = re.compile(
    r"\b[Tt]he\s+(?:(?P<adj>[A-Z][\w'’]+?)(?:['’]s)?\s+)?capital(?:\s+city)?\b(?!\s+(?:city\s+)?of\b)"
)
_REGION_WORDS = re.compile(
    r"\s+(?:oblasts?|obl\b\.?|regions?|provinces?|governorate|krai|kray|republic|people['’]s\s+republic)\b", re.I)
"""Words after a name that make it a unit: "Donetsk People's Republic" is the oblast, not the city."""
_PLURAL_REGIONS = re.compile(r"\s+(?:oblasts|regions|provinces)\b", re.I)
_RIVER_AFTER = re.compile(r"\s+(?:river|sea|basin)\b(?!\s+(?:port|trade|commercial|terminal|station))", re.I)
_RIVER_BEFORE = re.compile(r"\b(?:[Rr]iver|the\s+[Ss]ea\s+of)\s+$")
"""A name followed by "river", "sea" or "basin", or after "the river" or "the Sea of", names
the water (the Mius, the Azov Sea, the Donets basin); the gazetteer holds no rivers, only the
towns named after them; "the Berdiansk sea port", "the Kherson river port" are the towns'."""
_STREET_AFTER = re.compile(r"[ \t]+(?:street|avenue|ave\.|boulevard|blvd\b\.?|lane|prospekt|prospect|"
                           r"vulytsia|vul\.|ulitsa)(?!\w)", re.I)
"""A name before "Street" names the street ("Tsentralna Street", "Kyiv Street in Kharkiv"), not a town."""


def _ua_street(text: str, gaz: Gazetteer, e: int, kid: int) -> bool:
    # only for Ukraine's names: the geoparsing corpora count "Evergreen Avenue" a place
    return bool(_STREET_AFTER.match(text, e)) and any(gaz.cc[r] == "UA" for r in _rows(gaz, kid))


_WEAPON_AFTER = re.compile(r"(?:-[A-Za-z0-9]+)?[ \t]+(?:rockets|missiles|launchers|systems|MLRS|multiple[ \t]+rocket|drones|"
                           r"bombs?(?![ \t]+shelters?))\b", re.I)
"""A name followed by weapons is the weapon's ("Grad rockets", "Tornado launchers", "Glide
bomb", "Iskander-M missiles"): never a place; "the Kyiv missile strike" (singular) keeps its place."""
_TRAILING_TAGS = re.compile(r"[^\w\n#]*(?:#[\w'’-]+[^\w\n#]*)*(?:\n|\Z)")
"""Nothing but hashtags, spaces and symbols to the end of the line."""
_FORCE_GROUP_AFTER = re.compile(
    r"[ \t]+(?:(?:joint|operational|operational[- ]strategic|operational[- ]tactical)[ \t]+)?(?:groups?|grouping|"
    r"OSG|OTG)\b(?![ \t]+of[ \t]+(?:villages|settlements|towns|communities|hromadas))", re.I)
"""A name before "group" names a group of forces ("the Khortytsia operational-strategic group",
"the Tavria group of forces", "the Dnepr group"), not a place; a "group of villages" is one."""
_WEAPON_SYSTEMS = frozenset({
    "grad", "smerch", "uragan", "tornado", "buk", "tor", "pantsir", "krasnopol", "msta", "pion", "akatsiya",
    "gvozdika", "hyacinth", "giatsint", "lancet", "orlan", "geran", "caesar", "krab", "bayraktar", "kalibr",
    "iskander", "kinzhal", "tochka", "zircon", "oniks", "grom", "solntsepyok",
})
"""Weapon systems named after things that are also places (Grad, Caesar, Tornado)."""
_OWNER_BEFORE = frozenset({"russian", "ukrainian", "soviet", "enemy", "destroyed", "captured", "damaged",
                           "abandoned", "burning", "wrecked", "a", "an"})
"""A word before a weapon system's name that makes it the weapon ("Russian Grad")."""
_DISTRICT_THEN_PLACE = re.compile(
    r"(?i:\s+district)?,\s*[A-Z](?![\w'’-]*\s+(?i:oblast|obl\b|region|province))")
"""'<name> district, <City>': a district of a city (resolution reads the hint); not
'<name> district, <Oblast> region', a raion of an oblast."""
_DISTRICT_OF_PLACE = re.compile(
    r"(?i:\s+district)?\s+(?i:of|in)\s+[A-Z](?![\w'’-]*\s+(?i:oblast|obl\b|region|province))")
"""'<name> district of <City>', as UCDP and Bellingcat write Donetsk's districts; not
'<name> district of <Oblast> oblast', a raion."""
_BIG_CITY = 200_000
_HUGE = 1_000_000


@functools.lru_cache(maxsize=4)
def _country_names(gaz: Gazetteer) -> dict[str, str]:
    """Folded country names (and demonyms) to ISO codes."""
    names: dict[str, str] = {}
    for cc in gaz.country_codes:  # not the polygons' index: that would read every polygon
        names[fold_text(gaz.name[gaz.country_row(cc)])] = cc
    for n in ("Moldova", "Russia", "Belarus", "Ukraine", "Poland", "Romania", "Hungary", "Slovakia"):
        for row in gaz.lookup(n):
            if gaz.kind[row] == "country":
                names[fold_text(n)] = gaz.cc[row]
                break
    names.update(DEMONYMS)
    return names


def _trie_alternation(words) -> str:
    """A regex alternation of ``words`` (compiled with ``re.I``), factored as a trie.

    It tries the same words in the same order as the flat alternation sorted
    longest first: the words matching at one position are prefixes of one
    another, and the trie tries the deeper (longer) one first.  The regex
    engine then tests a few first letters at each position, not every word.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str | None:
        branches = []
        for ch in sorted(k for k in node if k):
            branches.append(re.escape(ch) + (emit(node[ch]) or ""))
        if not branches:
            return None
        if "" in node:  # a word ends here: try it only after every longer one
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie) or ""


def _distinct_under_ignorecase(node: dict) -> bool:
    """No two sibling letters of the trie match the same character under ``re.I``."""
    keys = [k for k in node if k]
    for i, a in enumerate(keys):
        if any(re.fullmatch(re.escape(a), b, re.I) for b in keys[i + 1:]):
            return False
    return all(_distinct_under_ignorecase(child) for k, child in node.items() if k)


@functools.lru_cache(maxsize=4)
def _border_res(gaz: Gazetteer) -> tuple[re.Pattern, ...]:
    names = _country_names(gaz)
    trie: dict = {}
    for w in names:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
    if names and _distinct_under_ignorecase(trie):
        alt = _trie_alternation(names)
    else:  # a pair of names the trie could confuse: the plain alternation, longest first
        alt = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    c = rf"(?:{alt})"
    return (
        # the joiner's two forms share no spaces, so a long run of them stays linear
        re.compile(rf"\b(?:the\s+)?(?P<a>{c})(?:\s*[-/–]\s*|\s+and\s+)(?P<b>{c})\s+(?:state\s+)?border\b", re.I),
        re.compile(rf"\b(?:the\s+)?border\s+between\s+(?P<a>{c})\s+and\s+(?P<b>{c})\b", re.I),
        re.compile(rf"\b(?:the|its|their|a)\s+(?:\w+\s+)?border\s+with\s+(?P<b>{c})\b", re.I),
        re.compile(rf"\b(?:the\s+)?(?P<b>{c})(?:['’]s)?\s+border\b", re.I),
    )


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, start - 4), start))


_NEXT_WORD = re.compile(r"\s([A-Z][a-z][\w'’-]*)")
_PERSON_VERB = re.compile(rf"(?:['’]s)?,?\s+(?:{'|'.join(PERSON_VERBS)})\b")
_CAP_BEFORE = re.compile(r"([A-Z][a-z]+) $")


_ASCII_LETTERS = frozenset(string.ascii_letters)


def _line_break_before(text: str, start: int) -> bool:
    """Whether the spaces right before ``start`` hold a line break (a headline's last word
    is not a title of the next line's first name)."""
    i = start
    while i > 0 and text[i - 1].isspace():
        if text[i - 1] in "\n\r":
            return True
        i -= 1
    return False


def _previous_word(text: str, start: int) -> str:
    """The word of ASCII letters before ``start`` (then maybe a full stop, then spaces), lower-cased,
    as far back as 20 characters: what ``([A-Za-z]+)\\.?\\s+$`` finds in that window, read
    backwards (searching the window with it tried every position)."""
    low = max(0, start - 20)
    end = start
    while end > low and text[end - 1].isspace():
        end -= 1
    if end == start:
        return ""
    if end > low and text[end - 1] == ".":
        end -= 1
    return text[run_start(text, end, low, _ASCII_LETTERS):end].lower()


def _prominent(gaz: Gazetteer, kid: int, min_population: int) -> bool:
    """Whether a name belongs to a country or to a place of at least ``min_population``."""
    names_country, most = _standing(gaz, kid)
    return names_country or most >= min_population


@functools.lru_cache(maxsize=65536)
def _standing(gaz: Gazetteer, kid: int) -> tuple[bool, int]:
    """Whether a name names a country, and the largest population it names (-1: no rows)."""
    rows, _ = gaz.entries_for_key(kid)
    if not len(rows):
        return False, -1
    return any(gaz.kind[r] == "country" for r in rows), int(gaz.population[rows].max())


@functools.lru_cache(maxsize=65536)
@functools.lru_cache(maxsize=65536)
def _rows(gaz: Gazetteer, kid: int) -> tuple[int, ...]:
    # one tuple a name, shared by its mentions: a text may name a town a million times
    rows, _ = gaz.entries_for_key(kid)
    return tuple(int(r) for r in rows)


def _common_word(text: str, gaz: Gazetteer, s: int, kid: int) -> bool:
    """A frequent English word that names no country or big city here."""
    key = gaz.keys[kid]
    if key in GENERIC_WORDS:
        return True
    if gaz.zipf[kid] < settings.COMMON_WORD_ZIPF:
        return False
    needed = _HUGE if _is_sentence_start(text, s) else _BIG_CITY
    return not _prominent(gaz, kid, needed)


def _person_role(text: str, gaz: Gazetteer, s: int, e: int, kid: int, longer_end: int) -> bool:
    """Whether the name at text[s:e] is (part of) a person's name.

    "Mr Ripley", "Paul Ripley" (after a given name), "Paul Ripley" (a given
    name before another capitalised word) and "Ripley said" all are, unless
    the name is a country or a big city.
    """
    if _previous_word(text, s) in TITLES_BEFORE_NAME and not _line_break_before(text, s):
        return True  # "Spokesperson Ilya Yevlash"; not "... a government adviser\nUkraine says"
    if _prominent(gaz, kid, _PERSON_SAFE):
        return False
    before = _CAP_BEFORE.search(text, max(0, s - 20), s)
    if before and before.group(1).lower() in gaz.given_names:
        return True
    if gaz.keys[kid] in gaz.given_names and longer_end <= e:
        nxt = _NEXT_WORD.match(text, e)
        if nxt and nxt.group(1).lower() not in _PLACE_WORDS_AFTER:
            return True
    return bool(_PERSON_VERB.match(text, e)) and not _prominent(gaz, kid, _BIG_CITY)


_PERSON_SAFE = 500_000
_PLACE_WORDS_AFTER = frozenset({
    "county", "city", "town", "township", "parish", "state", "province", "region", "oblast",
    "district", "island", "islands", "valley", "river", "lake", "beach", "bay", "street",
    "road", "avenue", "park", "heights", "hills", "springs", "falls", "harbor", "harbour",
})


# a ship's name after its kind ("the cruiser Moskva", "the flagship Moskva"): no place
_VESSEL_BEFORE = tuple(f"{w} " for w in (
    "cruiser", "warship", "flagship", "ship", "frigate", "corvette", "submarine", "vessel", "tanker",
    "destroyer", "carrier", "ferry", "tugboat"))


# a business or venue named after a place: "Hotel Ingul", "cinema Kyiv"
_VENUE_BEFORE = tuple(f"{w} " for v in ("hotel", "restaurant", "cafe", "café", "cinema", "stadium")
                      for w in (v, v.capitalize()))


# words for a kind of settlement, written before its name in transliterated reports
_SETTLEMENT_KINDS = frozenset({"khutir", "khutor", "selo", "selyshche", "poselok", "posyolok", "stanytsia",
                               "stanitsa", "smt"})
_NEXT_CAPITAL = re.compile(r"[ -][A-Z]")


def _keep_name(text: str, gaz: Gazetteer, s: int, e: int, kid: int) -> bool:
    """Context rules for a gazetteer name found at text[s:e] (people are judged apart)."""
    if not text[s].isupper():
        return False
    if text.endswith(_VESSEL_BEFORE, max(0, s - 11), s) or text.endswith(_VENUE_BEFORE, max(0, s - 11), s):
        return False
    if text[s:e].lower() in _SETTLEMENT_KINDS and _NEXT_CAPITAL.match(text, e):
        return False  # "Khutir Vilnyi": the kind of settlement, then its name
    surface = text[s:e]
    if surface.isupper() and len(surface) <= 4:  # acronyms such as TEU, NATO
        return False
    if gaz.keys[kid] in DEMONYMS:  # the name as matched: the folded surface
        return False
    if gaz.keys[kid] in _WEAPON_SYSTEMS and _previous_word(text, s) in _OWNER_BEFORE:
        return False  # "destroyed Russian Grad in Kharkiv oblast"
    if surface[:4] == "The " and surface.rsplit(None, 1)[1][:1].islower():
        return False  # "The village of" is no The Village (Oklahoma): that name is capitalised
    if _part_of_longer_name(text, gaz, s, e, kid):
        return False
    return not _common_word(text, gaz, s, kid)


_PART_SAFE = 50_000
"""A name of a place this big stays a place inside a hyphenated phrase (Russia-Ukraine)."""


def _part_of_longer_name(text: str, gaz: Gazetteer, s: int, e: int, kid: int) -> bool:
    """Whether the name at text[s:e] is only part of a longer name: hyphened to a word
    ("Novhorodske" of "Znob-Novhorodske", the Sumy oblast village the gazetteer might
    lack), or the first word of a two-word village name ("Nyzhnie" of "Nyzhnie
    Nagolchyk").  The longer name, when the gazetteer has it, was matched already and
    wins; a small place's name is then no place of its own."""
    first_word = gaz.keys[kid] in COMPOUND_FIRST_WORDS and e + 1 < len(text) \
        and text[e] == " " and text[e + 1].isupper()
    hyphened = (s >= 2 and text[s - 1] == "-" and text[s - 2].isalpha()) or (
        e + 1 < len(text) and text[e] == "-" and text[e + 1].isupper())
    # hyphened names elsewhere are pairs more often than parts (Miami-Dade, Fargo-Moorhead)
    hyphened = hyphened and all(gaz.cc[r] == "UA" for r in _rows(gaz, kid))
    return (first_word or hyphened) and not _prominent(gaz, kid, _PART_SAFE)


def _name_mentions(text: str, folded: str, gaz: Gazetteer) -> list[Mention]:
    # only names starting with a capital are kept (half of them): they are the only ones
    # read, and the longest at each start is one of them (the names there share a first letter).
    # The automaton sees the boundary before a name itself: the hits inside longer words,
    # most of them, never reach Python (Gazetteer.boundary_matches)
    matches, longest = [], {}
    for m in gaz.boundary_matches(folded):
        s = m[0]
        if text[s].isupper():
            matches.append(m)
            if m[1] > longest.get(s, 0):
                longest[s] = m[1]
    found, people = [], set()
    for s, e, kid in matches:
        if not _keep_name(text, gaz, s, e, kid):
            continue
        if _person_role(text, gaz, s, e, kid, longest[s]):
            people.add(kid)
            continue
        found.append((s, e, kid))
    out = []
    spellings: dict[str, str] = {}  # one string a spelling, shared by its mentions
    for s, e, kid in found:
        # one sense per text: a surname seen once is a surname everywhere
        if kid in people and not _prominent(gaz, kid, _PERSON_SAFE):
            continue
        if _names_something_else(text, gaz, s, e, kid):
            continue
        if _REGION_WORDS.match(text, e):
            hint = "admin1"
        elif (text[s:e].lower().endswith(" district") or text[e:e + 9].lower() == " district") \
                and (_DISTRICT_THEN_PLACE.match(text, e) or _DISTRICT_OF_PLACE.match(text, e)):
            hint = "district"
        else:
            hint = None
        written = text[s:e]
        out.append(Mention(spellings.setdefault(written, written), s, e, _rows(gaz, kid), kind_hint=hint))
    return _listed_regions(text, out)


def _names_something_else(text: str, gaz: Gazetteer, s: int, e: int, kid: int) -> bool:
    """Whether the name at text[s:e] names a river or sea, a weapon, a group of forces or a
    street rather than a place ("the Donets river", "Grad rockets", "the Tavria group")."""
    if _RIVER_AFTER.match(text, e) or _WEAPON_AFTER.match(text, e) or _FORCE_GROUP_AFTER.match(text, e) \
            or _ua_street(text, gaz, e, kid):
        return True
    return (text.find("iver", max(0, s - 7), s) >= 0 or text.find("ea of", max(0, s - 8), s) >= 0) \
        and _RIVER_BEFORE.search(text, max(0, s - 12), s) is not None


def _listed_regions(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions``, each name of a list closed by a plural unit word made a unit too:
    "Mykolaiv and Kirovohrad oblasts" names two oblasts, not the city of Mykolaiv."""
    for j in range(len(mentions) - 1, 0, -1):
        last = mentions[j]
        if last.kind_hint != "admin1" or not _PLURAL_REGIONS.match(text, last.end):
            continue
        i = j - 1
        while i >= 0 and mentions[i].kind_hint is None and LIST_CONTINUATION.match(
                text[mentions[i].end:mentions[i + 1].start]):
            mentions[i] = dataclasses.replace(mentions[i], kind_hint="admin1")
            i -= 1
    return mentions


_REPUBLICS = {"DPR": "UA.05", "ДНР": "UA.05", "LPR": "UA.14", "ЛНР": "UA.14"}
"""The self-proclaimed republics by their abbreviations: the Donetsk and Luhansk oblasts
("DNR" and "LNR" are left alone: in other news they are other things)."""
_CYRILLIC_REPUBLICS = frozenset({"ДНР", "ЛНР"})
_REPUBLIC_NAMES = re.compile(  # "Донецкой Народной Республики", "Луганської Народної Республіки"
    r"(?<![^\W\d_])(?:(Донецк|Донецьк)|Луганськ|Луганск)\w*\s+[Нн]ародн\w*\s+[Рр]еспубл[иі]к\w*")


@functools.lru_cache(maxsize=4)
def _abbreviation_res(gaz: Gazetteer) -> tuple[re.Pattern, re.Pattern]:
    def alternation(keys):
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))

    # each starts with its literals, so the regex engine skips ahead to them; the word
    # before each is checked in Python (see _abbreviation_mentions)
    country = re.compile(rf"(?:{alternation([*COUNTRY_ABBREVIATIONS, *_REPUBLICS])})(?![\w])")
    state = re.compile(rf",\s*(?P<abbr>{alternation(gaz.abbreviations)})(?![\w])")
    return country, state


_TOWN_CHARS = frozenset("'’.-")


def _town_before(text: str, comma: int, since: int) -> bool:
    """Whether a capitalised word ends at ``comma`` (as in "Paris, Ky."), starting at or after ``since``.

    The word is a run of word characters and ' ’ . - ; it may start at any capital
    in that run that follows a non-word character (the regex ``\\b[A-Z][\\w'’.-]*,``).
    """
    i = comma
    while i > since and (word_char_at(text, i - 1) or text[i - 1] in _TOWN_CHARS):
        i -= 1
        if "A" <= text[i] <= "Z" and not word_char_at(text, i - 1):
            return True
    return False


def _shouting(text: str, s: int, e: int) -> bool:
    """Whether the words around a span are in capitals too (a headline, not an acronym)."""
    around = re.findall(r"[A-Za-z]{2,}", text[max(0, s - 30):s] + " " + text[e:e + 30])
    return len(around) >= 2 and sum(w.isupper() for w in around) * 2 >= len(around)


def _abbreviation_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Country abbreviations (U.S., UK), the Donbas republics' (DPR, ЛНР) and state
    abbreviations after a town (", Ky.")."""
    country_re, state_re = _abbreviation_res(gaz)
    out = []
    for m in country_re.finditer(text):
        s = m.start()
        if text[s - 1:s] == "." or word_char_at(text, s - 1):  # inside a word or a longer form
            continue
        if m.group(0) in _REPUBLICS:  # "Gorlovka, DPR": the oblast the separatists named so
            if text[m.end():m.end() + 1] != "-" and (row := gaz.admin1_row(_REPUBLICS[m.group(0)])) is not None:
                out.append(Mention(m.group(0), s, m.end(), (row,), "admin1"))
            continue
        row = gaz.country_row(COUNTRY_ABBREVIATIONS[m.group(0)])
        if row is not None and not _shouting(text, s, m.end()):
            out.append(Mention(m.group(0), s, m.end(), (row,)))
    taken = 0  # a town already followed by its state cannot be the abbreviation before another
    for m in state_re.finditer(text):
        if not _town_before(text, m.start(), taken):
            continue
        taken = m.end()
        row = gaz.admin1_row(gaz.abbreviations[m.group("abbr")])
        if row is not None:
            out.append(Mention(m.group("abbr"), m.start("abbr"), m.end("abbr"), (row,), "admin1"))
    return out


def _republic_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """The Donbas republics written out in Ukrainian or Russian: their oblasts, as DPR and LPR."""
    out = []
    for m in _REPUBLIC_NAMES.finditer(text):
        row = gaz.admin1_row("UA.05" if m.group(1) else "UA.14")
        if row is not None:
            out.append(Mention(m.group(0), m.start(), m.end(), (row,), "admin1"))
    return out


@functools.lru_cache(maxsize=4)
def _longest_country_name(gaz: Gazetteer) -> int:
    return max(map(len, _country_names(gaz)), default=0)


def _border_region(text: str, folded: str, reach: int) -> tuple[int, int] | None:
    """The part of ``text`` every match of the border patterns lies in, or ``None`` if none can.

    Each match holds the word "border", found in the folded text (no character but B, O,
    R, D and E folds to those letters, or matches them under re.I).  Before it a match
    holds at most the whole word just before (of "its eastern border") and, in words
    that are not spaces, two country names and three short words ("the", "and",
    "state"); after it, at most "between", two names and "and".  ``reach`` counts those
    characters, with room to spare (spaces are not counted: a run of them may be any
    length), so no match comes near the cut at the end and ``\b`` is never tried there.
    A regex searching the whole text tried every position.
    """
    first = folded.find("border")
    if first < 0:
        return None
    start = first
    while start and text[start - 1].isspace():
        start -= 1
    while start and not text[start - 1].isspace():
        start -= 1
    start = _past_letters(text, start, -1, reach)
    return start, _past_letters(text, folded.rfind("border") + 6, 1, reach)


def _past_letters(text: str, i: int, step: int, reach: int) -> int:
    """Where ``reach`` characters that are not spaces have been passed from ``i`` (backwards
    for a ``step`` of -1), or the text's edge."""
    if step < 0:
        while reach and i > 0:
            i -= 1
            if not text[i].isspace():
                reach -= 1
    else:
        while reach and i < len(text):
            if not text[i].isspace():
                reach -= 1
            i += 1
    return i


def _special_mentions(text: str, gaz: Gazetteer, folded: str) -> list[Mention]:
    """Borders and "the capital"; ``folded`` is ``fold_text(text)``."""
    names = _country_names(gaz)
    out = []
    # the border patterns are long alternations: run them only around where a border is named
    region = _border_region(text, folded, 2 * _longest_country_name(gaz) + 40)
    for rx in (_border_res(gaz) if region else ()):
        for m in rx.finditer(text, *region):
            a = names.get(fold_text(m.group("a"))) if "a" in rx.groupindex else None
            b = names.get(fold_text(m.group("b")))
            if b and a != b:
                out.append(Mention(m.group(0), m.start(), m.end(), (), "border", (a or "", b)))
    for m in (_CAPITAL.finditer(text) if "capital" in text else ()):  # the pattern's one literal
        adj = m.group("adj")
        cc = names.get(fold_text(adj)) if adj else None
        if adj and cc is None and adj.lower() not in ("country", "nation", "nation's", "country's"):
            continue
        out.append(Mention(m.group(0), m.start(), m.end(), (), "capital", (cc or "",)))
    return out


_DONETS = re.compile(r"\b(?:Siversk|Seversk|Northern)\w*\s+Donets\b|(?:Сіверськ|Северск)\w*\s+Дон[еці]\w*")
"""The Siverskyi Donets, a river whose name ends in a village's (Donets)."""


def _blocked_spans(text: str) -> bytearray:
    """One byte per character, 1 inside an organisation's name or a river's."""
    blocked = bytearray(len(text))
    spans = organisation_spans(text)
    if "Donets" in text or "Дон" in text:
        spans = [*spans, *((m.start(), m.end()) for m in _DONETS.finditer(text))]
    for s, e in spans:
        blocked[s:e] = b"\x01" * (e - s)
    return blocked


def find_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Every place mention in ``text``, in order, without overlaps."""
    folded = fold_text(text)
    blocked = _blocked_spans(text)
    special = _special_mentions(text, gaz, folded)
    found = _name_mentions(text, folded, gaz) + _abbreviation_mentions(text, gaz)
    units: list[Mention] = []
    if has_cyrillic(text):  # Ukrainian and Russian names, inflected too: geo.parse.cyrillic
        cyrillic_republics = [m for m in found if m.text in _CYRILLIC_REPUBLICS]  # "в ДНР": no name to inflect
        found = merge_mentions(text, folded, gaz, found) + cyrillic_republics
        units = adjective_unit_mentions(text, gaz)
        if "ародн" in text:
            special = special + _republic_mentions(text, gaz)
    names = [m for m in found if blocked.find(1, m.start, m.end) < 0]
    # specials first, then a raion or hromada named by its adjective (over a longer name the
    # tables spell it with: "Вознесенського району"), then longer names first; drop anything
    # overlapping a kept span
    ranked = sorted(special, key=lambda m: (m.start, -(m.end - m.start))) + units + sorted(
        names, key=lambda m: (-(m.end - m.start), m.start))
    # a character mask, not pairwise checks: thousands of names stay linear
    taken = bytearray(len(text))
    kept: list[Mention] = []
    for m in ranked:
        if taken.find(1, m.start, m.end) < 0:
            kept.append(m)
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
    if "(" in text:  # ACLED's "Shebekino (Shebekinskiy, Belgorod)": the region
        kept = russian_regions(text, kept, gaz)
    if "#" in text:  # a post's closing hashtags ("... #Запоріжжя") tag it: they are no places it names
        kept = [m for m in kept if text[m.start - 1:m.start] != "#" or not _TRAILING_TAGS.match(text, m.end)]
    return sorted(kept, key=lambda m: m.start)
