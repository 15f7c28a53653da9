"""Events in and out of the tools analysts use: GeoPackage, KML, ACLED CSV, GeoJSON.

Export
------
:func:`export_events` picks the format from the file's extension and always
shows corrected values: it lays the analyst's corrections over the events
(:func:`geo.store.corrections.apply_corrections`), and every row carries a
``corrected`` flag.

``.geojson``
    The events FeatureCollection (RFC 7946).
``.gpkg``
    One layer per event type, named by the type (``strike``, ``capture``...),
    with a real date field, for QGIS.  Lists (``actors``) are joined with ``"; "``.
``.kml``
    One folder per event type, placemarks named "Type: place", the quote as
    the description and the date as the KML timestamp.
``.csv``
    ACLED's column layout (``event_id_cnty``, ``event_date``, ``year``, ...,
    ``latitude``, ``longitude``, ``geo_precision``, ``source``, ``notes``,
    ``fatalities``, ``tags``, ``timestamp``), followed by our own columns
    (``sitmap_event_type``, ``sitmap_subtype``, ``sitmap_place_kind``,
    ``certainty``, ``attributed_to``, ``corrected``, ``corrected_fields``) so a
    round trip loses nothing.  Lines and areas become their representative
    point.  Columns we cannot fill honestly (``fatalities``, ``inter1``,
    ``iso``, ``timestamp``...) are left empty.

Our vocabulary in ACLED's terms
-------------------------------
==============  ===========================  ===================================
ours            ACLED ``event_type``         ACLED ``sub_event_type``
==============  ===========================  ===================================
strike          Explosions/Remote violence   Air/drone strike (subtype says air
                                             or drone), else Shelling/artillery/
                                             missile attack
battle          Battles                      Armed clash
capture         Battles                      Government regains territory (the
                                             actor is the country it happens
                                             in), else Non-state actor
                                             overtakes territory
encirclement    Battles                      Armed clash
troop_movement  Strategic developments       Change to group/activity
civilian_harm   Explosions/Remote violence   Shelling/artillery/missile attack,
                                             ``civilian_targeting`` set
losses          Strategic developments       Other
mobilization    Strategic developments       Change to group/activity
diplomacy       Strategic developments       Agreement
strategic       Strategic developments       Other
humanitarian    Strategic developments       Other
protest         Protests                     Peaceful protest
other           Strategic developments       Other
==============  ===========================  ===================================

Import
------
:func:`read_events_file` reads an ACLED-style CSV (``sitmap_event_type``
wins when present, otherwise the table is read backwards: Battles are
``battle`` except territory changes, which are ``capture``; Explosions/Remote
violence are ``strike``, or ``civilian_harm`` with civilian targeting;
Violence against civilians is ``civilian_harm``; Protests and Riots are
``protest``; Strategic developments are ``diplomacy`` for Agreement,
``troop_movement`` for Change to group/activity and Headquarters or base
established, ``capture`` for Non-violent transfer of territory, and ``other``
otherwise), a GeoJSON FeatureCollection, a
GeoPackage or a KML file of events.  Every row is checked before anything is
written; the first bad one raises :class:`geo.io.BadInput` naming its line
or feature.  :func:`import_events` then writes the layer atomically as
``DIR/imported/<name>.geojson``; each feature keeps its own ``source`` and
gains ``imported_from`` (the file name) and ``layer`` (the layer name).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import json
import logging
import math
import re
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely
from shapely.geometry import mapping

from geo import io, taxonomy
from geo.store.corrections import Correction, CorrectionError, apply_corrections, check_geometry
from geo.exchange.layers import layers_by_type, rfc7946
from geo.records import CERTAINTIES, PLACE_KINDS
from geo.taxonomy import TYPE_KEYS

log = logging.getLogger(__name__)

EXPORT_FORMATS = (".geojson", ".gpkg", ".kml", ".csv")
IMPORT_FORMATS = (".csv", ".geojson", ".json", ".gpkg", ".kml")
LIST_SEPARATOR = "; "

FLAT_COLUMNS = ("id", "event_type", "subtype", "place", "place_kind", "actors", "date",
                "certainty", "attributed_to", "denied_by", "quote", "trigger", "source",
                "start", "end", "lat", "lon", "corrected", "corrected_fields",
                "corrected_by", "corrected_at", "lang")
"""Columns of the GeoPackage layers, in order (KML drops the text offsets)."""

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                 "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
                 "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                 "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
                 "timestamp")
SITMAP_COLUMNS = ("sitmap_event_type", "sitmap_subtype", "sitmap_place_kind", "certainty",
                  "attributed_to", "corrected", "corrected_fields", "corrected_by", "corrected_at")
"""Our columns after ACLED's: what a round trip needs, and who corrected the event and when."""
ACLED_REQUIRED = ("event_date", "event_type", "latitude", "longitude")

