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
    capture = next(r for r in rows if r["sitmap_event_type"] == "capture")
    assert capture["location"] == "Berdiansk" and capture["actor1"] == "Russia"


def test_the_csv_download_is_the_cli_export_with_who_corrected_what(store, tmp_path, gazetteer):
    from geo.exchange.formats import ACLED_COLUMNS, export_events
    from geo.store.corrections import new_correction

    feature = next(f for f in store.query_events()["features"] if f["properties"]["place"] == "Berdiansk")
    store.add_correction(new_correction("retype", {"event_type": "battle"}, "Olena", feature=feature),
                         expected_version=0)
    fc = store.query_events()
    downloaded = events_csv(fc)
    export_events(fc, tmp_path / "cli.csv", gazetteer=gazetteer)
    assert downloaded == (tmp_path / "cli.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(downloaded.decode())))
    assert tuple(rows[0])[:len(ACLED_COLUMNS)] == ACLED_COLUMNS
    edited = next(r for r in rows if r["event_id_cnty"] == feature["properties"]["id"])
    assert edited["corrected"] == "true" and edited["corrected_by"] == "Olena"
    assert edited["corrected_at"][:4] >= "2025" and edited["sitmap_event_type"] == "battle"
    assert {r["corrected"] for r in rows if r is not edited} == {"false"}


def test_the_docs_list_the_csv_columns_in_order():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "exchange.md").read_text(encoding="utf-8")
    listed = re.search(r"<!-- csv-columns -->(.*?)<!-- /csv-columns -->", doc, re.S).group(1)
    assert tuple(re.findall(r"`(\w+)`", listed)) == CSV_COLUMNS


def test_csv_cells_never_run_as_formulas():
    fc = {"features": [{"geometry": {"type": "Point", "coordinates": [30.5, 50.4]}, "properties": {
        "id": "e1", "event_type": "strike", "quote": "=HYPERLINK(\"http://x\")", "actors": ["@evil"],
        "place": "-1+1", "date": "2022-02-28"}}]}
    row = next(csv.DictReader(io.StringIO(events_csv(fc).decode())))
    assert row["notes"].startswith("'=") and row["actor1"] == "'@evil" and row["location"] == "'-1+1"


def test_the_map_file_carries_everything_it_needs(store):
    facets = store.facets()
    page = offline_page(mapview.full_map(facets, mapview.map_content(store, EventFilter(), facets)))
    assert "/app/static" not in page
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert external == []
    assert "L.map(" in page and "sm-legend" in page
    assert re.search(r"""url\((?!\s*['"]?(?:data:|#))""", page) is None  # fonts and images are inline too
