"""Downloads: the filtered events as GeoJSON and CSV, the map as one offline HTML file.

The bytes are made only when the analyst clicks (Streamlit's deferred
download), so a big selection does not slow every rerun.
"""

from __future__ import annotations

import datetime as dt
import io as _io
import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.layers import EVENT_COLUMNS
from geo.store import EventFilter, Store

# a spreadsheet runs a cell that starts with one of these as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (*EVENT_COLUMNS, "geometry_type", "report_id")


def events_geojson(events_fc: dict) -> bytes:
    """The events as an RFC 7946 FeatureCollection, UTF-8."""
    return json.dumps(events_fc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cell(value):
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run
    return value


def events_csv(events_fc: dict) -> bytes:
    """One row per event: the contract's fields, actors joined by "; "; safe for spreadsheets."""
    rows = []
    for f in events_fc["features"]:
        p = f["properties"]
        row = {c: _cell(p.get(c)) for c in EVENT_COLUMNS}
        row["geometry_type"] = (f.get("geometry") or {}).get("type")
        row["report_id"] = p.get("report_id")
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    buffer = _io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def file_stem(now: dt.datetime | None = None) -> str:
    return "sitmap-" + (now or dt.datetime.now()).strftime("%Y%m%d-%H%M")


def render_downloads(store: Store, selection: EventFilter, map_page: Callable[[], str]) -> None:
    """Three download buttons; each makes its file only when clicked."""
    stem = file_stem()
    events = lambda: store.query_events(selection)  # noqa: E731
    a, b, c = st.columns(3)
    a.download_button("Events (GeoJSON)", data=lambda: events_geojson(events()), file_name=f"{stem}.geojson",
                      mime="application/geo+json", key="dl_geojson", on_click="ignore")
    b.download_button("Events (CSV)", data=lambda: events_csv(events()), file_name=f"{stem}.csv",
                      mime="text/csv", key="dl_csv", on_click="ignore")
    c.download_button("Map (offline HTML)", data=lambda: map_page().encode("utf-8"),
                      file_name=f"{stem}.html", mime="text/html", key="dl_html", on_click="ignore")
