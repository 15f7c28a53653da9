"""Imported layers: events made elsewhere, each file a layer of its own beside the parsed ones.

``python -m geo import FILE`` (or the uploader here) checks an ACLED-style
CSV, a GeoJSON, a GeoPackage or a KML of events, streaming it, and stores
it as ``<store folder>/imported/<layer>.gpkg`` (:mod:`geo.exchange.imported`).
The map draws each such file as the group "Imported: <layer>", filtered by
the same types, dates (and as-of day), actors, certainty, quote search and
area as the parsed events; above ``mapview.DETAIL_LIMIT`` kept events it is
aggregated on a grid, as the parsed ones are, and every count is the true one.
A bad file is refused with one sentence naming the line or feature, and
nothing is written.  A name already in use is kept: the new layer gets
``<name>_2`` and the message says so.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

import streamlit as st

from dashboard import mapview
from dashboard.intake import source_name
from dashboard.safehtml import md
from geo import io, settings
from geo.exchange import imported as layers
from geo.intake.service import import_layer
from geo.store import EventFilter, Store

log = logging.getLogger(__name__)

UPLOAD_TYPES = ("csv", "geojson", "json", "gpkg", "kml")
MAX_UPLOAD_MB = 200
"""The largest import, as ``.streamlit/config.toml``'s ``maxUploadSize`` (a real ACLED export is tens of MB)."""
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024

_GEN = "_import_generation"
_MESSAGES = "_import_messages"


@dataclasses.dataclass(frozen=True, slots=True)
class ImportedFile:
    """One imported layer file, with what identifies its current contents."""

    layer: str
    path: str
    mtime_ns: int
    size: int


def imports_dir(store: Store) -> Path:
    """``imported/`` beside the store's file (the folder ``python -m geo import`` writes to)."""
    path = getattr(store, "path", None)
    if path is not None:
        return Path(path).parent / "imported"
    return Path(os.environ.get("SITMAP_STORE_DIR") or settings.STORE_DIR) / "imported"


def imported_files(folder: Path) -> tuple[ImportedFile, ...]:
    """The layer files in ``folder``, by name; a cache key that changes with their contents."""
    out = []
    for p in layers.layer_files(folder):
        try:
            st_ = p.stat()
        except OSError:
            continue
        out.append(ImportedFile(p.stem, str(p), st_.st_mtime_ns, st_.st_size))
    return tuple(out)


def layer_content(path: str | Path, layer: str, selection: EventFilter,
                  detail_limit: int = mapview.DETAIL_LIMIT) -> tuple[mapview.MapContent | None, int | None]:
    """What the selection keeps of one imported layer, drawn or aggregated, and the layer's size.

    ``(None, None)`` when the file cannot be read.  Above ``detail_limit``
    kept events the layer is counted on a grid (true counts, one circle a
    cell and type) instead of being cut.
    """
    try:
        total = layers.layer_total(path)
        if total is None:
            return None, None
        kept = layers.read_selection(path, selection)
        if len(kept) <= detail_limit:
            return mapview.imported_content(layers.selection_features(path, selection), layer), total
        cell, cells = _imported_grid(kept, selection)
        unplaced = int((kept["lat"].isna() | kept["lon"].isna()).sum())
        content = mapview.cells_content(cells, cell, len(kept), unplaced)
        return mapview.named_content(content, layer), total
    except Exception:  # noqa: BLE001 (a damaged layer file: say unreadable, keep the page)
        log.exception("imported layer %s cannot be read", path)
        return None, None


