"""The intake service, on both store backends: one id, one name, one date, and bounded cost."""

from __future__ import annotations

import gzip
import io as stdio
import zipfile

import pytest

from geo import io
from geo.intake import service
from geo.records import Event, Report, Result
from geo.store import EventFilter

FLOOD_SENTENCE = ("Russian forces shelled Kharkiv and captured Kherson while fighting continued "
                  "near Kyiv and Mariupol. ")


def test_a_report_gets_one_id_everywhere(store, gazetteer):
    text = "Heavy shelling hit Kharkiv overnight."
    done = service.add_report(store, text, "2022-03-02_kharkiv.md", gazetteer=gazetteer)
    assert done.added and done.id == service.report_key(text)
    assert (done.name, done.date) == ("2022-03-02_kharkiv.md", "2022-03-02")
    assert store.report(done.id).source == done.name
    events = store.query_events()["features"]
    assert {f["properties"]["report_id"] for f in events} == {done.id}
    assert done.counts == store.counts_by_type() and done.events == len(events) >= 1


def test_the_same_text_again_is_refused_and_adds_nothing(store, gazetteer):
    text = "Explosions were heard in Odesa."
    first = service.add_report(store, text, "odesa.txt", gazetteer=gazetteer)
    revision = store.revision()
    with pytest.raises(service.DuplicateReport, match="odesa.txt: already in the store") as refused:
        service.add_report(store, text, "copy-of-odesa.txt", gazetteer=gazetteer)
    assert (refused.value.existing.id, refused.value.existing.events) == (first.id, first.events)
    assert store.revision() == revision and [r.source for r in store.list_reports()] == ["odesa.txt"]


def test_two_reports_with_one_name_get_two_names(store, gazetteer):
    a = service.add_report(store, "Explosions were heard in Odesa.", "note.txt", gazetteer=gazetteer)
    b = service.add_report(store, "Explosions were heard in Lviv.", "note.txt", gazetteer=gazetteer)
    assert (a.name, b.name) == ("note.txt", "note (2).txt")
    # event ids hash the source name, so both reports keep their events
    assert store.count_events(EventFilter(sources=("note.txt", "note (2).txt"))) == 2


def _zip() -> bytes:
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inside.txt", "Kyiv was shelled.")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("reports.zip", _zip()),
    ("renamed.txt", _zip()),
    ("week.txt", gzip.compress(b"Kyiv was shelled.")),
])
def test_archives_are_refused_and_never_opened(store, gazetteer, name, data):
    with pytest.raises(io.BadInput, match="archive"):
        service.add_upload(store, name, data, gazetteer=gazetteer)
    assert store.list_reports() == []


def test_geocoder_warnings_are_passed_on_and_the_report_is_kept(store, gazetteer, tmp_path):
    from geo.gazetteer.geocoders import NominatimGeocoder
    from tests.fake_geocoder import REPORT, closed_port_url

    offline = NominatimGeocoder(closed_port_url(), timeout=2, cache_dir=tmp_path)
    done = service.add_report(store, REPORT, "zorvania.txt", gazetteer=gazetteer, geocoder=offline)
    assert done.warnings and all(isinstance(w, str) and w for w in done.warnings)
    assert store.report(done.id) is not None and done.counts.get("strike", 0) >= 1


def test_the_flood_sentence_repeated_is_one_event_per_fact(store, gazetteer):
    done = service.add_report(store, FLOOD_SENTENCE * 400, "flood.txt", gazetteer=gazetteer)
    features = store.query_events()["features"]
    assert len(features) == done.events <= 6
    assert {f["properties"]["occurrences"] for f in features} == {400}
    assert {f["properties"]["event_type"] for f in features} >= {"strike", "capture", "battle"}


def _strike(i: int, place: str) -> Event:
    return Event(id=f"e{i}", event_type="strike", subtype=None, place=place,
                 geometry={"type": "Point", "coordinates": [30.0 + i * 1e-4, 50.0]}, actors=("Russia",),
                 date="2022-03-01", certainty="reported", attributed_to=None, quote=f"{place} was hit.",
                 start=i * 20, end=i * 20 + 15, source="many.txt", lat=50.0, lon=30.0 + i * 1e-4)


def test_a_report_keeps_at_most_the_cap_of_distinct_events_and_says_so():
    events = tuple(_strike(i, f"Place {i}") for i in range(30))
    result = Result(Report("r", "text", "many.txt", None), (), events)
    capped = service.bounded(result, limit=10)
    assert [e.id for e in capped.events] == [f"e{i}" for i in range(10)]
    assert any("30 distinct events" in w and "first 10" in w for w in capped.warnings)
    assert service.bounded(Result(result.report, (), events[:10]), limit=10).warnings == ()


def test_seeding_adds_the_bundled_reports_once(store, gazetteer, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "2022-03-01_a.txt").write_text("Shelling hit Sumy.", encoding="utf-8")
    (seeds / "2022-03-02_b.md").write_text("Explosions in Lviv.", encoding="utf-8")
    assert service.seed_store(store, seeds, gazetteer) == 2
    assert [(r.source, r.date) for r in store.list_reports()] == [("2022-03-01_a.txt", "2022-03-01"),
                                                                   ("2022-03-02_b.md", "2022-03-02")]
    assert service.seed_store(store, seeds, gazetteer) == 0
