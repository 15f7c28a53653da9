"""Control files in: GeoJSON, GeoPackage, KML and KMZ, checked before anything is kept.

A file gives one :class:`~geo.control.layers.ControlLayer` per kind it holds.
A file of one layer is of the kind given (``occupied`` by default); a file of
several layers (an ISW/CTP KMZ: folders "Assessed Russian Control", "Claimed
Russian Territory", "Assessed Russian Advances"...) takes each layer's kind
from its name, and skips the layers whose name says no kind (partisan
activity, counteroffensives): they are reported, not guessed.

Every feature is checked: it must be a polygon, valid, with coordinates in
WGS84 range.  The first that is not stops the whole file with a
:class:`~geo.control.layers.ControlInputError` naming it.

KML is XML: a document with a DTD (``<!DOCTYPE``, ``<!ENTITY``) is refused
before GDAL parses it, so no external entity is fetched (XXE) and no entity
is expanded a billion times.  KML never needs a DTD.
"""

from __future__ import annotations

import hashlib
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from geo import io
from geo.control.layers import (
    KINDS,
    ControlInputError,
    ControlLayer,
    check_date,
    check_kind,
)

FORMATS = (".geojson", ".json", ".gpkg", ".kml", ".kmz")
MAX_KML_BYTES = 200 * 1024 * 1024
"""Largest KML (inside a KMZ too) read: a zip bomb stops here."""

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_POLYGONS = ("Polygon", "MultiPolygon")

# a layer's name -> its kind; the first pattern that matches wins
_KIND_WORDS = (
    ("claimed", re.compile(r"claim", re.IGNORECASE)),
    ("contested", re.compile(r"contest|advance|grey|gray|disputed|infiltrat", re.IGNORECASE)),
    ("occupied", re.compile(r"control|occup|held", re.IGNORECASE)),
)


@dataclass
class ReadResult:
    """What one file gave: its layers, and the names of the layers skipped for naming no kind."""

    layers: list[ControlLayer]
    skipped: list[str] = field(default_factory=list)


def source_from_path(path: Path) -> str:
    """The default source: the file name without its date, else the folder's name."""
    stem = io.DATE_IN_NAME.sub("", path.stem).strip(" _-.")
    return stem or path.resolve().parent.name or "unknown"


def kind_of_layer(name: str) -> str | None:
    """The kind a layer's name says ("Assessed Russian Control" -> occupied), or ``None``."""
    if name.lower() in KINDS:
        return name.lower()
    for kind, pattern in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return None


def guard_kml(data: bytes, name: str) -> None:
    """Refuse KML holding a DTD: entities are the road to XXE and billion-laughs expansion."""
    if _DTD.search(data):
        raise ControlInputError(f"{name}: the KML declares a DTD or entities (<!DOCTYPE/<!ENTITY), "
                                "which KML never needs; refused")


def _kmz_document(path: Path) -> bytes:
    """The main KML of a KMZ (``doc.kml``, else its first ``.kml``), size-checked."""
    try:
        with zipfile.ZipFile(path) as z:
            names = [i for i in z.infolist() if i.filename.lower().endswith(".kml")]
            if not names:
                raise ControlInputError(f"{path.name}: the KMZ holds no .kml document")
            doc = next((i for i in names if i.filename.lower() == "doc.kml"), names[0])
            if doc.file_size > MAX_KML_BYTES:
                raise ControlInputError(f"{path.name}: {doc.filename} is {doc.file_size:,} bytes "
                                        f"unpacked (the limit is {MAX_KML_BYTES:,})")
            with z.open(doc) as f:
                data = f.read(MAX_KML_BYTES + 1)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ControlInputError(f"{path.name}: not a KMZ (zip) file ({exc})") from None
    if len(data) > MAX_KML_BYTES:
        raise ControlInputError(f"{path.name}: its KML is larger than {MAX_KML_BYTES:,} bytes")
    return data


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ControlInputError(f"{path}: cannot be read ({exc.strerror})") from None


def _open_frames(source, name: str) -> list[tuple[str, object]]:
    """Every layer of a data source (a path or KML bytes) as (layer name, GeoDataFrame)."""
    errors = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
              pyogrio.errors.FieldError, pyogrio.errors.GeometryError)
    try:
        with warnings.catch_warnings():  # gdal warns before it fails; the failure says enough
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = [str(n) for n, _ in pyogrio.list_layers(source)]
            frames = [(layer, pyogrio.read_dataframe(source, layer=layer)) for layer in layers]
    except errors as exc:
        reason = str(exc).strip().splitlines()[0].rsplit(": ", 1)[-1]
        raise ControlInputError(f"{name}: cannot be read as a map layer ({reason})") from None
    out = []
    for layer, frame in frames:
        if frame.crs is not None and not frame.crs.equals("EPSG:4326") and len(frame):
            frame = frame.to_crs("EPSG:4326")
        out.append((layer, frame))
    return out


