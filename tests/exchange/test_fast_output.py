"""The fast paths of ``parse --jsonl`` give what the plain ones gave.

The batch command writes each result as text with the shared polygons spliced
in; the gazetteer reads prebuilt display geometry and a pickled automaton.  A
user notices neither, except that an old build must be rebuilt, not misread.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import pickle
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import shape

from geo.gazetteer.loader import FORMAT_VERSION, GazetteerMissing, _load, display_shape_of, is_current
from geo.exchange.layers import result_to_json, result_to_jsonl
from geo.parse.pipeline import parse_text
from geo.records import SharedGeometry

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Russian forces shelled Kharkiv and Mariupol. Ukraine says the Ukraine-Belarus border is quiet.",
    "Explosions were heard in the capital. Troops massed near Kherson, in Kherson Oblast, and in Belarus.",
    "Talks between Ukraine and Russia took place in Gomel; Poland and Moldova took in refugees.",
    "Ein Bericht über Київ und Харків: «кавычки» — and a tab\there, with \"quotes\" and \\ backslashes.",
    # the writer cuts its text where each "geometry" key is: such words in a quote must not fool it
    'Russian forces shelled Kharkiv, a post said: "geometry": null, \\"geometry\\": null, {"geometry": 1}.',
]


@pytest.mark.parametrize("text", TEXTS)
def test_result_text_is_what_json_dumps_gives(gazetteer, text):
    result = parse_text(text, source='t "geometry": null.txt', gazetteer=gazetteer, date="2022-03-01")
    assert result.places, "the text names places"
    assert result_to_jsonl(result) == json.dumps(result_to_json(result), ensure_ascii=False)


def test_points_lines_areas_and_no_geometry_side_by_side(gazetteer):
    # points go out inline, polygons and lines are spliced in, a missing geometry is null
    result = parse_text("Troops shelled Kharkiv near the Ukraine-Belarus border. Kyiv is encircled. Ukraine and "
                        "Russia held talks.", gazetteer=gazetteer)
    kinds = {p.geometry["type"] for p in result.places} | {e.geometry["type"] for e in result.events}
    assert {"Point", "Polygon", "MultiPolygon"} <= kinds and any("LineString" in k for k in kinds)
    events = tuple(dataclasses.replace(e, geometry=None) if i % 2 == 0 else e for i, e in enumerate(result.events))
    result = dataclasses.replace(result, events=events)
    assert result_to_jsonl(result) == json.dumps(result_to_json(result), ensure_ascii=False)


def test_seed_reports_come_out_the_same_either_way(gazetteer):
    for path in sorted((ROOT / "seeds").rglob("*.txt")):
        result = parse_text(path.read_text("utf-8"), source=path.name, gazetteer=gazetteer)
        assert result_to_jsonl(result) == json.dumps(result_to_json(result), ensure_ascii=False), path.name


_MIXED = ("Troops shelled Kharkiv near the Ukraine-Belarus border. Kyiv is encircled. Ukraine and "
          "Russia held talks.")


def _same_text_either_way(result, places) -> None:
    result = dataclasses.replace(result, places=tuple(places))
    assert result_to_jsonl(result) == json.dumps(result_to_json(result), ensure_ascii=False)


def test_places_alike_but_for_what_a_key_cannot_tell_apart(gazetteer):
    # the places' fixed text is kept by their fields: a field only its text tells apart
    # (a zero's sign, 1 against 1.0, a NaN) or any other field must not reuse another's text
    result = parse_text(_MIXED, gazetteer=gazetteer)
    base = next(p for p in result.places if p.geometry["type"] == "Point")
    variants = [dict(lat=0.0), dict(lat=-0.0), dict(lon=0.0), dict(lon=-0.0), dict(lat=1.0), dict(lat=1),
                dict(lat=True), dict(lat=math.nan), dict(lat=1.0), dict(country_code=None),
                dict(country_code="RU"), dict(gazetteer_id=None), dict(name="Київ"), dict(kind="admin1"),
                dict(confidence=1), dict(confidence=math.nan), dict(start=True)]
    for first in variants:
        for second in variants:
            _same_text_either_way(result, [dataclasses.replace(base, **first),
                                           dataclasses.replace(base, **second)])


_NUMBER = st.sampled_from([50.45466, 1.0, 1, 0.0, -0.0, math.nan, math.inf])
_WORD = st.one_of(st.sampled_from(["Kyiv", 'a "quoted" \\ name']), st.text(max_size=6))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_places_written_from_kept_text_are_what_json_dumps_gives(gazetteer, data):
    result = parse_text(_MIXED, gazetteer=gazetteer)
    shapes = [p.geometry for p in result.places] + [None, {"type": "Point", "coordinates": [30.5, -0.0]}]
    places = [dataclasses.replace(
        data.draw(st.sampled_from(result.places)), name=data.draw(_WORD), mention=data.draw(_WORD),
        country_code=data.draw(st.sampled_from(["UA", None])), start=data.draw(st.integers(0, 10**9)),
        lat=data.draw(_NUMBER), lon=data.draw(_NUMBER), geometry=data.draw(st.sampled_from(shapes)),
        confidence=data.draw(_NUMBER)) for _ in range(data.draw(st.integers(1, 6)))]
    _same_text_either_way(result, places)


def test_country_polygon_is_prebuilt_simplified_and_counter_clockwise(gazetteer):
    row = gazetteer.country_row("UA")
    geometry = gazetteer.display_geojson(row)
    assert isinstance(geometry, SharedGeometry) and json.loads(geometry.text) == geometry
    drawn = shape(geometry)
    assert drawn.geom_type in ("Polygon", "MultiPolygon")
    expected = display_shape_of(gazetteer.country_shape("UA"))
    assert drawn.equals(shapely.orient_polygons(expected, exterior_cw=False))
    for poly in shapely.get_parts(drawn):
        assert poly.exterior.is_ccw


def test_a_copy_of_a_shared_geometry_is_a_plain_dict(gazetteer):
    geometry = gazetteer.display_geojson(gazetteer.country_row("UA"))
    changed = copy.deepcopy(geometry)
    assert type(changed) is dict and changed == geometry
    again = pickle.loads(pickle.dumps(geometry))
    assert isinstance(again, SharedGeometry) and again.text == geometry.text


def test_city_geometry_is_its_point(gazetteer):
    row = next(r for r in gazetteer.lookup("Kharkiv") if gazetteer.kind[r] == "city")
    assert gazetteer.display_geojson(row) == {
        "type": "Point", "coordinates": (float(gazetteer.lon[row]), float(gazetteer.lat[row]))}


def _copy_build(src: Path, dst: Path) -> None:
    dst.mkdir()
    for f in src.iterdir():
        if f.is_file():
            (dst / f.name).symlink_to(f)


def test_an_older_or_incomplete_build_is_not_read(gazetteer, tmp_path):
    src = gazetteer.directory
    assert is_current(src)
    old = tmp_path / "old"
    _copy_build(src, old)
    (old / "FORMAT").unlink()
    (old / "FORMAT").write_text(f"{FORMAT_VERSION - 1}\n")
    assert not is_current(old)
    with pytest.raises(GazetteerMissing):
        _load(old)
    partial = tmp_path / "partial"
    _copy_build(src, partial)
    (partial / "display.bin").unlink()
    assert not is_current(partial)


def test_trie_alternation_matches_like_the_flat_one_longest_first():
    import random
    import re

    from geo.parse.mentions import _trie_alternation

    words = ["niger", "nigeria", "ukraine", "uk", "guinea", "guinea-bissau", "papua new guinea",
             "congo", "dr congo", "côte d'ivoire", "russia", "russian", "belarus"]
    flat = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    trie = _trie_alternation(words)
    forms = [r"\b(?P<a>{})\b", r"\b(?P<a>{})(?:\s*-\s*|\s+and\s+)(?P<b>{})\s+border\b",
             r"(?P<a>{})ia\b"]  # the last forces a backtrack from "nigeria" to "niger"
    rnd = random.Random(7)
    texts = ["Nigeria", "Niger-Nigeria border", "nigeriaia", "the Guinea-Bissau and Russia border",
             "Papua New Guinea - DR Congo border", "Côte d'Ivoire and Belarus border", "UK-Ukraine border"]
    texts += [" ".join(rnd.choice(words + ["and", "-", "border", "x"]) for _ in range(8)) for _ in range(300)]
    for form in forms:
        a = re.compile(form.format(flat, flat), re.I)
        b = re.compile(form.format(trie, trie), re.I)
        for t in texts:
            assert [(m.span(), m.groupdict()) for m in a.finditer(t)] == \
                   [(m.span(), m.groupdict()) for m in b.finditer(t)], (form, t)
    assert re.fullmatch(rf"(?P<a>{trie})ia", "nigeria", re.I).group("a") == "niger"
