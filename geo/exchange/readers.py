"""Events files in: ACLED CSV, GeoJSON, GeoPackage and KML, checked feature by feature and streamed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import json
import logging
import math
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import mapping

from geo import io
from geo.exchange.formats import (
    _ACLED_ACTOR,
    _FROM_ACLED_SUB,
    _FROM_ACLED_TYPE,
    _KIND_OF_PRECISION,
    _KML_OWN,
    ACLED_REQUIRED,
    IMPORT_FORMATS,
    layer_name,
)
from geo.exchange.layers import rfc7946
from geo.records import CERTAINTIES, PLACE_KINDS, PRECISIONS
from geo.store.corrections import (
    CorrectionError,
    check_geometry,
)
from geo.taxonomy import TYPE_KEYS

log = logging.getLogger(__name__)


# -- import: shared checks ----------------------------------------------------


def _stable_id(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return "imported-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, where: str) -> str | None:
    if isinstance(value, (dt.date, pd.Timestamp)) and not pd.isna(value):
        return value.strftime("%Y-%m-%d")
    text = _text(value)
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise io.BadInput(f"{where}: bad date {text!r} (use YYYY-MM-DD)")


def _actor(name: str) -> str:
    m = _ACLED_ACTOR.match(name.strip())
    return m.group("name") if m else name.strip()


def _list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if _text(v)]
    text = _text(value)
    return [v.strip() for v in re.split(r"\s*;\s*", text) if v.strip()] if text else []


def _geometry(geometry: Any, where: str) -> shapely.Geometry | None:
    if geometry is None:
        return None
    if isinstance(geometry, dict):
        try:
            return shapely.force_2d(check_geometry(geometry, where))
        except CorrectionError as exc:
            raise io.BadInput(str(exc)) from None
    geom = shapely.force_2d(geometry)
    try:
        return check_geometry(mapping(geom), where) if not geom.is_empty else None
    except CorrectionError as exc:
        raise io.BadInput(str(exc)) from None


def _type_from_acled(acled_type: str | None, sub: str | None, civilian: str | None) -> str | None:
    key = ((acled_type or "").lower(), (sub or "").lower())
    if key in _FROM_ACLED_SUB:
        return _FROM_ACLED_SUB[key]
    ours = _FROM_ACLED_TYPE.get(key[0])
    if ours == "strike" and civilian:
        return "civilian_harm"
    return ours


def _event_type(props: dict[str, Any], where: str, fallback: str | None = None) -> str:
    for key in ("sitmap_event_type", "event_type"):
        value = _text(props.get(key))
        if value in TYPE_KEYS:
            return value
    mapped = _type_from_acled(_text(props.get("event_type")), _text(props.get("sub_event_type")),
                              _text(props.get("civilian_targeting")))
    if mapped:
        return mapped
    if fallback in TYPE_KEYS:
        return fallback
    raise io.BadInput(f"{where}: unknown event type {props.get('event_type')!r}")


def _choice(value: Any, allowed: tuple[str, ...], default: str | None, what: str, where: str):
    text = _text(value)
    if text is None:
        return default
    if text not in allowed:
        raise io.BadInput(f"{where}: {what} {text!r} is not one of {', '.join(allowed)}")
    return text


def _int(value: Any) -> int:
    text = _text(value)
    try:
        return int(float(text)) if text else 0
    except ValueError:
        return 0


def _bool(value: Any) -> bool:
    return bool(value) if isinstance(value, (bool, np.bool_)) else (_text(value) or "").lower() in ("true", "1", "yes")


def _lat_lon(props: dict[str, Any], geom: shapely.Geometry | None) -> tuple[float | None, float | None]:
    lat, lon = props.get("lat"), props.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and not (
            math.isnan(lat) or math.isnan(lon)):
        return float(lat), float(lon)
    if geom is None:
        return None, None
    rp = geom.representative_point()
    return rp.y, rp.x


def _actors(props: dict[str, Any]) -> list[str]:
    if "actors" in props:
        return _list(props["actors"])
    names = [props.get("actor1"), props.get("actor2")]
    names += _list(props.get("assoc_actor_1")) + _list(props.get("assoc_actor_2"))
    return [_actor(n) for n in names if _text(n)]


def _precision(props: dict[str, Any]) -> str | None:  # ours, or our CSV column
    return next((v for k in ("precision", "sitmap_precision") if (v := _text(props.get(k))) in PRECISIONS), None)


def _place_kind(props: dict[str, Any], where: str) -> str | None:
    kind = _text(props.get("place_kind")) or _text(props.get("sitmap_place_kind"))
    if kind is None:
        kind = _KIND_OF_PRECISION.get(_text(props.get("geo_precision")) or "")
    return _choice(kind, PLACE_KINDS, None, "place kind", where)


def _subtype(props: dict[str, Any]) -> str | None:
    if "sitmap_subtype" in props:
        return _text(props["sitmap_subtype"])
    return _text(props.get("subtype")) or _text(props.get("sub_event_type"))


def _corrected(props: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"corrected": _bool(props.get("corrected"))}
    if _list(props.get("corrected_fields")):
        out["corrected_fields"] = _list(props["corrected_fields"])
    for key in ("corrected_by", "corrected_at"):
        if _text(props.get(key)):
            out[key] = _text(props[key])
    return out


def event_feature(props: dict[str, Any], geometry: Any, where: str, *, origin: str,
                  layer: str, fallback_type: str | None = None) -> dict[str, Any]:
    """One checked event feature from a record made elsewhere.

    Parameters
    ----------
    props
        The record's fields, ours or ACLED's.
    geometry
        A GeoJSON geometry dict, a shapely geometry, or ``None``.
    where
        How to name the record in an error: ``"x.csv: line 4"``.
    origin
        The imported file's name; the ``source`` when the record has none.
    layer
        The name of the layer it joins.
    fallback_type
        The event type to assume when the record has none (a GeoPackage layer's name).

    Raises
    ------
    geo.io.BadInput
        Naming ``where``, for an unknown type, a bad date, coordinates or geometry.
    """
    event_type = _event_type(props, where, fallback_type)
    date = _date(props["date"] if "date" in props else props.get("event_date"), where)
    geom = _geometry(geometry, where)
    lat, lon = _lat_lon(props, geom)
    eid = (_text(props.get("id")) or _text(props.get("event_id_cnty"))
           or _stable_id(origin, where, event_type, date, geom.wkt if geom is not None else None))
    out = {
        "id": eid, "event_type": event_type, "subtype": _subtype(props),
        "place": _text(props.get("place")) or _text(props.get("location")),
        "actors": _actors(props), "date": date,
        "certainty": _choice(props.get("certainty"), CERTAINTIES, "reported", "certainty", where),
        "attributed_to": _text(props.get("attributed_to")), "denied_by": _text(props.get("denied_by")),
        "quote": (_text(props.get("quote")) or _text(props.get("notes"))
                  or _text(props.get("description")) or _text(props.get("Description")) or ""),
        "start": _int(props.get("start")), "end": _int(props.get("end")),
        "trigger": _text(props.get("trigger")) or "",
        "source": _text(props.get("source")) or origin,
        "place_kind": _place_kind(props, where), "lat": lat, "lon": lon, "precision": _precision(props),
        **_corrected(props), "imported_from": origin, "layer": layer,
    }
    return {"type": "Feature", "geometry": rfc7946(mapping(geom)) if geom is not None else None,
            "properties": out}


# -- import: formats -----------------------------------------------------------


def _plain_reason(text: str, path: Path, name: str) -> str:
    """A library's message with the server's paths taken out (the file goes by ``name``)."""
    text = text.replace(str(path), name).replace(str(path.parent), "")
    return re.sub(r"(?<![\w.])/(?:[^\s/:'\"]+/)+([^\s/:'\"]+)", r"\1", text).strip()


def _text_lines(path: Path, name: str) -> Iterator[str]:
    """The file's lines as text, decoded one at a time; a bad byte names its line."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise io.BadInput(f"{name}: cannot be read ({exc.strerror})") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise io.BadInput(f"{name}: line {n}: not UTF-8 (byte {exc.start} of the line); "
                                  "save it as UTF-8 and try again") from None