def _feature_label(frame, i: int) -> str:
    for column in ("Name", "name", "id", "ID"):
        if column in frame.columns:
            value = frame[column].iloc[i]
            if isinstance(value, str) and value.strip():
                return f"feature {i + 1} ({value.strip()[:60]})"
    return f"feature {i + 1}"


def checked_geometry(frame, where: str) -> shapely.Geometry:
    """The union of a layer's polygons; the first bad feature raises, named."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    for i, g in enumerate(geoms):
        if g is None or g.is_empty:
            raise ControlInputError(f"{where}, {_feature_label(frame, i)}: no geometry")
        if g.geom_type not in _POLYGONS:
            raise ControlInputError(f"{where}, {_feature_label(frame, i)}: a {g.geom_type}, "
                                    "not a polygon")
    bounds = shapely.bounds(geoms)
    bad = ~np.isfinite(bounds).all(axis=1) | (bounds[:, 0] < -180) | (bounds[:, 2] > 180) | (
        bounds[:, 1] < -90) | (bounds[:, 3] > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ControlInputError(f"{where}, {_feature_label(frame, i)}: coordinates outside "
                                f"WGS84 lon/lat range (bounds {tuple(round(v, 3) for v in bounds[i])})")
    valid = shapely.is_valid(geoms)
    if not valid.all():
        i = int(np.flatnonzero(~valid)[0])
        raise ControlInputError(f"{where}, {_feature_label(frame, i)}: invalid polygon "
                                f"({shapely.is_valid_reason(geoms[i])})")
    union = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    return shapely.orient_polygons(union, exterior_cw=False)


def _layer_kinds(frames: list[tuple[str, object]], kind: str | None) -> list[tuple[str, str | None]]:
    """Each layer's kind: the one given for a file of one layer, else from its name."""
    if len(frames) == 1:
        name = frames[0][0]
        return [(name, kind or kind_of_layer(name) or "occupied")]
    return [(name, kind_of_layer(name) or kind) for name, _ in frames]


def read_control_file(path: Path | str, date: str | None = None, kind: str | None = None,
                      source: str | None = None) -> ReadResult:
    """The checked control layers of one file.

    Parameters
    ----------
    path
        A ``.geojson``/``.json``, ``.gpkg``, ``.kml`` or ``.kmz`` file.
    date
        ``YYYY-MM-DD``; by default the date in the file's name.
    kind
        The kind of a file of one layer, or of the layers of a larger file
        whose name says none (default: ``occupied`` for a file of one layer).
    source
        Who drew it; by default the file's name without its date, or its folder.

    Raises
    ------
    ControlInputError
        Unknown format, no date, an unreadable file, or the first bad feature.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ControlInputError(f"{path.name}: unknown control format (use {', '.join(FORMATS)})")
    if not path.is_file():
        raise ControlInputError(f"{path}: no such file")
    date = check_date(date) if date else io.date_in_name(path.name)
    if date is None:
        raise ControlInputError(f"{path.name}: no YYYYMMDD or YYYY-MM-DD date in the file name; "
                                "give --date")
    kind = check_kind(kind) if kind else None
    source = source or source_from_path(path)
    data = _kmz_document(path) if suffix == ".kmz" else _file_bytes(path)
    if suffix in (".kml", ".kmz"):
        guard_kml(data, path.name)
        frames = _open_frames(data, path.name)
    else:
        frames = _open_frames(path, path.name)
    digest = hashlib.sha256(data).hexdigest()
    result = ReadResult(layers=[])
    by_kind: dict[str, list] = {}
    for (layer, frame), (_, layer_kind) in zip(frames, _layer_kinds(frames, kind)):
        if layer_kind is None:
            result.skipped.append(layer)
            continue
        if len(frame) == 0:
            continue
        where = f"{path.name}: layer {layer}" if len(frames) > 1 else path.name
        by_kind.setdefault(layer_kind, []).append((layer, checked_geometry(frame, where)))
    if not by_kind:
        raise ControlInputError(f"{path.name}: no polygons of a known kind in the file"
                                + (f" (skipped layers: {', '.join(result.skipped)})" if result.skipped else ""))
    for layer_kind, parts in by_kind.items():
        geometry = parts[0][1] if len(parts) == 1 else shapely.orient_polygons(
            shapely.union_all([g for _, g in parts]), exterior_cw=False)
        sha = hashlib.sha256(f"{digest}|{layer_kind}|{source}|{date}".encode()).hexdigest()
        result.layers.append(ControlLayer(date=date, kind=layer_kind, source=source, geometry=geometry,
                                          sha256=sha, name=path.name))
    return result
