"""``python -m evaluation ukraine --places``: the datasets' own place strings, resolved
as a report would be, on a few rows written here (never the corpora)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

from evaluation import places as pl
from geo import settings

ROWS = [  # (place string, true lat, lon) as UCDP and Bellingcat write them
    ("near the village of Hranitne, Volnovakha district, Donetsk region, Donetsk oblast", 47.46, 37.87),
    ("Snizhnye town, Donetsk oblast", 48.02, 38.76),
    ("Sokolniki settlement, Luhansk oblast", 48.75, 38.87),
    ("Chuhuiv, south of Kharkiv", 49.84, 36.69),
    ("Dontesk", 48.00, 37.80),
]


def test_each_string_is_read_as_a_report_and_measured_against_its_point(gazetteer):
    outcomes = [pl.resolve_row(pl.PlaceRow("t", str(i), text, lat, lon), gazetteer)
                for i, (text, lat, lon) in enumerate(ROWS)]
    assert all(o.hit for o in outcomes), [(o.row.text, o.chosen, o.km) for o in outcomes]
    # the place read is the first settlement: Chuhuiv, not Kharkiv (its reference point)
    assert outcomes[3].chosen.startswith("Chuhuiv")
    s = pl.summary(outcomes)
    assert (s["rows"], s["within"], s["within_pct"]) == (5, 5, 100.0)


def test_a_string_naming_no_place_and_a_wrong_place_are_the_worst_cases(gazetteer):
    rows = [pl.PlaceRow("t", "none", "at the 43rd checkpoint", 48.0, 37.8),
            pl.PlaceRow("t", "far", "Kharkiv", 46.48, 30.72),  # Odesa's point: the coder's slip
            pl.PlaceRow("t", "ok", "Mariupol", 47.10, 37.55)]
    outcomes = [pl.resolve_row(r, gazetteer) for r in rows]
    assert outcomes[0].chosen is None and math.isinf(outcomes[0].km)
    assert outcomes[1].km > 400
    worst = pl.worst(outcomes, 5)
    assert [o.row.row_id for o in worst] == ["none", "far"]
    text = pl.failures_text({"t": outcomes}, 5)
    assert "'at the 43rd checkpoint' -> -, no place" in text and "Kharkiv (city" in text


def test_the_command_reads_both_datasets_from_a_corpora_folder(tmp_path):
    folder = tmp_path / "ukraine"
    folder.mkdir()
    (folder / "ucdp_ged_ukraine.csv").write_text(
        "id,where_description,adm_1,latitude,longitude,where_prec\n"
        '1,"near the village of Opytne, Yasynuvata district, Donetsk region",Donetsk oblast,48.0966,37.7218,1\n'
        "2,Donetsk oblast,Donetsk oblast,48.0,37.8,4\n", "utf-8")
    (folder / "bellingcat_civharm_export_events.json").write_text(json.dumps([
        {"id": "CIV1", "location": "Kirovsky district, Donetsk city", "latitude": "47.98", "longitude": "37.70"},
        {"id": "CIV2", "location": "Unknown", "latitude": "50.0", "longitude": "36.2"},
    ]), "utf-8")
    out = subprocess.run([sys.executable, "-m", "evaluation", "ukraine", "--places", "--corpora", str(tmp_path),
                          "--failures", "3"], capture_output=True, text=True, cwd=settings.ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = {line.split("|")[1].strip(): line for line in out.stdout.splitlines() if line.startswith("| ")}
    # the coarse UCDP row and the Unknown location are not place strings: one row each
    assert lines["UCDP"].split("|")[2].strip() == "1" and lines["Bellingcat"].split("|")[2].strip() == "1"
    assert lines["UCDP"].split("|")[4].strip() == "100.0"
    assert lines["Bellingcat"].split("|")[4].strip() == "100.0"


def test_a_missing_corpora_folder_is_a_one_line_error(tmp_path):
    out = subprocess.run([sys.executable, "-m", "evaluation", "ukraine", "--places", "--corpora",
                          str(tmp_path / "absent")], capture_output=True, text=True, cwd=settings.ROOT, timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("error:")


def test_reachable_counts_a_namesake_no_choice_made_and_not_a_coders_slip(gazetteer):
    rows = [pl.PlaceRow("t", "namesake", "Mykolaiv", 49.52, 23.98),  # the town in Lviv oblast, not the city
            pl.PlaceRow("t", "slip", "Kharkiv", 46.48, 30.72)]  # Odesa's point: no Kharkiv is near it
    namesake, slip = (pl.resolve_row(r, gazetteer) for r in rows)
    assert not namesake.hit and namesake.reach_km < 25
    assert not slip.hit and slip.reach_km > 400
    assert pl.summary([namesake, slip])["reach_pct"] == 50.0
    assert "reachable %" in pl.table({"t": [namesake, slip]})
