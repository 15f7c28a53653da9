"""Analyst corrections: kept apart, laid over the parse, surviving rebuilds and restarts."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geo.store.corrections import (Correction, CorrectionError, CorrectionLog, apply_corrections,
                             new_correction, orphaned)

ROOT = Path(__file__).resolve().parents[2]
TIMELINE = ROOT / "seeds" / "timeline"
IRPIN = {"place": "Irpin", "place_kind": "city", "lat": 50.5218, "lon": 30.2506}


def build(out: Path) -> dict:
    """``python -m geo build seeds/timeline --out OUT``, as the analyst runs it."""
    subprocess.run([sys.executable, "-m", "geo", "build", str(TIMELINE), "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, text=True, timeout=300)
    return json.loads((out / "events.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("timeline_build")
    return out, build(out)


def find(fc, event_type, place, date):
    (f,) = [f for f in fc["features"] if f["properties"]["event_type"] == event_type
            and f["properties"]["place"] == place and f["properties"]["date"] == date]
    return f


def by_id(fc):
    return {f["properties"]["id"]: f for f in fc["features"]}


# ---- survival -------------------------------------------------------------------------
def test_a_correction_survives_a_rebuild_and_a_restart(built, tmp_path):
    out, events = built
    strike = find(events, "strike", "Vasylkiv", "2022-02-27")
    log = CorrectionLog(tmp_path / "corrections.jsonl")
    log.append(new_correction("retype", {"event_type": "civilian_harm", "subtype": "oil depot fire"},
                              "ana", feature=strike, note="the depot is civilian"))
    rebuilt = build(out)  # re-parse the same reports over the same folder
    assert by_id(rebuilt)[strike["properties"]["id"]]["properties"]["event_type"] == "strike"
    restarted = CorrectionLog(tmp_path / "corrections.jsonl").read()
    fixed = by_id(apply_corrections(rebuilt, restarted))[strike["properties"]["id"]]["properties"]
    assert (fixed["event_type"], fixed["subtype"], fixed["corrected"]) == (
        "civilian_harm", "oil depot fire", True)
    assert restarted[0].before == {"event_type": "strike", "subtype": "missile"}


def test_a_correction_survives_a_new_process(built, tmp_path):
    _, events = built
    capture = find(events, "capture", "Berdiansk", "2022-02-27")
    path = tmp_path / "corrections.jsonl"
    CorrectionLog(path).append(new_correction("move", IRPIN, "ben", feature=capture))
    code = ("import json, sys; from geo.store.corrections import CorrectionLog, apply_corrections; "
            "fc = json.load(open(sys.argv[2])); "
            "out = apply_corrections(fc, CorrectionLog(sys.argv[1]).read()); "
            "print(json.dumps([f for f in out['features'] if f['properties']['corrected']]))")
    events_file = tmp_path / "events.geojson"
    events_file.write_text(json.dumps(events), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", code, str(path), str(events_file)], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120)
    (moved,) = json.loads(run.stdout)
    assert moved["properties"]["place"] == "Irpin"
    assert moved["geometry"] == {"type": "Point", "coordinates": [30.2506, 50.5218]}


# ---- applying --------------------------------------------------------------------------
def test_latest_correction_wins_per_field(built):
    _, events = built
    f = find(events, "strike", "Vasylkiv", "2022-02-27")
    fixes = [new_correction("retype", {"event_type": "battle"}, "ana", feature=f, at="2024-05-01T09:00:00Z"),
             new_correction("retype", {"event_type": "civilian_harm"}, "ben", feature=f,
                            at="2024-05-01T11:00:00Z"),
             new_correction("move", IRPIN, "ana", feature=f, at="2024-05-01T10:00:00Z")]
    for order in (fixes, fixes[::-1]):
        p = by_id(apply_corrections(events, order))[f["properties"]["id"]]["properties"]
        assert (p["event_type"], p["place"], p["corrected_by"]) == ("civilian_harm", "Irpin", "ben")
        assert p["corrected_fields"] == ["event_type", "geometry", "lat", "lon", "place", "place_kind",
                                           "precision"]  # a moved event is at the place chosen


def test_the_parsed_collection_is_left_untouched(built):
    _, events = built
    before = json.dumps(events, sort_keys=True)
    f = find(events, "strike", "Vasylkiv", "2022-02-27")
    out = apply_corrections(events, [new_correction("move", IRPIN, "ana", feature=f)])
    assert json.dumps(events, sort_keys=True) == before
    flags = [g["properties"]["corrected"] for g in out["features"]]
    assert flags.count(True) == 1 and len(flags) == len(events["features"])


def test_false_events_are_dropped_or_flagged(built):
    _, events = built
    f = find(events, "battle", "Hostomel Airport", "2022-02-24")
    mark = new_correction("mark_false", {}, "ana", feature=f, at="2024-05-01T09:00:00Z")
    eid = f["properties"]["id"]
    assert eid not in by_id(apply_corrections(events, [mark]))
    kept = by_id(apply_corrections(events, [mark], keep_false=True))[eid]["properties"]
    assert kept["false_positive"] is True and kept["corrected"]
    undo = new_correction("mark_false", {"false_positive": False}, "ben", feature=f,
                          at="2024-05-02T09:00:00Z")
    assert eid in by_id(apply_corrections(events, [undo, mark]))


def test_an_added_event_keeps_its_id_and_can_be_corrected(built, tmp_path):
    _, events = built
    add = new_correction("add", {"event_type": "strike", "subtype": "missile", "date": "2022-03-02",
                                 "place": "Kharkiv", "lat": 49.99, "lon": 36.23, "actors": ["Russia"]},
                         "ana", note="strike on Kharkiv university", at="2024-05-01T09:00:00Z")
    log = CorrectionLog(tmp_path / "c.jsonl")
    log.append(add)
    (again,) = CorrectionLog(tmp_path / "c.jsonl").read()
    assert again == add and add.event_id.startswith("added-")
    retype = new_correction("retype", {"event_type": "civilian_harm"}, "ben", event_id=add.event_id,
                            at="2024-05-01T10:00:00Z")
    out = by_id(apply_corrections(events, [retype, again]))
    p = out[add.event_id]["properties"]
    assert (p["event_type"], p["place"], p["date"], p["actors"], p["source"]) == (
        "civilian_harm", "Kharkiv", "2022-03-02", ["Russia"], "analyst")
    assert out[add.event_id]["geometry"] == {"type": "Point", "coordinates": [36.23, 49.99]}
    assert len(out) == len(events["features"]) + 1


def test_corrections_to_vanished_events_are_reported(built):
    _, events = built
    gone = new_correction("retype", {"event_type": "battle"}, "ana", event_id="no-such-event")
    add = new_correction("add", {"event_type": "other", "lat": 50.0, "lon": 30.0}, "ana")
    assert orphaned(events, [gone, add]) == [gone]
    assert len(apply_corrections(events, [gone])["features"]) == len(events["features"])


# ---- the record itself ----------------------------------------------------------------
BAD = {
    "unknown action": (dict(action="delete"), "unknown action"),
    "unknown type": (dict(action="retype", after={"event_type": "raid"}), "not in the vocabulary"),
    "retype sets place": (dict(action="retype", after={"event_type": "battle", "place": "Irpin"}),
                          "retype cannot set place"),
    "move without location": (dict(action="move", after={"place": "Irpin"}), "needs a geometry"),
    "move off the globe": (dict(action="move", after={"lat": 95, "lon": 30}), "outside WGS84"),
    "invalid polygon": (dict(action="move", after={"geometry": {"type": "Polygon", "coordinates": [
        [[30, 50], [31, 51], [31, 50], [30, 51], [30, 50]]]}}), "invalid geometry"),
    "not UTC": (dict(at="2024-05-01T09:00:00+02:00"), "not in UTC"),
    "not a timestamp": (dict(at="yesterday"), "bad timestamp"),
    "no analyst": (dict(analyst=" "), "analyst"),
    "bad date": (dict(action="add", event_id="added-x", after={
        "event_type": "strike", "lat": 50, "lon": 30, "date": "2 March"}), "bad date"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_invalid_corrections_are_refused(case):
    change, message = BAD[case]
    fields = dict(id="c1", event_id="e1", action="retype", before={}, after={"event_type": "battle"},
                  analyst="ana", at="2024-05-01T09:00:00Z", note="")
    with pytest.raises(CorrectionError, match=message):
        Correction(**{**fields, **change})


def test_the_log_keeps_every_record_once(tmp_path):
    log = CorrectionLog(tmp_path / "store" / "corrections.jsonl")
    fixes = [new_correction("retype", {"event_type": "battle"}, "ana", event_id=f"e{n}",
                            at=f"2024-05-01T09:00:{n:02d}Z") for n in range(5)]
    assert log.append(*fixes[:3]) == 3
    assert log.append(fixes[2], fixes[3]) == 1  # the repeat is not recorded twice
    assert log.append(fixes[4]) == 1
    assert [c.id for c in CorrectionLog(log.path).read()] == [c.id for c in fixes]
    assert len(log.path.read_text(encoding="utf-8").splitlines()) == 5
    assert [p.name for p in log.path.parent.iterdir() if not p.name.startswith(".")] == [
        "corrections.jsonl"]


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "corrections.jsonl"

    def write(who: str) -> None:
        log = CorrectionLog(path)
        for n in range(8):
            log.append(new_correction("retype", {"event_type": "battle"}, who, event_id=f"{who}{n}"))

    threads = [threading.Thread(target=write, args=(name,)) for name in ("ana", "ben", "cy")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(CorrectionLog(path).read()) == 24


def test_a_lone_surrogate_in_a_log_line_is_read_as_a_replacement_character(tmp_path):
    # a log edited by hand may hold "\ud800": valid JSON, but no character, and the
    # log's next write would have failed on it
    log = CorrectionLog(tmp_path / "c.jsonl")
    log.append(new_correction("retype", {"event_type": "battle"}, "ana", event_id="e1", note="x"))
    log.path.write_text(log.path.read_text("utf-8").replace('"note": "x"', '"note": "x\\ud800"'), "utf-8")
    (fix,) = log.read()
    assert fix.note == "x\ufffd"
    assert log.append(new_correction("retype", {"event_type": "strike"}, "ben", event_id="e2")) == 1
    assert [c.note for c in log.read()] == ["x\ufffd", ""]


def test_a_damaged_log_line_is_named(tmp_path):
    log = CorrectionLog(tmp_path / "c.jsonl")
    log.append(new_correction("retype", {"event_type": "battle"}, "ana", event_id="e1"))
    with open(log.path, "a", encoding="utf-8") as fh:
        fh.write('{"id": "c2", "event_id": "e2"\n')
    with pytest.raises(CorrectionError, match=r"c\.jsonl:2: not JSON"):
        log.read()
