"""The unit a report writes around a place's name: its oblast, raion or hromada.

"Mykhailivka in the Pokrovsk raion", "Neskuchne and Staromaiorske (Donetsk oblast)",
"Donetsk oblast's Kramatorsk", "the Znob-Novhorodske hromada".  Resolution gives the
namesakes inside that unit a bonus (``geo.parse.resolve``); "Town, State" right after
each other is read there too (``enclosing_units``).

A unit is written as a string the resolver tests rows against: an admin-1 code
(``UA.05``; Donbas's ``UA.DB`` holds the places of both its oblasts, see
``geo.gazetteer.regions``), ``raion:`` and the raions' keys (``UA.05|Покровський``, see
``Gazetteer.raion_of``), or ``hromada:`` and the hromadas' KATOTTG prefixes, several
separated by ``;`` when the name fits more than one; or ``near:lat,lon``, the seat of
a raion of before the 2020 reform, which KATOTTG no longer lists.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import math
import re
from collections.abc import Callable

import numpy as np
import shapely

from geo.gazetteer.loader import Gazetteer
from geo.gazetteer.regions import member_units
from geo.parse._gates import fold
from geo.parse.bracket_units import RUSSIAN_DISTRICT, bracket_raions
from geo.parse.cues import (ANY_DIRECTION, BEARING, DIRECTION_AFTER, DIRECTION_AFTER_CYRILLIC, DIRECTION_BEFORE,
                            LIST_CONTINUATION)
from geo.records import Event, Mention, Place

_UNIT_WORDS = {
    "oblast": ("oblast", "oblasts", "region", "regions", "province", "provinces", "область", "області", "обл"),
    "raion": ("raion", "rayon", "district", "raions", "rayons", "districts", "район", "району", "районі",
              "районом", "райони", "районах"),
    "hromada": ("hromada", "community", "territorial community", "hromadas", "communities", "громада",
                "громади", "громаді", "громаду", "громадою", "громадах"),
}
_KIND_OF = {w: kind for kind, words in _UNIT_WORDS.items() for w in words}
_PLURAL = frozenset({"oblasts", "regions", "provinces", "raions", "rayons", "districts", "hromadas", "communities",
                     "райони", "районах", "громади", "громадах"})
"""Unit words after a list that make each name of it a unit ("Pokrovsk and Bakhmut raions")."""
_WORD_AFTER = re.compile(
    r"(?:\s+|-)(?P<word>" + "|".join(sorted(_KIND_OF, key=len, reverse=True)) + r")(?!\w)\.?", re.I)
_CONNECTORS = re.compile(
    r"[\s,()]*(?:(?:and|or|та|і|й|и|in|near|of|the|a|within|at|around|outside|vicinity|outskirts|area|"
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
    anchors = _mention_units(text, mentions, gaz)
    if "(" in text:  # ACLED's "Vovchansk (Chuhuiv, Kharkiv)": a raion by its town's name
        anchors += bracket_raions(text, mentions, gaz)
    anchors += _free_units(text, mentions, anchors)
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
        plural = text[max(start, end - 16):end].rstrip(". ").rsplit(None, 1)[-1].lower() in _PLURAL
        while i >= 0 and i not in unit_mentions and _CONNECTORS.fullmatch(text, mentions[i].end, upto):
            if plural:  # each name of the list is a unit of its own, none lies in the last
                mine = _unit(gaz, mentions[i].text, mentions[i].candidates, kind) if kind != "oblast" else None
                if mine is not None:
                    out[i] = mine
                    areas.add(i)
            else:
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
    """(start, end, kind, unit, mention index) of each mention followed by a unit word,
    oblasts first."""
    found = [(j, m, _unit_word(text, m) or (("oblast", m.end) if m.kind_hint == "admin1" else None))  # or "DPR"
             for j, m in enumerate(mentions)]
    found = [(j, m, kind, end) for j, m, (kind, end) in ((j, m, f) for j, m, f in found if f)]
    oblasts = [(m.start, end, kind, _unit(gaz, m.text, m.candidates, kind), j)
               for j, m, kind, end in found if kind == "oblast"]
    oblasts = [a for a in oblasts if a[3] is not None]
    others = [(m.start, end, kind, _unit(gaz, m.text, m.candidates, kind, _oblast_near(oblasts, m.start)), j)
              for j, m, kind, end in found if kind != "oblast"]
    return oblasts + [a for a in others if a[3] is not None]


_FREE_WORDS = r"(?:raion|rayon|district|hromada|community|region|район|району|районі|громада|громади|громаді)(?!\w)"
_FREE_WORD = re.compile(_FREE_WORDS)
_FREE_WORD_ANY_CASE = re.compile(_FREE_WORDS, re.I)
_NAME_BEFORE = re.compile(r"(?<![\w'’-])([A-ZА-ЯІЇЄҐ][\w'’-]+)\s+$")
_ADJECTIVE = re.compile(r"s['’]?k(?:y|iy|yi|yy|ii|ij|a|e|oye|oe)$", re.I)
"""How a raion's name ends when written as an adjective ("Amvrosievsky region")."""


