"""Imported layers on disk: one GeoPackage per layer, written as it is read, queried by selection.

An import file is checked and written a chunk of ``WRITE_CHUNK`` events at a
time (:func:`geo.exchange.formats.iter_events_file` streams it), so memory
stays bounded whatever its size, and it lands as
``DIR/imported/<layer>.gpkg`` only once every event has passed: a bad line
leaves nothing behind.  A GeoPackage is a third to a fifth of the GeoJSON the
layers used to be written as, and it can be asked for a selection (types,
dates, certainty, bounding box) without reading the rest.

A layer name already in use is never replaced: the new layer takes the first
free ``<name>_2``, ``<name>_3``... and :class:`Imported` says so.
Layers written before this (``<layer>.geojson``) are still read.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio

from geo import io
from geo.exchange import formats

log = logging.getLogger(__name__)

LAYER_SUFFIXES = (".gpkg", ".geojson")
"""Imported layer files, the compact one first (``.geojson``: layers written before it)."""

GPKG_LAYER = "events"
WRITE_CHUNK = 5_000
"""Events checked and written at a time."""

LAYER_COLUMNS = (*formats.FLAT_COLUMNS, "false_positive", "imported_from", "layer")
"""The columns of an imported layer's table; lists (actors) are joined with ``"; "``."""

SUMMARY_COLUMNS = ("id", "event_type", "place", "place_kind", "date", "actors", "certainty",
                   "quote", "lat", "lon", "false_positive")
"""What a selection reads of each event before deciding whether to draw or aggregate."""


@dataclass(frozen=True, slots=True)
class Imported:
    """The outcome of an import: where it went, under which name, how many events."""

    path: Path
    layer: str
    count: int
    clashed_with: str | None = None  # the name asked for, when it was already taken

    def message(self, origin: str) -> str:
        """One sentence for the analyst: how many events, as which layer, and any renaming."""
        n = f"{self.count:,} event{'' if self.count == 1 else 's'}"
        text = f'{origin}: {n} imported as the layer "Imported: {self.layer}"'
        if self.clashed_with:
            text += (f' (a layer "{self.clashed_with}" already exists and was kept; '
                     f'this one is "{self.layer}")')
        return text


