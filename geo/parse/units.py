"""The unit a report writes around a place's name: its oblast, raion or hromada.

"Mykhailivka in the Pokrovsk raion", "Neskuchne and Staromaiorske (Donetsk oblast)",
"Donetsk oblast's Kramatorsk", "the Znob-Novhorodske hromada".  Resolution gives the
namesakes inside that unit a bonus (``geo.parse.resolve``); "Town, State" right after
each other is read there too (``enclosing_units``).

A unit is written as a string the resolver tests rows against: an admin-1 code
(``UA.05``), ``raion:`` and the raions' keys (``UA.05|Покровський``, see
``Gazetteer.raion_of``), or ``hromada:`` and the hromadas' KATOTTG prefixes, several
separated by ``;`` when the name fits more than one.
"""

from __future__ import annotations

import bisect
import re

from geo.gazetteer.loader import Gazetteer
from geo.records import Mention

_UNIT_WORDS = {
    "oblast": ("oblast", "oblasts", "region", "province", "область", "області", "обл"),
    "raion": ("raion", "rayon", "district", "район", "району", "районі"),
    "hromada": ("hromada", "community", "territorial community", "громада", "громади", "громаді"),
}
_KIND_OF = {w: kind for kind, words in _UNIT_WORDS.items() for w in words}
_WORD_AFTER = re.compile(
    r"(?:\s+|-)(?P<word>" + "|".join(sorted(_KIND_OF, key=len, reverse=True)) + r")(?!\w)\.?", re.I)
_CONNECTORS = re.compile(
    r"[\s,()]*(?:(?:and|or|in|near|of|the|a|within|at|around|outside|vicinity|outskirts|area|"
    r"village|villages|town|towns|city|settlement|settlements|hamlet|suburb|urban-type|smt|selo)\b"
    r"[\s,()]*)*", re.I)
"""What may stand between a place and the unit written after it: "X, Y and Z in the",
"X village (near),"."""
_POSSESSIVE = re.compile(r"['’]s\s+")


def unit_scopes(text: str, mentions: list[Mention], gaz: Gazetteer) -> tuple[dict[int, str], set[int]]:
    """Mention index to the unit the text puts that place in, and which mentions name a
    raion or a hromada (an area, placed at its seat).

    A unit is a name followed by a unit word ("Pokrovsk raion", "Donetsk oblast",
    "Znob-Novhorodska hromada"; the name need not be a place's: "Pokrovskyi raion"); it
    applies to the places written just before it, joined to it by commas, brackets,
    "and", "in the" ..., to the place right after its possessive ("Donetsk oblast's X"),
    and a raion or hromada to its own name too (the Pokrovsk of "Pokrovsk raion" is the
    one in that raion).
    """
    out: dict[int, str] = {}
    areas: set[int] = set()
    anchors = _mention_units(text, mentions, gaz) + _free_units(text, mentions)
    unit_mentions = {own for *_, own in anchors if own is not None}
    ends = [m.end for m in mentions]
    for start, end, kind, unit, own in anchors:
        if own is not None and kind != "oblast":
            out[own] = unit
            areas.add(own)
        i = bisect.bisect_right(ends, start) - 1
        if own is not None:
            i = own - 1
        upto = start
        while i >= 0 and i not in unit_mentions and _CONNECTORS.fullmatch(text, mentions[i].end, upto):
            out[i] = unit
            upto = mentions[i].start
            i -= 1
        after = _POSSESSIVE.match(text, end)
        if after:
            nxt = bisect.bisect_left([m.start for m in mentions], after.end())
            if nxt < len(mentions) and mentions[nxt].start == after.end():
                out[nxt] = unit
    return out, areas


def _mention_units(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[tuple]:
    """(start, end, kind, unit, mention index) of each mention followed by a unit word."""
    anchors = []
    for j, m in enumerate(mentions):
        found = _unit_word(text, m)
        if found is not None:
            unit = _unit(gaz, m.text, m.candidates, found[0])
            if unit is not None:
                anchors.append((m.start, found[1], found[0], unit, j))
    return anchors


_FREE_UNIT = re.compile(r"(?<![\w'’-])(?P<name>[A-ZА-ЯІЇЄҐ][\w'’-]+)\s+(?P<word>raion|rayon|district|hromada|"
                        r"community|район|району|районі|громада|громади|громаді)(?!\w)", re.I)


def _free_units(text: str, mentions: list[Mention]) -> list[tuple]:
    """(start, end, kind, unit, None) of each raion or hromada written by a name that is no
    place's ("Pokrovskyi raion", "Znob-Novhorodska hromada")."""
    anchors = []
    starts = {m.start for m in mentions}
    for match in _FREE_UNIT.finditer(text):
        if match.start() in starts or not match.group("name")[0].isupper():
            continue
        kind = _KIND_OF[match.group("word").lower()]
        unit = _unit(None, match.group("name"), (), kind)
        if unit is not None:
            anchors.append((match.start(), match.end(), kind, unit, None))
    return anchors


def _unit_word(text: str, m: Mention) -> tuple[str, int] | None:
    """The kind of unit a mention names and where its words end, from the word after it or
    its own last word ("Sumy oblast" can be one name)."""
    if m.kind_hint in ("border", "capital", "district"):
        return None
    word = _WORD_AFTER.match(text, m.end)
    if word:
        return _KIND_OF[word.group("word").lower()], word.end()
    last = m.text.rsplit(None, 1)[-1].lower() if " " in m.text else ""
    if last in _KIND_OF:
        return _KIND_OF[last], m.end
    return None


def _unit(gaz: Gazetteer | None, name: str, candidates: tuple[int, ...], kind: str) -> str | None:
    if kind == "oblast":
        return _oblast(gaz, candidates) if gaz is not None else None
    from geo.gazetteer import ukraine  # the units' names load on the first raion or hromada

    if kind == "raion":
        raions = ukraine.raions(name)
        return "raion:" + ";".join(f"{a}|{r}" for a, r in raions) if raions else None
    hromadas = ukraine.hromadas(name)
    return "hromada:" + ";".join(code for code, _ in hromadas) if hromadas else None


def _oblast(gaz: Gazetteer, candidates: tuple[int, ...]) -> str | None:
    """The admin-1 unit a mention's candidates hold, a Ukrainian one first."""
    codes = {str(gaz.admin1[r]) for r in candidates if gaz.kind[r] == "admin1"}
    if len(codes) > 1:
        codes = {c for c in codes if c.startswith("UA.")} or codes
    return codes.pop() if len(codes) == 1 else None