def _free_units(text: str, mentions: list[Mention], anchors: list[tuple]) -> list[tuple]:
    """(start, end, kind, unit, None) of each raion or hromada written by a name that is no
    place's ("Pokrovskyi raion", "Znob-Novhorodska hromada", "Amvrosievsky region").

    The unit words are found first and the name read back from each (a pattern led by
    the name tried every capitalised word)."""
    out = []
    starts = {m.start for m in mentions}
    oblasts = [a for a in anchors if a[2] == "oblast"]
    low = text.lower()
    # the lower-cased text, searched case-sensitively, is 3 times quicker than re.I; where
    # lower-casing moves offsets (a dotted capital I), the text itself is searched
    src = low if len(low) == len(text) else text
    for word in (_FREE_WORD if src is low else _FREE_WORD_ANY_CASE).finditer(src):
        if word.start() and (src[word.start() - 1].isalnum() or src[word.start() - 1] == "_"):
            continue  # inside a word ("subdistrict"); a lookbehind tried every position
        before = _NAME_BEFORE.search(text, max(0, word.start() - 40), word.start())
        if before is None or before.start() in starts:
            continue
        name, kind = before.group(1), _KIND_OF[fold(word.group(0))]
        adjective = bool(_ADJECTIVE.search(name))
        if kind == "oblast" and not adjective:
            continue  # "Donetsk region" is an oblast, read from its mention
        admin1 = _oblast_near(oblasts, before.start())
        unit = _unit(None, name, (), "raion" if kind == "oblast" else kind, admin1,
                     seat=adjective or admin1 is not None)
        if unit is not None:
            out.append((before.start(), word.end(), kind, unit, None))
    return out


def _oblast_near(oblasts: list[tuple], start: int) -> str | None:
    """The oblast a text names after ``start`` (the first), else before it (the last)."""
    after = [a[3] for a in oblasts if a[0] >= start]
    before = [a[3] for a in oblasts if a[0] < start]
    return after[0] if after else before[-1] if before else None


def _unit_word(text: str, m: Mention) -> tuple[str, int] | None:
    """The kind of unit a mention names and where its words end, from the word after it or
    its own last word ("Sumy oblast" can be one name)."""
    if m.kind_hint in ("border", "capital", "district"):
        return None
    word = _WORD_AFTER.match(text, m.end)
    if word:
        return _KIND_OF[fold(word.group("word"))], word.end()
    last = m.text.rsplit(None, 1)[-1].lower() if " " in m.text else ""
    if last in _KIND_OF:
        return _KIND_OF[last], m.end
    return None


