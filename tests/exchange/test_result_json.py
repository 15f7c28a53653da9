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


def test_each_mention_is_a_place_record_in_text_order(gazetteer):
    doc = result_to_json(parse_text(MIXED, gazetteer=gazetteer))
    kharkiv = [p for p in doc["places"] if p["name"] == "Kharkiv"]
    assert [MIXED[p["start"]:p["end"]] for p in kharkiv] == ["Kharkiv", "Kharkiv"]
    assert [p["start"] for p in doc["places"]] == sorted(p["start"] for p in doc["places"])
    for p in doc["places"]:  # the contract's place fields, each mention whole
        assert {"name", "mention", "start", "end", "kind", "country_code", "gazetteer_id",
                "lat", "lon", "geometry", "confidence"} <= set(p)


def test_repeats_past_the_limit_are_counted_not_listed(gazetteer, monkeypatch):
    from geo.exchange import layers

    monkeypatch.setattr(layers, "MAX_PLACE_RECORDS", 3)
    text = "Kyiv, Kyiv, Kyiv, Kyiv, Kyiv and then Odesa were shelled."
    result = parse_text(text, gazetteer=gazetteer)
    doc = result_to_json(result)
    names = [p["name"] for p in doc["places"]]
    assert "Odesa" in names  # a place first named past the limit is still listed
    assert len(names) < len(result.places)
    (note,) = [w for w in doc["warnings"] if "left out" in w]
    assert int(note.split()[0]) == len(result.places) - len(names)


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


def test_unplaced_names_and_precision_are_in_the_result(gazetteer):
    text = "Kharkiv was shelled. Russian forces shelled near Zzyxivka, Donetsk oblast."
    doc = json.loads(result_to_jsonl(parse_text(text, gazetteer=gazetteer)))
    (u,) = doc["unresolved"]
    assert (u["mention"], text[u["start"]:u["end"]]) == ("Zzyxivka", "Zzyxivka")
    assert u["sentence"] == "Russian forces shelled near Zzyxivka, Donetsk oblast."
    assert {p["name"]: p["precision"] for p in doc["places"]} == {"Kharkiv": "place", "Donetska oblast": "oblast"}
    events = {e["place"]: e for e in doc["events"]}
    assert (events["Donetska oblast"]["precision"], events["Donetska oblast"]["unresolved"]) == ("oblast", ["Zzyxivka"])
    assert (events["Kharkiv"]["precision"], events["Kharkiv"]["unresolved"]) == ("place", [])
    assert inline_areas(doc)["unresolved"] == doc["unresolved"]  # format 1 readers get it too


def test_a_report_with_every_place_known_has_an_empty_unresolved_list(gazetteer):
    assert result_to_json(parse_text(MIXED, gazetteer=gazetteer))["unresolved"] == []


def test_a_batch_line_is_the_json_of_the_result_whatever_ran_before(gazetteer):
    # outlines are written from text kept between results: each line must still be the result's own
    texts = [MIXED, "Окупанти обстріляли Харків і Київ; Росія заперечує.", "Kharkiv was shelled.", MIXED]
    for text in texts:
        result = parse_text(text, gazetteer=gazetteer)
        assert result_to_jsonl(result) == json.dumps(result_to_json(result), ensure_ascii=False)
