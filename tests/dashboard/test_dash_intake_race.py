"""Two sessions naming different reports alike at the same moment: both are kept.

The browser test (tests/browser/test_concurrent_intake.py) shows the race in
a real server; here it is forced: the name is taken between the moment the
intake picks it and the moment it writes.
"""

from __future__ import annotations

from dashboard.intake import ingest_paste
from geo.intake import service


def test_a_name_taken_between_naming_and_writing_goes_to_the_next_free_name(store, gazetteer, monkeypatch):
    first = ingest_paste(store, "Shelling hit Sumy overnight, officials said.", "frontline.txt", gazetteer)
    assert first.ok and first.name == "frontline.txt"
    real = service.free_name
    picks: list[str] = []

    def stale(store, name, report_id):  # the first pick was made before the other session wrote
        picks.append("frontline.txt" if not picks else real(store, name, report_id))
        return picks[-1]

    monkeypatch.setattr(service, "free_name", stale)
    second = ingest_paste(store, "Explosions were heard in Melitopol at dawn.", "frontline.txt", gazetteer)
    assert second.ok, second.message
    assert second.name == "frontline (2).txt" and picks[0] == "frontline.txt" and picks[-1] == second.name
    reports = {r.source: r.events for r in store.list_reports()}
    assert reports["frontline.txt"] >= 1 and reports["frontline (2).txt"] >= 1


def test_an_error_that_is_not_a_name_clash_is_not_retried(store, gazetteer, monkeypatch):
    calls = []

    def broken(results, texts=None):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(store, "add_results", broken)
    try:
        ingest_paste(store, "Explosions were heard in Lviv.", "lviv.txt", gazetteer)
    except OSError:
        pass
    else:
        raise AssertionError("a disk error must not pass as saved")
    assert calls == [1]
