"""Coordinates written in a text: "47.9436, 37.5011", "48.5921N 37.9996E", 48°35'31"N 37°59'58"E.

OSINT captions often end with the point their footage was geolocated to.  That
point is better than any name, so each coordinate pair is a place of its own:
kind ``point``, precision ``place``, named by its latitude and longitude.

Forms read (latitude first unless the letters say otherwise):

- decimal degrees, both with at least four decimals (fewer is too often a count): "47.9436, 37.5011",
  "47.9436 37.5011", "(47.9436, 37.5011)";
- decimal degrees with hemisphere letters or degree signs, any decimals:
  "48.59N 37.99E", "48.5921° N, 37.9996° E", "N48.59 E37.99";
- degrees, minutes and optional seconds: 48°35'31.6"N 37°59'58.6"E.

Digits are ASCII ones.  A pair out of range (latitude past 90, longitude past 180) is
not a point.
A pair written on a line of its own, or after a label ("Geolocated:",
"Coordinates:", "Location:"), says where the events of the sentence just
before it happened, when their place lies within ``NEAR_KM`` of the point or is
only known to its country: ``placed_at_points`` moves them there.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Sequence

import re2

from geo.parse.units import km_between
from geo.records import Event, Place

_DECIMAL = re.compile(
    r"(?<![\w.,°'\"-])(?P<s1>-)?(?P<a>\d{1,2}\.\d{4,15})\s*,?\s+(?P<s2>-)?(?P<b>\d{1,3}\.\d{4,15})(?![\w°'\"]|[.,]\d)"
    r"|(?<![\w.,-])(?P<s1x>-)?(?P<ax>\d{1,2}\.\d{4,15}),(?P<s2x>-)?(?P<bx>\d{1,3}\.\d{4,15})(?![\w°'\"]|[.,]\d)", re.ASCII)
_LETTERED = re.compile(
    r"(?<![\w.,-])(?P<h1a>[NSEW]\s?)?(?P<a>\d{1,3}(?:\.\d+)?)\s?°?\s?(?P<h1b>[NSEW])?(?![\w.])\s*[,;/]?\s*"
    r"(?P<h2a>[NSEW]\s?)?(?P<b>\d{1,3}(?:\.\d+)?)\s?°?\s?(?P<h2b>[NSEW])?(?![\w.])", re.ASCII)
_DMS = re.compile(
    r"(?<![\w.])(?P<d1>\d{1,2})\s?°\s?(?P<m1>\d{1,2})\s?['′’]\s?(?:(?P<sec1>\d{1,2}(?:\.\d+)?)\s?(?:[\"″”]|'')\s?)?"
    r"(?P<h1>[NS])\s*[,;/]?\s*"
    r"(?P<d2>\d{1,3})\s?°\s?(?P<m2>\d{1,2})\s?['′’]\s?(?:(?P<sec2>\d{1,2}(?:\.\d+)?)\s?(?:[\"″”]|'')\s?)?"
    r"(?P<h2>[EW])(?!\w)", re.ASCII)
_ANY = re2.compile(r"[0-9](?:\.[0-9]{4}|\s?[NSEW]\b)|\b[NSEW]\s?[0-9]|°")
"""What every written pair holds somewhere: four decimals, a degree sign or a hemisphere letter
(RE2 scans a text for it ten times faster than ``re``; nearly every text holds none)."""
_LETTERS = re.compile(r"\d\s?[NSEW]\b|\b[NSEW]\s?\d")
_LABEL = re.compile(r"(?:geo-?locat(?:ed|ion)|geo|coordinates|coords?|location|loc|position|"
                    r"координати|координаты|геолокація|геолокация)\s*(?:at|:|-|–)?\s*$", re.I)
_REACH = 120
"""How far either side of a point its line is read for a label or a sentence's end."""
CAPTION_REACH = 1000
"""How far before a standalone point the events it may place end: a caption, not a report."""
NEAR_KM = 50.0
"""How far a caption's named place may lie from its written point for its events to move there."""
_PARAGRAPH = re.compile(r"\n[ \t\r]*\n")
_FILLER = frozenset(" \t\r\n.;:()[]-–—|/")


def _pair(lat: float, lon: float) -> tuple[float, float] | None:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return round(lat, 6), round(lon, 6)


def _lettered(m: re.Match) -> tuple[float, float] | None:
    h1 = (m["h1a"] or m["h1b"] or "").strip()
    h2 = (m["h2a"] or m["h2b"] or "").strip()
    if not h1 or not h2 or (m["h1a"] and m["h1b"]) or (m["h2a"] and m["h2b"]):
        return None
    a, b = float(m["a"]), float(m["b"])
    if h1 in "EW" and h2 in "NS":
        (a, h1), (b, h2) = (b, h2), (a, h1)
    if h1 not in "NS" or h2 not in "EW":
        return None
    return _pair(-a if h1 == "S" else a, -b if h2 == "W" else b)


def _dms(m: re.Match) -> tuple[float, float] | None:
    def degrees(d: str, mins: str, sec: str | None) -> float | None:
        mi, s = int(mins), float(sec or 0)
        return None if mi >= 60 or s >= 60 else int(d) + mi / 60 + s / 3600

    lat, lon = degrees(m["d1"], m["m1"], m["sec1"]), degrees(m["d2"], m["m2"], m["sec2"])
    if lat is None or lon is None:
        return None
    return _pair(-lat if m["h1"] == "S" else lat, -lon if m["h2"] == "W" else lon)


