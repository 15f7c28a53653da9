"""The situation as of a day: place statuses that follow the reports in time.

A report's events carry its date.  The situation as of a day is the status
built by :func:`geo.status.build_status` from everything reported up to and
including that day, so the newest state of a place wins exactly as it does
for the whole set.  Berdiansk is "captured" from the day a report says so,
and not before.

Every function takes parse results (:class:`geo.records.Result`), events
(:class:`geo.records.Event`), GeoJSON event features, or an events
FeatureCollection (as written by ``geo build`` or corrected by
:func:`geo.store.corrections.apply_corrections`).  Undated events have no place on
a timeline and are left out; features flagged ``false_positive`` are never
counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any, Union

from geo import settings
from geo.records import Event, Report, Result
from geo.status import build_status

Items = Union[dict[str, Any], Iterable[Union[Result, Event, dict[str, Any]]]]
"""What the timeline accepts: results, events, features or a FeatureCollection."""

_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_DEFAULTS: dict[str, Any] = {"subtype": None, "place": None, "geometry": None, "actors": (),
                             "date": None, "certainty": "reported", "attributed_to": None,
                             "quote": "", "start": 0, "end": 0}


def as_day(value: dt.date | str) -> dt.date:
    """A day from a ``date`` or an ISO ``YYYY-MM-DD`` string.

    Raises
    ------
    ValueError
        When the string is not an ISO date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"bad date {value!r}: use YYYY-MM-DD") from None


def event_from_feature(feature: dict[str, Any]) -> Event:
    """An :class:`Event` from one GeoJSON event feature (extra properties are ignored).

    Raises
    ------
    ValueError
        When the feature has no ``id`` or ``event_type``.
    """
    props = feature.get("properties") or {}
    missing = [k for k in ("id", "event_type") if not props.get(k)]
    if missing:
        raise ValueError(f"event feature {props.get('id', '?')!r} lacks {', '.join(missing)}")
    values = {k: props.get(k, _DEFAULTS.get(k)) for k in _EVENT_FIELDS if k in props or k in _DEFAULTS}
    values["geometry"] = feature.get("geometry")
    values["actors"] = tuple(props.get("actors") or ())
    values["unresolved"] = tuple(props.get("unresolved") or ())
    for key in ("start", "end"):
        values[key] = int(values.get(key) or 0)
    return Event(**values)


def _is_false(feature: dict[str, Any]) -> bool:
    return bool((feature.get("properties") or {}).get("false_positive"))


def _results_and_events(items: Items) -> tuple[list[Result], list[Event]]:
    if isinstance(items, dict) and items.get("type") == "FeatureCollection":
        items = items["features"]
    results: list[Result] = []
    events: list[Event] = []
    for item in items:
        if isinstance(item, Result):
            results.append(item)
        elif isinstance(item, Event):
            events.append(item)
        elif isinstance(item, dict) and item.get("type") == "Feature":
            if not _is_false(item):
                events.append(event_from_feature(item))
        else:
            raise TypeError(f"cannot read {type(item).__name__} as an event or a result")
    if results and events:
        raise TypeError("give either parse results or events, not a mix of both")
    return results, events


def _event_day(ev: Event) -> dt.date | None:
    if not ev.date:
        return None
    try:
        return as_day(ev.date)
    except ValueError:
        raise ValueError(f"event {ev.id}: bad date {ev.date!r}") from None


def all_events(items: Items) -> list[Event]:
    """Every event in ``items``, in the order given."""
    results, events = _results_and_events(items)
    return [e for r in results for e in r.events] if results else events


def timeline_days(items: Items) -> list[dt.date]:
    """The days that have at least one dated event, in order."""
    return sorted({d for d in map(_event_day, all_events(items)) if d is not None})


def events_as_of(items: Items, day: dt.date | str) -> list[Event]:
    """The events reported on or before ``day`` (undated ones left out)."""
    day = as_day(day)
    return [e for e in all_events(items) if (d := _event_day(e)) is not None and d <= day]


def collection_as_of(events_fc: dict[str, Any], day: dt.date | str) -> dict[str, Any]:
    """An events FeatureCollection cut down to what was known on ``day``, for the map."""
    day = as_day(day)
    keep = []
    for f in events_fc["features"]:
        date = (f.get("properties") or {}).get("date")
        if date and as_day(date) <= day and not _is_false(f):
            keep.append(f)
    return {"type": "FeatureCollection", "features": keep}


def _results_up_to(results: list[Result], day: dt.date) -> list[Result]:
    kept = []
    for r in results:
        if r.report.date is None or as_day(r.report.date) > day:
            continue
        events = tuple(e for e in r.events if (d := _event_day(e)) is None or d <= day)
        kept.append(dataclasses.replace(r, events=events))
    return kept


def _results_from_events(events: list[Event]) -> list[Result]:
    # group loose events back into one result per report so build_status can merge them
    by_source: dict[str, list[Event]] = {}
    for ev in events:
        by_source.setdefault(ev.source or "", []).append(ev)
    out = []
    for source, evs in by_source.items():
        date = max(e.date for e in evs)
        day = (as_day(date) - settings.CONFLICT_START).days + 1
        report = Report(id=source, text="", source=source, date=date)
        out.append(Result(report, (), tuple(evs), (), day if day >= 1 else None))
    return out


def status_as_of(items: Items, day: dt.date | str) -> dict[str, Any]:
    """The status (place states, headlines, counts, war day) as known on ``day``.

    Parameters
    ----------
    items
        Parse results, events, event features or an events FeatureCollection.
        Headlines come only with parse results; loose events carry none.
    day
        The last day to include.

    Returns
    -------
    dict
        The shape of ``status.json`` (see :func:`geo.status.build_status`),
        plus ``as_of``, the ISO day asked for.
    """
    day = as_day(day)
    results, events = _results_and_events(items)
    if results:
        scoped = _results_up_to(results, day)
    else:
        scoped = _results_from_events(events_as_of(events, day))
    return {"as_of": day.isoformat(), **build_status(scoped)}