def _unit(gaz: Gazetteer | None, name: str, candidates: tuple[int, ...], kind: str,
          admin1: str | None = None, seat: bool = True) -> str | None:
    """A unit's string (see the module's docstring); a raion unknown today (one before the
    2020 reform, or a Russian spelling) is the area within ``NEAR_KM`` of its seat town,
    looked for in the oblast ``admin1`` when the text names one (only if ``seat``)."""
    if kind == "oblast":
        return _oblast(gaz, candidates) if gaz is not None else None
    from geo.gazetteer import ukraine  # the units' names load on the first raion or hromada

    if kind == "raion":
        raions = ukraine.raions(name)
        if raions:
            return "raion:" + ";".join(f"{a}|{r}" for a, r in raions)
        point = ukraine.raion_seat(name, admin1) if seat else None
        return f"near:{point[0]},{point[1]}" if point else None
    hromadas = ukraine.hromadas(name)
    return "hromada:" + ";".join(code for code, _ in hromadas) if hromadas else None


NEAR_KM = 35.0
"""How far from its seat a raion before the 2020 reform reached, about."""


def _oblast(gaz: Gazetteer, candidates: tuple[int, ...]) -> str | None:
    """The admin-1 unit a mention's candidates hold, a Ukrainian one first."""
    codes = {str(gaz.admin1[r]) for r in candidates if gaz.kind[r] == "admin1"}
    if len(codes) > 1:
        codes = {c for c in codes if c.startswith("UA.")} or codes
    return codes.pop() if len(codes) == 1 else None


_NEAR_AFTER = re.compile(
    r"(?:\s*\([^()\n]{0,60}\))?[\s,]*(?:(?:village|settlement|town|hamlet)\b[\s,]*)?"
    r"(?:near|not\s+far\s+from|close\s+to|next\s+to|outside|on\s+the\s+outskirts\s+of|in\s+the\s+vicinity\s+of|"
    r"під|под|біля|поблизу|возле|около|вблизи|неподалік\s+від|недалеко\s+от|"
    r"\d+(?:[.,]\d+)?\s*(?:km|kilometres|kilometers|metres|meters|m)\s+from)"
    r"\s+(?:the\s+)?(?:(?:occupied|government-controlled|non-government-controlled|rebel-held|frontline)\s+)?"
    r"(?:(?:town|city|village|settlement|regional\s+centre|regional\s+center)\s+(?:of\s+)?)?", re.I)
"""What stands between a place and the place it is said to be near: "Lozovoye settlement on
the outskirts of Donetsk", "Kyrylivka, not far from Vuhledar", "X (Donetsk region) near Y", "X, 800 metres from Y"."""


def near_scopes(text: str, mentions: list[Mention], gaz: Gazetteer, units: dict[int, str]) -> dict[int, str]:
    """Mention index to ``near:lat,lon`` for a name of several places the text puts near
    another town ("the village of Petrovskoye near the town of Volnovakha"): of its
    namesakes, those around that town win, if any lies within ``NEAR_KM`` of it.  A name
    the text puts in a raion or a hromada keeps it; the town is its most populous namesake
    (in Ukraine, if one is).  A line of advance reaches further: with no namesake that near, one
    within ``_DIRECTION_KM`` and clearly the nearest wins (Новоданилівку на Запорізькому напрямку)."""
    out: dict[int, str] = {}

    def put_near(i: int, town: tuple[float, float]) -> None:
        # a raion or hromada the text names stays, unless a namesake in it is near the town too
        rows = [r for r in mentions[i].candidates if in_local_unit(gaz, r, units.get(i, "")) is not False]
        if any(km_between(*town, float(gaz.lat[r]), float(gaz.lon[r])) <= NEAR_KM for r in rows):
            out[i] = f"near:{town[0]},{town[1]}"

    for i in range(len(mentions) - 1):
        m = mentions[i]
        if len(m.candidates) < 2 or m.kind_hint is not None:
            continue
        gap = _NEAR_AFTER.match(text, m.end)
        if gap is None:
            continue
        for j in (i + 1, i + 2):
            if j < len(mentions) and mentions[j].start == gap.end() and mentions[j].kind_hint is None:
                town = _town_point(gaz, mentions[j])
                if town is not None:
                    put_near(i, town)
                break
    bearings = _bearing_groups(text, mentions, gaz)
    for k, (i, town) in enumerate(bearings + _direction_groups(text, mentions, gaz)):
        # "near X and Y (both south of Z)", "liberated Andriivka in the Bakhmut direction"
        if i not in out and len(mentions[i].candidates) > 1 and mentions[i].kind_hint is None:
            put_near(i, town)
            if i not in out and k >= len(bearings):  # a line of advance reaches further than "near"
                far = sorted((km_between(*town, float(gaz.lat[r]), float(gaz.lon[r])), r) for r in mentions[i].candidates)
                if far[0][0] <= _DIRECTION_KM and far[1][0] >= 1.5 * far[0][0]:  # clearly the nearest
                    out[i] = f"near:{float(gaz.lat[far[0][1]])},{float(gaz.lon[far[0][1]])}"
    return out


