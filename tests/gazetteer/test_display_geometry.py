"""The gazetteer's prebuilt display geometry and build format, and the border-name trie.

The gazetteer reads prebuilt display geometry and a pickled automaton.  A user
notices neither, except that an old build must be rebuilt, not misread.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from geo.gazetteer.loader import FORMAT_VERSION, GazetteerMissing, _load, display_shape_of, is_current

ROOT = Path(__file__).resolve().parents[2]


def test_country_polygon_is_prebuilt_simplified_and_counter_clockwise(gazetteer):
    row = gazetteer.country_row("UA")
    geometry = gazetteer.display_geojson(row)
    drawn = shape(geometry)
    assert drawn.geom_type in ("Polygon", "MultiPolygon")
    expected = display_shape_of(gazetteer.country_shape("UA"))
    assert drawn.equals(shapely.orient_polygons(expected, exterior_cw=False))
    for poly in shapely.get_parts(drawn):
        assert poly.exterior.is_ccw


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
