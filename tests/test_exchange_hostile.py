"""Issue 20, points 4, 7, 9-12: exports carry no live HTML; imports at real sizes, as an attacker sends them.

- KML text is escaped for viewers that render it as HTML; GeoPackage and
  GeoJSON keep the text verbatim; the offline map page escapes it.
- An import streams (bounded memory), is stored compactly, is never cut,
  never replaces a layer, keeps the analyst's file name, and a bad one gets
  one plain sentence: no server path, no exception name.
"""

from __future__ import annotations

import csv
import io as stdio
import json
import random
import re
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest

from geo import io
from geo.exchange import formats as exchange
from geo.exchange import imported
from geo.store.sqlite import EventFilter

PAYLOAD = "<img src=x onerror=alert('p1')><script>alert(2)</script>"
ACLED_HEADER = exchange.ACLED_COLUMNS


def _hostile_events() -> dict:
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [36.79, 46.76]},
        "properties": {"id": "h1", "event_type": "capture", "place": f"Berdiansk {PAYLOAD}",
                       "actors": [f"Russia{PAYLOAD}"], "date": "2022-02-28", "certainty": "reported",
                       "quote": f"Russia captured Berdiansk {PAYLOAD}", "source": f"r{PAYLOAD}.txt"}}]}


def test_kml_text_reaches_no_viewer_as_markup(tmp_path):
    path = tmp_path / "e.kml"
    exchange.export_events(_hostile_events(), path)
    raw = path.read_text(encoding="utf-8")
    assert "<img" not in raw and "<script" not in raw
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(raw.encode("utf-8"))
    texts = [e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] in
             ("description", "name", "value", "SimpleData")]
    assert any("onerror" in t for t in texts)
    # what a viewer gets after the XML layer (CDATA included) holds no tag at all
    assert all("<" not in t for t in texts), [t for t in texts if "<" in t]
    assert root.find(".//k:Placemark", ns) is not None


def test_kml_round_trip_gives_the_text_back(tmp_path):
    path = tmp_path / "e.kml"
    exchange.export_events(_hostile_events(), path)
    back = exchange.read_events_file(path)["features"][0]["properties"]
    assert back["quote"] == f"Russia captured Berdiansk {PAYLOAD}"


def test_geopackage_and_geojson_keep_the_text_verbatim(tmp_path):
    exchange.export_events(_hostile_events(), tmp_path / "e.gpkg")
    exchange.export_events(_hostile_events(), tmp_path / "e.geojson")
    frame = pyogrio.read_dataframe(tmp_path / "e.gpkg", layer="capture")
    assert frame["quote"][0] == f"Russia captured Berdiansk {PAYLOAD}"
    fc = json.loads((tmp_path / "e.geojson").read_text(encoding="utf-8"))
    assert fc["features"][0]["properties"]["quote"].endswith(PAYLOAD)


def test_the_offline_map_page_carries_the_payload_only_escaped():
    from dashboard import mapview
    from dashboard.offline import offline_page
    from geo.store.sqlite import Facets

    fc = _hostile_events()
    content = mapview.group_events(fc)
    facets = Facets(types=("capture",), actors=(), certainties=("reported",), sources=(),
                    date_min="2022-02-28", date_max="2022-02-28", bbox=(36.7, 46.7, 36.9, 46.8))
    page = offline_page(mapview.full_map(facets, content))
    assert "onerror=alert" in page.replace("\\u003d", "=") or "onerror" in page
    assert "<img src=x" not in page and "<script>alert(2)" not in page


# -- imports --------------------------------------------------------------------------


def acled_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """An ACLED-shaped CSV of ``rows`` invented events around Ukraine (no ACLED content)."""
    rnd = random.Random(seed)
    kinds = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Strategic developments", "Agreement"), ("Protests", "Peaceful protest")]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(ACLED_HEADER)
        for i in range(rows):
            etype, sub = kinds[i % len(kinds)]
            day = 24 + i % 5
            row = {c: "" for c in ACLED_HEADER}
            row.update({"event_id_cnty": f"T{i:07d}", "event_date": f"2022-02-{day}", "year": "2022",
                        "event_type": etype, "sub_event_type": sub,
                        "actor1": "Military Forces of Russia (2000-)", "location": f"Place {i % 997}",
                        "latitude": f"{44.5 + rnd.random() * 7:.4f}", "longitude": f"{22.5 + rnd.random() * 17:.4f}",
                        "geo_precision": "1", "source": "Example Wire",
                        "notes": f"Invented event number {i} for the import tests."})
            w.writerow([row[c] for c in ACLED_HEADER])
    return path


