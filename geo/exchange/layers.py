"""Records to GeoJSON (RFC 7946) and GeoDataFrames.

Pure result-shaping only; writing files is :mod:`geo.io`'s job.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from shapely.geometry import shape

from geo import settings
from geo.geojson import rfc7946
from geo.records import Event, Place, Result
from geo.taxonomy import TYPE_KEYS

if TYPE_CHECKING:  # geopandas loads with the first frame asked for: parsing needs none
    import geopandas as gpd

EVENT_COLUMNS = ("id", "event_type", "subtype", "place", "actors", "date", "certainty",
                 "attributed_to", "denied_by", "quote", "start", "end", "trigger", "source",
                 "place_kind", "lat", "lon", "outcome", "date_source", "lang", "precision")



RESULT_FORMAT = 2
"""The shape of ``result_to_json``'s output (docs/contract.md): 2 puts each line and
polygon once in ``areas``, referenced by key from places and events."""


def result_to_json(result: Result) -> dict[str, Any]:
    """One parse result in the contract's JSON shape, format 2 (see docs/contract.md).

    Lines and polygons go once into ``areas``, keyed by the gazetteer id of the
    place they belong to; a place or event names its key where format 1 had the
    geometry.  Places are one record per mention, as in format 1, up to
    ``MAX_PLACE_RECORDS``; a warning says how many repeats were left out past it.
    """
    from geo.status import build_status

    areas = _Areas()
    place_keys = {p.name: areas.key_for(p.geometry, _place_key(p)) for p in result.places}
    places, left_out = _places_json(result.places, areas)
    warnings = list(result.warnings)
    if left_out:
        warnings.append(f"{left_out:,} further mentions of places already listed are left out "
                        f"of 'places' (more than {MAX_PLACE_RECORDS:,} mentions)")
    return {
        "format": RESULT_FORMAT,
        "id": result.report.id,
        "date": result.report.date,
        "places": places,
        "events": [_event_json(e, areas, place_keys) for e in result.events],
        "status": build_status([result]),
        "warnings": warnings,
        "areas": areas.geometries,
        "unresolved": _unresolved_json(result),
    }


def _unresolved_json(result: Result) -> list[dict[str, Any]]:
    """The names the text puts somewhere that no place matched, with their sentence."""
    if not result.unresolved:
        return []
    text = result.report.text
    sentences = _sentence_spans(text)
    return [{"mention": u.text, "start": u.start, "end": u.end,
             "sentence": _sentence_around(text, u.start, u.end, sentences)} for u in result.unresolved]


def result_to_jsonl(result: Result) -> str:
    """``result_to_json`` as one line of JSON text (``json.dumps``'s text, byte for byte).

    A country's or an oblast's outline is the same object in every result that names
    it (:func:`geo.geojson.rfc7946` orients each once): its text is made once too.
    """
    doc = result_to_json(result)
    areas = doc.get("areas")
    if not areas:
        return json.dumps(doc, ensure_ascii=False)
    parts = []
    for k, v in doc.items():
        if k == "areas":
            v_text = "{" + ", ".join(f"{json.dumps(a, ensure_ascii=False)}: {_encoded(g)}"
                                     for a, g in areas.items()) + "}"
        else:
            v_text = json.dumps(v, ensure_ascii=False)
        parts.append(f"{json.dumps(k, ensure_ascii=False)}: {v_text}")
    return "{" + ", ".join(parts) + "}"


_ENCODED: dict[int, tuple[Any, str]] = {}


def _encoded(geometry: Any) -> str:
    """``json.dumps(geometry)``, kept by the object's identity (the object is held, so its id
    stays its own)."""
    hit = _ENCODED.get(id(geometry))
    if hit is not None and hit[0] is geometry:
        return hit[1]
    text = json.dumps(geometry, ensure_ascii=False)
    if len(_ENCODED) >= 1024:
        _ENCODED.clear()
    _ENCODED[id(geometry)] = (geometry, text)
    return text


class _Areas:
    """The lines and polygons of one result, each once, by key."""

    def __init__(self) -> None:
        self.geometries: dict[str, dict[str, Any]] = {}
        self._by_object: dict[int, tuple[dict, str]] = {}

    def key_for(self, geometry: dict[str, Any] | None, key: str) -> str | None:
        """The key ``geometry`` goes under (``key``, made unique if a different geometry has
        it), or ``None`` for no geometry or a point, which stays inline."""
        if geometry is None or geometry.get("type") == "Point":
            return None
        hit = self._by_object.get(id(geometry))
        if hit is not None and hit[0] is geometry:
            return hit[1]
        oriented = rfc7946(geometry)
        base, n = key, 1
        while key in self.geometries and self.geometries[key] != oriented:
            n += 1
            key = f"{base}#{n}"
        self.geometries.setdefault(key, oriented)
        self._by_object[id(geometry)] = (geometry, key)
        return key


def _place_key(p: Place) -> str:
    return p.gazetteer_id or f"{p.kind}:{p.name}"


def _geometry_json(geometry: dict[str, Any] | None, key: str | None) -> dict[str, Any] | str | None:
    return key if key is not None else rfc7946(geometry)


MAX_PLACE_RECORDS = 20_000
"""Place mentions a result lists one by one; past this, only each further place's first mention."""


