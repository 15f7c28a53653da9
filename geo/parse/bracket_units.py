"""ACLED's location after a place: "Vovchansk (Chuhuiv, Kharkiv)" is Vovchansk, in the
Chuhuiv raion of Kharkiv oblast.

ACLED's notes write the raion and the oblast in brackets after the place, each by its
town's name and without a unit word.  A bracket of two names, the first naming a raion of
the oblast the second names, is read so: the first is that raion (a unit, placed at its
seat, that only says where the place is), and the place before the bracket is looked for
in it.  A bracket whose first name is no raion of that oblast ("Bakhmut (Kramatorsk,
Donetsk)" is read so, "Kyiv (Lviv, Kharkiv)" is not) is left as it was.

ACLED writes places in Russia the same way, the district by its Russian adjective:
"Shebekino (Shebekinskiy, Belgorod)", "Sudzha (Sudzhanskiy, Kursk)".  The second name there
is the region, not its capital city (:func:`russian_regions`).
"""

from __future__ import annotations

import re

from geo.gazetteer.loader import Gazetteer
from geo.records import Mention

_OPEN = re.compile(r"[ \t]*\([ \t]*")
_COMMA = re.compile(r"[ \t]*,[ \t]*")
_CLOSE = re.compile(r"[ \t]*\)")


def bracket_raions(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[tuple]:
    """(start, end, "raion", unit, mention index) of each raion written as the first name of
    "<place> (<raion>, <oblast>)", in the form ``geo.parse.units.unit_scopes`` reads."""
    out = []
    for j in range(1, len(mentions) - 1):
        place, raion, oblast = mentions[j - 1], mentions[j], mentions[j + 1]
        if not (_OPEN.fullmatch(text, place.end, raion.start) and _COMMA.fullmatch(text, raion.end, oblast.start)
                and _CLOSE.match(text, oblast.end)):
            continue
        codes = {str(gaz.admin1[r]) for r in gaz.lookup(oblast.text) if gaz.kind[r] == "admin1"}
        if not codes:
            continue
        from geo.gazetteer import ukraine  # the units' names load on the first such bracket

        units = [f"{a}|{r}" for a, r in ukraine.raions(raion.text) if a in codes] or _seat_raion(gaz, raion, codes)
        if units:
            out.append((raion.start, raion.end, "raion", "raion:" + ";".join(units), j))
    return out


SEAT_SIZE = 5_000
"""People a raion's seat town has at least: a village of a raion's name is no seat."""


def _seat_raion(gaz: Gazetteer, raion: Mention, codes: set[str]) -> list[str]:
    """The raion of the town the name is, in the oblast: a raion renamed since ACLED wrote it
    ("Sievierodonetsk", now Siverskodonetsk and its raion Сіверськодонецький)."""
    towns = [r for r in raion.candidates if gaz.kind[r] == "city" and str(gaz.admin1[r]) in codes
             and gaz.population[r] >= SEAT_SIZE and gaz.raion_of(r)]
    return [gaz.raion_of(max(towns, key=lambda r: gaz.population[r]))] if towns else []


RUSSIAN_DISTRICT = r"[A-Z][a-z'-]+(?:skiy|skii|sky|skoy|skij|ckiy|ckii)"
"""ACLED's Russian district, by its adjective: "Shebekinskiy" of "Shebekino (Shebekinskiy, Belgorod)"."""
_RUSSIAN_DISTRICT = re.compile(rf"\([ \t]*{RUSSIAN_DISTRICT}[ \t]*,[ \t]*$")
_DISTRICT_WORD = re.compile(RUSSIAN_DISTRICT)


def russian_district_in_brackets(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is that district, first in its bracket: a unit, not a place to pin."""
    return _DISTRICT_WORD.fullmatch(text, start, end) is not None and text[max(0, start - 2):start].strip(" ") == "(" \
        and text[end:end + 1] == ","


def russian_regions(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """``mentions`` with the region of "<place> (<district>skiy, <region>)" read as the region
    (an admin-1 unit, which only says where the place is) when it names a Russian or
    Belarusian town: "Belgorod" there is Belgorod oblast, not the city."""
    out = list(mentions)
    for j, m in enumerate(mentions):
        if m.kind_hint is None and m.candidates and _CLOSE.match(text, m.end) \
                and _RUSSIAN_DISTRICT.search(text, max(0, m.start - 40), m.start) \
                and str(gaz.cc[m.candidates[0]]) in ("RU", "BY"):
            out[j] = Mention(m.text, m.start, m.end, m.candidates, "admin1", m.extra, m.lemma)
    return out
