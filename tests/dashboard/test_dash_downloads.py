"""Downloads: GeoJSON and CSV of the filtered events, and the map as one offline file."""

from __future__ import annotations

import csv
import io
import json
import re

from dashboard import mapview
from dashboard.downloads import CSV_COLUMNS, events_csv, events_geojson
from dashboard.offline import offline_page
from geo.store import EventFilter


def test_geojson_holds_the_filtered_events(store):
    fc = store.query_events(EventFilter(types=("strike",)))
    back = json.loads(events_geojson(fc))
    assert back["type"] == "FeatureCollection"
    assert sorted(f["properties"]["place"] for f in back["features"]) == ["Kharkiv", "Kyiv"]


def test_csv_has_a_row_per_event_and_readable_actors(store):
    rows = list(csv.DictReader(io.StringIO(events_csv(store.query_events()).decode())))
    assert len(rows) == store.count_events()
    assert tuple(rows[0]) == CSV_COLUMNS
    capture = next(r for r in rows if r["event_type"] == "capture")
    assert capture["place"] == "Berdiansk" and capture["actors"] == "Russia"


def test_csv_cells_never_run_as_formulas():
    fc = {"features": [{"geometry": None, "properties": {"quote": "=HYPERLINK(\"http://x\")",
                                                         "actors": ["@evil"], "place": "-1+1"}}]}
    row = next(csv.DictReader(io.StringIO(events_csv(fc).decode())))
    assert row["quote"].startswith("'=") and row["actors"] == "'@evil" and row["place"] == "'-1+1"


def test_the_map_file_carries_everything_it_needs(store):
    facets = store.facets()
    page = offline_page(mapview.full_map(facets, mapview.map_content(store, EventFilter(), facets)))
    assert "/app/static" not in page
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert external == []
    assert "L.map(" in page and "sm-legend" in page
    assert re.search(r"""url\((?!\s*['"]?(?:data:|#))""", page) is None  # fonts and images are inline too