SHELLING, AIR = "Shelling/artillery/missile attack", "Air/drone strike"
TO_ACLED: dict[str, tuple[str, str]] = {
    "strike": ("Explosions/Remote violence", SHELLING),
    "battle": ("Battles", "Armed clash"),
    "capture": ("Battles", "Non-state actor overtakes territory"),
    "encirclement": ("Battles", "Armed clash"),
    "troop_movement": ("Strategic developments", "Change to group/activity"),
    "civilian_harm": ("Explosions/Remote violence", SHELLING),
    "losses": ("Strategic developments", "Other"),
    "mobilization": ("Strategic developments", "Change to group/activity"),
    "diplomacy": ("Strategic developments", "Agreement"),
    "strategic": ("Strategic developments", "Other"),
    "humanitarian": ("Strategic developments", "Other"),
    "protest": ("Protests", "Peaceful protest"),
    "other": ("Strategic developments", "Other"),
}
"""Our event type to ACLED's (event type, default sub-event type)."""

_FROM_ACLED_SUB: dict[tuple[str, str], str] = {
    ("battles", "government regains territory"): "capture",
    ("battles", "non-state actor overtakes territory"): "capture",
    ("strategic developments", "non-violent transfer of territory"): "capture",
    ("strategic developments", "agreement"): "diplomacy",
    ("strategic developments", "headquarters or base established"): "troop_movement",
    ("strategic developments", "change to group/activity"): "troop_movement",
}
_FROM_ACLED_TYPE: dict[str, str] = {
    "battles": "battle", "explosions/remote violence": "strike",
    "violence against civilians": "civilian_harm", "protests": "protest", "riots": "protest",
    "strategic developments": "other",
}
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
_PRECISION = {"city": 1, "other": 1, "region": 2, "water": 2, "border": 2, "admin1": 3,
              "country": 3}
_KIND_OF_PRECISION = {"1": "city", "2": "region", "3": "admin1"}
_ACLED_ACTOR = re.compile(r"^(?:Military|Police|Government) (?:Forces )?of (?P<name>.+?)"
                          r"(?:\s*\(\d{4}-\d{0,4}\))?(?:\s*\[.*\])?$")
_KML_OWN = ("Name", "description", "timestamp", "begin", "end", "altitudeMode", "tessellate",
            "extrude", "visibility", "drawOrder", "icon", "OGR_STYLE")


# -- export -------------------------------------------------------------------


