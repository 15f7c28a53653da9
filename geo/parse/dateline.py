"""The place a report opens with ("Mariupol: ...", "KHARKIV, Ukraine — ..."), and the events
it takes over: those the sentences could put on no nearer place than a whole country."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from geo.parse.binding import COUNTRY_LEVEL_TYPES, without_qualifiers
from geo.records import Event, Place

if TYPE_CHECKING:
    from geo.parse.events import Context

# possessive spaces: giving them back one by one was quadratic on long runs
_DATELINE = re.compile(r"^\s*+[^.\n:—–]{1,80}?\.?\s*+(?::|—|–|(?<=\s)-\s)")


def dateline_place(text: str, places: list[Place]) -> Place | None:
    """The local place a report opens with ("Mariupol: ...", "KHARKIV, Ukraine — ...")."""
    m = _DATELINE.match(text)
    if not m:
        return None
    local = [p for p in places if p.end <= m.end() and p.kind not in ("country", "border")]
    # "Kharkiv Oblast, Kupiansk:": the town, not the oblast it lies in
    local = without_qualifiers(local)
    return local[0] if local else None


def prefer_dateline(events: list[Event], dateline: Place | None, ctx: Context) -> list[Event]:
    """Events left on a whole country move to the report's dateline place in that country."""
    if dateline is None:
        return events
    out = []
    for ev in events:
        vague = ev.place_kind in (None, "country") and ev.event_type not in COUNTRY_LEVEL_TYPES
        if vague and (ev.place is None or ev.place_kind == "country" and
                      (ctx.theatre is None or ev.place == ctx.theatre.name or
                       ev.place == _country_name(dateline, ctx))):
            ev = _relocated(ev, dateline, ctx)
        out.append(ev)
    return _dedupe_across(out)


def _country_name(place: Place, ctx: Context) -> str | None:
    country = ctx.country_place(place.country_code) if place.country_code else None
    return country.name if country is not None else None


def _relocated(ev: Event, place: Place, ctx: Context) -> Event:
    from geo.parse.events import event_id  # the module that reads events for this one

    geometry = ctx.area_for(place) if ev.event_type == "encirclement" and place.kind == "city" \
        else place.geometry
    return dataclasses.replace(
        ev, id=event_id(ctx.source, ev.start, ev.end, ev.event_type, place.name), place=place.name,
        geometry=geometry, place_kind=place.kind, lat=place.lat, lon=place.lon, precision=place.precision)


def _dedupe_across(events: list[Event]) -> list[Event]:
    seen, out = set(), []
    for ev in events:
        if ev.id not in seen:
            seen.add(ev.id)
            out.append(ev)
    return out
