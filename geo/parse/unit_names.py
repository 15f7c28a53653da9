"""Raions, hromadas and lines of advance a Ukrainian report names by their adjective alone.

Regional administrations write "ворог обстріляв Нікопольський район" and "обстрілів
зазнали Білопільська, Краснопільська та Великописарівська громади": the adjective is
no place's name, so no table of names finds it.  Each adjective before a raion or
hromada word (and each of a list before a plural one) that KATOTTG names a unit by
becomes a mention at the unit's seat town; ``geo.parse.units`` then reads the unit word
after it and makes the place the unit (its precision ``raion`` or ``hromada``).  A line
of advance ("на Покровському напрямку") is a mention of its town, which events use only when
the sentence names no other place (``geo.parse.events_cyr``) and which picks, of the
sentence's namesake villages, those around it (``geo.parse.units.near_scopes``).
"""

from __future__ import annotations

import functools
import re

from geo.gazetteer import ukraine
from geo.gazetteer.loader import Gazetteer
from geo.parse.cues import CYRILLIC_DIRECTION
from geo.records import Mention

_UNIT_WORD = re.compile(r"(?<![^\W\d_])(?:район(?:и|у|і|ом|ах|ів)?|громад(?:а|и|і|у|ою|ах)?)(?![^\W\d_])", re.I)
_NAME = r"([А-ЯІЇЄҐ][а-яіїєґ'’ʼ-]*(?:[сц]ьк|зьк)(?:ий|ого|ому|ім|им|а|ої|ій|у|ою|і|их)"
_ADJECTIVE_BEFORE = re.compile(_NAME + r")\s+$")
_LISTED_BEFORE = re.compile(_NAME + r")\s*(?:,\s*(?:(?:та|і|й)\s+)?|\s+(?:та|і|й)\s+)$")
"""A unit adjective right before a unit word, or before the next adjective of a list."""
_REACH = 60


def adjective_unit_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """A mention for each raion or hromada ``text`` names by its Ukrainian adjective, in order."""
    out = _direction_mentions(text, gaz) if "напрям" in text else []
    if "район" not in text and "громад" not in text:  # every unit word holds one
        return out
    for word in _UNIT_WORD.finditer(text):
        kind = "raion" if word.group(0)[:1].lower() == "р" else "hromada"
        m = _ADJECTIVE_BEFORE.search(text, max(0, word.start() - _REACH), word.start())
        while m is not None:
            mention = _unit_mention(gaz, kind, m.group(1), m.start(1), m.end(1))
            if mention is None:
                break
            out.append(mention)
            m = _LISTED_BEFORE.search(text, max(0, m.start(1) - _REACH), m.start(1))
    return sorted(out, key=lambda m: m.start)


_DIRECTION = re.compile(r"(?<![\w'’ʼ-])([А-ЯІЇЄҐ][а-яіїєґ'’ʼ-]*(?:[сц]ьк|зьк)(?:ий|ому|ого|ім))\s+"
                        + CYRILLIC_DIRECTION)


def _direction_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """A mention of the town a line of advance is named after ("на Покровському напрямку":
    Pokrovsk), found as the raion or hromada of that adjective's seat."""
    out = []
    for m in _DIRECTION.finditer(text):
        adjective = m.group(1)
        found = _seats(gaz, "raion", adjective) or _seats(gaz, "hromada", _feminine(adjective))
        if found:
            out.append(Mention(adjective, m.start(1), m.end(1), found[0], lemma=found[1]))
    return out


def _feminine(adjective: str) -> str:
    """A masculine adjective's feminine nominative, as hromadas are named: Торецькому -> Торецька."""
    stem = re.sub(r"(?:ий|ому|ого|ім)$", "", adjective)
    return stem + "а"


def _unit_mention(gaz: Gazetteer, kind: str, name: str, start: int, end: int) -> Mention | None:
    """A mention of the units ``name`` names, at their seats; ``None`` if it names none."""
    found = _seats(gaz, kind, name)
    return Mention(name, start, end, found[0], lemma=found[1]) if found else None


@functools.lru_cache(maxsize=4096)
def _seats(gaz: Gazetteer, kind: str, name: str) -> tuple[tuple[int, ...], str] | None:
    """The seats of the units ``name`` names and the first unit's name, looked up once a name."""
    units = ukraine.raions(name) if kind == "raion" else ukraine.hromadas(name)
    seats = [s for s in (_seat(gaz, kind, unit) for unit in units) if s is not None]
    return (tuple(dict.fromkeys(seats)), units[0][1].lower()) if seats else None


def _seat(gaz: Gazetteer, kind: str, unit: tuple[str, str]) -> int | None:
    """The most populous settlement of a unit that bears the unit's English name (its seat)."""
    english = _english_names().get((kind, *unit))
    if not english:
        return None
    of = gaz.raion_of if kind == "raion" else gaz.hromada_of
    own = f"{unit[0]}|{unit[1]}" if kind == "raion" else unit[0]
    rows = [r for r in gaz.lookup(english) if gaz.cc[r] == "UA" and gaz.kind[r] == "city" and of(r) == own]
    return max(rows, key=lambda r: int(gaz.population[r])) if rows else None


@functools.lru_cache(maxsize=1)
def _english_names() -> dict[tuple[str, str, str], str]:
    """The English name (its seat's) of each raion, by ("raion", admin1 code, Ukrainian name),
    and of each hromada, by ("hromada", KATOTTG prefix, Ukrainian name): the keys
    ``geo.gazetteer.ukraine.raions`` and ``hromadas`` give units by."""
    table = ukraine.units_table()
    out = {("raion", a, uk): en for a, en, uk in
           table[["admin1", "raion", "raion_uk"]].drop_duplicates().itertuples(index=False)}
    hromadas = table.assign(prefix=table["katottg"].str[:9])[["prefix", "hromada", "hromada_uk"]]
    out.update({("hromada", p, uk): en for p, en, uk in hromadas.drop_duplicates().itertuples(index=False)})
    return out
