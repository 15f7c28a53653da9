"""Resolution: ``Mention`` spans to ``Place`` records with geometry.

Each candidate row is scored on population, feature kind, whether it was
matched by its own name or only an alternate one, the document's country
context, and closeness to the other places the document names.  The
confidence of a place is the softmax share of its winning score.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.gazetteer import Gazetteer
from geo.names import normalise
from geo.records import Mention, Place
from geo import settings

_KIND_BONUS = {"country": 1.5, "city": 0.0, "admin1": -1.2}
_CONTEXT_WEIGHT = 6.0
_NEAR_WEIGHT = 3.0
_ALIAS_PENALTY = 1.2
_NEAR_KM = 500.0


def _base_score(gaz: Gazetteer, row: int, alias: bool, mention: Mention) -> float:
    score = math.log10(gaz.population[row] + 10)
    kind = gaz.kind[row]
    score += _KIND_BONUS.get(kind, 0.0)
    if mention.kind_hint == "admin1" and kind == "admin1":
        score += 3.0
    if gaz.capital[row]:
        score += 0.5
    if alias:
        score -= _ALIAS_PENALTY
    return score


def _candidates(gaz: Gazetteer, m: Mention) -> tuple[np.ndarray, np.ndarray]:
    kid = gaz.key_id(normalise(m.text))
    if kid is None:
        return np.array(m.candidates, dtype="int64"), np.zeros(len(m.candidates), bool)
    return gaz.entries_for_key(kid)


def country_context(gaz: Gazetteer, mentions: list[Mention]) -> Counter:
    """How strongly the text points at each country, from its least ambiguous names."""
    ctx: Counter = Counter()
    for m in mentions:
        if m.kind_hint == "border":
            ctx.update(c for c in m.extra if c)
            continue
        rows, alias = _candidates(gaz, m)
        if not len(rows):
            continue
        scores = [_base_score(gaz, r, a, m) for r, a in zip(rows, alias)]
        best = rows[int(np.argmax(scores))]
        weight = 2.0 if gaz.kind[best] == "country" else 1.0
        ctx[gaz.cc[best]] += weight / len(set(gaz.cc[rows]))
    return ctx


def _distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    p = np.pi / 180
    a = (np.sin((lat2 - lat1) * p / 2) ** 2
         + np.cos(lat1 * p) * np.cos(lat2 * p) * np.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * np.arcsin(np.sqrt(a))


def _choose(gaz: Gazetteer, m: Mention, ctx: Counter, anchor: tuple[float, float] | None,
            regions: Counter | None = None, unit: str | None = None):
    rows, alias = _candidates(gaz, m)
    if not len(rows):
        return None, 0.0
    total = sum(ctx.values()) or 1.0
    scores = np.array([_base_score(gaz, r, a, m) for r, a in zip(rows, alias)])
    share = np.array([ctx.get(gaz.cc[r], 0.0) / total for r in rows])
    scores += _CONTEXT_WEIGHT * share
    # a state of the country the text is about beats a foreign namesake country
    kinds = gaz.kind[rows]
    if (kinds == "country").any():
        scores += _HOME_REGION_BONUS * ((kinds == "admin1") & (share >= 0.5))
    if regions:
        region_total = sum(regions.values())
        scores += _REGION_WEIGHT * np.array([regions.get(gaz.admin1[r], 0) / region_total for r in rows])
    if unit == "unit":
        scores += _UNIT_BONUS * np.isin(gaz.kind[rows], ("admin1", "country"))
    elif unit:
        scores += _UNIT_BONUS * np.array([_inside(gaz, r, unit) for r in rows])
    if anchor is not None:
        d = _distance_km(anchor[0], anchor[1], gaz.lat[rows], gaz.lon[rows])
        scores += _NEAR_WEIGHT * np.exp(-d / _NEAR_KM)
    best = int(np.argmax(scores))
    soft = np.exp(scores - scores.max())
    return int(rows[best]), float(soft[best] / soft.sum())


_HOME_REGION_BONUS = 1.5
_REGION_WEIGHT = 4.0
_UNIT_BONUS = 4.0


def _inside(gaz: Gazetteer, row: int, unit: str) -> bool:
    """Whether a row lies in a unit given as an admin-1 code (``US.KY``) or a country code."""
    return gaz.admin1[row] == unit if "." in unit else gaz.cc[row] == unit


def _best_row(gaz: Gazetteer, m: Mention, ctx: Counter) -> int | None:
    return _choose(gaz, m, ctx, None)[0]


def enclosing_units(gaz: Gazetteer, mentions: list[Mention], ctx: Counter) -> dict[int, str]:
    """"Town, State" and "Town, Country": mention index to the unit named right after it.

    The unit's own index maps to ``"unit"``: "Washington" after "Tacoma, " is the state.
    """
    out: dict[int, str] = {}
    for i in range(len(mentions) - 1):
        town, unit = mentions[i], mentions[i + 1]
        if unit.start - town.end > 2 or town.kind_hint in _SPECIAL or unit.kind_hint in _SPECIAL:
            continue
        rows, _ = _candidates(gaz, unit)
        areas = [r for r in rows if gaz.kind[r] in ("admin1", "country")]
        if not areas:
            continue
        row = max(areas, key=lambda r: (gaz.kind[r] == "country", gaz.population[r]))
        out[i] = str(gaz.admin1[row] if gaz.kind[row] == "admin1" else gaz.cc[row])
        out.setdefault(i + 1, "unit")
    return out


_SPECIAL = ("border", "capital")


def region_context(gaz: Gazetteer, mentions: list[Mention], ctx: Counter,
                   units: dict[int, str]) -> Counter:
    """How often the text names each admin-1 unit (states, and the states of its counties)."""
    regions: Counter = Counter(u for u in units.values() if "." in u and u != "unit")
    for m in mentions:
        if m.kind_hint in _SPECIAL:
            continue
        row = _best_row(gaz, m, ctx)
        if row is not None and gaz.kind[row] in ("admin1", "region") and gaz.admin1[row]:
            regions[str(gaz.admin1[row])] += 1
    return regions


def _place_from_row(gaz: Gazetteer, row: int, m: Mention, confidence: float) -> Place:
    return Place(
        name=str(gaz.name[row]), mention=m.text, start=m.start, end=m.end,
        kind=str(gaz.kind[row]), country_code=str(gaz.cc[row]), gazetteer_id=str(gaz.gid[row]),
        lat=round(float(gaz.lat[row]), 5), lon=round(float(gaz.lon[row]), 5),
        geometry=gaz.display_geojson(row), confidence=round(confidence, 3),
    )


def _border_place(gaz: Gazetteer, m: Mention, main_cc: str) -> Place | None:
    a, b = m.extra
    a = a or (main_cc if main_cc != b else "")
    line = gaz.border(a, b) if a else None
    if line is None:
        return None
    ra, rb = gaz.country_row(a), gaz.country_row(b)
    mid = shapely.line_interpolate_point(shapely.line_merge(line), 0.5, normalized=True) \
        if line.geom_type == "LineString" else shapely.point_on_surface(line)
    return Place(
        name=f"{gaz.name[ra]}–{gaz.name[rb]} border", mention=m.text, start=m.start, end=m.end,
        kind="border", country_code=a, gazetteer_id=f"{gaz.gid[ra]}|{gaz.gid[rb]}",
        lat=round(mid.y, 5), lon=round(mid.x, 5), geometry=mapping(line), confidence=0.9,
    )


def main_country(ctx: Counter) -> str:
    """The country the text is mostly about (the configured default if none)."""
    return ctx.most_common(1)[0][0] if ctx else settings.DEFAULT_COUNTRY


def resolve_mentions(mentions: list[Mention], gaz: Gazetteer) -> list[Place]:
    """Resolve every mention it can; unresolvable mentions are dropped."""
    ctx = country_context(gaz, mentions)
    main_cc = main_country(ctx)
    units = enclosing_units(gaz, mentions, ctx)
    regions = region_context(gaz, mentions, ctx, units)
    first_pass = [_choose(gaz, m, ctx, None, regions, units.get(i)) for i, m in enumerate(mentions)]
    points = [(gaz.lat[r], gaz.lon[r]) for r, c in first_pass
              if r is not None and gaz.kind[r] == "city" and c > 0.6]
    anchor = (float(np.median([p[0] for p in points])), float(np.median([p[1] for p in points]))) \
        if points else None
    places = []
    for i, m in enumerate(mentions):
        if m.kind_hint == "border":
            place = _border_place(gaz, m, main_cc)
        elif m.kind_hint == "capital":
            row = gaz.capital_row(m.extra[0] or main_cc)
            place = _place_from_row(gaz, row, m, 0.8) if row is not None else None
        else:
            row, conf = _choose(gaz, m, ctx, anchor, regions, units.get(i))
            place = _place_from_row(gaz, row, m, conf) if row is not None else None
        if place is not None:
            places.append(place)
    return places


def country_place(gaz: Gazetteer, cc: str) -> Place | None:
    """A country as a place not tied to a span of text (an event's fallback location)."""
    row = gaz.country_row(cc)
    if row is None:
        return None
    return _place_from_row(gaz, row, Mention("", -1, -1, ()), 1.0)


def encirclement_area(gaz: Gazetteer, place: Place) -> dict:
    """A geodesic disc around a city, scaled to its population (at least 8 km)."""
    from pyproj import Geod

    row = gaz.row_for_gid(place.gazetteer_id) if place.gazetteer_id else None
    pop = gaz.population[row] if row is not None else 100_000
    radius_m = 1000 * max(settings.ENCIRCLEMENT_MIN_KM, 3.0 * math.sqrt(pop / 100_000))
    bearings = np.linspace(0, 360, 73)[:-1]
    lons, lats, _ = Geod(ellps="WGS84").fwd(
        np.full(bearings.shape, place.lon), np.full(bearings.shape, place.lat), bearings,
        np.full(bearings.shape, radius_m))
    ring = shapely.Polygon(zip(np.round(lons, 5), np.round(lats, 5)))
    return mapping(shapely.geometry.polygon.orient(ring, 1.0))
