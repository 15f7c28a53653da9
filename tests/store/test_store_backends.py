"""One store suite, run against both backends: the embedded SQLite store and PostGIS.

The PostGIS runs need a server: ``make test`` starts a throwaway one and sets
``SITMAP_TEST_PG_URL``.  Without that URL they skip, except in CI (``CI=true``),
where a missing server is a failure.  Each test gets a schema of its own
(the ``store_url`` and ``store`` fixtures are in ``tests/conftest.py``).
"""

from __future__ import annotations

import threading

import pytest
from shapely.errors import GeometryTypeError

from geo.intake.service import add_report, open_seeded, report_key
from geo.records import Event, Place, Report, Result
from geo.store import (ConflictError, EventFilter, EventNotFoundError, NameTaken, Store, StoreError,
                       default_store_url, open_store)
from geo.store.corrections import new_correction

SEED_NAME = "000_e0b432954ff16db6.txt"

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


def test_a_name_another_report_holds_is_refused_with_name_taken(store):
    store.add_results([result()])
    revision = store.revision()
    other = result((WEEK[0],), source="week.txt", text="A different report that is also called week.txt.")
    with pytest.raises(NameTaken, match="week.txt"):
        store.add_results([other])
    assert [r.source for r in store.list_reports()] == ["week.txt"]
    assert store.report(other.report.id) is None and store.revision() == revision


def test_the_same_text_under_a_second_id_is_refused(store):
    first = result()
    store.add_results([first])
    twin = Result(Report("another-id", first.report.text, "twin.txt", None), (), ())
    with pytest.raises(StoreError, match="already stored as week.txt"):
        store.add_results([twin])
    assert [r.id for r in store.list_reports()] == [first.report.id]


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
    from geo.intake.service import parse_bounded

    texts = ["Russian forces shelled Kharkiv on Monday.", "Ukrainian troops recaptured Irpin."]
    both_named = threading.Barrier(2, timeout=30)
    first_try: dict[int, str] = {}

    def writer(n: int) -> None:
        s = open_store(store_url)

        def parse(report: Report, gaz, geocoder) -> Result:
            if n not in first_try:
                first_try[n] = report.source
                both_named.wait()  # neither writes before both have chosen a name
            return parse_bounded(report, gaz, geocoder)

        try:
            add_report(s, texts[n], "week.txt", "2022-03-07", gazetteer=gazetteer, parse=parse)
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
    add_report(store, seed_text, "day5.txt", gazetteer=gazetteer)
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


# -- filters in memory: imported layers are selected as the store selects ---------------------

FILTERS["a source"] = (EventFilter(sources=("other.txt",)), set())
FILTERS["false ones left out"] = (EventFilter(types=("protest",)), set())


@pytest.mark.parametrize("name", FILTERS)
def test_matches_keeps_exactly_what_the_store_query_keeps(name):
    flt, expected = FILTERS[name]
    features = result().events
    as_features = [{"type": "Feature", "geometry": e.geometry, "properties": e.to_dict()} for e in features]
    assert {e.id for e in features if flt.matches(e)} == expected
    assert {f["properties"]["id"] for f in as_features if flt.matches(f)} == expected


def test_matches_drops_events_marked_false_unless_asked():
    marked = {"type": "Feature", "geometry": point(30.5, 50.4),
              "properties": {"id": "x", "event_type": "strike", "false_positive": True, "source": "a"}}
    assert not EventFilter().matches(marked)
    assert EventFilter(include_false=True, sources=("a",)).matches(marked)
    assert not EventFilter(include_false=True, sources=("b",)).matches(marked)


# -- a seeded store: the bundled report, parsed and stored through intake ---------------------


@pytest.fixture
def seeded(store_url, gazetteer):
    s = open_seeded(store_url, gazetteer)
    yield s
    s.close()


def _types(fc: dict) -> list[str]:
    return sorted(f["properties"]["event_type"] for f in fc["features"])


def test_a_new_store_holds_the_seed_once(seeded, store_url, gazetteer):
    reports = seeded.list_reports()
    assert [(r.source, r.date, r.war_day) for r in reports] == [(SEED_NAME, "2022-02-28", 5)]
    assert reports[0].events == seeded.count_events() >= 10
    again = open_seeded(store_url, gazetteer)  # a second open seeds nothing
    assert [r.id for r in again.list_reports()] == [reports[0].id]
    again.close()


def test_a_removed_seed_does_not_come_back(seeded, store_url, gazetteer):
    rid = seeded.list_reports()[0].id
    assert seeded.remove_report(rid)
    assert seeded.count_events() == 0
    reopened = open_seeded(store_url, gazetteer)
    assert reopened.list_reports() == []
    assert reopened.remove_report(rid) is False
    reopened.close()


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
def test_filters_select_in_the_seeded_store(seeded, selection, expected):
    fc = seeded.query_events(selection)
    assert _types(fc) == sorted(expected)
    assert seeded.count_events(selection) == len(fc["features"])
    assert sum(seeded.counts_by_type(selection).values()) == len(fc["features"])
    assert all(selection.matches(f) for f in fc["features"])