def _csv_point(row: dict[str, Any], where: str) -> dict[str, Any] | None:
    lat, lon = _text(row.get("latitude")), _text(row.get("longitude"))
    if lat is None and lon is None:
        return None
    try:
        y, x = float(lat), float(lon)
    except (TypeError, ValueError):
        raise io.BadInput(f"{where}: bad coordinates latitude={lat!r}, longitude={lon!r}") from None
    if not (-90 <= y <= 90 and -180 <= x <= 180) or math.isnan(x) or math.isnan(y):
        raise io.BadInput(f"{where}: coordinates latitude={y}, longitude={x} are outside WGS84 bounds")
    row["lat"], row["lon"] = y, x
    return {"type": "Point", "coordinates": [x, y]}


def _csv_rows(lines: Iterable[str], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise io.BadInput(f"{name}: line 1: not CSV ({exc})") from None
    missing = [c for c in ACLED_REQUIRED if c not in header]
    if missing:
        raise io.BadInput(f"{name}: line 1: missing column(s) {', '.join(missing)}")
    line = 1
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if None in row or None in row.values():
                raise io.BadInput(f"{name}: line {start}: the row has a different number of "
                                  f"fields from the header ({len(header)})")
            yield start, row
    except csv.Error as exc:
        raise io.BadInput(f"{name}: line {reader.line_num}: not CSV ({exc})") from None


def iter_acled_csv(path: Path | str, layer: str | None = None, origin: str | None = None
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, checked feature) for each row of an ACLED-style CSV, read a line at a time."""
    path = Path(path)
    name = origin or path.name
    layer = layer or layer_name(name)
    for n, row in _csv_rows(_text_lines(path, name), name):
        where = f"{name}: line {n}"
        yield where, event_feature(row, _csv_point(row, where), where, origin=name, layer=layer)


def _where_feature(name: str, n: int, props: dict[str, Any]) -> str:
    eid = _text(props.get("id")) if isinstance(props.get("id"), (str, int, float)) else None
    return f"{name}: feature {n}" + (f" (id {eid})" if eid else "")


def _json_error(path: Path, name: str) -> io.BadInput:
    """The message for a file that is not JSON: its line when it is small enough to find it."""
    if path.stat().st_size <= JSON_DETAIL_BYTES:
        try:
            json.loads(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            return io.BadInput(f"{name}: not UTF-8 (byte {exc.start}); save it as UTF-8 and try again")
        except json.JSONDecodeError as exc:
            return io.BadInput(f"{name}: line {exc.lineno}: not JSON ({exc.msg})")
        except RecursionError:
            pass
    return io.BadInput(f"{name}: not JSON (or nested too deeply to read)")


JSON_DETAIL_BYTES = 20 * 1024 * 1024
"""A GeoJSON that fails to stream is parsed whole, to find the bad line, up to this size."""


MAX_JSON_DEPTH = 64
"""Deepest nesting an imported GeoJSON may have (a MultiPolygon's coordinates are 4 deep)."""


class _TooDeep(Exception):
    pass


def _json_value(event: str, value: Any, events: Iterator[tuple[str, Any]], limit: int = MAX_JSON_DEPTH) -> Any:
    """One JSON value from ijson's basic events, built without recursion and at most ``limit`` deep.

    (ijson's own ``items`` keeps a path string per level: a file nested 100,000
    deep costs it gigabytes before it fails.)
    """
    if event not in ("start_map", "start_array"):
        return value
    stack: list[list] = [[{} if event == "start_map" else [], None]]
    for event, value in events:
        top = stack[-1]
        if event == "map_key":
            top[1] = value
            continue
        if event in ("end_map", "end_array"):
            done = stack.pop()[0]
            if not stack:
                return done
            value = done
        elif event in ("start_map", "start_array"):
            if len(stack) >= limit:
                raise _TooDeep
            stack.append([{} if event == "start_map" else [], None])
            continue
        parent, key = stack[-1]
        if isinstance(parent, list):
            parent.append(value)
        else:
            parent[key] = value
    raise ValueError("the JSON text ends inside a value")


def _top_level(fh) -> Iterator[tuple[str, Any, Iterator]]:
    """(key, first event, events) for each top-level member of a JSON object, streamed."""
    import ijson

    events = ijson.basic_parse(fh, use_float=True)
    first = next(events, (None, None))
    if first[0] != "start_map":
        yield "", first, events
        return
    for event, key in events:
        if event == "end_map":
            return
        yield key, next(events, ("end", None)), events


def _geojson_kind(path: Path, name: str) -> Any:
    """The top-level ``type`` of a JSON file (``None``: not an object), streamed."""
    import ijson

    with open(path, "rb") as fh:
        try:
            for key, (event, value), events in _top_level(fh):
                if key == "type":
                    return value if event == "string" else None
                if not key:
                    return None
                _json_value(event, value, events)
            return None
        except _TooDeep:
            raise io.BadInput(f"{name}: nested too deeply (more than {MAX_JSON_DEPTH} levels) to be "
                              "an events file") from None
        except (ijson.JSONError, UnicodeDecodeError, ValueError, StopIteration):
            if path.stat().st_size > JSON_DETAIL_BYTES:
                raise _json_error(path, name) from None
    try:  # small: parse whole, to read what the streaming parser refused or name the bad line
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, RecursionError):
        raise _json_error(path, name) from None
    return doc.get("type") if isinstance(doc, dict) else None


def _geojson_features(path: Path, name: str) -> Iterator[Any]:
    """The raw features, streamed; a file the streaming parser refuses (lone surrogate
    escapes, say) is parsed whole when small, to read it or to name its bad line."""
    import ijson

    n = 0
    with open(path, "rb") as fh:
        try:
            for key, (event, value), events in _top_level(fh):
                if key != "features" or event != "start_array":
                    _json_value(event, value, events)
                    continue
                for event, value in events:
                    if event == "end_array":
                        break
                    item = _json_value(event, value, events)
                    n += 1
                    yield item
            return
        except _TooDeep:
            raise io.BadInput(f"{name}: feature {n + 1}: nested too deeply (more than {MAX_JSON_DEPTH} "
                              "levels) to be an event") from None
        except (ijson.JSONError, UnicodeDecodeError, ValueError, StopIteration):
            if path.stat().st_size > JSON_DETAIL_BYTES:
                raise _json_error(path, name) from None
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, RecursionError):
        raise _json_error(path, name) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    yield from (features[n:] if isinstance(features, list) else ())


