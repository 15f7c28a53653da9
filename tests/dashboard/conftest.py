"""Fixtures for the dashboard tests: a seeded store in a temporary folder, and the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture
def store(tmp_path, gazetteer):
    """A fresh embedded store, seeded with the bundled report."""
    from geo.intake.service import open_seeded

    s = open_seeded(str(tmp_path / "store" / "sitmap.sqlite"), gazetteer)
    yield s
    s.close()


@pytest.fixture
def app(tmp_path, monkeypatch, gazetteer):
    """``dashboard/app.py`` under AppTest, on a store of its own in ``tmp_path``."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SITMAP_STORE_DIR", str(tmp_path / "app-store"))
    monkeypatch.delenv("SITMAP_STORE", raising=False)
    monkeypatch.setenv("SITMAP_MAP_HEAD_START", "0")  # a pause for the browser; AppTest has none
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.store_dir = tmp_path / "app-store"
    # the analyst has opened the folded panels: their content is only built while open
    # (test_folded_panels_are_built_when_opened covers the folded default)
    for key in PANELS:
        at.session_state[key] = True
    return at


PANELS = ("panel_edit", "panel_intake", "panel_reports", "panel_imports")


@pytest.fixture
def map_args():
    """A function: the st_folium arguments of an AppTest run (``script``, ``feature_group``...)."""
    return _map_args


def _map_args(at) -> dict:
    found = [el for el in _walk(at._tree) if type(el).__name__ == "UnknownElement"
             and getattr(el.proto, "json_args", None) and "feature_group" in el.proto.json_args]
    assert len(found) == 1, f"expected one map, found {len(found)}"
    return json.loads(found[0].proto.json_args)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
