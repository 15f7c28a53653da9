"""A city's own districts: "the Kyivskyi district of Kharkiv", "Kherson's Dniprovskyi district".

Ukraine's big cities are divided into districts (``data/ua_city_districts.csv``, derived
from the KATOTTG codifier by ``scripts/derive_city_districts.py``), and their names are
adjectives that villages, raions and other cities' districts share: Kharkiv's Kyivskyi
district is no village called Kyivskyi in Poltava oblast, and Kherson's Dniprovskyi
district is not Kyiv's.  A place written as a district of a city that has a district so
named is dropped, so what happened there is placed at the city:

- "<X> district of <city>", "<X> district in <city>", "<X> district, <city>";
- "<city>'s <X> district";
- "<city> ... in the <X> district", the city the place just before it, in its sentence or the
  one before;
- "<X>ому району <city>" and the like in Ukrainian and Russian ("Київському району
  Харкова", "в Шевченковском районе Запорожья").

Nothing else is changed: a name that is no district of the city it is written with
("the Bakhmut district of Donetsk": a raion of the oblast) stays what it was.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from pathlib import Path

from geo import settings
from geo.records import Place

TABLE = Path(settings.ROOT) / "data" / "ua_city_districts.csv"
_WORDS = ("istrict", "aion", "ayon", "айон", "р-н")
"""What every district phrase holds: most texts hold none and are not read further."""
_DISTRICT = r"(?:city\s+)?(?:district|raion|rayon)"
_TO_CITY = r"(?:of\s+(?:the\s+)?(?:city\s+of\s+)?|in\s+(?:the\s+city\s+of\s+)?|,\s*)"
"""What joins a district to its city: " of the city of ", " in ", ", "."""
_CITY_WORD = r"(?:(?:м\.|міста|города|г\.)\s*)?"
_GAP_AFTER = re.compile(rf"\s+{_DISTRICT}\s*{_TO_CITY}|\s+(?:район\w*|р-н)\s+{_CITY_WORD}", re.I)
_GAP_AFTER_WORD = re.compile(rf"\s*{_TO_CITY}|\s+{_CITY_WORD}", re.I)
"""The gap after a mention that holds its district word ("Kyivskyi district" of Kharkiv)."""
_WORD_AT_END = re.compile(rf"\s(?:{_DISTRICT}|район\w*)$", re.I)
_POSSESSIVE = re.compile(r"['’]s?\s+(?:the\s+)?", re.I)
_DISTRICT_AFTER = re.compile(rf"\s+{_DISTRICT}\b", re.I)
_ENDING = re.compile(r"(?:yi|iy|yy|ij|yj|ii|y|i|ogo|omu|ому|ого|ий|ій|ім|ої|им|ом|ая|ой|ый|е)$")
_MAX_GAP = 40
_REST_OF_WORD = re.compile(r"['’ʼ]\w+")
"""A name matched short of its word's end: "Korabel" of "Korabel'nyi"."""


def _stem(word: str) -> str:
    """A district's adjective without its ending or apostrophes, lower-cased:
    "Kyivskyi", "Київському" and "Київський" give "kyivsk" and "київськ"."""
    letters = re.sub(r"[^\w]", "", word.casefold())
    return _ENDING.sub("", letters)


@functools.lru_cache(maxsize=2)
def _districts(path: Path = TABLE) -> dict[str, frozenset[str]]:
    """Each city's district stems, by the city's English name."""
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["city"], set()).update((_stem(row["district"]), _stem(row["district_uk"])))
    return {city: frozenset(stems) for city, stems in out.items()}


def _district_of(word: str, city: Place) -> bool:
    if city.kind != "city" or city.country_code != "UA":
        return False
    stems = _districts().get(city.name)
    return bool(stems) and _stem(word) in stems


def without_city_districts(text: str, places: Sequence[Place]) -> list[Place]:
    """``places`` without those written as a district of the city beside them."""
    if len(places) < 2 or not any(w in text for w in _WORDS):
        return list(places)
    drop: set[int] = set()
    for i, p in enumerate(places):
        worded = bool(_WORD_AT_END.search(p.mention))  # the mention holds "district" itself
        rest = _REST_OF_WORD.match(text, p.end)
        end = rest.end() if rest else p.end
        word = p.mention.split()[0] + (rest.group() if rest else "")
        if i + 1 < len(places):
            city = places[i + 1]
            gap = _GAP_AFTER_WORD if worded else _GAP_AFTER
            if 0 < city.start - end <= _MAX_GAP and gap.fullmatch(text, end, city.start) \
                    and _district_of(word, city):
                drop.add(i)
                continue
        if i > 0:
            city = places[i - 1]
            if 0 < p.start - city.end <= _MAX_GAP and _POSSESSIVE.fullmatch(text, city.end, p.start) \
                    and (worded or _DISTRICT_AFTER.match(text, end)) and _district_of(word, city):
                drop.add(i)
            elif (worded or _DISTRICT_AFTER.match(text, end)) and _city_before(text, places, i, word):
                drop.add(i)  # "shelled Kherson city, injuring four in the Dniprovskyi district"
    return [p for i, p in enumerate(places) if i not in drop]


_CITY_REACH = 200
"""How far before a district's name the city it belongs to may be written: the sentence
before, at most."""


def _city_before(text: str, places: Sequence[Place], i: int, word: str) -> bool:
    """Whether the place written just before, a city within ``_CITY_REACH`` characters with no
    paragraph between, has a district called ``word``."""
    city = places[i - 1]
    return 0 < places[i].start - city.end <= _CITY_REACH and text.find("\n\n", city.end, places[i].start) < 0 \
        and _district_of(word, city)