def iter_geojson_events(path: Path | str, layer: str | None = None, origin: str | None = None
                        ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, checked feature) for each feature of a GeoJSON FeatureCollection, streamed."""
    path = Path(path)
    name = origin or path.name
    layer = layer or layer_name(name)
    if _geojson_kind(path, name) != "FeatureCollection":
        raise io.BadInput(f"{name}: not a GeoJSON FeatureCollection")
    n = 0
    try:
        for n, f in enumerate(_geojson_features(path, name), 1):
            f = io.without_lone_surrogates(f)
            props = f.get("properties") if isinstance(f, dict) else None
            if not isinstance(f, dict) or f.get("type") != "Feature" or not isinstance(
                    props, (dict, type(None))):
                raise io.BadInput(f"{name}: feature {n}: not a GeoJSON Feature")
            where = _where_feature(name, n, props or {})
            yield where, event_feature(props or {}, f.get("geometry"), where, origin=name, layer=layer)
    except RecursionError:
        raise io.BadInput(f"{name}: feature {n + 1}: nested too deeply to be an event") from None


def _ogr_layers(path: Path, name: str) -> list[tuple[str, int]]:
    try:
        with warnings.catch_warnings():  # gdal warns before it fails; the failure says enough
            warnings.simplefilter("ignore", RuntimeWarning)
            names = [str(n) for n, _ in pyogrio.list_layers(path)]
            return [(n, int(pyogrio.read_info(path, layer=n).get("features", -1))) for n in names]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        log.info("%s: gdal refused it: %s", name, exc)
        kind = "GeoPackage" if path.suffix.lower() == ".gpkg" else path.suffix.lstrip(".").upper()
        refused = ", or uses something Sitmap refuses (such as external entities)" if kind == "KML" else ""
        raise io.BadInput(f"{name}: cannot be opened as {kind}: the file is damaged or is not "
                          f"{kind}{refused}") from None


def _ogr_frame(path: Path, name: str, layer: str, skip: int = 0, count: int | None = None
               ) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(path, layer=layer, skip_features=skip, max_features=count)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as exc:
        raise io.BadInput(f"{name}: layer {layer}: cannot be read "
                          f"({_plain_reason(str(exc).splitlines()[0], path, name)})") from None
    if frame.crs is not None and not frame.crs.equals("EPSG:4326") and len(frame):
        frame = frame.to_crs("EPSG:4326")
    return frame


OGR_CHUNK = 10_000
"""Features read from a GeoPackage or KML layer at a time."""


def _ogr_chunks(path: Path, name: str, layer: str, total: int) -> Iterator[gpd.GeoDataFrame]:
    if total < 0:  # the driver cannot count without reading: one read
        yield _ogr_frame(path, name, layer)
        return
    for skip in range(0, total, OGR_CHUNK):
        yield _ogr_frame(path, name, layer, skip, OGR_CHUNK)


def iter_ogr_events(path: Path | str, layer: str | None = None, origin: str | None = None
                    ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, checked feature) for every feature of every layer of a GeoPackage or KML file."""
    path = Path(path)
    name = origin or path.name
    target = layer or layer_name(name)
    kml = path.suffix.lower() == ".kml"
    for layer_in, total in _ogr_layers(path, name):
        n = 0
        for frame in _ogr_chunks(path, name, layer_in, total):
            fields = [c for c in frame.columns if c != frame.geometry.name]
            for values, geom in zip(frame[fields].itertuples(index=False), frame.geometry):
                n += 1
                props = {k: v for k, v in zip(fields, values) if k not in _KML_OWN or k == "description"}
                if kml:  # our KML escapes its text for viewers that render HTML: read it back
                    props = {k: html.unescape(v) if isinstance(v, str) else v for k, v in props.items()}
                where = f"{name}: layer {layer_in}, feature {n}"
                yield where, event_feature(props, geom, where, origin=name, layer=target,
                                           fallback_type=layer_in)


