"""Control files in: each format, dates and kinds from names, and bad files refused by feature."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
import shapely

from geo import io
from geo.control.layers import ControlInputError
from geo.control.read import (
    kind_of_layer,
    read_control_file,
    source_from_path,
)
from tests.control.control_fixtures import (
    kml_document,
    kml_polygon,
    ring,
    write_geojson,
)


@pytest.mark.parametrize("name, date", [
    ("20240801.geojson", "2024-08-01"), ("isw-2024-08-01.kmz", "2024-08-01"),
    ("deepstatemap_data_20240815.geojson", "2024-08-15"), ("front 2024-13-01 v20240102.kml", "2024-01-02"),
    ("control.geojson", None), ("123456789.geojson", None),
])
def test_date_from_file_name(name, date):
    assert io.date_in_name(name) == date


def test_a_report_name_dates_only_in_the_dashed_form_and_only_a_real_day():
    from geo.intake.service import date_from_name

    assert date_from_name("2022-03-02_kharkiv.md") == "2022-03-02"
    assert date_from_name("20220302 kharkiv.md") is None  # eight digits in a title may be anything
    assert date_from_name("2022-02-30_notes.md") is None


def test_kind_of_isw_layer_names():
    assert kind_of_layer("Assessed Russian Control") == "occupied"
    assert kind_of_layer("Claimed Russian Territory in Ukraine") == "claimed"
    assert kind_of_layer("Assessed Russian Advances in Ukraine") == "contested"
    assert kind_of_layer("Reported Ukrainian Partisan Warfare") is None


def test_source_from_name_or_folder(tmp_path):
    (tmp_path / "deepstate").mkdir()
    assert source_from_path(tmp_path / "deepstate" / "20240801.geojson") == "deepstate"
    assert source_from_path(tmp_path / "isw_20240801.kmz") == "isw"


def test_geojson_features_are_one_layer(tmp_path):
    path = write_geojson(tmp_path / "20240801.geojson", shapely.box(37, 47, 38, 48), shapely.box(38, 47, 39, 48))
    result = read_control_file(path)
    (layer,) = result.layers
    assert (layer.date, layer.kind, layer.source) == ("2024-08-01", "occupied", tmp_path.name)
    assert layer.geometry.equals(shapely.box(37, 47, 39, 48))  # the two features as one area


def test_explicit_date_kind_and_source_win(tmp_path):
    path = write_geojson(tmp_path / "20240801.geojson", shapely.box(37, 47, 38, 48))
    (layer,) = read_control_file(path, date="2024-09-02", kind="claimed", source="ISW").layers
    assert (layer.date, layer.kind, layer.source) == ("2024-09-02", "claimed", "ISW")


def test_geopackage(tmp_path):
    path = tmp_path / "drawn_2024-08-03.gpkg"
    gpd.GeoDataFrame({"note": ["a"]}, geometry=[shapely.box(37, 47, 38, 48)], crs=4326).to_file(path, layer="occupied")
    (layer,) = read_control_file(path).layers
    assert layer.date == "2024-08-03" and layer.geometry.equals(shapely.box(37, 47, 38, 48))


def test_kmz_folders_become_kinds(tmp_path):
    doc = kml_document({
        "Assessed Russian Control": [kml_polygon("a", ring(37, 47, 38, 48)), kml_polygon("b", ring(38, 47, 39, 48))],
        "Claimed Russian Territory": [kml_polygon("c", ring(39, 47, 39.5, 48))],
        "Reported Ukrainian Partisan Warfare": [kml_polygon("d", ring(33, 45, 33.1, 45.1))],
    })
    path = tmp_path / "isw_20240810.kmz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("doc.kml", doc)
    result = read_control_file(path)
    kinds = {layer.kind: layer for layer in result.layers}
    assert set(kinds) == {"occupied", "claimed"}
    assert kinds["occupied"].geometry.equals(shapely.box(37, 47, 39, 48))
    assert kinds["claimed"].source == "isw" and kinds["claimed"].date == "2024-08-10"
    assert result.skipped == ["Reported Ukrainian Partisan Warfare"]


def test_kml_file(tmp_path):
    path = tmp_path / "20240805.kml"
    path.write_text(kml_document({"Occupied": [kml_polygon("a", ring(37, 47, 38, 48))]}), encoding="utf-8")
    (layer,) = read_control_file(path).layers
    assert layer.kind == "occupied" and layer.geometry.equals(shapely.box(37, 47, 38, 48))


def test_same_file_same_hash_other_file_other_hash(tmp_path):
    a = write_geojson(tmp_path / "20240801.geojson", shapely.box(37, 47, 38, 48))
    first = read_control_file(a).layers[0].sha256
    assert read_control_file(a).layers[0].sha256 == first
    write_geojson(a, shapely.box(37, 47, 38.5, 48))
    assert read_control_file(a).layers[0].sha256 != first


@pytest.mark.parametrize("geometry, reason", [
    (shapely.Point(37, 47), "feature 2 (Bakhmut): a Point, not a polygon"),
    (shapely.Polygon([(37, 47), (38, 48), (38, 47), (37, 48), (37, 47)]), "feature 2 (Bakhmut): invalid polygon (Self-intersection"),
    (shapely.box(37, 47, 190, 48), "feature 2 (Bakhmut): coordinates outside WGS84"),
])
def test_bad_feature_is_named(tmp_path, geometry, reason):
    path = write_geojson(tmp_path / "20240801.geojson", shapely.box(30, 45, 31, 46), geometry,
                         props=[{"name": "ok"}, {"name": "Bakhmut"}])
    with pytest.raises(ControlInputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        read_control_file(path)


def test_no_date_is_refused(tmp_path):
    path = write_geojson(tmp_path / "control.geojson", shapely.box(37, 47, 38, 48))
    with pytest.raises(ControlInputError, match="no YYYYMMDD or YYYY-MM-DD date"):
        read_control_file(path)


def test_not_a_map_file_is_refused(tmp_path):
    path = tmp_path / "20240801.geojson"
    path.write_text("this is not json", encoding="utf-8")
    with pytest.raises(ControlInputError, match="cannot be read"):
        read_control_file(path)


XXE = '<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


@pytest.mark.parametrize("prolog", [XXE, LAUGHS])
@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_with_entities_is_refused(tmp_path, prolog, suffix):
    doc = kml_document({"Occupied": [kml_polygon("&xxe;" if prolog == XXE else "&lol3;", ring(37, 47, 38, 48))]},
                       prolog=prolog)
    path = tmp_path / f"20240801{suffix}"
    if suffix == ".kml":
        path.write_text(doc, encoding="utf-8")
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("doc.kml", doc)
    with pytest.raises(ControlInputError, match="DTD or entities"):
        read_control_file(path)
