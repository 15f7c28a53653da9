"""Downloads: the filtered events as GeoJSON, CSV, GeoPackage and KML; the map as one offline HTML file.

Every file comes from :func:`geo.exchange.formats.export_bytes`, the path
``python -m geo export`` takes, so the CSV is the ACLED layout with our own
columns after it (``docs/exchange.md`` lists them).  The events are the
store's, as corrected: each carries the ``corrected`` flag (and
``corrected_fields``, ``corrected_by``, ``corrected_at`` when set), and
events marked false are left out.  The GeoPackage has one layer
per event type, for QGIS (:func:`geo.exchange.formats.write_gpkg`); the KML one
folder per type (:func:`geo.exchange.formats.write_kml`).

The bytes are made only when the analyst clicks (Streamlit's deferred
download), so a big selection does not slow every rerun.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import streamlit as st

from geo.exchange import formats as exchange
from geo.store import EventFilter, Store

CSV_COLUMNS = exchange.ACLED_COLUMNS + exchange.SITMAP_COLUMNS
"""The CSV download's columns: ``python -m geo export x.csv``'s, ACLED's layout then ours."""


def _exported(events_fc: dict, suffix: str) -> bytes:
    # one export path for the CLI and the dashboard: geo.exchange.formats.export_events
    return exchange.export_bytes(events_fc, suffix)


def events_geojson(events_fc: dict) -> bytes:
    """The events as an RFC 7946 FeatureCollection, UTF-8."""
    if not events_fc["features"]:
        return json.dumps({"type": "FeatureCollection", "features": []}).encode("utf-8")
    return _exported(events_fc, ".geojson")


def events_csv(events_fc: dict) -> bytes:
    """The ACLED layout with our columns (``corrected``, ``corrected_by``, ``corrected_at``...), formula-safe."""
    if not events_fc["features"]:
        return (",".join(CSV_COLUMNS) + "\n").encode("utf-8")
    return _exported(events_fc, ".csv")


def events_gpkg(events_fc: dict) -> bytes:
    """A GeoPackage of the events, one layer per type, with the ``corrected`` flag."""
    return _exported(events_fc, ".gpkg")


def events_kml(events_fc: dict) -> bytes:
    """A KML of the events, one folder per type, every text escaped for HTML-rendering viewers."""
    return _exported(events_fc, ".kml")


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