def _imported_grid(kept, selection: EventFilter) -> tuple[float, list]:
    lon, lat = kept["lon"].dropna(), kept["lat"].dropna()
    bbox = selection.bbox or ((lon.min(), lat.min(), lon.max(), lat.max()) if len(lon) else None)
    types = max(1, kept["event_type"].nunique())
    cell = mapview.cell_size(bbox, mapview.TARGET_CELLS // types)
    cells = layers.grid_cells(kept, cell)
    while len(cells) > mapview.TARGET_CELLS and cell < mapview.MAX_CELL_DEG:
        cell *= 2
        cells = layers.grid_cells(kept, cell)
    return cell, cells


def plain_error(name: str, exc: BaseException) -> str:
    """One sentence for a file that could not be imported: no server path, no exception name."""
    if isinstance(exc, io.BadInput):
        return str(exc)
    if isinstance(exc, RecursionError):
        return f"{name}: nested too deeply to be an events file."
    if isinstance(exc, MemoryError):
        return f"{name}: too large to import here; split it, or use `python -m geo import`."
    return f"{name}: cannot be imported: the file is damaged or not in a format Sitmap reads."


def import_upload(folder: Path, file_name: str, data: bytes | BinaryIO) -> tuple[bool, str]:
    """Check an uploaded file and store it as a layer; a bad one writes nothing.

    ``data`` is the bytes or a file object (an upload, read in pieces); the
    layer's events keep ``file_name`` as where they came from.
    """
    name = source_name(file_name)
    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in UPLOAD_TYPES:
        return False, f"{name}: only {', '.join('.' + t for t in UPLOAD_TYPES)} files can be imported"
    store_dir = folder.parent
    store_dir.mkdir(parents=True, exist_ok=True)
    # the exchange reads files by path: a temporary one beside the store, removed in any case
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=store_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray)):
                fh.write(data)
            else:
                shutil.copyfileobj(data, fh, 1024 * 1024)
        if os.path.getsize(tmp) > MAX_UPLOAD_BYTES:
            return False, f"{name}: larger than the {MAX_UPLOAD_MB} MB import limit."
        result = import_layer(tmp, store_dir, shown_name=name)
    except Exception as exc:  # noqa: BLE001 (a reader library's own error: refuse, do not crash the page)
        if not isinstance(exc, io.BadInput):
            log.exception("import of %s failed", name)
        return False, plain_error(name, exc).replace(str(tmp), name).replace(Path(tmp).name, name)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True, " ".join(result.warnings)


def _on_upload(folder: Path, key: str) -> None:
    files = st.session_state.get(key) or []
    st.session_state[_MESSAGES] = [import_upload(folder, f.name, f) for f in files]
    st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1


def _on_remove(path: str, layer: str) -> None:
    try:
        Path(path).unlink()
        st.session_state[_MESSAGES] = [(True, f"Imported: {layer}: removed")]
    except FileNotFoundError:
        st.session_state[_MESSAGES] = [(True, f"Imported: {layer}: was already gone")]


def render_imports(folder: Path, files: tuple[ImportedFile, ...], counts: dict[str, int]) -> None:
    """The uploader, the imported layers with their event counts, and a Remove button each."""
    from dashboard import auth

    editable = auth.can_edit()
    key = f"import_{st.session_state.get(_GEN, 0)}"
    if not editable:
        st.info("Sign in (in the sidebar) to import or remove layers.")
    else:
        st.file_uploader(f"Import events: ACLED-style CSV, GeoJSON, GeoPackage or KML (up to {MAX_UPLOAD_MB} MB)",
                         type=list(UPLOAD_TYPES),
                         accept_multiple_files=True, key=key, on_change=_on_upload, args=(folder, key),
                         help="Each file becomes a layer \"Imported: <name>\" beside the parsed events. "
                              "A bad file is refused whole, with the line or feature at fault.")
    for ok, message in st.session_state.get(_MESSAGES, []):
        (st.success if ok else st.error)(md(message))
    if not files:
        st.caption("No imported layers yet (also: `python -m geo import FILE`).")
    for f in files:
        left, right = st.columns([3, 1], vertical_alignment="center")
        n = counts.get(f.layer)
        left.markdown(f"**Imported: {md(f.layer)}**" + (f" · {n:,} event{'' if n == 1 else 's'}" if n is not None
                                                          else " · unreadable"))
        right.button("Remove", key=f"import_remove_{f.layer}", on_click=_on_remove, args=(f.path, f.layer),
                     disabled=not editable)
