"""Downloads: the filtered events as GeoJSON, CSV, GeoPackage and KML; the map as one offline HTML file.

The events are the store's, as corrected: each carries the ``corrected``
flag (and ``corrected_fields``, ``corrected_by``, ``corrected_at`` when
set), and events marked false are left out.  The GeoPackage has one layer
per event type, for QGIS (:func:`geo.exchange.formats.write_gpkg`); the KML one
folder per type (:func:`geo.exchange.formats.write_kml`).

The bytes are made only when the analyst clicks (Streamlit's deferred
download), so a big selection does not slow every rerun.
"""

from __future__ import annotations

import datetime as dt
import io as _io
import json
from collections.abc import Callable

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.exchange import formats as exchange
from geo.exchange.layers import EVENT_COLUMNS
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


def _written(events_fc: dict, suffix: str, write: Callable[[dict, Path], None]) -> bytes:
    # the exchange writes files by path: a temporary folder, gone once the bytes are read
    with tempfile.TemporaryDirectory(prefix="sitmap-export-") as tmp:
        path = Path(tmp) / f"events{suffix}"
        write(events_fc, path)
        return path.read_bytes()


def events_gpkg(events_fc: dict) -> bytes:
    """A GeoPackage of the events, one layer per type, with the ``corrected`` flag."""
    return _written(events_fc, ".gpkg", exchange.write_gpkg)


def events_kml(events_fc: dict) -> bytes:
    """A KML of the events, one folder per type."""
    return _written(events_fc, ".kml", exchange.write_kml)


def file_stem(now: dt.datetime | None = None) -> str:
    return "sitmap-" + (now or dt.datetime.now()).strftime("%Y%m%d-%H%M")


def render_downloads(store: Store, selection: EventFilter, map_page: Callable[[], str],
                     count: int | None = None) -> None:
    """Download buttons; each makes its file only when clicked.

    ``count`` is how many events the selection holds: with none, the
    GeoPackage and KML buttons are disabled (those formats need a layer).
    """
    stem = file_stem()
    events = lambda: store.query_events(selection)  # noqa: E731
    empty = count == 0
    a, b, c, d, e = st.columns(5)
    a.download_button("Events (GeoJSON)", data=lambda: events_geojson(events()), file_name=f"{stem}.geojson",
                      mime="application/geo+json", key="dl_geojson", on_click="ignore")
    b.download_button("Events (CSV)", data=lambda: events_csv(events()), file_name=f"{stem}.csv",
                      mime="text/csv", key="dl_csv", on_click="ignore")
    c.download_button("Events (GeoPackage)", data=lambda: events_gpkg(events()), file_name=f"{stem}.gpkg",
                      mime="application/geopackage+sqlite3", key="dl_gpkg", on_click="ignore",
                      disabled=empty, help="One layer per event type, corrected values and a "
                                           "`corrected` flag; opens in QGIS")
    d.download_button("Events (KML)", data=lambda: events_kml(events()), file_name=f"{stem}.kml",
                      mime="application/vnd.google-earth.kml+xml", key="dl_kml", on_click="ignore",
                      disabled=empty)
    e.download_button("Map (offline HTML)", data=lambda: map_page().encode("utf-8"),
                      file_name=f"{stem}.html", mime="text/html", key="dl_html", on_click="ignore")
