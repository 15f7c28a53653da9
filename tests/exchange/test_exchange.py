"""Export to GeoPackage, KML, ACLED CSV and GeoJSON, and checked import back.

Round trips are read back through pyogrio/geopandas, as QGIS or a notebook
would read them, and through our own importer.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, shape

from geo import io

from geo.exchange import formats as exchange
from geo.exchange import imported, readers
from geo.store.corrections import new_correction

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = (".geojson", ".gpkg", ".kml", ".csv")


@pytest.fixture(scope="module")
def events_fc(gazetteer) -> dict:
    """The seed and the timeline reports parsed, plus one event with no location."""
    from geo.intake.files import parse_files
    from geo.exchange.layers import events_collection

    fc = events_collection(parse_files([ROOT / "seeds", ROOT / "seeds" / "timeline"], gazetteer))
    unplaced = copy.deepcopy(next(f for f in fc["features"]
                                  if f["properties"]["event_type"] == "diplomacy"))
    unplaced["geometry"] = None
    unplaced["properties"].update(id="no-location-1", place=None, place_kind=None, lat=None, lon=None,
                                  date=None)
    fc["features"].append(unplaced)
    return fc


def by_id(fc: dict) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in fc["features"]}


def the(fc: dict, event_type: str, place: str, date: str) -> dict:
    (f,) = [f for f in fc["features"] if f["properties"]["event_type"] == event_type
            and f["properties"]["place"] == place and f["properties"]["date"] == date]
    return f


# ---- round trips ---------------------------------------------------------------
@pytest.mark.parametrize("suffix", FORMATS)
def test_round_trip_keeps_ids_types_places_dates_and_coordinates(events_fc, gazetteer, tmp_path, suffix):
    path = tmp_path / f"events{suffix}"
    assert exchange.export_events(events_fc, path, gazetteer=gazetteer) == len(events_fc["features"])
    back = by_id(readers.read_events_file(path))
    assert set(back) == set(by_id(events_fc))
    for eid, f in by_id(events_fc).items():
        p, q = f["properties"], back[eid]["properties"]
        assert (q["event_type"], q["place"], q["date"], q["actors"]) == (
            p["event_type"], p["place"], p["date"], p["actors"]), eid
        assert (q["certainty"], q["subtype"], q["quote"]) == (p["certainty"], p["subtype"], p["quote"])
        assert q["precision"] == p["precision"], eid  # an oblast-only event stays approximate
        if p["lat"] is None:
            assert q["lat"] is None and back[eid]["geometry"] is None
            continue
        assert q["lat"] == pytest.approx(p["lat"], abs=1e-9)
        assert q["lon"] == pytest.approx(p["lon"], abs=1e-9)
        if suffix == ".csv":  # ACLED rows are points
            assert shape(back[eid]["geometry"]).equals_exact(Point(p["lon"], p["lat"]), 1e-9)
        else:
            assert shape(back[eid]["geometry"]).equals_exact(shape(f["geometry"]), 1e-9), eid


@pytest.mark.parametrize("suffix", FORMATS)
def test_exports_read_with_geopandas(events_fc, gazetteer, tmp_path, suffix):
    path = tmp_path / f"events{suffix}"
    exchange.export_events(events_fc, path, gazetteer=gazetteer)
    if suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        ids = set(frame["event_id_cnty"])
    else:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        frame = pd.concat([gpd.read_file(path, layer=name) for name in layers])
        ids = set(frame["id"])
    assert ids == set(by_id(events_fc))


def test_geopackage_has_one_readable_layer_per_type(events_fc, tmp_path):
    path = tmp_path / "events.gpkg"
    exchange.export_events(events_fc, path)
    types = {f["properties"]["event_type"] for f in events_fc["features"]}
    assert {name for name, _ in pyogrio.list_layers(path)} == types
    for event_type in types:
        frame = pyogrio.read_dataframe(path, layer=event_type)
        assert frame.crs.to_epsg() == 4326
        assert set(frame["event_type"]) == {event_type}
        want = sum(f["properties"]["event_type"] == event_type for f in events_fc["features"])
        assert len(frame) == want
    info = pyogrio.read_info(path, layer="capture")
    assert info["ogr_types"][list(info["fields"]).index("date")] == "OFTDate"
    captures = pyogrio.read_dataframe(path, layer="capture")
    row = captures[(captures["place"] == "Berdiansk") & (captures["date"] == "2022-02-27")].iloc[0]
    assert row.geometry.distance(Point(36.79, 46.76)) < 0.05
    assert row["actors"] == "Russia" and not row["corrected"]


def test_kml_has_a_named_placemark_per_event_with_its_date(events_fc, tmp_path):
    path = tmp_path / "events.kml"
    exchange.export_events(events_fc, path)
    kml = path.read_text(encoding="utf-8")
    assert kml.count("<Placemark") == len(events_fc["features"])
    assert "<name>Capture: Berdiansk</name>" in kml and "<when>2022-02-27" in kml
    frame = pyogrio.read_dataframe(path, layer="capture")
    assert "Capture: Kherson" in set(frame["Name"])
    assert "<name>Diplomacy: unplaced</name>" in kml  # the event with no place


# ---- the ACLED layout -----------------------------------------------------------
@pytest.fixture(scope="module")
def acled(events_fc, gazetteer) -> pd.DataFrame:
    return exchange.acled_frame(events_fc, gazetteer)


def acled_row(acled, event_type, place, date):
    rows = acled[(acled["sitmap_event_type"] == event_type) & (acled["location"] == place)
                 & (acled["event_date"] == date)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_csv_starts_with_acled_columns_in_order(acled):
    assert list(acled.columns[:len(exchange.ACLED_COLUMNS)]) == list(exchange.ACLED_COLUMNS)
    assert list(acled.columns[len(exchange.ACLED_COLUMNS):]) == list(exchange.SITMAP_COLUMNS)


def test_capture_of_berdiansk_in_acled_terms(acled):
    row = acled_row(acled, "capture", "Berdiansk", "2022-02-27")
    assert (row["event_type"], row["sub_event_type"]) == ("Battles", "Non-state actor overtakes territory")
    assert (row["actor1"], row["country"], row["admin1"]) == ("Russia", "Ukraine", "Zaporizka oblast")
    assert (row["year"], row["geo_precision"], row["disorder_type"]) == ("2022", 1, "Political violence")


def test_strikes_and_civilian_harm_in_acled_terms(acled):
    air = acled_row(acled, "strike", "Chernihiv", "2022-03-03")
    assert (air["event_type"], air["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    shell = acled_row(acled, "strike", "Vasylkiv", "2022-02-27")
    assert shell["sub_event_type"] == "Shelling/artillery/missile attack"
    harm = acled_row(acled, "civilian_harm", "Kharkiv", "2022-03-01")
    assert harm["civilian_targeting"] == "Civilian targeting"
    assert "Freedom Square" in harm["notes"]


def test_acled_admin1_is_the_oblast_not_the_donbas_region_over_it(gazetteer, monkeypatch):
    # Donbas's polygon overlaps Donetsk and Luhansk oblasts': a point's admin-1 area is its oblast,
    # whichever of the two polygons comes first
    shapes = gazetteer.admin1_shapes
    monkeypatch.setattr(gazetteer, "admin1_shapes", shapes.loc[["UA.DB", *shapes.index.drop("UA.DB")]])
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"id": place, "event_type": "strike", "place": place, "lat": lat, "lon": lon}}
                for place, lat, lon in (("Kramatorsk", 48.72, 37.56), ("Luhansk", 48.57, 39.31))]
    frame = exchange.acled_frame({"type": "FeatureCollection", "features": features}, gazetteer)
    assert list(frame["admin1"]) == ["Donetska oblast", "Luhanska oblast"]


def test_country_wide_events_are_imprecise_in_acled_terms(acled):
    row = acled_row(acled, "strategic", "Russia", "2022-02-27")
    assert (row["event_type"], row["sub_event_type"], row["geo_precision"]) == (
        "Strategic developments", "Other", 3)
    assert row["country"] == "Russia"


def test_unplaced_undated_event_has_empty_cells_in_csv(acled):
    (row,) = acled[acled["event_id_cnty"] == "no-location-1"].itertuples()
    assert (row.latitude, row.longitude, row.country, row.event_date, row.year) == ("", "", "", "", "")


def test_acled_import_maps_back_to_our_vocabulary():
    fc = readers.read_events_file(DATA / "acled_sample.csv")
    got = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    assert {k: v["event_type"] for k, v in got.items()} == {
        "TEST0001": "strike", "TEST0002": "troop_movement", "TEST0003": "capture",
        "TEST0004": "civilian_harm", "TEST0005": "civilian_harm", "TEST0006": "diplomacy",
        "TEST0007": "protest"}
    assert got["TEST0001"]["date"] == "2022-02-24"  # "24 February 2022"
    assert got["TEST0003"]["actors"] == ["Russia", "Ukraine"]  # "Military Forces of Russia (2000-)"
    assert got["TEST0006"]["actors"] == ["Russia", "Ukraine"]
    assert (got["TEST0003"]["place"], got["TEST0003"]["place_kind"]) == ("Berdiansk", "city")
    assert got["TEST0005"]["place_kind"] == "region"  # geo_precision 2
    assert {v["source"] for v in got.values()} == {"Example Wire"}
    assert {v["imported_from"] for v in got.values()} == {"acled_sample.csv"}


def test_acled_import_feeds_the_place_status():
    from geo.parse.timeline import status_as_of

    fc = readers.read_events_file(DATA / "acled_sample.csv")
    assert "Berdiansk" not in status_as_of(fc, "2022-02-26")["places"]
    state = status_as_of(fc, "2022-02-27")["places"]["Berdiansk"]["states"]["captured"]
    assert state["actor"] == "Russia" and state["event_id"] == "TEST0003"


def test_geojson_from_elsewhere_gets_stable_ids_and_our_types():
    first = readers.read_events_file(DATA / "events_elsewhere.geojson")
    again = readers.read_events_file(DATA / "events_elsewhere.geojson")
    assert [f["properties"]["id"] for f in first["features"]] == [
        f["properties"]["id"] for f in again["features"]]
    props = [f["properties"] for f in first["features"]]
    assert [p["event_type"] for p in props] == ["strike", "battle", "humanitarian", "diplomacy"]
    assert props[1]["id"] == "ext-2" and props[0]["id"] != props[2]["id"]
    assert props[3]["actors"] == ["Russia", "Ukraine"] and first["features"][3]["geometry"] is None
    assert {p["layer"] for p in props} == {"events_elsewhere"}


# ---- corrected values in exports ------------------------------------------------------
def test_exports_show_corrected_values_with_a_flag(events_fc, tmp_path):
    strike = the(events_fc, "strike", "Vasylkiv", "2022-02-27")
    wrong = the(events_fc, "battle", "Hostomel Airport", "2022-02-24")
    fixes = [new_correction("retype", {"event_type": "civilian_harm"}, "ana", feature=strike),
             new_correction("mark_false", {}, "ana", feature=wrong)]
    path = tmp_path / "corrected.gpkg"
    n = exchange.export_events(events_fc, path, fixes)
    assert n == len(events_fc["features"]) - 1
    harm = pyogrio.read_dataframe(path, layer="civilian_harm")
    row = harm[harm["id"] == strike["properties"]["id"]].iloc[0]
    assert bool(row["corrected"]) and row["corrected_fields"] == "event_type"
    assert row["corrected_by"] == "ana"
    strikes = pyogrio.read_dataframe(path, layer="strike")
    assert strike["properties"]["id"] not in set(strikes["id"]) and not strikes["corrected"].any()
    battles = pyogrio.read_dataframe(path, layer="battle")
    assert wrong["properties"]["id"] not in set(battles["id"])


def test_csv_export_carries_the_corrected_flag(events_fc, gazetteer, tmp_path):
    strike = the(events_fc, "strike", "Vasylkiv", "2022-02-27")
    fix = new_correction("retype", {"event_type": "battle"}, "ana", feature=strike)
    path = tmp_path / "corrected.csv"
    exchange.export_events(events_fc, path, [fix], gazetteer=gazetteer)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    row = frame.loc[strike["properties"]["id"]]
    assert (row["event_type"], row["sub_event_type"], row["corrected"]) == ("Battles", "Armed clash", "true")
    assert (frame["corrected"] == "true").sum() == 1


# ---- rejections ---------------------------------------------------------------------
CSV_TEXT = (DATA / "acled_sample.csv").read_text(encoding="utf-8")
GEOJSON = json.loads((DATA / "events_elsewhere.geojson").read_text(encoding="utf-8"))


def _csv_line(n: int, old: str, new: str) -> bytes:
    lines = CSV_TEXT.splitlines(keepends=True)
    assert old in lines[n - 1]
    lines[n - 1] = lines[n - 1].replace(old, new, 1)
    return "".join(lines).encode("utf-8")


def _geojson(feature: int, **change) -> bytes:
    doc = copy.deepcopy(GEOJSON)
    f = doc["features"][feature - 1]
    for key, value in change.items():
        if key == "geometry":
            f["geometry"] = value
        else:
            f["properties"][key] = value
    return json.dumps(doc, indent=1).encode("utf-8")


BOWTIE = {"type": "Polygon", "coordinates": [[[30, 50], [31, 51], [31, 50], [30, 51], [30, 50]]]}
BAD = {
    "csv missing column": ("events.csv", CSV_TEXT.replace(",latitude,", ",lat,", 1).encode(),
                           ["line 1", "missing column", "latitude"]),
    "csv bad coordinates": ("events.csv", _csv_line(3, "46.8489", "46.8x"), ["line 3", "coordinates"]),
    "csv latitude out of range": ("events.csv", _csv_line(4, "46.7558", "146.7558"),
                                  ["line 4", "outside WGS84"]),
    "csv bad date": ("events.csv", _csv_line(5, "2022-03-01", "2022-13-01"), ["line 5", "bad date"]),
    "csv not utf-8": ("events.csv", _csv_line(6, "Irpin", "Irpi\u00f1").replace(
        "Irpi\u00f1".encode(), b"Irpi\xf1"), ["line 6", "not UTF-8"]),
    "csv unknown type": ("events.csv", _csv_line(7, "Strategic developments,Agreement",
                                                 "Ceremonies,Parade"), ["line 7", "unknown event type"]),
    "csv short row": ("events.csv", _csv_line(8, ",Lviv,", ","), ["line 8", "number of fields"]),
    "csv duplicate id": ("events.csv", _csv_line(3, "TEST0002", "TEST0001"), ["line 3", "duplicate id"]),
    "geojson invalid geometry": ("e.geojson", _geojson(2, geometry=BOWTIE),
                                 ["feature 2 (id ext-2)", "invalid geometry", "Self-intersection"]),
    "geojson bad coordinates": ("e.geojson", _geojson(1, geometry={"type": "Point", "coordinates": [200, 50]}),
                                ["feature 1", "outside WGS84"]),
    "geojson broken geometry": ("e.geojson", _geojson(3, geometry={"type": "LineString", "coordinates": 7}),
                                ["feature 3", "not a GeoJSON geometry"]),
    "geojson bad date": ("e.geojson", _geojson(4, date="3rd of March"), ["feature 4 (id ext-4)", "bad date"]),
    "geojson unknown type": ("e.geojson", _geojson(1, event_type="parade"), ["feature 1", "unknown event type"]),
    "geojson bad certainty": ("e.geojson", _geojson(4, certainty="sure"), ["feature 4", "certainty"]),
    "geojson not json": ("e.geojson", b'{"type": "FeatureCollection",\n "features": [,]}',
                         ["line 2", "not JSON"]),
    "geojson not utf-8": ("e.geojson", _geojson(1, place="Kharkiv").replace(b"Kharkiv", b"Kh\xe4rkiv", 1),
                          ["not UTF-8"]),
    "geojson not a collection": ("e.geojson", b'{"type": "Point", "coordinates": [30, 50]}',
                                 ["not a GeoJSON FeatureCollection"]),
    "gpkg not a geopackage": ("e.gpkg", b"SQLite format 3\x00" + b"\x00" * 200, ["e.gpkg", "cannot be"]),
    "empty collection": ("e.geojson", b'{"type": "FeatureCollection", "features": []}', ["no events"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_imports_are_rejected_naming_the_place_and_leave_nothing(tmp_path, case):
    name, data, fragments = BAD[case]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(data)
    out = tmp_path / "out"
    with pytest.raises(io.BadInput) as err:
        imported.import_layer(path, out)
    message = str(err.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    assert not out.exists()


def test_a_rejected_reimport_keeps_the_good_layer(tmp_path):
    good = tmp_path / "feed.csv"
    good.write_text(CSV_TEXT, encoding="utf-8")
    done = imported.import_layer(good, tmp_path / "out")
    target, n = done.path, done.count
    assert target == tmp_path / "out" / "imported" / "feed.gpkg" and n == 7
    before = target.read_bytes()
    good.write_bytes(_csv_line(8, "49.8397", "north"))
    with pytest.raises(io.BadInput, match="line 8"):
        imported.import_layer(good, tmp_path / "out")
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["feed.gpkg"]


def test_unknown_formats_are_refused(events_fc, tmp_path):
    with pytest.raises(io.BadInput, match="unknown export format"):
        exchange.export_events(events_fc, tmp_path / "events.shp")
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(io.BadInput, match="unknown import format"):
        readers.read_events_file(tmp_path / "x.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.xlsx"]


# ---- the CLI -------------------------------------------------------------------------
def geo_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_cli_export_then_import(tmp_path):
    out = tmp_path / "week.gpkg"
    run = geo_cli("export", "seeds", "seeds/timeline", "--out", str(out))
    assert run.returncode == 0, run.stderr
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"capture", "strike", "encirclement"} <= layers
    run = geo_cli("import", str(out), "--out", str(tmp_path / "store"), "--name", "week")
    assert run.returncode == 0, run.stderr
    week = pyogrio.read_dataframe(tmp_path / "store" / "imported" / "week.gpkg")
    assert sum(len(pyogrio.read_dataframe(out, layer=name)) for name in layers) == len(week)
    assert set(week["layer"]) == {"week"} and set(week["imported_from"]) == {"week.gpkg"}


def test_cli_export_applies_a_corrections_log_and_reads_build_folders(seed_build, tmp_path):
    from geo.store.corrections import CorrectionLog

    feature = next(f for f in seed_build["events"]["features"]
                   if f["properties"]["event_type"] == "capture")
    log = CorrectionLog(tmp_path / "corrections.jsonl")
    log.append(new_correction("retype", {"event_type": "battle"}, "ana", feature=feature))
    out = tmp_path / "seed.geojson"
    run = geo_cli("export", str(seed_build["dir"]), "--out", str(out), "--corrections", str(log.path))
    assert run.returncode == 0, run.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    (fixed,) = [f for f in fc["features"] if f["properties"]["id"] == feature["properties"]["id"]]
    assert fixed["properties"]["event_type"] == "battle" and fixed["properties"]["corrected"]
    assert len(fc["features"]) == len(seed_build["events"]["features"])


@pytest.mark.parametrize("args", [("import", "{bad}", "--out", "{store}"),
                                  ("import", "{badgpkg}", "--out", "{store}"), ("export", "{missing}", "--out", "{out}"),
                                  ("export", "seeds", "--out", "{shp}")])
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"event_date,event_type,latitude,longitude\n2022-02-24,Battles,50,x\n")
    (tmp_path / "bad.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    names = {"bad": bad, "badgpkg": tmp_path / "bad.gpkg", "missing": tmp_path / "nowhere", "out": tmp_path / "o.gpkg",
             "shp": tmp_path / "o.shp", "store": tmp_path / "store"}
    run = geo_cli(*(a.format(**names) for a in args))
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "bad.gpkg"]


def test_lone_surrogates_in_a_geojson_import_are_read_as_replacement_characters(tmp_path):
    # "\ud800" is valid JSON but no character: the layer could not be written with it
    path = tmp_path / "e.geojson"
    path.write_bytes(_geojson(1, place="Kharkiv").replace(b'"Kharkiv"', b'"Khar\\ud800kiv\\udfff"', 1))
    done = imported.import_layer(path, tmp_path / "out")
    n = done.count
    places = list(pyogrio.read_dataframe(done.path)["place"])
    assert n == len(GEOJSON["features"]) and "Khar\ufffdkiv\ufffd" in places


def test_without_lone_surrogates_keeps_pairs_and_lengths():
    doc = {"a\udfff": ["x\ud800y", "\U0001F600", 3, None, {"k": "\ud83d"}]}
    assert io.without_lone_surrogates(doc) == {"a\ufffd": ["x\ufffdy", "\U0001F600", 3, None, {"k": "\ufffd"}]}
    assert io.has_lone_surrogate("x\udc00") and not io.has_lone_surrogate("\U0001F600 Kyiv")
