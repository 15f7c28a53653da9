"""The whole parse of one report: text to places, events and headlines.

The gazetteer is injected, never created here, so tests and batch workers
control how often it loads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from geo import settings
from geo.parse import events_cyr
from geo.parse.dates import latest_full_date
from geo.parse.events import Context, event_id, extract_events
from geo.parse.language import has_cyrillic
from geo.gazetteer.loader import Gazetteer, load_gazetteer
from geo.parse.mentions import find_mentions
from geo.parse.abroad import outside, without_villages_abroad
from geo.parse.city_districts import without_city_districts
from geo.parse.coordinates import placed_at_points, with_points, written_points
from geo.parse.offsets import apply_offsets
from geo.parse.unresolved import unresolved_mentions, with_unresolved, without_cut_names
from geo.names import fold_text, word_char_at
from geo.records import Report, Result
from geo.parse.fallback import country_place, encirclement_area
from geo.parse.front import Fighting
from geo.parse.horizon import reading_end, stopped_warning, too_many_events, too_many_points
from geo.parse.resolve import main_country, resolve_with_context
from geo.parse.units import unit_qualifiers, without_qualifying_units
from geo.status import headlines_for

if TYPE_CHECKING:  # geopy loads only when an online geocoder is in use
    from shapely.geometry.base import BaseGeometry

    from geo.gazetteer.geocoders import OnlineGeocoder

_ORDINAL_BEFORE = re.compile(r"(?<!\w)(\d{1,4})(?:st|nd|rd|th)\s+$", re.I)
_NUMBER_OF_WAR_AFTER = re.compile(r"\s+(\d{1,4})\s+of\s+the\s+(?:war|invasion|conflict)", re.I)


def _day_starts(text: str) -> Iterator[int]:
    """Where "day" (any case) starts, in order: ``str.find`` in the folded text, which keeps
    every offset; no character but D, A and Y folds to those letters or matches them under
    re.I.  A case-insensitive regex, led by letters that have a case, tried every position."""
    folded = fold_text(text)
    i = folded.find("day")
    while i >= 0:
        yield i
        i = folded.find("day", i + 3)


def war_day_in(text: str) -> int | None:
    """The day of the war a report says it was written on, if it says so.

    "the 5th day" or "day 5 of the war" (any case), the first in the text.  The
    scan looks only at each "day" and the few characters before or after it
    (one regular expression over the whole text would be tried at every word
    start).
    """
    for s in _day_starts(text):
        e = s + 3
        if not word_char_at(text, e):
            before = _ORDINAL_BEFORE.search(text, max(0, s - 40), s)
            if before:
                return int(before.group(1))
        if not word_char_at(text, s - 1):
            after = _NUMBER_OF_WAR_AFTER.match(text, e)
            if after:
                return int(after.group(1))
    return None


NO_DATE_WARNING = ("no date: the report gives none and its text names no day, so its events are "
                   "undated; give the report a date to place them in time")
"""The warning a report with no date of its own and none in its text gets at intake."""


def report_date(text: str, given: str | None,
                start: dt.date = settings.CONFLICT_START) -> tuple[str | None, int | None]:
    """The report's date and day of war: given, or inferred from "the 5th day", or the
    latest date the text writes with its year ("On 1 March 2022 ...")."""
    day = war_day_in(text)
    if day is None and has_cyrillic(text):  # "п'ятий день війни", "28 лютого 2022 року"
        day = events_cyr.war_day(text)
        if day is None and not given and (written := events_cyr.dated(text)):
            when = dt.date.fromisoformat(written)
            return written, (when - start).days + 1 if when >= start else None
    if given:
        date = dt.date.fromisoformat(given)
        return date.isoformat(), day or (date - start).days + 1
    if day:
        return (start + dt.timedelta(days=day - 1)).isoformat(), day
    written = latest_full_date(text)
    if written is not None:
        return written.isoformat(), (written - start).days + 1 if written >= start else None
    return None, None


def parse_report(report: Report, gaz: Gazetteer, geocoder: OnlineGeocoder | None = None,
                 fighting_on: Callable[[str], BaseGeometry | None] | None = None) -> Result:
    """Parse one report into places, events and headlines.

    ``geocoder`` (optional, online) is asked only about names the gazetteer
    left unresolved; its failures become ``Result.warnings``.  ``fighting_on``
    (optional) gives the occupied area on a day, when known: of namesake villages,
    those near it are preferred (``geo.parse.front``; the intake reads it from
    the store's control layers, which the parser never reads itself).
    """
    end = reading_end(report.text, gaz)  # a log naming a hundred thousand villages is read in part
    text = report.text if end == len(report.text) else report.text[:end]
    date, day = report_date(text, report.date)
    mentions, abroad = without_villages_abroad(text, find_mentions(text, gaz), gaz)  # "Sverdlikovo, Kursk Oblast"
    occupied = fighting_on(date) if fighting_on is not None and date else None
    places, context = resolve_with_context(mentions, gaz, text, Fighting(occupied) if occupied else None)
    places = without_city_districts(text, outside(places, abroad))  # "the Kyivskyi district of Kharkiv" is Kharkiv's
    warnings: tuple[str, ...] = ()
    if geocoder is not None:
        lookup = geocoder.lookup(text, places)
        places = sorted([*places, *lookup.places], key=lambda p: p.start)
        warnings = lookup.warnings
    points = written_points(text)  # "47.9436, 37.5011": a caption's geolocated point
    if len(points) > settings.MAX_REPORT_NAMES:  # a log of coordinates: as many as names are read
        warnings = (*warnings, too_many_points(len(points), points[settings.MAX_REPORT_NAMES].start))
        points = points[:settings.MAX_REPORT_NAMES]
    places = with_points(text, places, points)
    places = without_cut_names(text, places)  # "Loknya" of "Malaya Loknya"
    unresolved = unresolved_mentions(text, places)
    places = apply_offsets(text, places, unresolved)
    theatre_cc = main_country(context)
    ctx = Context(
        source=report.source or report.id, date=date,
        theatre=country_place(gaz, theatre_cc),
        country_place=lambda cc: country_place(gaz, cc),
        area_for=lambda place: encirclement_area(gaz, place),
        max_events=settings.MAX_REPORT_EVENTS,
    )
    if has_cyrillic(text):  # Ukrainian and Russian sentences: geo.parse.events_cyr
        extraction = events_cyr.with_cyrillic_events(text, places, ctx, lambda: extract_events(text, places, ctx))
    else:
        extraction = extract_events(text, places, ctx)
    qualifiers = unit_qualifiers(text, places, gaz)
    if qualifiers:
        extraction = dataclasses.replace(
            extraction, events=without_qualifying_units(text, extraction.events, qualifiers, places, event_id))
    if points:
        extraction = dataclasses.replace(
            extraction, events=placed_at_points(text, extraction.events, points, event_id))
    if end < len(report.text):
        warnings = (*warnings, stopped_warning(len(report.text), end))
    if extraction.stopped_at is not None:
        warnings = (*warnings, too_many_events(len(report.text), extraction.stopped_at))
    if date is None:
        warnings = (*warnings, NO_DATE_WARNING)
    dated = Report(report.id, report.text, report.source, date)
    headlines = headlines_for(extraction, dated)
    return Result(dated, tuple(places), with_unresolved(extraction.events, unresolved), tuple(headlines),
                  day, warnings, unresolved)


def parse_text(text: str, *, source: str = "", report_id: str | None = None,
               date: str | None = None, gazetteer: Gazetteer | None = None,
               geocoder: OnlineGeocoder | None = None,
               fighting_on: Callable[[str], BaseGeometry | None] | None = None) -> Result:
    """Convenience wrapper: parse a string with the shared gazetteer."""
    gaz = gazetteer or load_gazetteer()
    rid = report_id or source or "report"
    return parse_report(Report(rid, text, source or rid, date), gaz, geocoder, fighting_on)
