"""A name that fits several places lists the runners-up on its place record."""

from __future__ import annotations

import json

from geo.exchange.layers import result_to_json
from geo.parse.alternatives import MAX_ALTERNATIVES
from geo.parse.pipeline import parse_text


def _place(result, mention):
    return next(p for p in result.places if p.mention == mention)


def test_a_bare_village_name_lists_other_villages_of_that_name(gazetteer):
    place = _place(parse_text("Shelling was reported in Mykhailivka.", gazetteer=gazetteer), "Mykhailivka")
    assert place.confidence < 0.5  # over a hundred villages bear the name: the pick is a guess
    alts = place.alternatives
    assert 1 <= len(alts) <= MAX_ALTERNATIVES
    assert all(a["name"] == "Mykhailivka" and a["country_code"] == "UA" for a in alts)
    assert all(a["gazetteer_id"] != place.gazetteer_id for a in alts)
    assert all(a["admin1"].endswith("oblast") or a["admin1"].startswith("Avtonomna") for a in alts)
    assert [a["confidence"] for a in alts] == sorted((a["confidence"] for a in alts), reverse=True)
    assert all(a["confidence"] <= place.confidence for a in alts)


def test_the_oblast_written_after_the_name_picks_its_village(gazetteer):
    result = parse_text("Mykhailivka, Kherson oblast, was shelled.", gazetteer=gazetteer)
    place = _place(result, "Mykhailivka")
    assert gazetteer.admin1[gazetteer.row_for_gid(place.gazetteer_id)] == "UA.08"
    assert place.confidence > 0.5
    # the alternatives, if any, are never the place chosen
    assert all(a["gazetteer_id"] != place.gazetteer_id for a in place.alternatives)


def test_a_clear_place_lists_no_alternatives(gazetteer):
    result = parse_text("Russian forces shelled Izium and Kupiansk.", gazetteer=gazetteer)
    assert [p.alternatives for p in result.places] == [(), ()]
    assert all("alternatives" not in p for p in result_to_json(result)["places"])


def test_the_json_lists_alternatives_once_per_place(gazetteer):
    text = "Shelling in Mykhailivka. Later Mykhailivka again, and Mykhailivka once more."
    doc = json.loads(json.dumps(result_to_json(parse_text(text, gazetteer=gazetteer))))
    records = [p for p in doc["places"] if p["mention"] == "Mykhailivka"]
    assert len(records) == 3
    assert "alternatives" in records[0] and records[0]["alternatives"]
    assert all("alternatives" not in p for p in records[1:])
    assert set(records[0]["alternatives"][0]) == {"name", "admin1", "country_code", "gazetteer_id",
                                                  "lat", "lon", "confidence"}
    assert not any("alternatives" in e for e in doc["events"])