_DIRECTION_KM = 100.0
"""How far from its town a line of advance's village may lie, when no namesake is "near"."""


_SENTENCE_BREAK = re.compile(r"[.!?;\n]\s")


def _direction_groups(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[tuple[int, tuple[float, float]]]:
    """(mention index, town point) for each other place of a sentence that names a line of
    advance by its town ("in the Bakhmut direction", "in the direction of Kupiansk"): the
    fighting there is around that town."""
    out: list[tuple[int, tuple[float, float]]] = []
    if not ANY_DIRECTION.search(text):
        return out
    for j, ref in enumerate(mentions):
        if ref.kind_hint is not None or text[ref.start - 1:ref.start] == "-" or not (
                DIRECTION_AFTER.match(text, ref.end) or DIRECTION_AFTER_CYRILLIC.match(text, ref.end)
                or DIRECTION_BEFORE.search(text, max(0, ref.start - 30), ref.start)):
            continue  # "the Yuzhno-Donetsk direction" is no town's
        town = _town_point(gaz, ref)
        if town is None:
            continue
        # the places of its sentence, each gap read once, up to a few dozen on either side
        for step in (-1, 1):
            i, at = j + step, (ref.start if step < 0 else ref.end)
            while 0 <= i < len(mentions) and abs(i - j) <= _DIRECTION_REACH and not _SENTENCE_BREAK.search(
                    text, *((mentions[i].end, at) if step < 0 else (at, mentions[i].start))):
                out.append((i, town))
                at = mentions[i].start if step < 0 else mentions[i].end
                i += step
    return out


_DIRECTION_REACH = 60
"""How many places on either side of a line of advance its town may pick namesakes for."""


def _town_point(gaz: Gazetteer, m: Mention) -> tuple[float, float] | None:
    """Where a town a text refers to is: its most populous namesake (in Ukraine, if one is:
    only texts about Ukraine are read so)."""
    towns = [r for r in m.candidates if gaz.kind[r] == "city"]
    towns = [r for r in towns if gaz.cc[r] == "UA"] or towns
    if not towns:
        return None
    town = max(towns, key=lambda r: int(gaz.population[r]))
    return float(gaz.lat[town]), float(gaz.lon[town])


_BEARING_BEFORE = re.compile(
    r"\([ \t]*(?:(?P<group>all|both|each)[ \t]+)?(?:just[ \t]+|some[ \t]+)?"
    rf"{BEARING}(?:ern)?[ \t]+of[ \t]+(?:the[ \t]+)?$", re.I)


def _bearing_groups(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[tuple[int, tuple[float, float]]]:
    """(mention index, town point) for each place a bracket puts on a bearing from a town:
    the place just before "(south of Y)", and every place of the list before "(all west of
    Y)" or "(both ...)", as campaign assessments write them."""
    out = []
    for j, ref in enumerate(mentions):
        if j == 0 or ref.kind_hint is not None or text[max(0, ref.start - 3):ref.start].strip(" \t") not in ("of", "f", "the", "he"):
            continue  # every bracket ends "of" or "of the" right before the town: most places are not
        lead = _BEARING_BEFORE.search(text, max(0, ref.start - 40), ref.start)
        town = _town_point(gaz, ref) if lead is not None else None
        if town is None:
            continue
        i, upto = j - 1, lead.start()
        while i >= 0 and _joined(text, mentions[i].end, upto, first=i == j - 1):
            out.append((i, town))
            if lead.group("group") is None:
                break
            i, upto = i - 1, mentions[i].start
    for i, m in enumerate(mentions[:-1]):  # "liberated Andriivka south of Bakhmut", "Pischane, northwest of Kupiansk"
        after = _BEARING_AFTER.match(text, m.end)
        if after is not None and mentions[i + 1].start == after.end() and mentions[i + 1].kind_hint is None:
            town = _town_point(gaz, mentions[i + 1])
            if town is not None:
                out.append((i, town))
    for j, ref in enumerate(mentions[:-1]):  # "east of Kupyansk near Pishchane and Stepova Novoselivka"
        then = _THEN_NEAR.match(text, ref.end)
        if then is None or ref.kind_hint is not None or not _BEARING_OF.search(text, max(0, ref.start - 30), ref.start):
            continue
        town = _town_point(gaz, ref)
        i, at = j + 1, then.end()
        while town is not None and i < len(mentions) and (
                mentions[i].start == at if i == j + 1 else _joined(text, at, mentions[i].start)):
            out.append((i, town))
            i, at = i + 1, mentions[i].end
    return out


def _joined(text: str, end: int, start: int, first: bool = False) -> bool:
    """Whether two names of one list meet between ``end`` and ``start`` (", ", " and ", ", or
    "), or, ``first``, only spaces stand there (the name just before a bracket)."""
    gap = text[end:start]
    return not gap.strip(" \t") if first else LIST_CONTINUATION.match(gap) is not None


_BEARING_AFTER = re.compile(rf"(?:[ \t]*,)?[ \t]+(?:just[ \t]+|some[ \t]+)?{BEARING}[ \t]+of[ \t]+(?:the[ \t]+)?", re.I)
_BEARING_OF = re.compile(rf"(?<![\w-]){BEARING}(?:ern)?[ \t]+of[ \t]+(?:the[ \t]+)?$", re.I)
_THEN_NEAR = re.compile(r"[ \t]+(?:near|around|in[ \t]+the[ \t]+(?:direction|vicinity)[ \t]+of)[ \t]+", re.I)


def in_local_unit(gaz: Gazetteer, row: int, unit: str, km: float = NEAR_KM) -> bool | None:
    """Whether a row lies in a unit string this module writes: Ukrainian raions or hromadas
    (``raion:UA.05|Покровський``) or within ``km`` of a point (``near:lat,lon``); ``None``
    for any other unit (an admin-1 or country code, which the caller reads)."""
    if unit.startswith("raion:"):
        return gaz.raion_of(row) in unit[6:].split(";")
    if unit.startswith("hromada:"):
        return gaz.hromada_of(row) in unit[8:].split(";")
    if unit.startswith("near:"):
        lat, lon = map(float, unit[5:].split(","))
        return km_between(lat, lon, float(gaz.lat[row]), float(gaz.lon[row])) <= km
    return None


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine on a 6,371 km sphere)."""
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def distances_km(lat1: list[float], lon1: list[float], lat2: list[float], lon2: list[float]
                 ) -> np.ndarray:
    """Haversine distances between points 1 and points 2, element-wise."""
    p = np.pi / 180
    x = np.array([lat1, lon1, lat2, lon2])
    # the latitude and the longitude terms side by side, and both cosines in one call:
    # the same operations on each element as one array at a time, in half the calls
    sin2 = np.sin((x[2:] - x[:2]) * p / 2) ** 2
    cos = np.cos(x[::2] * p)
    a = sin2[0] + cos[0] * cos[1] * sin2[1]
    return 12742 * np.arcsin(np.sqrt(a))


_BORDER_BEFORE = re.compile(r"\bborder\s+(?:villages?|towns?|settlements?|checkpoint|crossing)\s+(?:of\s+)?$", re.I)
_BORDER_AFTER = re.compile(r"\s+border\s+(?:checkpoint|crossing|post)\b", re.I)
_NEIGHBOURS = ("RU", "BY", "MD", "RO", "HU", "SK", "PL")


def border_scopes(text: str, mentions: list[Mention], gaz: Gazetteer, units: dict[int, str]) -> dict[int, str]:
    """Mention index to ``near:lat,lon`` for a name of several places the text calls a
    border village or crossing ("the border village of Marinovka", "Marynivka border
    checkpoint"): its namesake nearest Ukraine's land border (in the oblast the text puts
    it in, if it does) and those around it win."""
    out: dict[int, str] = {}
    for i, m in enumerate(mentions):
        if len(m.candidates) < 2 or m.kind_hint is not None or ":" in units.get(i, ""):
            continue
        if not (text.find("border", max(0, m.start - 40), m.start) >= 0
                and _BORDER_BEFORE.search(text, max(0, m.start - 40), m.start)) \
                and not (text.startswith(" border", m.end) and _BORDER_AFTER.match(text, m.end)):
            continue
        rows = [r for r in m.candidates if gaz.kind[r] == "city" and gaz.cc[r] == "UA"]
        within = units.get(i)
        rows = [r for r in rows if gaz.admin1[r] in member_units(within)] or rows
        line = _land_border(gaz)
        if rows and line is not None:
            best = min(rows, key=lambda r: line.distance(_point(float(gaz.lon[r]), float(gaz.lat[r]))))
            out[i] = f"near:{float(gaz.lat[best])},{float(gaz.lon[best])}"
    return out


def _point(lon: float, lat: float):
    import shapely

    return shapely.Point(lon, lat)


@functools.lru_cache(maxsize=4)
def _land_border(gaz: Gazetteer):
    """Ukraine's land borders, as one shape (degrees: enough to rank villages by)."""
    import shapely

    lines = [b for b in (gaz.border("UA", cc) for cc in _NEIGHBOURS) if b is not None]
    return shapely.union_all(lines) if lines else None


def may_lie_near(gaz: Gazetteer, row: int, unit: str) -> bool:
    """Whether a row may be the place a text puts near a point (``near:lat,lon``: a raion of
    before 2020 known by its seat, "X near Y"): within twice ``NEAR_KM``, or a town too big
    (50,000 people or more) to be misplaced so."""
    lat, lon = map(float, unit[5:].split(","))
    return gaz.population[row] >= 50_000 or gaz.kind[row] != "city" or km_between(
        lat, lon, float(gaz.lat[row]), float(gaz.lon[row])) <= 2 * NEAR_KM


def border_place(gaz: Gazetteer, m: Mention, main_cc: str) -> Place | None:
    """The border a mention names ("the Ukraine-Belarus border"), as a line between two countries."""
    a, b = m.extra
    a = a or (main_cc if main_cc != b else "")
    line = gaz.border(a, b) if a else None
    if line is None:
        return None
    geometry = gaz.border_geojson(a, b)
    ra, rb = gaz.country_row(a), gaz.country_row(b)
    mid = shapely.line_interpolate_point(shapely.line_merge(line), 0.5, normalized=True) \
        if line.geom_type == "LineString" else shapely.point_on_surface(line)
    return Place(
        name=f"{gaz.name[ra]}–{gaz.name[rb]} border", mention=m.text, start=m.start, end=m.end,
        kind="border", country_code=a, gazetteer_id=f"{gaz.gid[ra]}|{gaz.gid[rb]}",
        lat=round(mid.y, 5), lon=round(mid.x, 5), geometry=geometry, confidence=0.9,
    )


# ---- a unit written only to say where a place is -----------------------------------
_QUALIFIER_GAP = re.compile(
    r"(?:[ \t-]+(?:city|town|village|" + "|".join(sorted(_KIND_OF, key=len, reverse=True)) + r")\.?)?"
    rf"[ \t]*(?:,[ \t]*|\([ \t]*(?:{RUSSIAN_DISTRICT}[ \t]*,[ \t]*)?|in[ \t]+(?:the[ \t]+)?)"
    r"|[ \t]+(?:raion|rayon|district|hromada|community)[ \t]+of[ \t]+(?:the[ \t]+)?", re.I)
"""What stands between a place (maybe with its own unit word) and the unit after it: ", ", " (",
" (Shebekinskiy, ", " in the ", " hromada, ", " district of " ("the Bakhmut district of Donetsk")."""
_GENITIVE_UNIT = re.compile(r"\w+(?:ого|ої|ой)$")
"""A Ukrainian or Russian unit written after its place, in the genitive ("Мирове Нікопольського
району", "Великій Новосілці Волноваського району"): a space is all between them."""
_UNIT_RANK = {"hromada": 1, "raion": 2}
_CITY_S = re.compile(r"['’]s[ \t]+")
_CITY_KM = 20.0  # a city's own districts lie this near its centre
_OLD_RAION_KM = 25.0
"""A raion of before the 2020 reform (which KATOTTG no longer lists) holds the places this
near its seat: those raions were some 30 to 60 km across."""


def unit_qualifiers(text: str, places: list[Place], gaz: Gazetteer) -> dict[int, Place]:
    """Each raion, hromada or oblast written right after a smaller place it holds, by its
    start, to that place: "Vodiane, Pokrovsk raion", "Vodiane (Yasynuvata district)", "Bilozerka
    hromada, Kherson raion", "Vuhledar (Donetsk region)"; and a city before its own district ("Kharkiv's Saltivka
    district"), to the district.  Such a unit or city only says where the place is; a list
    of units ("Pokrovsk raion and Kramatorsk raion") or a town outside the unit keeps it."""
    out = {}
    ordered = sorted(places, key=lambda p: p.start)
    for q, p in zip(ordered, ordered[1:]):
        if _CITY_S.fullmatch(text, q.end, p.start) and p.precision == "raion" and q.kind == "city" \
                and q.precision in (None, "place") and km_between(q.lat, q.lon, p.lat, p.lon) <= _CITY_KM:
            out[q.start] = p  # "Kharkiv's Saltivka district": the city only says where the district is
            continue
        if q.kind in ("country", "admin1", "border") or not (_QUALIFIER_GAP.fullmatch(text, q.end, p.start) or (
                _GENITIVE_UNIT.match(p.mention) and _only_unit_words(text[q.end:p.start]))):
            continue
        rank = _UNIT_RANK.get(p.precision or "")
        if rank is not None and _UNIT_RANK.get(q.precision or "", 0) < rank and _holds(gaz, p, q, rank):
            out[p.start] = out.get(q.start, q)
        elif p.kind == "city" and _LAST_OF_PHRASE.match(text, p.end) and _names_oblast_of(gaz, p, q):
            out[p.start] = out.get(q.start, q)  # "Neskuchne (Volnovakha raion, Donetsk)": the oblast
        elif p.kind == "admin1" and _same_admin1(gaz, p, q):
            out[p.start] = out.get(q.start, q)  # "Vuhledar (Donetsk region)", "X in Sumy oblast"
    return out


_LAST_OF_PHRASE = re.compile(r"[ \t]*(?:[.;:)\n]|$|,[ \t]+[a-z\d])")
"""What follows an oblast written by its city's name at the end of a place ("X, Donetsk.",
"X, Donetsk, damaging ...", "(X raion, Donetsk)"), never another name of a list."""


def _heading(text: str, p: Place) -> bool:
    """Whether a place heads its line as a caption's label ("Kharkiv: Residential houses
    destroyed in the village of Bayrak in Kharkiv."): it says where, as a qualifier does."""
    if not text.startswith(":", p.end):
        return False
    lo = max(0, p.start - 80)  # a label stands at its line's start: only that far back is read
    line = text.rfind("\n", lo, p.start)
    return not (text[line + 1:p.start] if line >= 0 or lo == 0 else "x").strip()


def _only_unit_words(gap: str) -> bool:
    """Whether ``gap`` is spaces and unit words only ("Марганецьку громаду Нікопольського району")."""
    return bool(gap) and gap[:1].isspace() and all(w.lower() in _KIND_OF for w in gap.split())


def _names_oblast_of(gaz: Gazetteer, city: Place, inner: Place) -> bool:
    """Whether ``city``'s name is also the name of the oblast ``inner`` lies in."""
    i = gaz.row_for_gid(inner.gazetteer_id or "")
    if i is None or gaz.cc[i] != "UA":
        return False
    return any(gaz.kind[r] == "admin1" and gaz.admin1[r] == gaz.admin1[i] for r in gaz.lookup(city.mention))


def _same_admin1(gaz: Gazetteer, unit: Place, inner: Place) -> bool:
    """Whether ``inner`` lies in the admin-1 unit ``unit`` (by the gazetteer's admin-1 code)."""
    u, i = gaz.row_for_gid(unit.gazetteer_id or ""), gaz.row_for_gid(inner.gazetteer_id or "")
    return u is not None and i is not None and bool(gaz.admin1[u]) and gaz.admin1[i] in member_units(gaz.admin1[u])


def _holds(gaz: Gazetteer, unit: Place, inner: Place, rank: int) -> bool:
    u, i = gaz.row_for_gid(unit.gazetteer_id or ""), gaz.row_for_gid(inner.gazetteer_id or "")
    if u is None or i is None:
        return False
    same = gaz.hromada_of if rank == 1 else gaz.raion_of
    if same(u):
        if same(u) == same(i):
            return True
        if rank == 1:
            return False
    # a raion of before 2020 around a seat it may share no current raion with
    return rank == 2 and km_between(unit.lat, unit.lon, inner.lat, inner.lon) <= _OLD_RAION_KM


def without_qualifying_units(text: str, events: tuple[Event, ...], qualifiers: dict[int, Place],
                             places: list[Place], ident: Callable[..., str]) -> tuple[Event, ...]:
    """``events``, those put at a unit that only qualifies a place of their sentence moved to
    that place, or dropped where the sentence has an event of that type there already:
    "shelled Vodiane, Pokrovsk raion" is one strike, at Vodiane; in "captured Avdiivka (Pokrovsk
    raion, Donetsk) after months of fighting" the fighting is at Avdiivka, not at Donetsk.
    ``ident(source, start, end, event_type, place)`` gives a moved event its id."""
    if not qualifiers:
        return events
    # a raion shares its name and point with its seat, as an oblast written by its city's name
    # does with the city ("Kherson (Kherson raion, Kherson)"): an event there is the town's own
    def key(p) -> tuple:
        return p.name, p.lat, p.lon, p.precision

    units = {key(p): qualifiers[p.start] for p in places if p.start in qualifiers}
    named: dict[tuple, list[int]] = {}  # where each place is named in its own right
    for p in places:
        if p.start not in qualifiers and not _heading(text, p):
            named.setdefault(key(p), []).append(p.start)

    def inner_of(ev: Event) -> Place | None:
        k = (ev.place, ev.lat, ev.lon, ev.precision)
        inner = units.get(k)
        if inner is None or not ev.start <= inner.start < ev.end:
            return None
        # a place its sentence names in its own right keeps its events, though a qualifier
        # resolves to it too ("Sumy city (Sumy raion, Sumy)": the last "Sumy" is the oblast)
        return None if any(ev.start <= at < ev.end for at in named.get(k, ())) else inner

    inners = [inner_of(ev) for ev in events]
    made = {(ev.start, ev.end, ev.event_type, ev.place) for ev, inner in zip(events, inners) if inner is None}
    out = []
    for ev, inner in zip(events, inners):
        if inner is not None:
            if (ev.start, ev.end, ev.event_type, inner.name) in made:
                continue
            made.add((ev.start, ev.end, ev.event_type, inner.name))
            ev = dataclasses.replace(
                ev, id=ident(ev.source, ev.start, ev.end, ev.event_type, inner.name), place=inner.name,
                geometry=inner.geometry, place_kind=inner.kind, lat=inner.lat, lon=inner.lon,
                precision=inner.precision)
        out.append(ev)
    return tuple(out)