def iter_events_file(path: Path | str, layer: str | None = None, origin: str | None = None
                     ) -> Iterator[dict[str, Any]]:
    """Every event in an import file, checked, one at a time (memory stays bounded).

    Parameters
    ----------
    path
        The file to read.
    layer
        The layer the events join (default: from ``origin``).
    origin
        The file's name as the analyst knows it (an upload's own name, not
        the temporary file's); errors and ``imported_from`` use it.

    Raises
    ------
    geo.io.BadInput
        For an unknown format, a missing file, an empty one, or the first bad
        line or feature, in one sentence that names the file by ``origin``.
    """
    path = Path(path)
    name = origin or path.name
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    if suffix not in IMPORT_FORMATS:
        raise io.BadInput(f"{name}: unknown import format (use {', '.join(IMPORT_FORMATS)})")
    if not path.is_file():
        raise io.BadInput(f"{name}: no such file")
    if suffix == ".csv":
        rows = iter_acled_csv(path, layer, name)
    elif suffix in (".geojson", ".json"):
        rows = iter_geojson_events(path, layer, name)
    else:
        rows = iter_ogr_events(path, layer, name)
    seen: dict[str, str] = {}
    try:
        for where, f in rows:
            eid = f["properties"]["id"]
            if eid in seen:
                raise io.BadInput(f"{where}: duplicate id {eid!r} (also {seen[eid]})")
            seen[eid] = where
            yield f
    except RecursionError:
        raise io.BadInput(f"{name}: nested too deeply to be an events file") from None
    if not seen:
        raise io.BadInput(f"{name}: no events in the file")


def read_events_file(path: Path | str, layer: str | None = None, origin: str | None = None
                     ) -> dict[str, Any]:
    """Every event in an import file, checked, as a FeatureCollection (see :func:`iter_events_file`)."""
    return {"type": "FeatureCollection", "features": list(iter_events_file(path, layer, origin))}


def read_build_events(path: Path) -> dict[str, Any]:
    try:
        fc = io.read_json(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise io.BadInput(f"{path}: not a readable events file ({exc})") from None
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise io.BadInput(f"{path}: not a GeoJSON FeatureCollection")
    for n, f in enumerate(fc.get("features") or [], 1):
        props = f.get("properties") or {}
        if not props.get("id") or props.get("event_type") not in TYPE_KEYS:
            raise io.BadInput(f"{path}: feature {n}: not an event (no id, or an unknown event_type)")
        _date(props.get("date"), f"{path}: feature {n}")
    return fc
