"""Both store backends for the control tests (PostGIS needs SITMAP_TEST_PG_URL; make test sets it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_URL = os.environ.get("SITMAP_TEST_PG_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(params=["sqlite", "postgis"])
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh store of each backend (PostGIS: a schema of its own, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but SITMAP_TEST_PG_URL is not set: run through `make test`")
        pytest.skip("no PostGIS server: set SITMAP_TEST_PG_URL (make test starts one)")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