def export_events(events_fc: dict[str, Any], path: Path | str,
                  corrections: Iterable[Correction] = (), *, gazetteer=None) -> int:
    """Write events, as corrected, in the format the extension names.

    Parameters
    ----------
    events_fc
        Events as ``geo build`` writes them (``events.geojson``).
    path
        Target file: ``.geojson``, ``.gpkg``, ``.kml`` or ``.csv`` (ACLED layout).
    corrections
        Analyst corrections to lay over the events first.
    gazetteer
        Names the country and admin-1 area of each CSV row; loaded when omitted.

    Returns
    -------
    int
        How many events were written.

    Raises
    ------
    geo.io.BadInput
        When the extension is unknown or there is nothing to export.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise io.BadInput(f"{path.name}: unknown export format (use {', '.join(EXPORT_FORMATS)})")
    fc = apply_corrections(events_fc, corrections)
    if not fc["features"]:
        raise io.BadInput(f"{path.name}: no events to export")
    if suffix == ".geojson":
        io.atomic_write_json(path, fc)
    elif suffix == ".gpkg":
        write_gpkg(fc, path)
    elif suffix == ".kml":
        write_kml(fc, path)
    else:
        io.atomic_write_text(path, acled_frame(fc, gazetteer).to_csv(index=False))
    return len(fc["features"])


def export_bytes(events_fc: dict[str, Any], suffix: str, *, gazetteer=None) -> bytes:
    """The bytes :func:`export_events` would write to a file ending in ``suffix``.

    The dashboard's downloads and ``python -m geo export`` share this one
    path, so a CSV from either has the same columns.
    """
    with tempfile.TemporaryDirectory(prefix="sitmap-export-") as tmp:
        path = Path(tmp) / f"events{suffix}"
        export_events(events_fc, path, gazetteer=gazetteer)
        return path.read_bytes()


def _flat_value(key: str, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(map(str, value))
    if key == "corrected":
        return bool(value)
    return value


def flat_frame(events_fc: dict[str, Any], columns: Iterable[str] = FLAT_COLUMNS) -> gpd.GeoDataFrame:
    """Events as a flat GeoDataFrame: one scalar per cell, a true date column, WGS84."""
    columns = tuple(columns)
    feats = events_fc["features"]
    rows = [{c: _flat_value(c, f["properties"].get(c)) for c in columns} for f in feats]
    geoms = [shapely.geometry.shape(f["geometry"]) if f.get("geometry") else None for f in feats]
    frame = gpd.GeoDataFrame(pd.DataFrame(rows, columns=list(columns)), geometry=geoms, crs="EPSG:4326")
    if "date" in frame:  # read the dates from the rows: pandas turns None into NaN
        dates = [dt.date.fromisoformat(r["date"]) if r["date"] else None for r in rows]
        frame["date"] = pd.array(dates, dtype=pd.ArrowDtype(pa.date32()))
    return frame


def _atomic_dataset(path: Path, write: Callable[[Path], None]) -> None:
    # ogr writes a whole dataset to a name it is given: give it a temporary one
    with io.atomic_target(path) as tmp:
        write(tmp)


def write_gpkg(events_fc: dict[str, Any], path: Path | str) -> None:
    """A GeoPackage with one layer per event type, written atomically."""
    layers = layers_by_type(events_fc)

    def write(tmp: Path) -> None:
        for event_type, fc in layers.items():
            pyogrio.write_dataframe(flat_frame(fc), tmp, layer=event_type, driver="GPKG",
                                    geometry_type="Unknown", promote_to_multi=False, use_arrow=True,
                                    append=tmp.exists())

    _atomic_dataset(Path(path), write)


def _kml_frame(event_type: str, fc: dict[str, Any]) -> gpd.GeoDataFrame:
    frame = flat_frame(fc, [c for c in FLAT_COLUMNS if c not in ("start", "end")])
    label = taxonomy.get(event_type).label
    places = [f["properties"].get("place") or "unplaced" for f in fc["features"]]
    frame.insert(0, "Name", [f"{label}: {p}" for p in places])
    frame.insert(1, "description", frame["quote"])
    # viewers (Google Earth...) render a description, and often other fields, as HTML: every
    # text goes out escaped, so a report's "<img onerror=...>" is shown, never run
    for column in frame.columns:
        if column != frame.geometry.name and (frame[column].dtype == object
                                              or pd.api.types.is_string_dtype(frame[column])):
            frame[column] = [html.escape(v, quote=True) if isinstance(v, str) else v for v in frame[column]]
    frame["timestamp"] = pd.to_datetime(frame["date"].astype(str), errors="coerce")
    frame["date"] = frame["date"].astype(str).replace("<NA>", None)
    colour = taxonomy.get(event_type).colour
    # no SYMBOL(): libkml crashes on a symbol without an icon, and icons would need the web
    frame["OGR_STYLE"] = f"PEN(c:{colour},w:3px);BRUSH(fc:{colour}55)"
    return frame


def write_kml(events_fc: dict[str, Any], path: Path | str) -> None:
    """A KML file with one folder per event type, written atomically."""
    layers = layers_by_type(events_fc)

    def write(tmp: Path) -> None:
        for event_type, fc in layers.items():
            pyogrio.write_dataframe(_kml_frame(event_type, fc), tmp, layer=event_type,
                                    driver="LIBKML", append=tmp.exists())

    _atomic_dataset(Path(path), write)


# -- the ACLED layout ------------------------------------------------------------


def acled_types(event_type: str, subtype: str | None, actor: str | None,
                country: str | None) -> tuple[str, str]:
    """ACLED's event type and sub-event type for one of ours (see the module table)."""
    acled_type, sub = TO_ACLED.get(event_type, TO_ACLED["other"])
    if event_type == "strike" and subtype and re.search(r"\b(?:air|drone)", subtype, re.I):
        sub = AIR
    if event_type == "capture" and actor and country and actor == country:
        sub = "Government regains territory"
    return acled_type, sub


def _admin_areas(frame: gpd.GeoDataFrame, gazetteer) -> tuple[list[str], list[str]]:
    # the country and admin-1 area each representative point falls in
    if gazetteer is None:
        from geo.gazetteer.loader import load_gazetteer

        gazetteer = load_gazetteer()
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")
    countries = gazetteer.countries[["name", "geometry"]].reset_index()
    c = gpd.sjoin(pts, countries, how="left", predicate="within")
    c = c[~c.index.duplicated()]
    admin = gazetteer.admin1_shapes.reset_index().rename(columns={"admin1": "code"})
    a = gpd.sjoin(pts, gpd.GeoDataFrame(admin, geometry="geometry"), how="left", predicate="within")
    a = a[~a.index.duplicated()]
    rows = np.flatnonzero(gazetteer.kind == "admin1")
    names = {gazetteer.admin1[r]: gazetteer.name[r] for r in rows}
    return ([n if isinstance(n, str) else "" for n in c["name"]],
            [names.get(code, "") if isinstance(code, str) else "" for code in a["code"]])


