"""Places written as an offset from another: "15 km north-west of Bakhmut".

The point is the named place moved that far along that bearing on the WGS84
ellipsoid (``pyproj.Geod.fwd``), with a lower confidence than the named place
itself, and the mention covers the whole phrase.  An unknown name followed by
a bearing in brackets, "near Zzyxivka (south of Kharkiv)", is put at
``DEFAULT_KM`` along that bearing, lower still, and stays listed as unresolved.

Each place is looked at once, with one short look back from its start: the
work grows with the places found, not with the text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

from geo.parse._gates import fold
from geo.parse.cues import BEARING
from geo.records import Place, Unresolved

_BEARING = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0,
            "south": 180.0, "southwest": 225.0, "west": 270.0, "northwest": 315.0}
_DIRECTION = rf"(?P<dir>{BEARING})(?:ern)?"
_OFFSET = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,4}(?:[.,]\d{1,2})?)[ \t]*-?[ \t]*(?P<unit>km|kilomet(?:re|er)s?|mi(?:les?)?)"
    r"[ \t]+(?:to[ \t]+the[ \t]+)?" + _DIRECTION + r"[ \t]+of[ \t]+(?:the[ \t]+)?$", re.I)
_BRACKET = re.compile(r"\([ \t]*(?:just[ \t]+|some[ \t]+)?" + _DIRECTION + r"[ \t]+of[ \t]+(?:the[ \t]+)?$", re.I)
_LOOK_BACK = 60
_OF_BEFORE = ("of ", "of the ", "OF ", "OF THE ")  # every offset ends so: most places need no look back
KM_PER_MILE = 1.609344
DEFAULT_KM = 10.0
"""How far "X (south of Y)" puts an unknown X from Y: the text gives no distance."""
OFFSET_CONFIDENCE = 0.8
"""An offset point's confidence, as a share of the named place's."""
GUESSED_CONFIDENCE = 0.4
"""The share for "X (south of Y)", whose distance is a guess."""


@functools.lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod  # loads only when a text writes an offset

    return Geod(ellps="WGS84")


def bearing_of(direction: str) -> float:
    """Degrees clockwise from north for "north-west", "South East", "westERN"..."""
    key = re.sub(r"[^a-z]", "", fold(direction)).removesuffix("ern")  # "weſt" as re.I reads it
    return _BEARING[key]


def moved(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` kilometres from (lat, lon) along ``bearing``, rounded to 5 decimals."""
    lon2, lat2, _ = _geod().fwd(lon, lat, bearing, km * 1000.0)
    return round(float(lat2), 5), round(float(lon2), 5)


def _distance_km(number: str, unit: str) -> float:
    km = float(number.replace(",", "."))
    return km * KM_PER_MILE if unit.lower().startswith("mi") else km


def _at(anchor: Place, lat: float, lon: float, **fields) -> Place:
    return dataclasses.replace(anchor, gazetteer_id=None, lat=lat, lon=lon, precision="offset",
                               geometry={"type": "Point", "coordinates": [lon, lat]}, **fields)


def _apposition(text: str, at: int) -> int:
    """Where the name ends that "<name>, " before ``at`` would end (-1 if no comma)."""
    i = at
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0 or text[i - 1] != ",":
        return -1
    i -= 1
    return i


def apply_offsets(text: str, places: Sequence[Place], unresolved: Sequence[Unresolved] = ()
                  ) -> list[Place]:
    """``places`` with each place an offset phrase leads to replaced by the offset point.

    "10 kilometres south of Kharkiv" gives a place named "10 km south of Kharkiv"
    spanning the phrase; "Zzyxivka (south of Kharkiv)", where Zzyxivka is in
    ``unresolved``, gives a place named Zzyxivka spanning "Zzyxivka (south of
    Kharkiv)" in place of Kharkiv's own.  "Zzyxivka, 10 km south of Kharkiv" puts
    Zzyxivka there; "Derhachi, 10 km ..." (a place the gazetteer knows) keeps
    Derhachi and Kharkiv as they are.  Countries, borders and seas are never anchors.
    """
    ends = {u.end: u for u in unresolved}
    place_ends = {p.end for p in places}
    out = []
    for p in places:
        if p.start < 3 or p.kind in ("country", "border", "water") \
                or not text.endswith(_OF_BEFORE, max(0, p.start - 8), p.start):
            out.append(p)
            continue
        window = max(0, p.start - _LOOK_BACK)
        off = _OFFSET.search(text, window, p.start)
        if off is not None:
            km = _distance_km(off["n"], off["unit"])
            direction = fold(off["dir"]).replace(" ", "-")
            lat, lon = moved(p.lat, p.lon, bearing_of(direction), km)
            before = _apposition(text, off.start())  # "Derhachi, 10 km north-west of Kharkiv"
            if before in place_ends:
                out.append(p)  # says where a named place is: the place itself is the point
            elif before in ends:
                u = ends[before]
                out.append(_at(p, lat, lon, name=u.text, mention=text[u.start:p.end], start=u.start,
                               confidence=round(p.confidence * OFFSET_CONFIDENCE, 3)))
            else:
                out.append(_at(p, lat, lon, name=f"{km:g} km {direction} of {p.name}",
                               mention=text[off.start():p.end], start=off.start(),
                               confidence=round(p.confidence * OFFSET_CONFIDENCE, 3)))
            continue
        bracket = _BRACKET.search(text, window, p.start) if ends else None
        u = None
        if bracket is not None:
            before = bracket.start()
            while before > 0 and text[before - 1] in " \t":
                before -= 1
            u = ends.get(before)
        if u is None:
            out.append(p)
            continue
        # the named place is only the reference point of the unknown one: it is not kept
        end = p.end + 1 if text[p.end:p.end + 1] == ")" else p.end
        lat, lon = moved(p.lat, p.lon, bearing_of(bracket["dir"]), DEFAULT_KM)
        out.append(_at(p, lat, lon, name=u.text, mention=text[u.start:end], start=u.start, end=end,
                       confidence=round(p.confidence * GUESSED_CONFIDENCE, 3)))
    return sorted(out, key=lambda q: q.start)
