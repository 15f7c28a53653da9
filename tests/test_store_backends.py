"""One store suite, run against both backends: the embedded SQLite store and PostGIS.

The PostGIS runs need a server: ``make test`` starts a throwaway one and sets
``SITMAP_TEST_PG_URL``.  Without that URL they skip, except in CI (``CI=true``),
where a missing server is a failure.  Each test gets a schema of its own.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
from shapely.errors import GeometryTypeError

from geo.store.corrections import new_correction
from geo.records import Event, Place, Report, Result
from geo.store import ConflictError, EventFilter, EventNotFoundError, Store, open_store

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
def store(store_url) -> Iterator[Store]:
    s = open_store(store_url)
    yield s
    s.close()


# -- reports made by hand, so the expected events are known exactly ---------


def point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


CRIMEA_BOX = {"type": "Polygon", "coordinates": [[[33.0, 44.5], [36.0, 44.5], [36.0, 46.0],
                                                  [33.0, 46.0], [33.0, 44.5]]]}


def event(eid: str, etype: str, place: str | None, geometry: dict | None, date: str | None,
          actors: tuple[str, ...], quote: str, source: str = "week.txt") -> Event:
    lon, lat = (geometry["coordinates"] if geometry and geometry["type"] == "Point" else (None, None))
    return Event(id=eid, event_type=etype, subtype=None, place=place, geometry=geometry, actors=actors,
                 date=date, certainty="reported", attributed_to=None, quote=quote, start=0,
                 end=len(quote), source=source, place_kind="city" if place else None, lat=lat, lon=lon)


WEEK = (
    event("s1", "strike", "Kharkiv", point(36.25, 49.99), "2022-03-01", ("Russia",),
          "Missiles hit Kharkiv overnight."),
    event("s2", "strike", "Kyiv", point(30.52, 50.45), "2022-03-02", ("Russia",),
          "Shelling reached the suburbs of Kyiv."),
    event("b1", "battle", "Mariupol", point(37.55, 47.10), "2022-03-02", ("Russia", "Ukraine"),
          "Fighting continued in Mariupol."),
    event("c1", "capture", "Kherson", point(32.62, 46.64), "2022-03-03", ("Russia",),
          "Russian troops took Kherson."),
    event("h1", "humanitarian", "Lviv", point(24.03, 49.84), "2022-03-04", ("Ukraine",),
          "Trains left Lviv_west at 100% capacity."),
    event("t1", "strategic", "Crimea", CRIMEA_BOX, "2022-03-04", ("Russia",),
          "Air defences were moved across Crimea."),
    event("d1", "diplomacy", None, None, None, (), "Talks were announced."),
)


def result(events: tuple[Event, ...] = WEEK, source: str = "week.txt", text: str | None = None,
           places: tuple[Place, ...] = ()) -> Result:
    text = text or " ".join(e.quote for e in events) or f"an empty report called {source}"
    from geo.store import report_key

    events = tuple(Event(**{**e.to_dict(), "actors": e.actors, "source": source}) for e in events)
    return Result(Report(report_key(text), text, source, "2022-03-04"), places, events)


def ids(fc: dict) -> set[str]:
    return {f["properties"]["id"] for f in fc["features"]}


# -- ingest ---------------------------------------------------------------------


def test_ingesting_a_report_twice_stores_it_once(store):
    first = store.add_results([result()])
    revision = store.revision()
    again = store.add_results([result()])
    assert again == first
    assert [r.events for r in store.list_reports()] == [len(WEEK)]
    assert store.count_events() == len(WEEK)
    assert store.revision() > revision  # a write happened, so caches refresh; nothing was added


def test_a_reparse_that_finds_fewer_events_drops_the_missing_ones(store):
    store.add_results([result()])
    fewer = result()
    store.add_results([Result(fewer.report, (), fewer.events[:3])])
    assert ids(store.query_events()) == {"s1", "s2", "b1"}


def test_the_same_text_parsed_twice_through_add_report_is_one_report(store, gazetteer, seed_text):
    rid = store.add_report(seed_text, "day5.txt", None, gazetteer)
    assert store.add_report(seed_text, "copy-of-day5.txt", None, gazetteer) == rid
    assert [r.source for r in store.list_reports()] == ["day5.txt"]
    assert store.report_text(rid) == seed_text
    assert store.count_events() == store.list_reports()[0].events > 0


# -- filters run in the store ---------------------------------------------------------

FILTERS = {
    "everything": (EventFilter(), {"s1", "s2", "b1", "c1", "h1", "t1", "d1"}),
    "one type": (EventFilter(types=("strike",)), {"s1", "s2"}),
    "no type": (EventFilter(types=()), set()),
    "dates": (EventFilter(date_from="2022-03-02", date_to="2022-03-03"), {"s2", "b1", "c1"}),
    "actor": (EventFilter(actors=("Ukraine",)), {"b1", "h1"}),
    "bbox": (EventFilter(bbox=(35.0, 47.0, 38.0, 50.5)), {"s1", "b1"}),
    "bbox on an area's corner": (EventFilter(bbox=(33.1, 44.6, 33.5, 45.0)), {"t1"}),
    "text, any case": (EventFilter(text="KHARKIV"), {"s1"}),
    "text with % and _": (EventFilter(text="lviv_west at 100%"), {"h1"}),
    "a wildcard is a letter": (EventFilter(text="100_"), set()),
    "type + date + bbox": (EventFilter(types=("strike", "battle"), date_from="2022-03-02",
                                       bbox=(30.0, 47.0, 38.0, 51.0)), {"s2", "b1"}),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filters_return_exactly_the_expected_events(store, name):
    store.add_results([result()])
    flt, expected = FILTERS[name]
    assert ids(store.query_events(flt)) == expected
    assert store.count_events(flt) == len(expected)
    assert sum(store.counts_by_type(flt).values()) == len(expected)


def test_events_come_back_as_they_went_in(store):
    store.add_results([result()])
    (feature,) = store.query_events(EventFilter(types=("battle",)))["features"]
    assert feature["geometry"] == point(37.55, 47.10)
    props = feature["properties"]
    assert (props["place"], props["date"], props["actors"], props["quote"]) == (
        "Mariupol", "2022-03-02", ["Russia", "Ukraine"], "Fighting continued in Mariupol.")
    assert (props["corrected"], props["version"]) == (False, 0)
    assert store.facets().actors == ("Russia", "Ukraine")
    assert (store.facets().date_min, store.facets().date_max) == ("2022-03-01", "2022-03-04")


# -- removal ------------------------------------------------------------------------------


def test_removing_a_report_takes_its_events_and_leaves_the_others(store):
    other = result((event("x1", "protest", "Tbilisi", point(44.79, 41.72), "2022-03-01", (),
                          "Crowds gathered in Tbilisi."),), source="other.txt")
    week_id, other_id = store.add_results([result(), other])
    assert store.remove_report(week_id) is True
    assert ids(store.query_events()) == {"x1"}
    assert [r.id for r in store.list_reports()] == [other_id]
    assert store.report_text(week_id) is None
    assert store.remove_report(week_id) is False


# -- concurrency and transactions ---------------------------------------------------------


def at_once(work, args) -> None:
    """``work(arg)`` for each arg, each in a thread of its own, all started together; an error
    in any thread fails the test (a thread's exception would otherwise only be printed)."""
    errors: list[BaseException] = []

    def run(arg) -> None:
        try:
            work(arg)
        except BaseException as exc:  # handed back to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_sessions_opening_a_new_store_together_all_get_in(tmp_path):
    # SQLite refuses at once, without waiting, when two connections switch a new file to WAL
    # and create its tables together; every analyst who opens the app at that moment must
    # still get the store, not "database is locked"
    for trial in range(100):
        url = f"sqlite:///{tmp_path / f'new{trial}.sqlite'}"
        opened: list[int] = []
        together = threading.Barrier(8, timeout=30)

        def session(n: int) -> None:
            together.wait()
            s = open_store(url)
            try:
                opened.append(len(s.list_reports()))
            finally:
                s.close()

        at_once(session, range(8))
        assert opened == [0] * 8


def test_concurrent_writers_lose_nothing(store_url):
    shared = result(WEEK[:2], source="shared.txt")

    def writer(n: int) -> None:
        s = open_store(store_url)  # each writer is its own session
        try:
            for i in range(8):
                mine = event(f"w{n}-{i}", "battle", "Izium", point(37.26, 49.21), "2022-03-05", (),
                             f"Writer {n} saw fighting near Izium, item {i}.")
                s.add_results([result((mine,), source=f"w{n}-{i}.txt")])
            s.add_results([shared])  # the same report from everyone at once
        finally:
            s.close()

    at_once(writer, range(4))
    store = open_store(store_url)
    assert len(store.list_reports()) == 4 * 8 + 1
    assert store.count_events() == 4 * 8 + 2
    assert ids(store.query_events(EventFilter(types=("strike",)))) == {"s1", "s2"}


def test_two_writers_naming_different_reports_alike_keep_both(store_url, gazetteer):
    # both pick "week.txt" (free when they look), parse, then write: the second write is
    # refused by the unique name and that report is parsed again as "week (2).txt"
    from geo.parse.pipeline import parse_report

    texts = ["Russian forces shelled Kharkiv on Monday.", "Ukrainian troops recaptured Irpin."]
    both_named = threading.Barrier(2, timeout=30)
    first_try: dict[int, str] = {}

    def writer(n: int) -> None:
        s = open_store(store_url)

        def parse(report: Report) -> Result:
            if n not in first_try:
                first_try[n] = report.source
                both_named.wait()  # neither writes before both have chosen a name
            return parse_report(report, gazetteer)

        try:
            s.add_report(texts[n], "week.txt", "2022-03-07", gazetteer, parse=parse)
        finally:
            s.close()

    at_once(writer, range(2))
    assert first_try == {0: "week.txt", 1: "week.txt"}  # the clash really happened
    store = open_store(store_url)
    try:
        assert sorted(r.source for r in store.list_reports()) == ["week (2).txt", "week.txt"]
        quotes = {f["properties"]["source"]: f["properties"]["quote"]
                  for f in store.query_events()["features"]}
        assert sorted(quotes.values()) == sorted(texts)  # each kept its own events
    finally:
        store.close()


def test_a_crash_mid_ingest_leaves_no_half_report(store):
    store.add_results([result()])
    broken = event("zz", "strike", "Nowhere", {"type": "NotAShape", "coordinates": []}, None, (),
                   "A broken geometry ends the write halfway.")
    newcomer = result((WEEK[0], broken), source="new.txt")
    with pytest.raises(GeometryTypeError, match="(?i)notashape"):
        store.add_results([newcomer])
    assert [r.source for r in store.list_reports()] == ["week.txt"]
    assert store.report_text(newcomer.report.id) is None
    # the same crash while re-ingesting a stored report leaves its old events as they were
    with pytest.raises(GeometryTypeError, match="(?i)notashape"):
        store.add_results([Result(result().report, (), (broken,))])
    assert ids(store.query_events()) == FILTERS["everything"][1]


# -- corrections ------------------------------------------------------------------------------


def test_the_second_analyst_gets_a_conflict_not_a_silent_overwrite(store):
    store.add_results([result()])
    seen_by_ann = store.event("s1")
    seen_by_bob = store.event("s1")
    ann = new_correction("retype", {"event_type": "civilian_harm"}, "Ann", feature=seen_by_ann)
    bob = new_correction("retype", {"event_type": "battle"}, "Bob", feature=seen_by_bob)
    assert store.add_correction(ann, seen_by_ann["properties"]["version"]) == 1
    with pytest.raises(ConflictError, match="corrected by Ann .* version 0, it is now at version 1"):
        store.add_correction(bob, seen_by_bob["properties"]["version"])
    now = store.event("s1")["properties"]
    assert (now["event_type"], now["corrected"], now["version"], now["corrected_by"]) == (
        "civilian_harm", True, 1, "Ann")
    (trail,) = store.corrections("s1")
    assert (trail.analyst, trail.before, trail.after) == ("Ann", {"event_type": "strike"},
                                                          {"event_type": "civilian_harm"})
    # bob reloads and tries again against the current version
    retry = new_correction("retype", {"event_type": "battle"}, "Bob", feature=store.event("s1"))
    assert store.add_correction(retry, 1) == 2
    assert store.event("s1")["properties"]["event_type"] == "battle"


def test_simultaneous_corrections_of_one_version_let_exactly_one_through(store_url):
    first = open_store(store_url)
    first.add_results([result()])
    feature = first.event("b1")
    outcomes: list[str] = []

    def analyst(name: str) -> None:
        s = open_store(store_url)
        c = new_correction("move", {"lat": 47.2, "lon": 37.6}, name, feature=feature)
        try:
            s.add_correction(c, 0)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            s.close()

    at_once(analyst, ("Ann", "Bob", "Cat"))
    assert sorted(outcomes) == ["conflict", "conflict", "saved"]
    assert len(first.corrections("b1")) == 1


def test_corrections_survive_reingest_and_drive_the_filters(store):
    store.add_results([result()])
    store.add_correction(new_correction("retype", {"event_type": "battle"}, "Ann",
                                        feature=store.event("s2")), 0)
    store.add_correction(new_correction("move", {"lat": 47.0, "lon": 37.5, "place": "Mariupol"}, "Ann",
                                        feature=store.event("c1")), 0)
    store.add_correction(new_correction("mark_false", {}, "Bob", feature=store.event("h1")), 0)
    store.add_results([result()])  # a re-parse writes the parser's values again
    assert ids(store.query_events(EventFilter(types=("battle",)))) == {"s2", "b1"}
    assert ids(store.query_events(EventFilter(bbox=(37.0, 46.5, 38.0, 47.5)))) == {"b1", "c1"}
    moved = store.event("c1")
    assert moved["geometry"] == point(37.5, 47.0) and moved["properties"]["place"] == "Mariupol"
    assert "h1" not in ids(store.query_events())
    assert store.count_events() == len(WEEK) - 1
    flagged = store.query_events(EventFilter(include_false=True, types=("humanitarian",)))
    assert [f["properties"]["false_positive"] for f in flagged["features"]] == [True]
    assert [c.analyst for c in store.corrections()] == ["Ann", "Ann", "Bob"]


def test_an_event_added_by_hand_is_stored_and_found(store):
    store.add_results([result()])
    added = new_correction("add", {"event_type": "strike", "lat": 48.0, "lon": 37.8, "place": "Donetsk",
                                   "date": "2022-03-05"}, "Ann", note="seen on a verified video")
    assert store.add_correction(added) == 1
    assert store.add_correction(added) == 1  # sent twice, recorded once
    found = store.query_events(EventFilter(types=("strike",), date_from="2022-03-05"))["features"]
    assert [f["properties"]["place"] for f in found] == ["Donetsk"]
    assert found[0]["properties"]["source"] == "analyst"
    assert [r.source for r in store.list_reports()] == ["week.txt"]  # no report appears for it
    assert len(store.corrections()) == 1


def test_correcting_an_event_that_is_not_there_says_so(store):
    ghost = new_correction("retype", {"event_type": "battle"}, "Ann", event_id="no-such-event")
    with pytest.raises(EventNotFoundError, match="no-such-event"):
        store.add_correction(ghost, 0)
    assert store.corrections() == []


def _headline_texts(store: Store) -> list[str]:
    return [h["text"] for h in store.status()["headlines"]]


def test_a_headline_goes_when_its_event_is_corrected_away(store, gazetteer, seed_text):
    # the seed's "Berdiansk captured by Russia" rests on one capture event: an analyst who
    # marks that event false (or calls it a battle) must not still read it in the sidebar
    store.add_report(seed_text, "day5.txt", None, gazetteer)
    before = _headline_texts(store)
    assert "Berdiansk captured by Russia" in before and len(before) >= 4
    (capture,) = store.query_events(EventFilter(types=("capture",)))["features"]
    eid = capture["properties"]["id"]
    store.add_correction(new_correction("mark_false", {}, "Ann", feature=store.event(eid)), 0)
    after = _headline_texts(store)
    assert "Berdiansk captured by Russia" not in after
    assert sorted(after) == sorted(t for t in before if t != "Berdiansk captured by Russia")
    assert "Berdiansk" not in store.status()["places"]  # its place status went with it

    store.add_correction(new_correction("mark_false", {"false_positive": False}, "Ann",
                                        feature=store.event(eid)), 1)
    assert sorted(_headline_texts(store)) == sorted(before)  # the mark taken back: it returns

    store.add_correction(new_correction("retype", {"event_type": "battle"}, "Bob",
                                        feature=store.event(eid)), 2)
    assert "Berdiansk captured by Russia" not in _headline_texts(store)
