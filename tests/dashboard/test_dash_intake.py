"""Report intake: good files go in, bad ones are refused with a reason and change nothing."""

from __future__ import annotations

import pytest

from dashboard.intake import ingest_paste, ingest_upload, source_name

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


@pytest.mark.parametrize(("raw", "name"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\analyst\\report.md", "report.md"),
    ("..", "upload.txt"),
    (".hidden.txt", "hidden.txt"),
    ("re\x00port\x1b.txt", "report.txt"),
])
def test_file_names_are_labels_not_paths(raw, name):
    assert source_name(raw) == name


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty report"),
    ("blank.md", b"   \n\t\n", "empty report"),
    ("image.txt", PNG, "binary"),
    ("latin1.txt", "Kyiv était encerclée".encode("latin-1"), "not UTF-8"),
    ("big.txt", b"a" * 2049, "too large"),
    ("tool.exe", b"Kyiv was shelled.", "only .txt and .md"),
])
def test_bad_uploads_are_refused(store, gazetteer, name, data, reason):
    before = (store.revision(), store.list_reports())
    outcome = ingest_upload(store, name, data, limit=2048, gazetteer=gazetteer)
    assert not outcome.ok and reason in outcome.message and name in outcome.message
    assert (store.revision(), store.list_reports()) == before


def test_a_good_upload_is_parsed_and_dated_from_its_name(store, gazetteer):
    outcome = ingest_upload(store, "2022-03-02_kharkiv.md",
                            "Heavy shelling hit Kharkiv overnight.".encode(), gazetteer=gazetteer)
    assert outcome.ok and outcome.events >= 1
    report = next(r for r in store.list_reports() if r.id == outcome.report_id)
    assert report.date == "2022-03-02" and report.source == "2022-03-02_kharkiv.md"


def test_utf16_with_a_byte_order_mark_is_text(store, gazetteer):
    outcome = ingest_upload(store, "u16.txt", "Explosions in Odesa.".encode("utf-16"), gazetteer=gazetteer)
    assert outcome.ok


def test_the_same_report_twice_adds_nothing(store, gazetteer, seed_text):
    before = store.revision()
    outcome = ingest_upload(store, "copy.txt", seed_text.encode(), gazetteer=gazetteer)
    assert outcome.ok and "already in the store" in outcome.message
    assert store.revision() == before


def test_pasted_text_gets_a_name(store, gazetteer):
    outcome = ingest_paste(store, "Explosions were heard in Lviv.", gazetteer=gazetteer)
    assert outcome.ok and outcome.name.startswith("pasted-") and outcome.name.endswith(".txt")
    assert not ingest_paste(store, "  \n ", gazetteer=gazetteer).ok


def test_a_note_pasted_after_a_control_map_was_imported_lands_beside_the_fighting(store, gazetteer):
    import shapely

    from geo.control.layers import ControlLayer
    from geo.control.storage import open_control_store

    note = "On 1 August 2024, Russian forces shelled near Dovhenke."
    first = ingest_paste(store, note, "before the map", gazetteer=gazetteer)
    with open_control_store(store.url) as control:  # the analyst imports the day's map
        control.put([ControlLayer(date="2024-07-30", kind="occupied", source="test",
                                  geometry=shapely.box(37.68, 50.0, 38.5, 50.4), sha256="map")])
    second = ingest_paste(store, note + " Houses were damaged.", "after the map", gazetteer=gazetteer)
    assert first.ok and second.ok

    def lat_of(outcome):
        from geo.store import EventFilter

        fc = store.query_events(EventFilter(types=("strike",), sources=(outcome.name,)))
        [feature] = fc["features"]
        return feature["geometry"]["coordinates"][1]

    assert round(lat_of(first)) == 49  # Izium raion's Dovhenke, with no map to go by
    assert round(lat_of(second), 1) == 50.2  # the one 10 km from the occupied area
