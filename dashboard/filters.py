"""The sidebar's filters, and their mirror in the page URL.

Three shapes of the same selection, and pure functions between them:

- :class:`geo.store.sqlite.EventFilter`, what the store queries;
- widget values, keyed by the widgets' ``key=`` (``WIDGET_KEYS``);
- query parameters, so that a view can be shared by URL and restored.

Defaults never appear in the URL: an empty query string is the whole store.
Values the store does not know (a mistyped type, an actor no report names)
are dropped rather than failing the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from geo.store import EventFilter, Facets

WIDGET_KEYS = {
    "types": "f_types",
    "dates": "f_dates",
    "actors": "f_actors",
    "certainty": "f_certainty",
    "sources": "f_sources",
    "text": "f_text",
}
"""Filter field -> the ``key=`` of its sidebar widget."""

PARAMS = ("types", "from", "to", "actor", "certainty", "source", "q", "bbox")
"""The query parameters this module reads and writes."""

NO_TYPES = "none"
"""``?types=none``: the analyst unselected every type."""

Params = Mapping[str, Sequence[str]]
"""Query parameters, each with all its values (``st.query_params.get_all``)."""


def _iso(value: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def _known(values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    allowed_set = set(allowed)
    return tuple(dict.fromkeys(v for v in values if v in allowed_set))


def _bbox(values: Sequence[str]) -> tuple[float, float, float, float] | None:
    if not values:
        return None
    try:
        x0, y0, x1, y1 = (float(v) for v in values[-1].split(","))
    except ValueError:
        return None
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        return None
    return x0, y0, x1, y1


def _types_from(values: Sequence[str], facets: Facets) -> tuple[str, ...] | None:
    if not values:
        return None
    if list(values) == [NO_TYPES]:
        return ()
    chosen = _known(values, facets.types)
    return None if not chosen or set(chosen) == set(facets.types) else chosen


def filter_from_params(params: Params, facets: Facets) -> EventFilter:
    """The selection a URL asks for, limited to what the store holds."""
    get = lambda name: [v for v in params.get(name, ()) if v is not None]  # noqa: E731
    date_from, date_to = _iso(next(iter(get("from")), None)), _iso(next(iter(get("to")), None))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return normalise(EventFilter(
        types=_types_from(get("types"), facets),
        date_from=date_from, date_to=date_to,
        actors=_known(get("actor"), facets.actors),
        certainty=_known(get("certainty"), facets.certainties),
        sources=_known(get("source"), facets.sources),
        text=(get("q") or [""])[-1].strip()[:200],
        bbox=_bbox(get("bbox")),
    ), facets)


def params_from_filter(f: EventFilter) -> dict[str, list[str]]:
    """The query parameters of a selection; fields left at their default are omitted."""
    out: dict[str, list[str]] = {}
    if f.types is not None:
        out["types"] = list(f.types) or [NO_TYPES]
    if f.date_from:
        out["from"] = [f.date_from]
    if f.date_to:
        out["to"] = [f.date_to]
    for name, values in (("actor", f.actors), ("certainty", f.certainty), ("source", f.sources)):
        if values:
            out[name] = list(values)
    if f.text:
        out["q"] = [f.text]
    if f.bbox is not None:
        out["bbox"] = [",".join(f"{v:g}" for v in f.bbox)]
    return out


def normalise(f: EventFilter, facets: Facets) -> EventFilter:
    """Drop the parts of a selection that select everything anyway.

    A date range that covers the store's whole range is no range (so undated
    events stay in), and every type selected is ``types=None`` (so a type
    that a new report brings in shows up too).
    """
    types = f.types
    if types is not None and facets.types and set(types) >= set(facets.types):
        types = None
    date_from = None if f.date_from and facets.date_min and f.date_from <= facets.date_min else f.date_from
    date_to = None if f.date_to and facets.date_max and f.date_to >= facets.date_max else f.date_to
    return dataclasses.replace(f, types=types, date_from=date_from, date_to=date_to, text=f.text.strip())


def widget_values(f: EventFilter, facets: Facets) -> dict[str, Any]:
    """The sidebar widget values that show a selection, keyed by widget key."""
    lo, hi = _date(facets.date_min), _date(facets.date_max)
    dates = (_date(f.date_from) or lo, _date(f.date_to) or hi) if lo and hi else ()
    return {
        WIDGET_KEYS["types"]: list(facets.types if f.types is None else f.types),
        WIDGET_KEYS["dates"]: dates,
        WIDGET_KEYS["actors"]: list(f.actors),
        WIDGET_KEYS["certainty"]: list(f.certainty),
        WIDGET_KEYS["sources"]: list(f.sources),
        WIDGET_KEYS["text"]: f.text,
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def filter_from_widgets(state: Mapping[str, Any], facets: Facets,
                        bbox: tuple[float, float, float, float] | None = None) -> EventFilter:
    """The selection the sidebar widgets show."""
    value: Callable[[str], Any] = lambda name: state.get(WIDGET_KEYS[name])  # noqa: E731
    dates = tuple(value("dates") or ())
    # a range being picked has one end only until the second click
    date_from = dates[0].isoformat() if len(dates) >= 1 and dates[0] else None
    date_to = dates[1].isoformat() if len(dates) >= 2 and dates[1] else None
    types = value("types")
    return normalise(EventFilter(
        types=None if types is None else _known(types, facets.types),
        date_from=date_from, date_to=date_to,
        actors=_known(value("actors") or [], facets.actors),
        certainty=_known(value("certainty") or [], facets.certainties),
        sources=_known(value("sources") or [], facets.sources),
        text=(value("text") or "").strip()[:200],
        bbox=bbox,
    ), facets)


def is_everything(f: EventFilter) -> bool:
    """Whether a selection leaves every event in."""
    return f == EventFilter()


# -- the timeline: the situation as of a day ----------------------------------------

ASOF_PARAM = "asof"
"""``?asof=2022-02-27``: the situation as of that day; absent means the latest day."""


def as_of_from_params(params: Params) -> dt.date | None:
    """The as-of day a URL asks for (``None`` when absent or not a date)."""
    value = _iso(next(iter(v for v in params.get(ASOF_PARAM, ()) if v), None))
    return dt.date.fromisoformat(value) if value else None


def days_in_range(days: Sequence[dt.date], f: EventFilter) -> list[dt.date]:
    """The timeline's days that the selection's date range covers (all of them if none does)."""
    lo, hi = _date(f.date_from), _date(f.date_to)
    inside = [d for d in days if (lo is None or d >= lo) and (hi is None or d <= hi)]
    return inside or list(days)


def snap_day(value: dt.date | None, days: Sequence[dt.date]) -> dt.date | None:
    """``value`` as one of ``days``: the last day not after it, else the first; ``None`` if no days."""
    if not days:
        return None
    if value is None:
        return days[-1]
    earlier = [d for d in days if d <= value]
    return earlier[-1] if earlier else days[0]


def with_as_of(f: EventFilter, as_of: dt.date | None, days: Sequence[dt.date]) -> EventFilter:
    """The selection as of a day: the as-of day becomes its upper date bound.

    The as-of day is one of ``days`` (the timeline within the date range), so
    it never falls before the range's start.  On the last day (or with no
    as-of day) the selection is left as it is: the latest situation, which
    keeps growing as newer reports arrive.
    """
    if as_of is None or not days or as_of >= days[-1]:
        return f
    bound = as_of.isoformat()
    return dataclasses.replace(f, date_to=min(bound, f.date_to) if f.date_to else bound)