def _points(events_fc: dict[str, Any]) -> gpd.GeoDataFrame:
    rows = []
    for f in events_fc["features"]:
        p = f["properties"]
        lat, lon = p.get("lat"), p.get("lon")
        if (lat is None or lon is None) and f.get("geometry"):
            rp = shapely.geometry.shape(f["geometry"]).representative_point()
            lat, lon = rp.y, rp.x
        rows.append({"lat": lat, "lon": lon})
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=["lat", "lon"], dtype="float64"))


def _acled_row(p: dict[str, Any], lat: float, lon: float, country: str, admin1: str) -> dict:
    actors = list(p.get("actors") or [])
    acled_type, sub = acled_types(p["event_type"], p.get("subtype"), actors[0] if actors else None,
                                  country)
    date = p.get("date") or ""
    has_point = not (math.isnan(lat) or math.isnan(lon))
    return {
        "event_id_cnty": p["id"], "event_date": date, "year": date[:4],
        "time_precision": 1 if date else "", "disorder_type": _DISORDER[acled_type],
        "event_type": acled_type, "sub_event_type": sub,
        "actor1": actors[0] if actors else "", "assoc_actor_1": LIST_SEPARATOR.join(actors[2:]),
        "actor2": actors[1] if len(actors) > 1 else "",
        "civilian_targeting": "Civilian targeting" if p["event_type"] == "civilian_harm" else "",
        "country": country, "admin1": admin1, "location": p.get("place") or "",
        "latitude": lat if has_point else "", "longitude": lon if has_point else "",
        "geo_precision": _PRECISION.get(p.get("place_kind"), 2), "source": p.get("source") or "",
        "notes": p.get("quote") or "", "sitmap_event_type": p["event_type"],
        "sitmap_subtype": p.get("subtype") or "", "sitmap_place_kind": p.get("place_kind") or "",
        "certainty": p.get("certainty") or "", "attributed_to": p.get("attributed_to") or "",
        "corrected": "true" if p.get("corrected") else "false",
        "corrected_fields": LIST_SEPARATOR.join(p.get("corrected_fields") or ()),
        "corrected_by": p.get("corrected_by") or "", "corrected_at": p.get("corrected_at") or "",
    }


def acled_frame(events_fc: dict[str, Any], gazetteer=None) -> pd.DataFrame:
    """Events as rows in ACLED's column layout, then our own columns."""
    pts = _points(events_fc)
    countries, admins = _admin_areas(pts.fillna(0.0), gazetteer) if len(pts) else ([], [])
    rows = [_acled_row(f["properties"], lat, lon, cn, a1) for f, lat, lon, cn, a1
            in zip(events_fc["features"], pts["lat"], pts["lon"], countries, admins)]
    for row, lat in zip(rows, pts["lat"]):
        if math.isnan(lat):  # no place, so no area either
            row["country"] = row["admin1"] = ""
    columns = ACLED_COLUMNS + SITMAP_COLUMNS
    return pd.DataFrame([{c: formula_safe(row.get(c, "")) for c in columns} for row in rows],
                        columns=list(columns))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
        "place_kind": _place_kind(props, where), "lat": lat, "lon": lon,
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


def safe_name(text: str) -> str:
    """A layer name that is safe as a file name: no folders, no dots at the ends."""
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "imported"


def layer_name(path: Path | str) -> str:
    """The layer name an imported file gets: its stem, made safe as a file name."""
    return safe_name(Path(path).stem)


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


def read_acled_csv(path: Path | str, layer: str | None = None) -> list[dict[str, Any]]:
    """Checked event features from an ACLED-style CSV; ``BadInput`` names the bad line."""
    return read_events_file(path, layer)["features"]


def import_events(path: Path | str, out_dir: Path | str, layer: str | None = None, *,
                  origin: str | None = None):
    """Check an import file and store it as a compact layer (:func:`geo.exchange.imported.import_layer`).

    Returns
    -------
    geo.exchange.imported.Imported
        The layer file, its name, its event count, and the name it clashed with, if any.
    """
    from geo.exchange.imported import import_layer

    return import_layer(path, out_dir, layer, origin=origin)
