"""Shared fixtures: the gazetteer (loaded once) and the seed report built once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
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


# -- both store backends -------------------------------------------------------------

PG_URL = os.environ.get("SITMAP_TEST_PG_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgis_url() -> Iterator[str]:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but SITMAP_TEST_PG_URL is not set: run the suite through `make test`, "
                        "which starts PostgreSQL with PostGIS")
        pytest.skip("no PostGIS server: set SITMAP_TEST_PG_URL (make test starts one)")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgis"])
def store_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        yield from _postgis_url()


@pytest.fixture
def store(store_url):
    """An empty store of each backend (tests/dashboard has its own, seeded, SQLite one)."""
    from geo.store import open_store

    s = open_store(store_url)
    yield s
    s.close()


