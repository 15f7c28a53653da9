"""Claims in the text checked against the ground: does the map agree that a place changed hands?

:func:`control_check` is pure: events (contract dicts or :class:`geo.records.Event`)
and the occupied layers in, one :class:`ControlCheck` per checked event out.

Which events: captures (the first actor took the place: Russia captured, or
Ukraine liberated, retook) and encirclements, located at a settlement (a
point: a city, town or village).  A claim about an oblast or a country has
no point to test and gets no check.

The maps looked at are the ones in force on the event's day and on each of
the ``WINDOW_DAYS`` days after: the latest layer on or before the day (no
older than ``WINDOW_DAYS``) and every layer dated in the days after.

- ``consistent``: a Russian capture (or encirclement) of a place the occupied
  area holds on one of those maps; a Ukrainian liberation of a place outside
  it on one of them;
- ``contradicted``: a Russian claim of a place outside the occupied area on
  every map; a Ukrainian claim of a place that stays inside on every map;
- ``no_layer``: no map in force within the window.

An encirclement is not a capture: the place is usually still held, at the
front.  So a Russian encirclement counts as consistent when the place lies
within ``ENCIRCLEMENT_REACH_KM`` of the occupied area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from geo.control.layers import ControlLayer

WINDOW_DAYS = 7
CHECKED_TYPES = ("capture", "encirclement")
ENCIRCLEMENT_REACH_KM = 15.0
_KM_PER_DEG_LAT = 111.2

STATUSES = ("consistent", "contradicted", "no_layer")


@dataclass(frozen=True, slots=True)
class ControlCheck:
    """The outcome for one event, and the map it rests on."""

    event_id: str
    status: str  # one of STATUSES
    layer_date: str | None  # the map that decided (the first that agreed, else the last looked at)
    source: str | None
    claim: str  # "russian_capture", "ukrainian_capture", "encirclement"

    def to_dict(self) -> dict:
        return {"status": self.status, "layer_date": self.layer_date, "source": self.source,
                "claim": self.claim}


def _get(event, name: str):
    return event.get(name) if isinstance(event, dict) else getattr(event, name, None)


def _point(event) -> tuple[float, float] | None:
    if _get(event, "place_kind") not in (None, "city"):
        return None
    lat, lon = _get(event, "lat"), _get(event, "lon")
    if lat is None or lon is None:
        geometry = _get(event, "geometry") or {}
        if geometry.get("type") != "Point":
            return None
        lon, lat = geometry["coordinates"][:2]
    return float(lon), float(lat)


def claim_of(event) -> str | None:
    """What an event claims about the ground, or ``None`` when it is not checked."""
    etype = _get(event, "event_type")
    if etype not in CHECKED_TYPES:
        return None
    actors = list(_get(event, "actors") or [])
    first = actors[0] if actors else None
    if etype == "encirclement":
        return "encirclement" if first in (None, "Russia") else None
    if first == "Russia":
        return "russian_capture"
    if first == "Ukraine":
        return "ukrainian_capture"
    return None


def maps_in_window(layers: Sequence[ControlLayer], day: str, window: int = WINDOW_DAYS) -> list[ControlLayer]:
    """The maps in force from ``day`` to ``window`` days after it (``layers`` sorted by date)."""
    start = dt.date.fromisoformat(day)
    end = (start + dt.timedelta(days=window)).isoformat()
    oldest = (start - dt.timedelta(days=window)).isoformat()
    before = [layer for layer in layers if oldest <= layer.date <= day]
    after = [layer for layer in layers if day < layer.date <= end]
    return before[-1:] + after


def _inside(layer: ControlLayer, lon: float, lat: float, reach_km: float = 0.0) -> bool:
    g = layer.geometry
    shapely.prepare(g)
    if shapely.contains_xy(g, lon, lat):
        return True
    if reach_km <= 0:
        return False
    # degrees of longitude shrink with latitude: scale to a local equirectangular metric
    scale = np.cos(np.radians(lat))
    p = shapely.Point(lon * scale, lat)
    near = shapely.transform(shapely.clip_by_rect(g, lon - 1, lat - 1, lon + 1, lat + 1),
                             lambda xy: xy * np.array([scale, 1.0]))
    return not near.is_empty and near.distance(p) * _KM_PER_DEG_LAT <= reach_km


def check_event(event, layers: Sequence[ControlLayer], coverage=None) -> ControlCheck | None:
    """The check of one event against the occupied layers (sorted by date), or ``None``.

    ``coverage`` is the ground the layers describe (Ukraine): a place outside it
    (Sudzha, in Russia's Kursk oblast) says nothing about them and is not checked.
    """
    claim = claim_of(event)
    point = _point(event)
    day = _get(event, "date")
    if claim is None or point is None or not day:
        return None
    if coverage is not None and not shapely.contains_xy(coverage, *point):
        return None
    eid = str(_get(event, "id"))
    maps = maps_in_window(layers, day[:10])
    if not maps:
        return ControlCheck(eid, "no_layer", None, None, claim)
    reach = ENCIRCLEMENT_REACH_KM if claim == "encirclement" else 0.0
    for layer in maps:
        inside = _inside(layer, *point, reach_km=reach)
        if inside != (claim == "ukrainian_capture"):  # the map agrees with the claim
            return ControlCheck(eid, "consistent", layer.date, layer.source, claim)
    last = maps[-1]
    return ControlCheck(eid, "contradicted", last.date, last.source, claim)


def control_check(events: Iterable, layers: Sequence[ControlLayer], coverage=None) -> dict[str, ControlCheck]:
    """Every checked event's outcome by event id; ``layers`` are the occupied ones, any order."""
    ordered = sorted(layers, key=lambda layer: layer.date)
    if coverage is not None:
        shapely.prepare(coverage)
    out = {}
    for event in events:
        result = check_event(event, ordered, coverage)
        if result is not None:
            out[result.event_id] = result
    return out
