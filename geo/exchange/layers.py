"""Records to GeoJSON (RFC 7946) and GeoDataFrames.

Pure result-shaping only; writing files is :mod:`geo.io`'s job.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import mapping, shape

from geo.records import Event, Place, Result, SharedGeometry
from geo.taxonomy import TYPE_KEYS

if TYPE_CHECKING:  # geopandas loads with the first frame asked for: parsing needs none (0.1 s)
    import geopandas as gpd

EVENT_COLUMNS = ("id", "event_type", "subtype", "place", "actors", "date", "certainty",
                 "attributed_to", "denied_by", "quote", "start", "end", "trigger", "source",
                 "place_kind", "lat", "lon", "outcome", "date_source", "lang")


def rfc7946(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON geometry with counter-clockwise exteriors and clockwise holes."""
    if geometry is None or isinstance(geometry, SharedGeometry):  # shared ones are oriented already
        return geometry
    if geometry["type"] in ("Polygon", "MultiPolygon"):
        # places share one geometry dict per gazetteer row: orient each once
        hit = _ORIENTED.get(id(geometry))
        if hit is not None and hit[0] is geometry:
            return hit[1]
        out = mapping(shapely.orient_polygons(shape(geometry), exterior_cw=False))
        if len(_ORIENTED) >= 4096:
            _ORIENTED.clear()
        _ORIENTED[id(geometry)] = (geometry, out)
        return out
    return geometry


_ORIENTED: dict[int, tuple[dict, dict]] = {}


def result_to_json(result: Result) -> dict[str, Any]:
    """One parse result in the contract's JSON shape."""
    from geo.parse.status import build_status

    return {
        "id": result.report.id,
        "date": result.report.date,
        "places": [{**p.to_dict(), "geometry": rfc7946(p.geometry)} for p in result.places],
        "events": [_event_json(e) for e in result.events],
        "status": build_status([result]),
        "warnings": list(result.warnings),
    }


def _event_json(ev: Event) -> dict[str, Any]:
    d = ev.to_dict()
    d["geometry"] = rfc7946(ev.geometry)
    return d


_dumps = json.JSONEncoder(ensure_ascii=False).encode
_encode_str = json.encoder.encode_basestring  # what _dumps writes a string as


def result_to_jsonl(result: Result) -> str:
    """``result_to_json`` as JSON text (one line), the same text ``json.dumps`` would give.

    Countries' and admin-1 units' polygons are most of the output, and many
    places share one: their text is serialised once and spliced in.
    """
    return "".join(p if type(p) is str else p.text for p in _result_pieces(result))


def write_result_jsonl(result: Result, write: Callable[[bytes], object]) -> None:
    """Write ``result_to_jsonl(result)`` and a newline as UTF-8 to a binary ``write``.

    Shared polygons go out as the bytes they were loaded as: neither joined
    into one string nor encoded again.
    """
    small: list[str] = []
    for piece in _result_pieces(result):
        if type(piece) is str:
            small.append(piece)
        else:
            write("".join(small).encode("utf-8"))
            small.clear()
            write(piece.data)
    small.append("\n")
    write("".join(small).encode("utf-8"))


def _result_pieces(result: Result) -> list:
    """The JSON text of a result in order: ``str`` pieces and ``SharedGeometry`` (its text)."""
    from geo.parse.status import build_status

    out = [f'{{"id": {_dumps(result.report.id)}, "date": {_dumps(result.report.date)}, "places": [']
    _places_pieces(out, result.places)
    out.append('], "events": [')
    _records_pieces(out, [e.to_dict() for e in result.events])
    out.append(f'], "status": {_dumps(build_status([result]))}, "warnings": {_dumps(list(result.warnings))}}}')
    return out


_NO_GEOMETRY = '"geometry": null'


def _places_pieces(out: list, places: Iterable[Place]) -> None:
    """Places' JSON text, as ``_records_pieces`` writes it, their fixed fields' text kept.

    A place's name, kind, codes and point repeat wherever it is mentioned;
    only the mention, its offsets, the geometry's text (itself kept, or a
    point's few bytes) and the confidence differ.  Serialising the rest once,
    with the same encoder, takes the places' text from 0.063 to 0.036 s over
    the corpora.  A place with fields of other types than the pipeline gives
    takes the plain path.
    """
    sep = ""
    for p in places:
        fixed = _place_fixed(p)
        conf = p.confidence
        if (fixed is None or type(p.mention) is not str or type(p.start) is not int
                or type(p.end) is not int or type(conf) is not float or not math.isfinite(conf)):
            out.append(sep)
            _records_pieces(out, [p.to_dict()])
        else:
            g = p.geometry
            out += (f'{sep}{fixed[0]}{_encode_str(p.mention)}, "start": {p.start}, "end": {p.end}{fixed[1]}',
                    g if isinstance(g, SharedGeometry) else geometry_text(g), f', "confidence": {conf!r}}}')
        sep = ", "