def layer_files(folder: Path | str) -> list[Path]:
    """The imported layer files in ``folder``, by name; a ``.gpkg`` wins over a same-named ``.geojson``."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    out: dict[str, Path] = {}
    for suffix in LAYER_SUFFIXES:
        for p in sorted(folder.glob(f"*{suffix}")):
            if not p.name.startswith("."):
                out.setdefault(p.stem, p)
    return [out[k] for k in sorted(out)]


def _taken(folder: Path, name: str) -> bool:
    return any((folder / f"{name}{s}").exists() for s in LAYER_SUFFIXES)


def _frames(features: Iterable[dict], size: int = WRITE_CHUNK) -> Iterator[pd.DataFrame]:
    it = iter(features)
    while chunk := list(itertools.islice(it, size)):
        frame = formats.flat_frame({"features": chunk}, LAYER_COLUMNS)
        frame["false_positive"] = frame["false_positive"].fillna(False).astype(bool)
        yield frame


def write_layer(features: Iterable[dict], path: Path) -> int:
    """Write features as a GeoPackage table at ``path`` (a new file), a chunk at a time."""
    count = 0
    for frame in _frames(features):
        pyogrio.write_dataframe(frame, path, layer=GPKG_LAYER, driver="GPKG", geometry_type="Unknown",
                                promote_to_multi=False, use_arrow=True, append=count > 0)
        count += len(frame)
    return count


def import_layer(path: Path | str, out_dir: Path | str, layer: str | None = None, *,
                 origin: str | None = None) -> Imported:
    """Check an import file and store it as ``out_dir/imported/<layer>.gpkg``; never replace a layer.

    Parameters
    ----------
    path
        The file to read (an upload's temporary copy, say).
    out_dir
        The store's folder; the layer goes to its ``imported/``.
    layer
        The layer's name (default: from ``origin``).
    origin
        The file's own name, kept as each event's ``imported_from`` and used in messages.

    Raises
    ------
    geo.io.BadInput
        For the first bad line or feature; nothing is written then.
    """
    origin = origin or Path(path).name
    wanted = formats.safe_name(layer) if layer else formats.layer_name(origin)
    folder = Path(out_dir) / "imported"
    made = [d for d in (Path(out_dir), folder) if not d.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{wanted}.", suffix=".gpkg", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        # the layer name goes into each event; a clash renames it, so read with the final name
        name = _free_name(folder, wanted)
        count = write_layer(formats.iter_events_file(path, name, origin), tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        target = _claim(folder, name, tmp)
    except BaseException:
        for d in reversed(made):  # a refused file leaves no trace, not even its folders
            try:
                d.rmdir()
            except OSError:
                break
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return Imported(target, target.stem, count, wanted if target.stem != wanted else None)


def _free_name(folder: Path, wanted: str) -> str:
    for n in itertools.count(1):
        name = wanted if n == 1 else f"{wanted}_{n}"
        if not _taken(folder, name):
            return name
    raise AssertionError("unreachable")


def _claim(folder: Path, name: str, tmp: Path) -> Path:
    """Link ``tmp`` in as ``<name>.gpkg``; another import that took the name first keeps it."""
    target = folder / f"{name}.gpkg"
    try:
        os.link(tmp, target)  # fails if the name exists: no layer is ever replaced
    except FileExistsError:
        raise io.BadInput(f'the layer name "{name}" was taken by another import at the same '
                          "moment; import the file again") from None
    return target


def layer_total(path: Path | str) -> int | None:
    """How many events a layer file holds (``None``: unreadable)."""
    try:
        return int(pyogrio.read_info(path, layer=GPKG_LAYER if Path(path).suffix == ".gpkg" else None)
                   ["features"])
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError):
        return None


# -- a selection of a layer --------------------------------------------------------


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def where_sql(types: Sequence[str] | None, date_from: str | None, date_to: str | None,
              certainty: Sequence[str] = ()) -> str | None:
    """The OGR SQL condition for the parts of a selection the file can answer itself."""
    parts = []
    if types is not None:
        parts.append(f"event_type IN ({', '.join(map(_sql_text, types))})" if types else "0")
    if date_from:
        parts.append(f"date >= {_sql_text(date_from)}")
    if date_to:
        parts.append(f"date <= {_sql_text(date_to)}")
    if certainty:
        parts.append(f"certainty IN ({', '.join(map(_sql_text, certainty))})")
    return " AND ".join(parts) or None


def read_selection(path: Path | str, filters, *, columns: Sequence[str] | None = SUMMARY_COLUMNS,
                   geometry: bool = False) -> pd.DataFrame:
    """The events of a layer that a selection (:class:`geo.store.sqlite.EventFilter`) keeps.

    Types, dates, certainty and the bounding box are asked of the file;
    sources, actors, the quote search and false marks are checked here, as
    :meth:`geo.store.EventFilter.matches` decides them for one event.  Dates come
    back as ``YYYY-MM-DD`` text, actors as lists.
    """
    path = Path(path)
    layer = GPKG_LAYER if path.suffix == ".gpkg" else None
    where = where_sql(filters.types, filters.date_from, filters.date_to, filters.certainty)
    with_date = (filters.date_from or filters.date_to)
    info_fields = set(pyogrio.read_info(path, layer=layer)["fields"])
    cols = None if columns is None else [c for c in columns if c in info_fields]
    frame = pyogrio.read_dataframe(path, layer=layer, columns=cols, where=where, bbox=filters.bbox,
                                   read_geometry=geometry)
    frame = pd.DataFrame(frame) if not geometry else frame
    if "date" in frame:
        frame["date"] = [_iso(v) for v in frame["date"]]
        if with_date:
            frame = frame[frame["date"].notna()]
    if "actors" in frame:
        frame["actors"] = [_split(v) for v in frame["actors"]]
    keep = pd.Series(True, index=frame.index)
    if "false_positive" in frame and not filters.include_false:
        keep &= ~frame["false_positive"].fillna(False).astype(bool)
    if filters.sources:
        keep &= frame["source"].isin(filters.sources) if "source" in frame else False
    if filters.actors and "actors" in frame:
        wanted = set(filters.actors)
        keep &= [bool(wanted & set(a)) for a in frame["actors"]]
    text = filters.text.strip().lower()
    if text and "quote" in frame:
        keep &= frame["quote"].fillna("").str.lower().str.contains(text, regex=False)
    return frame[keep]


def _iso(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10] or None


def _split(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if not isinstance(value, str) or not value:
        return []
    return [v.strip() for v in value.split(formats.LIST_SEPARATOR.strip()) if v.strip()]


def selection_features(path: Path | str, filters) -> dict:
    """The kept events as a FeatureCollection in the contract's shape (for drawing them one by one)."""
    frame = read_selection(path, filters, columns=None, geometry=True)
    geoms = frame.geometry
    props = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    features = []
    for record, g in zip(props.to_dict("records"), geoms):
        clean = {k: (None if _missing(v) else v) for k, v in record.items()}
        features.append({"type": "Feature", "geometry": None if g is None else g.__geo_interface__,
                         "properties": clean})
    return {"type": "FeatureCollection", "features": features}


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # lists
        return False


@dataclass(frozen=True, slots=True)
class GridCell:
    """Events of one type in one grid cell of an imported layer."""

    event_type: str
    lon: float
    lat: float
    count: int
    places: tuple[str, ...]
    date_min: str | None
    date_max: str | None
    quote: str
    geometry: dict | None = None  # drawn at (lon, lat); the store's cells may carry a shape


def grid_cells(frame: pd.DataFrame, cell_deg: float) -> list[GridCell]:
    """Events counted per type and grid cell (at their representative point), newest quote kept."""
    placed = frame[frame["lat"].notna() & frame["lon"].notna()]
    if placed.empty:
        return []
    work = pd.DataFrame({
        "event_type": placed["event_type"].to_numpy(),
        "cx": (placed["lon"].to_numpy(dtype=float) // cell_deg).astype(int),
        "cy": (placed["lat"].to_numpy(dtype=float) // cell_deg).astype(int),
        "place": placed["place"].fillna("").to_numpy() if "place" in placed else "",
        "date": placed["date"].fillna("").to_numpy(),
        "quote": placed["quote"].fillna("").to_numpy(),
    }).sort_values("date", kind="stable")
    out = []
    for (etype, cx, cy), g in work.groupby(["event_type", "cx", "cy"], sort=False):
        dates = [d for d in g["date"] if d]
        places = tuple(sorted({p for p in g["place"] if p}))
        out.append(GridCell(etype, (cx + 0.5) * cell_deg, (cy + 0.5) * cell_deg, len(g), places,
                            min(dates) if dates else None, max(dates) if dates else None,
                            g["quote"].iloc[-1]))
    return out
