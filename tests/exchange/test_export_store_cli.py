"""``python -m geo export --store [URL] --out FILE``: the store's events, as corrected in the dashboard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyogrio

from geo.store.corrections import new_correction
from geo.intake.service import open_seeded

ROOT = Path(__file__).resolve().parents[2]


def geo_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def _corrected_store(folder: Path, gazetteer) -> tuple[str, str]:
    """A seeded store with the Berdiansk capture retyped and the Kyiv encirclement marked false."""
    s = open_seeded(str(folder / "sitmap.sqlite"), gazetteer)
    try:
        feats = s.query_events()["features"]
        capture = next(f for f in feats if f["properties"]["event_type"] == "capture")
        ring = next(f for f in feats if f["properties"]["event_type"] == "encirclement")
        s.add_correction(new_correction("retype", {"event_type": "battle"}, "Olena", feature=capture), 0)
        s.add_correction(new_correction("mark_false", {}, "Olena", feature=ring), 0)
        return capture["properties"]["id"], ring["properties"]["id"]
    finally:
        s.close()


def test_export_store_writes_the_corrected_events(tmp_path, gazetteer):
    capture_id, ring_id = _corrected_store(tmp_path / "store", gazetteer)
    out = tmp_path / "store.gpkg"
    done = geo_cli("export", "--store", f"sqlite:///{tmp_path / 'store' / 'sitmap.sqlite'}", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"11 events -> {out}"  # the seed's 12, less the one marked false
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert "battle" in layers and "encirclement" not in layers and "capture" not in layers
    battle = pyogrio.read_dataframe(out, layer="battle")
    row = battle[battle["id"] == capture_id].iloc[0]
    assert bool(row["corrected"]) and row["corrected_by"] == "Olena" and row["place"] == "Berdiansk"
    strikes = pyogrio.read_dataframe(out, layer="strike")
    assert not strikes["corrected"].astype(bool).any()


def test_export_store_defaults_to_the_store_folder(tmp_path, gazetteer):
    _corrected_store(tmp_path / "store", gazetteer)
    out = tmp_path / "store.csv"
    done = geo_cli("export", "--store", "--out", str(out), env={"SITMAP_STORE_DIR": str(tmp_path / "store")})
    assert done.returncode == 0, done.stderr
    text = out.read_text("utf-8")
    assert "Berdiansk" in text and "Armed clash" in text  # the capture, retyped a battle, in ACLED's terms


def test_export_store_never_creates_a_missing_store(tmp_path):
    missing = tmp_path / "nowhere" / "sitmap.sqlite"
    done = geo_cli("export", "--store", f"sqlite:///{missing}", "--out", str(tmp_path / "x.gpkg"))
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error:") and "no store there" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not missing.exists() and not (tmp_path / "x.gpkg").exists()


def test_export_needs_paths_or_a_store(tmp_path):
    done = geo_cli("export", "--out", str(tmp_path / "x.gpkg"))
    assert done.returncode == 2 and "--store" in done.stderr
