"""Shared fixtures: the gazetteer (loaded once) and the seed report built once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e0b432954ff16db6.txt"


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer.loader import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> dict:
    """The seed built through the real CLI: ``python -m geo build SEED --out DIR``."""
    out = tmp_path_factory.mktemp("seed_build")
    subprocess.run([sys.executable, "-m", "geo", "build", str(SEED), "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    load = lambda p: json.loads((out / p).read_text(encoding="utf-8"))  # noqa: E731
    return {"dir": out, "places": load("places.geojson"), "events": load("events.geojson"),
            "status": load("status.json")}


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
