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
or feature.  :func:`geo.exchange.imported.import_layer` then writes the layer atomically as
``DIR/imported/<name>.geojson``; each feature keeps its own ``source`` and
gains ``imported_from`` (the file name) and ``layer`` (the layer name).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
import shapely

from geo import io, taxonomy
from geo.exchange.layers import layers_by_type
from geo.gazetteer.regions import is_region
from geo.store.corrections import (
    Correction,
    apply_corrections,
)

log = logging.getLogger(__name__)

EXPORT_FORMATS = (".geojson", ".gpkg", ".kml", ".csv")
IMPORT_FORMATS = (".csv", ".geojson", ".json", ".gpkg", ".kml")
LIST_SEPARATOR = "; "

FLAT_COLUMNS = ("id", "event_type", "subtype", "place", "place_kind", "actors", "date",
                "certainty", "attributed_to", "denied_by", "quote", "trigger", "source",
                "start", "end", "lat", "lon", "corrected", "corrected_fields",
                "corrected_by", "corrected_at", "lang", "precision")
"""Columns of the GeoPackage layers, in order (KML drops the text offsets)."""

ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                 "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
                 "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                 "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
                 "timestamp")
SITMAP_COLUMNS = ("sitmap_event_type", "sitmap_subtype", "sitmap_place_kind", "certainty",
                  "attributed_to", "corrected", "corrected_fields", "corrected_by", "corrected_at",
                  "sitmap_precision")
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
_PRECISION = {"city": 1, "point": 1, "other": 1, "region": 2, "water": 2, "border": 2, "admin1": 3,
              "country": 3, "place": 1, "offset": 2, "hromada": 2, "raion": 2, "oblast": 3}
"""ACLED's geo_precision by our precision (geo.records.PRECISIONS), else by place kind."""
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
    admin = admin[~admin["code"].map(is_region)]  # a point in Donetsk oblast is in Donbas too: the oblast
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
        "geo_precision": _PRECISION.get(p.get("precision"), _PRECISION.get(p.get("place_kind"), 2)),
        "source": p.get("source") or "", "sitmap_precision": p.get("precision") or "",
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


def safe_name(text: str) -> str:
    """A layer name that is safe as a file name: no folders, no dots at the ends."""
    return re.sub(r"[^\w-]+", "_", text).strip("_") or "imported"


def layer_name(path: Path | str) -> str:
    """The layer name an imported file gets: its stem, made safe as a file name."""
    return safe_name(Path(path).stem)
