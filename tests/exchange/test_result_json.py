"""The parse result's JSON (format 2, docs/contract.md): each line or polygon once, each
place once with its mentions, and what format 1 had recoverable from it."""

from __future__ import annotations

import dataclasses
import json

from geo.exchange.layers import RESULT_FORMAT, inline_areas, result_to_json, result_to_jsonl
from geo.parse.pipeline import parse_text

MIXED = ("Troops shelled Kharkiv near the Ukraine-Belarus border. Kyiv is encircled. Ukraine and "
         "Russia held talks. Kharkiv was shelled again, and Ukraine said so.")


def test_each_area_is_written_once_and_named_by_reference(gazetteer):
    result = parse_text(MIXED, gazetteer=gazetteer)
    doc = json.loads(result_to_jsonl(result))
    assert doc["format"] == RESULT_FORMAT == 2
    text = json.dumps(doc["areas"])
    refs = [g for g in [p["geometry"] for p in doc["places"]] + [e["geometry"] for e in doc["events"]]
            if isinstance(g, str)]
    assert set(refs) == set(doc["areas"])  # every area is used, every reference resolves
    assert "ne:UKR" in doc["areas"] and refs.count("ne:UKR") >= 2
    big = json.dumps(doc["areas"]["ne:UKR"])
    assert json.dumps(doc).count(big) == 1 and text.count(big) == 1
    kinds = {g["type"] for g in doc["areas"].values()}
    assert {"Polygon", "MultiPolygon"} & kinds and any("LineString" in k for k in kinds)
    points = [p["geometry"] for p in doc["places"] if isinstance(p["geometry"], dict)]
    assert points and all(g["type"] == "Point" for g in points)  # points stay inline


def test_a_place_comes_once_with_every_mention_in_text_order(gazetteer):
    doc = result_to_json(parse_text(MIXED, gazetteer=gazetteer))
    names = [p["name"] for p in doc["places"]]
    assert len(names) == len(set(names))
    kharkiv = next(p for p in doc["places"] if p["name"] == "Kharkiv")
    assert [MIXED[m["start"]:m["end"]] for m in kharkiv["mentions"]] == ["Kharkiv", "Kharkiv"]
    assert kharkiv["mentions"][0]["start"] < kharkiv["mentions"][1]["start"]


def test_format_1_is_recovered_from_format_2(gazetteer):
    result = parse_text(MIXED, gazetteer=gazetteer)
    flat = inline_areas(json.loads(result_to_jsonl(result)))
    assert "areas" not in flat and "format" not in flat
    assert [(p["name"], p["start"], p["end"], p["mention"]) for p in flat["places"]] == \
        [(p.name, p.start, p.end, p.mention) for p in result.places]
    ukraine = next(p for p in result.places if p.name == "Ukraine")
    assert next(p for p in flat["places"] if p["name"] == "Ukraine")["geometry"] == \
        json.loads(json.dumps(ukraine.geometry))
    for ev, e in zip(result.events, flat["events"]):
        assert e["geometry"] == json.loads(json.dumps(ev.geometry))


def test_two_different_shapes_under_one_key_both_stay(gazetteer):
    # a key names one shape: a second, different one gets a key of its own
    result = parse_text("Kyiv is encircled. Kyiv was shelled.", gazetteer=gazetteer)
    kyiv = result.places[0]
    other = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 50]]]}
    places = (kyiv, dataclasses.replace(kyiv, start=19, end=23, geometry=other))
    doc = result_to_json(dataclasses.replace(result, places=places))
    assert len(doc["areas"]) >= 2
    flat = inline_areas(json.loads(json.dumps(doc)))
    assert flat["places"][1]["geometry"] == json.loads(json.dumps(other))
