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
_CONNECTORS = re.compile(r"[\s,(]*(?:(?:and|or|in|near|of|the|within|at|around|outside)\b[\s,(]*)*", re.I)
"""What may stand between a place and the unit written after it: "X, Y and Z in the"."""
_POSSESSIVE = re.compile(r"['’]s\s+")


def unit_scopes(text: str, mentions: list[Mention], gaz: Gazetteer) -> dict[int, str]:
    """Mention index to the unit the text puts that place in.

    A unit is a name followed by a unit word ("Pokrovsk raion", "Donetsk oblast",
    "Znob-Novhorodska hromada"); it applies to the places written just before it,
    joined to it by commas, brackets, "and", "in the" ..., to the place right after its
    possessive ("Donetsk oblast's X"), and a raion or hromada to its own name too (the
    Pokrovsk of "Pokrovsk raion" is the one in that raion).
    """
    out: dict[int, str] = {}
    for j, m in enumerate(mentions):
        found = _unit_word(text, m)
        if found is None:
            continue
        kind, end = found
        unit = _unit(gaz, m, kind)
        if unit is None:
            continue
        if kind != "oblast":
            out[j] = unit
        i = j - 1
        while i >= 0 and _CONNECTORS.fullmatch(text, mentions[i].end, mentions[i + 1].start) \
                and _unit_word(text, mentions[i]) is None:
            out[i] = unit
            i -= 1
        after = _POSSESSIVE.match(text, end)
        if after and j + 1 < len(mentions) and mentions[j + 1].start == after.end():
            out[j + 1] = unit
    return out


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


def _unit(gaz: Gazetteer, m: Mention, kind: str) -> str | None:
    if kind == "oblast":
        return _oblast(gaz, m)
    from geo.gazetteer.ukraine import load_ua_gazetteer  # loaded on the first raion or hromada

    ua = load_ua_gazetteer()
    if kind == "raion":
        raions = ua.raions(m.text)
        return "raion:" + ";".join(f"{a}|{r}" for a, r in raions) if raions else None
    hromadas = ua.hromadas(m.text)
    return "hromada:" + ";".join(code for code, _ in hromadas) if hromadas else None


def _oblast(gaz: Gazetteer, m: Mention) -> str | None:
    """The admin-1 unit a mention names, a Ukrainian one first."""
    codes = {str(gaz.admin1[r]) for r in m.candidates if gaz.kind[r] == "admin1"}
    if len(codes) > 1:
        codes = {c for c in codes if c.startswith("UA.")} or codes
    return codes.pop() if len(codes) == 1 else None
