"""``python -m geo control import|diff|line``: outputs and exit codes, on both backends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import shapely

from geo.__main__ import main
from geo.control.storage import open_control_store
from tests.control.control_fixtures import write_geojson

ROOT = Path(__file__).resolve().parents[2]
# an occupied area west of Donetsk; by the 31st it reaches past Niu-York (37.84 E, 48.33 N)
FIRST = shapely.segmentize(shapely.box(37.9, 47.9, 38.6, 48.5), 0.01)
LATER = shapely.segmentize(shapely.box(37.8, 47.9, 38.6, 48.5), 0.01)


def layers(tmp_path: Path) -> list[str]:
    folder = tmp_path / "handmade"
    folder.mkdir()
    return [str(write_geojson(folder / "20240801.geojson", FIRST)),
            str(write_geojson(folder / "2024-08-31.geojson", LATER))]


def test_import_diff_and_line(store_url, tmp_path, capsys):
    files = layers(tmp_path)
    assert main(["control", "import", *files, "--store", store_url]) == 0
    assert "2 added" in capsys.readouterr().err
    assert main(["control", "import", *files, "--store", store_url]) == 0
    assert "0 added, 0 replaced, 2 unchanged" in capsys.readouterr().err

    assert main(["control", "diff", "2024-08-15", "2024-09-10", "--store", store_url]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["from"], out["to"]) == ("2024-08-01", "2024-08-31")  # the layers in force
    assert 485 < out["gained_km2"] < 505 and out["lost_km2"] == 0  # 0.1° x 0.6° at 48°N: 7.4 x 66.7 km
    assert out["area_km2"]["to"] > out["area_km2"]["from"]
    assert {"name": "Niu-York", "gazetteer_id": "geonames:699751", "change": "gained"} in out["settlements"]
    assert all(s["change"] == "gained" for s in out["settlements"])
    # the box's four sides face held ground: about 2 x 52 + 2 x 67 km
    assert 200 < out["front_line_km"]["from"] < 260

    target = tmp_path / "line.geojson"
    assert main(["control", "line", "2024-08-31", "--out", str(target), "--store", store_url]) == 0
    fc = json.loads(target.read_text(encoding="utf-8"))
    props = fc["features"][0]["properties"]
    assert props["date"] == "2024-08-31" and props["source"] == "handmade"
    assert "LineString" in fc["features"][0]["geometry"]["type"]
    assert props["length_km"] == out["front_line_km"]["to"]


def test_bad_input_exits_2_with_one_line(store_url, tmp_path, capsys):
    files = layers(tmp_path)
    bad = write_geojson(tmp_path / "20240901.geojson", shapely.box(37, 47, 38, 48), shapely.Point(37, 47))
    # a bad file among good ones: refused, naming the feature, and nothing is written
    assert main(["control", "import", *files, str(bad), "--store", store_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "20240901.geojson, feature 2: a Point, not a polygon" in err
    with open_control_store(store_url) as store:
        assert store.layers() == []

    assert main(["control", "import", *files, "--store", store_url]) == 0
    capsys.readouterr()
    for argv, reason in [
        (["diff", "2024-08-1", "2024-08-31"], "bad date '2024-08-1'"),
        (["diff", "2024-07-01", "2024-08-31"], "no occupied-area layer on or before 2024-07-01"),
        (["line", "2024-02-30", "--out", str(tmp_path / "x.geojson")], "bad date"),
        (["import", str(tmp_path / "missing_20240801.geojson")], "no such file"),
        (["import", *files, "--date", "yesterday"], "bad date 'yesterday'"),
    ]:
        assert main(["control", *argv, "--store", store_url]) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and reason in err, (argv, err)
    assert not (tmp_path / "x.geojson").exists()


def test_the_command_line_itself(tmp_path):
    """Through a real process: the exit code and stderr a shell sees."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    run = lambda *a: subprocess.run([sys.executable, "-m", "geo", "control", *a, "--store", url],
                                    cwd=ROOT, capture_output=True, text=True)
    done = run("import", *layers(tmp_path))
    assert done.returncode == 0, done.stderr
    bad = run("diff", "2024-08-01", "31/08/2024")
    assert bad.returncode == 2 and bad.stderr.strip() == "error: bad date '31/08/2024': use YYYY-MM-DD"
    assert "Traceback" not in bad.stderr