def test_a_box_selects_what_lies_in_it(seeded):
    # around Berdiansk: its capture, and the countries whose shapes cover it
    fc = seeded.query_events(EventFilter(bbox=(36.0, 46.5, 37.0, 47.0)))
    places = {f["properties"]["place"] for f in fc["features"]}
    assert "Berdiansk" in places and "Ukraine" in places
    assert not places & {"Kyiv", "Kharkiv", "Belarus"}


def test_status_is_the_seeds(seeded):
    s = seeded.status()
    assert s["war_day"] == 5 and s["report_date"] == "2022-02-28"
    assert s["places"]["Berdiansk"]["summary"] == "captured (Russia)"
    assert "encircled (claimed by the Mayor of Kyiv)" in s["places"]["Kyiv"]["summary"]
    assert {h["key"] for h in s["headlines"]} >= {"no_major_city_captured", "talks_ended", "nuclear_alert",
                                                   "exit_ban", "eu_accession"}
    assert s["counts"]["strike"] == 2 and s["total_events"] == seeded.count_events()


def test_status_follows_the_filters(seeded):
    s = seeded.status(EventFilter(types=("capture",)))
    assert set(s["places"]) == {"Berdiansk"} and s["counts"] == {"capture": 1}
    assert seeded.status(EventFilter(date_to="2022-02-27"))["war_day"] is None


def test_aggregation_keeps_every_event(seeded):
    cells = seeded.aggregate(EventFilter(), 1.0)
    assert sum(c.count for c in cells) == seeded.count_events()
    shapes = [c for c in cells if c.geometry]
    assert {c.places for c in shapes} >= {("Ukraine",), ("Russia",), ("Belarus",)}


def test_two_threads_add_reports_at_once(seeded, gazetteer):
    texts = [f"Shelling was reported in {city}." for city in ("Kherson", "Sumy", "Poltava", "Chernihiv")]
    at_once(lambda text: add_report(seeded, text, f"{text.split()[-1]}txt", gazetteer=gazetteer), texts)
    assert len(seeded.list_reports()) == 5


# -- opening stores by URL (the embedded backend) ----------------------------------------------


def test_store_urls(tmp_path):
    path = tmp_path / "a" / "s.sqlite"
    assert open_store(f"sqlite:///{path}").path == path
    assert open_store(str(path)).path == path
    assert open_store(str(path)).list_reports() == []  # the store never seeds itself
    with pytest.raises(StoreError, match="no store backend"):
        open_store("mongodb://localhost/sitmap")
    bad = tmp_path / "not-a-db.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Sitmap store"):
        open_store(str(bad))


def test_the_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SITMAP_STORE", raising=False)
    monkeypatch.setenv("SITMAP_STORE_DIR", str(tmp_path / "x"))
    assert default_store_url() == str(tmp_path / "x" / "sitmap.sqlite")
    monkeypatch.delenv("SITMAP_STORE_DIR")
    monkeypatch.setenv("SITMAP_DATA_DIR", str(tmp_path / "d"))
    assert default_store_url() == str(tmp_path / "d" / "store" / "sitmap.sqlite")
    monkeypatch.setenv("SITMAP_STORE", "sqlite:////elsewhere.sqlite")
    assert default_store_url() == "sqlite:////elsewhere.sqlite"


# -- one report's cost -------------------------------------------------------------------------


def test_repeated_events_are_stored_once_with_their_count(store):
    repeated = tuple(Event(**{**WEEK[0].to_dict(), "actors": WEEK[0].actors, "id": f"s1-{i}",
                              "start": 40 * i, "end": 40 * i + 30, "occurrences": 1}) for i in range(3))
    from geo.intake.service import bounded

    store.add_results([bounded(result(repeated + WEEK[1:2]))])
    (kharkiv,) = store.query_events(EventFilter(text="Kharkiv"))["features"]
    assert kharkiv["properties"]["occurrences"] == 3 and kharkiv["properties"]["start"] == 0
    assert store.count_events() == 2


def test_removing_a_report_gives_its_space_back(tmp_path, gazetteer):
    from geo.intake.service import add_report as intake

    path = tmp_path / "store.sqlite"
    s = open_store(str(path))
    size = lambda: sum(p.stat().st_size for p in tmp_path.iterdir())  # noqa: E731 (file, WAL, index)
    empty = size()
    big = " ".join(f"Report {i}: Russian forces shelled Kharkiv near the {i}th school." for i in range(3000))
    done = intake(s, big, "big.txt", gazetteer=gazetteer)
    assert done.events >= 3000 and size() > empty + 1_000_000
    assert s.remove_report(done.id)
    assert size() < empty + 200_000
    s.close()
