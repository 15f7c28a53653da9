"""The embedded event store: seeding, idempotent ingest, atomic writes, filters, status."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from geo.store import sqlite as store_module
from geo.records import Event, Report, Result
from geo.store import EventFilter, SQLiteStore, StoreError, open_store, where_clause

SEED_NAME = "000_e0b432954ff16db6.txt"


def _types(fc: dict) -> list[str]:
    return sorted(f["properties"]["event_type"] for f in fc["features"])


def test_a_new_store_holds_the_seed_once(store, tmp_path, gazetteer):
    reports = store.list_reports()
    assert [(r.source, r.date, r.war_day) for r in reports] == [(SEED_NAME, "2022-02-28", 5)]
    assert reports[0].events == store.count_events() >= 10
    again = SQLiteStore(store.path, gazetteer=gazetteer)  # a second open seeds nothing
    assert [r.id for r in again.list_reports()] == [reports[0].id]
    again.close()


def test_a_removed_seed_does_not_come_back(store, gazetteer):
    rid = store.list_reports()[0].id
    assert store.remove_report(rid)
    assert store.count_events() == 0
    reopened = SQLiteStore(store.path, gazetteer=gazetteer)
    assert reopened.list_reports() == []
    assert reopened.remove_report(rid) is False
    reopened.close()


def test_the_same_text_twice_is_stored_once(store, seed_text, gazetteer):
    before = (store.count_events(), store.revision())
    rid = store.add_report(seed_text, "copy.txt", gazetteer=gazetteer)
    assert rid == store.list_reports()[0].id
    assert (store.count_events(), store.revision()) == before


def test_two_reports_with_one_name_get_two_names(store, gazetteer):
    a = store.add_report("Explosions were heard in Odesa.", "note.txt", gazetteer=gazetteer)
    b = store.add_report("Explosions were heard in Lviv.", "note.txt", gazetteer=gazetteer)
    names = {r.id: r.source for r in store.list_reports()}
    assert names[a] == "note.txt" and names[b] == "note (2).txt"
    # event ids hash the source name, so both reports keep their events
    assert store.count_events(EventFilter(sources=("note.txt", "note (2).txt"))) == 2


def test_a_crash_mid_ingest_leaves_no_half_report(store, monkeypatch, gazetteer):
    before = (store.list_reports(), store.count_events(), store.revision())
    real = store_module._upsert_event
    calls = {"n": 0}

    def failing(con, ev, rid):
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real(con, ev, rid)

    monkeypatch.setattr(store_module, "_upsert_event", failing)
    with pytest.raises(sqlite3.OperationalError):
        store.add_report("Shelling hit Kharkiv and Sumy; fighting near Chernihiv.", "crash.txt",
                         gazetteer=gazetteer)
    assert calls["n"] == 2
    assert (store.list_reports(), store.count_events(), store.revision()) == before


def test_a_reparse_replaces_a_reports_events(store):
    report = Report("r1", "x", "r1.txt", "2022-03-01")
    event = lambda eid, place: Event(eid, "strike", None, place, {"type": "Point", "coordinates": [30, 50]},  # noqa: E731
                                     (), "2022-03-01", "confirmed", None, "q", 0, 1, source="r1.txt")
    store.add_results([Result(report, (), (event("a", "X"), event("b", "Y")))], ["x"])
    store.add_results([Result(report, (), (event("b", "Y2"),))], ["x"])
    fc = store.query_events(EventFilter(sources=("r1.txt",)))
    assert [(f["id"], f["properties"]["place"]) for f in fc["features"]] == [("b", "Y2")]


@pytest.mark.parametrize(("selection", "expected"), [
    (EventFilter(types=("strike",)), ["strike", "strike"]),
    (EventFilter(types=()), []),
    (EventFilter(certainty=("claimed",)), ["encirclement"]),
    (EventFilter(actors=("Ukraine",), types=("mobilization", "strategic")), ["mobilization", "mobilization"]),
    (EventFilter(text="SURROUNDED"), ["capture", "encirclement"]),
    (EventFilter(text="100%_"), []),  # LIKE wildcards are matched literally
    (EventFilter(date_from="2022-03-01"), []),
    (EventFilter(date_to="2022-02-28", types=("capture",)), ["capture"]),
    (EventFilter(sources=("nope.txt",)), []),
])
def test_filters_select_in_the_store(store, selection, expected):
    fc = store.query_events(selection)
    assert _types(fc) == sorted(expected)
    assert store.count_events(selection) == len(fc["features"])
    assert sum(store.counts_by_type(selection).values()) == len(fc["features"])


def test_a_box_selects_what_lies_in_it(store):
    # around Berdiansk: its capture, and the countries whose shapes cover it
    fc = store.query_events(EventFilter(bbox=(36.0, 46.5, 37.0, 47.0)))
    places = {f["properties"]["place"] for f in fc["features"]}
    assert "Berdiansk" in places and "Ukraine" in places
    assert not places & {"Kyiv", "Kharkiv", "Belarus"}


def test_filters_use_the_indexes(store):
    con = store._con()
    for selection, index in ((EventFilter(types=("strike",), date_from="2022-02-01"), "events_type_date"),
                             (EventFilter(date_from="2022-02-01"), "events_date"),
                             (EventFilter(bbox=(30, 50, 31, 51)), "events_bbox")):
        cond, args = where_clause(selection)
        plan = " ".join(str(r) for r in con.execute(f"EXPLAIN QUERY PLAN SELECT * FROM events e WHERE {cond}", args))
        assert index in plan, plan


def test_status_is_the_seeds(store):
    s = store.status()
    assert s["war_day"] == 5 and s["report_date"] == "2022-02-28"
    assert s["places"]["Berdiansk"]["summary"] == "captured (Russia)"
    assert "encircled (claimed by the Mayor of Kyiv)" in s["places"]["Kyiv"]["summary"]
    assert {h["key"] for h in s["headlines"]} >= {"no_major_city_captured", "talks_ended", "nuclear_alert",
                                                   "exit_ban", "eu_accession"}
    assert s["counts"]["strike"] == 2 and s["total_events"] == store.count_events()


def test_status_follows_the_filters(store):
    s = store.status(EventFilter(types=("capture",)))
    assert set(s["places"]) == {"Berdiansk"} and s["counts"] == {"capture": 1}
    assert store.status(EventFilter(date_to="2022-02-27"))["war_day"] is None


def test_aggregation_keeps_every_event(store):
    cells = store.aggregate(EventFilter(), 1.0)
    assert sum(c.count for c in cells) == store.count_events()
    shapes = [c for c in cells if c.geometry]
    assert {c.places for c in shapes} >= {("Ukraine",), ("Russia",), ("Belarus",)}


def test_two_threads_write_at_once(store, gazetteer):
    texts = [f"Shelling was reported in {city}." for city in ("Kherson", "Sumy", "Poltava", "Chernihiv")]
    errors = []

    def add(text):
        try:
            store.add_report(text, f"{text.split()[-1]}txt", gazetteer=gazetteer)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.list_reports()) == 5


def test_store_urls(tmp_path, gazetteer, monkeypatch):
    path = tmp_path / "a" / "s.sqlite"
    monkeypatch.setattr(store_module.settings, "SEEDS_DIR", tmp_path / "no-seeds")
    assert open_store(f"sqlite:///{path}").path == path
    assert open_store(str(path)).path == path
    with pytest.raises(StoreError, match="no store backend"):
        open_store("mongodb://localhost/sitmap")
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Sitmap store"):
        open_store(str(bad))


def test_the_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SITMAP_STORE", raising=False)
    monkeypatch.setenv("SITMAP_STORE_DIR", str(tmp_path / "x"))
    assert store_module.default_store_url() == str(tmp_path / "x" / "sitmap.sqlite")
    monkeypatch.delenv("SITMAP_STORE_DIR")
    monkeypatch.setenv("SITMAP_DATA_DIR", str(tmp_path / "d"))
    assert store_module.default_store_url() == str(tmp_path / "d" / "store" / "sitmap.sqlite")
    monkeypatch.setenv("SITMAP_STORE", "sqlite:////elsewhere.sqlite")
    assert store_module.default_store_url() == "sqlite:////elsewhere.sqlite"