def _decimal(m: re.Match) -> tuple[float, float] | None:
    if m["a"] is not None:
        a, b, s1, s2 = m["a"], m["b"], m["s1"], m["s2"]
    else:
        a, b, s1, s2 = m["ax"], m["bx"], m["s1x"], m["s2x"]
    return _pair(-float(a) if s1 else float(a), -float(b) if s2 else float(b))


def written_points(text: str) -> list[Place]:
    """Every coordinate pair of ``text`` as a place of kind ``point``, in text order."""
    try:
        if not _ANY.search(text):  # the few texts that may hold one: most hold none
            return []
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 (and so RE2) cannot hold
        if not re.search(_ANY.pattern, text, re.ASCII):
            return []
    found: list[tuple[int, int, tuple[float, float]]] = []
    for pattern, read in ((_DMS, _dms), (_LETTERED, _lettered), (_DECIMAL, _decimal)):
        if pattern is not _DECIMAL and "°" not in text and not _LETTERS.search(text):
            continue
        taken = sorted(found)  # what the forms before this one read: no pair is read twice
        starts = [f[0] for f in taken]
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            i = bisect.bisect_left(starts, end)
            if i > 0 and taken[i - 1][1] > start:
                continue
            point = read(m)
            if point is not None:
                found.append((start, end, point))
    return [_place(text, start, end, lat, lon) for start, end, (lat, lon) in sorted(found)]


def _place(text: str, start: int, end: int, lat: float, lon: float) -> Place:
    return Place(name=f"{lat:.5f}, {lon:.5f}", mention=text[start:end], start=start, end=end,
                 kind="point", country_code=None, gazetteer_id=None, lat=lat, lon=lon,
                 geometry={"type": "Point", "coordinates": [lon, lat]}, confidence=1.0,
                 precision="place")


def with_points(text: str, places: Sequence[Place], points: Sequence[Place]) -> list[Place]:
    """``places`` and the written ``points`` in text order, without a place a point overlaps
    (a number in a coordinate pair is never a name).

    A point written right after a place, in brackets or after a comma, within
    ``NEAR_KM`` of it, is where that place's event was: "near Robotyne (47.4512,
    35.8371)" is one place, Robotyne, at the written point, its mention spanning both.
    """
    if not points:
        return list(places)
    starts = [q.start for q in points]  # in text order, none overlapping another
    kept = [p for p in places if not _overlaps(points, starts, p.start, p.end)]
    by_end = {p.end: i for i, p in enumerate(kept)}
    alone = []
    for q in points:
        at = q.start
        while at > 0 and text[at - 1] in " \t(,[":
            at -= 1
        i = by_end.get(at) if at < q.start else None
        if i is not None and km_between(kept[i].lat, kept[i].lon, q.lat, q.lon) <= NEAR_KM:
            end = q.end + (text[q.end:q.end + 1] in ")]")
            kept[i] = dataclasses.replace(kept[i], lat=q.lat, lon=q.lon, geometry=q.geometry, end=end,
                                          mention=text[kept[i].start:end], precision="place")
        else:
            alone.append(q)
    return sorted([*kept, *alone], key=lambda p: p.start)


def _overlaps(points: Sequence[Place], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(starts, end)
    return i > 0 and points[i - 1].end > start


def _stands_alone(text: str, point: Place) -> bool:
    """Whether the point is written after its sentence: on a line of its own, after a label,
    or after a sentence's full stop, with nothing but brackets and punctuation after it
    (read within ``_REACH`` characters either side: a long line is read in part)."""
    low = max(0, point.start - _REACH)
    line_start = text.rfind("\n", low, point.start) + 1 or low
    head = text[line_start:point.start].rstrip(" \t([")
    high = min(len(text), point.end + _REACH)
    line_end = text.find("\n", point.end, high)
    after = text[point.end:high if line_end < 0 else line_end]
    if any(ch not in _FILLER for ch in after):
        return False
    return not head.strip() or bool(_LABEL.search(head)) or head.endswith((".", "!", "?", ":", "|", "-", "–", "—"))


def placed_at_points(text: str, events: Sequence[Event], points: Sequence[Place],
                     ident: Callable[[str, int, int, str, str | None], str]) -> tuple[Event, ...]:
    """``events`` with those a standalone written point locates moved to that point.

    A point stands alone when nothing but a label comes before it on its line or in
    its sentence (see ``_stands_alone``).  It locates the events that end before it and
    start after the standalone point before it, in the same paragraph (no blank line
    between) and at most ``CAPTION_REACH`` characters back: those whose place is within
    ``NEAR_KM`` of it, only known to its country, or unknown.  An event already at a
    written point stays where it is.
    """
    alone = [p for p in points if _stands_alone(text, p)]
    if not alone or not events:
        return tuple(events)
    starts = [p.start for p in alone]
    out = []
    for ev in events:
        i = bisect.bisect_left(starts, ev.end)
        if i == len(alone) or ev.place_kind == "point":
            out.append(ev)
            continue
        point = alone[i]
        if point.start - ev.end > CAPTION_REACH or (i > 0 and alone[i - 1].start > ev.start) \
                or _PARAGRAPH.search(text, ev.end, point.start):
            out.append(ev)
            continue
        near = (ev.lat is None or ev.precision == "country" or ev.place_kind == "country"
                or km_between(ev.lat, ev.lon, point.lat, point.lon) <= NEAR_KM)
        if not near:
            out.append(ev)
            continue
        out.append(dataclasses.replace(
            ev, id=ident(ev.source, ev.start, ev.end, ev.event_type, point.name), place=point.name,
            geometry=point.geometry, place_kind=point.kind, lat=point.lat, lon=point.lon,
            precision=point.precision))
    return tuple(out)