def _places_json(places: Iterable[Place], areas: _Areas) -> tuple[list[dict[str, Any]], int]:
    """One record per mention, in the contract's place shape, and how many were left out.

    A report that names the same town a million times would otherwise give a
    million records: past ``MAX_PLACE_RECORDS`` a place already listed is not
    listed again, so every place still appears at least once.
    """
    out: list[dict[str, Any]] = []
    listed: set[tuple] = set()
    left_out = 0
    for p in places:
        ident = (p.name, p.gazetteer_id, p.kind)
        if len(out) >= MAX_PLACE_RECORDS and ident in listed:
            left_out += 1
            continue
        first = ident not in listed
        listed.add(ident)
        key = areas.key_for(p.geometry, _place_key(p))
        out.append({"name": p.name, "mention": p.mention, "start": p.start, "end": p.end,
                    "kind": p.kind, "country_code": p.country_code, "gazetteer_id": p.gazetteer_id,
                    "lat": p.lat, "lon": p.lon, "geometry": _geometry_json(p.geometry, key),
                    "confidence": p.confidence, "precision": p.precision})
        if first and p.alternatives:  # once a place, on its first record (docs/contract.md)
            out[-1]["alternatives"] = list(p.alternatives)
    return out, left_out


def _event_json(ev: Event, areas: _Areas, place_keys: dict[str, str | None]) -> dict[str, Any]:
    d = ev.to_dict()
    base = place_keys.get(ev.place) or f"{ev.place_kind}:{ev.place}"
    if ev.event_type == "encirclement" and ev.place_kind == "city":
        base = f"encirclement:{base}"  # the disc drawn around the city, not the city's own shape
    d["geometry"] = _geometry_json(ev.geometry, areas.key_for(ev.geometry, base))
    return d


def inline_areas(doc: dict[str, Any]) -> dict[str, Any]:
    """A format-2 result with every geometry inline, as format 1 had it."""
    areas = doc.get("areas", {})

    def geometry(g):
        return areas[g] if isinstance(g, str) else g

    places = [{**p, "geometry": geometry(p["geometry"])} for p in doc["places"]]
    events = [{**e, "geometry": geometry(e["geometry"])} for e in doc["events"]]
    flat = {k: v for k, v in doc.items() if k not in ("format", "areas")}
    return {**flat, "places": places, "events": events}


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


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    from geo.parse.sentences import split_sentences

    return split_sentences(text)


def _sentence_around(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> str:
    i = bisect.bisect_right(sentences, start, key=lambda span: span[0]) - 1
    if i >= 0 and sentences[i][0] <= start < sentences[i][1]:
        s, e = sentences[i]
    else:
        s, e = max(0, start - 80), end + 80
    # a mention's quote is its sentence, cut to a window around it when longer (a text with
    # no full stops is one huge "sentence")
    if e - s > settings.MAX_QUOTE_CHARS:
        half = settings.MAX_QUOTE_CHARS // 2
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