def test_a_big_import_is_compact_and_never_cut(tmp_path):
    src = acled_csv(tmp_path / "big.csv", 20_000)
    done = exchange.import_events(src, tmp_path / "store")
    assert done.count == 20_000 and done.path.suffix == ".gpkg"
    # the GeoJSON layers were 5x their CSV; the GeoPackage is about its size
    assert done.path.stat().st_size < 1.6 * src.stat().st_size, (done.path.stat().st_size, src.stat().st_size)
    from dashboard.imports_ui import layer_content

    content, total = layer_content(done.path, done.layer, EventFilter())
    assert total == 20_000 and content.total == 20_000 and content.aggregated
    assert sum(layer.events for layer in content.layers) == 20_000
    battles, _ = layer_content(done.path, done.layer, EventFilter(types=("battle",), date_to="2022-02-25"))
    assert battles.total == sum(1 for i in range(20_000) if i % 4 == 0 and 24 + i % 5 <= 25)


def _peak_import(src: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        exchange.import_events(src, out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_import_memory_stays_bounded(tmp_path):
    small = _peak_import(acled_csv(tmp_path / "small.csv", 6_000), tmp_path / "a")
    large = _peak_import(acled_csv(tmp_path / "large.csv", 36_000), tmp_path / "b")
    # six times the rows, not six times the memory: only the ids are kept whole
    assert large < 2.0 * small, (small, large)


def test_a_name_in_use_is_kept_and_the_new_layer_named(tmp_path):
    from dashboard.imports_ui import import_upload

    folder = tmp_path / "store" / "imported"
    kml = tmp_path / "x.kml"
    exchange.export_events(_hostile_events(), kml)
    ok, first = import_upload(folder, "xss.kml", kml.read_bytes())
    assert ok and '"Imported: xss"' in first
    rows = "event_date,event_type,latitude,longitude,location\n2022-02-27,Battles,47.1,37.5,Mariupol\n"
    ok, second = import_upload(folder, "xss.csv", rows.encode())
    assert ok and '"Imported: xss_2"' in second and 'a layer "xss" already exists' in second
    assert sorted(p.name for p in folder.iterdir()) == ["xss.gpkg", "xss_2.gpkg"]
    # provenance: the analyst's file name, not the upload's temporary one
    assert set(pyogrio.read_dataframe(folder / "xss.gpkg")["imported_from"]) == {"xss.kml"}
    assert set(pyogrio.read_dataframe(folder / "xss_2.gpkg")["imported_from"]) == {"xss.csv"}


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&xxe;</name>
<Point><coordinates>30,50</coordinates></Point></Placemark></Document></kml>"""


def _one_plain_sentence(message: str, name: str) -> None:
    assert message.startswith(name) and "\n" not in message
    assert not re.search(r"(?<![\w.])/(?:tmp|work|root|home|etc|var)\b", message), message
    assert not re.search(r"\b\w+Error\b|Traceback|\.upload-", message), message


REFUSED = [
    ("xxe.kml", XXE),
    ("deep.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                     b'{"event_type": "strike", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, "geometry": null}]}'),
    ("deeper.geojson", b"[" * 200_000 + b"]" * 200_000),
    ("broken.gpkg", b"SQLite format 3\x00" + b"\x00" * 500),
    ("bad.csv", b"event_date,event_type,latitude,longitude\n2022-02-27,Battles,north,37.5\n"),
]


@pytest.mark.parametrize("name, data", REFUSED, ids=[n for n, _ in REFUSED])
def test_refusals_are_one_plain_sentence(tmp_path, name, data):
    from dashboard.imports_ui import import_upload

    folder = tmp_path / "store" / "imported"
    ok, message = import_upload(folder, name, data)
    assert not ok
    _one_plain_sentence(message, name)
    assert not folder.exists() or not any(folder.iterdir())


def test_the_cli_import_says_which_name_it_took(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    src = acled_csv(tmp_path / "feed.csv", 3)
    run = lambda: subprocess.run([sys.executable, "-m", "geo", "import", str(src), "--out", str(tmp_path / "s")],  # noqa: E731
                                 cwd=root, capture_output=True, text=True, timeout=120)
    assert run().returncode == 0
    second = run()
    assert second.returncode == 0 and "feed_2" in second.stderr and "already exists" in second.stderr