def _place_fixed(p: Place) -> tuple[str, str] | None:
    """The text around a place's mention, offsets and geometry, by its fixed fields; ``None``
    for fields a key could not tell apart by text (a zero's sign: -0.0 == 0.0; a type other
    than the pipeline's: 50 == 50.0) and for a NaN (a key holding one is never found again)."""
    name, kind, cc, gid, lat, lon = p.name, p.kind, p.country_code, p.gazetteer_id, p.lat, p.lon
    if (type(lat) is not float or type(lon) is not float or not lat or not lon or lat != lat or lon != lon
            or type(name) is not str or type(kind) is not str
            or (cc is not None and type(cc) is not str) or (gid is not None and type(gid) is not str)):
        return None
    key = (name, kind, cc, gid, lat, lon)
    hit = _PLACE_FIXED.get(key)
    if hit is None:
        if len(_PLACE_FIXED) >= 65536:
            _PLACE_FIXED.clear()
        hit = _PLACE_FIXED[key] = (
            f'{{"name": {_dumps(name)}, "mention": ',
            f', "kind": {_dumps(kind)}, "country_code": {_dumps(cc)}, "gazetteer_id": {_dumps(gid)}, '
            f'"lat": {_dumps(lat)}, "lon": {_dumps(lon)}, "geometry": ')
    return hit


_PLACE_FIXED: dict[tuple, tuple[str, str]] = {}


def _records_pieces(out: list, records: list[dict[str, Any]]) -> None:
    """Records' JSON text, comma-separated, their polygons and lines spliced in.

    The records are serialised in one call, points inline (as ``json.dumps``
    writes them) and every other geometry left out (``null``); the text is
    cut where each of those goes.  The records' keys are fixed field names, so
    ``"geometry": null`` can only be that key: inside a string value its
    closing quote would be escaped.
    """
    if not records:
        return
    spliced = []
    for r in records:
        geometry = r["geometry"]
        if geometry is None or isinstance(geometry, SharedGeometry) or geometry["type"] != "Point":
            spliced.append(geometry)
            r["geometry"] = None
    parts = _dumps(records)[1:-1].split(_NO_GEOMETRY)
    for part, geometry in zip(parts, spliced):
        out.append(part + '"geometry": ')
        out.append(geometry if isinstance(geometry, SharedGeometry) else geometry_text(geometry))
    out.append(parts[-1])


def geometry_text(geometry: dict[str, Any] | None) -> str:
    """A geometry as RFC 7946 GeoJSON text; a shared geometry's is serialised once."""
    if geometry is None:
        return "null"
    if isinstance(geometry, SharedGeometry):
        return geometry.text
    hit = _TEXT.get(id(geometry))
    if hit is not None and hit[0] is geometry:
        return hit[1]
    text = _dumps(rfc7946(geometry))
    if geometry["type"] != "Point":  # big ones may be shared by several records: keep their text
        if len(_TEXT) >= 1024:
            _TEXT.clear()
        _TEXT[id(geometry)] = (geometry, text)
    return text


_TEXT: dict[int, tuple[dict, str]] = {}


def feature(geometry: dict | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": rfc7946(geometry), "properties": properties}


def collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def places_collection(results: Iterable[Result]) -> dict[str, Any]:
    """One feature per resolved place, with every mention of it across reports."""
    merged: dict[tuple, dict[str, Any]] = {}
    for r in results:
        sentences = _sentence_spans(r.report.text)  # once per report, not once per place
        for p in r.places:
            key = (p.gazetteer_id, p.name)
            f = merged.get(key)
            if f is None:
                props = {k: v for k, v in p.to_dict().items() if k != "geometry"}
                f = merged[key] = feature(p.geometry, {**props, "mentions": []})
            f["properties"]["mentions"].append(_mention(r, p, sentences))
    return collection(merged.values())


def _mention(r: Result, p: Place, sentences: list[tuple[int, int]]) -> dict[str, Any]:
    return {"source": r.report.source, "mention": p.mention, "start": p.start, "end": p.end,
            "quote": _sentence_around(r.report.text, p.start, p.end, sentences)}


QUOTE_MAX_CHARS = 2000
"""A mention's quote is its sentence, cut to a window around it when longer."""


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    from geo.parse.sentences import split_sentences

    return split_sentences(text)


def _sentence_around(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> str:
    i = bisect.bisect_right(sentences, start, key=lambda span: span[0]) - 1
    if i >= 0 and sentences[i][0] <= start < sentences[i][1]:
        s, e = sentences[i]
    else:
        s, e = max(0, start - 80), end + 80
    if e - s > QUOTE_MAX_CHARS:  # a text with no full stops is one huge "sentence"
        half = QUOTE_MAX_CHARS // 2
        s, e = max(s, start - half), min(e, end + half)
    return text[s:e]


def events_collection(results: Iterable[Result]) -> dict[str, Any]:
    """One feature per event, across reports, ids unique."""
    seen: set[str] = set()
    feats = []
    for r in results:
        for ev in r.events:
            if ev.id in seen:
                continue
            seen.add(ev.id)
            props = {k: v for k, v in ev.to_dict().items() if k != "geometry"}
            feats.append(feature(ev.geometry, props))
    return collection(feats)


def layers_by_type(events_fc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Split an events collection into one collection per event type present."""
    out: dict[str, list] = {}
    for f in events_fc["features"]:
        out.setdefault(f["properties"]["event_type"], []).append(f)
    return {k: collection(out[k]) for k in TYPE_KEYS if k in out}


def events_frame(events_fc: dict[str, Any]) -> gpd.GeoDataFrame:
    """Events as a GeoDataFrame (WGS84); events with no geometry keep a null one."""
    import geopandas as gpd

    feats = events_fc["features"]
    if not feats:
        return gpd.GeoDataFrame({c: [] for c in EVENT_COLUMNS}, geometry=[], crs="EPSG:4326")
    rows = [{c: f["properties"].get(c) for c in EVENT_COLUMNS} for f in feats]
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in feats]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
