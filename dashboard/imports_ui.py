"""Imported layers: events made elsewhere, each file a layer of its own beside the parsed ones.

``python -m geo import FILE`` (or the uploader here) checks an ACLED-style
CSV, a GeoJSON, a GeoPackage or a KML of events and writes it as
``<store folder>/imported/<layer>.geojson`` (:func:`geo.exchange.formats.import_events`).
The map draws each such file as the group "Imported: <layer>", filtered by
the same types, dates (and as-of day), actors, certainty, quote search and
area as the parsed events.  A bad file is refused with the exchange's
message, which names the line or feature, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.intake import source_name
from dashboard.safehtml import md
from geo import io, settings
from geo.exchange import formats as exchange
from geo.store import EventFilter, Store

UPLOAD_TYPES = ("csv", "geojson", "json", "gpkg", "kml")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

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
    if not folder.is_dir():
        return ()
    out = []
    for p in sorted(folder.glob("*.geojson")):
        try:
            st_ = p.stat()
        except OSError:
            continue
        out.append(ImportedFile(p.stem, str(p), st_.st_mtime_ns, st_.st_size))
    return tuple(out)


def read_layer(path: str | Path) -> dict | None:
    """An imported layer's FeatureCollection, or ``None`` when the file cannot be read."""
    try:
        fc = io.read_json(Path(path))
    except (OSError, ValueError):
        return None
    if not isinstance(fc, dict) or not isinstance(fc.get("features"), list):
        return None
    return fc


def filter_layer(fc: dict, f: EventFilter) -> dict:
    """The events of one imported layer that the selection keeps, as the store would select them."""
    return {"type": "FeatureCollection", "features": [g for g in fc["features"] if f.matches(g)]}


def import_upload(folder: Path, file_name: str, data: bytes) -> tuple[bool, str]:
    """Check an uploaded file and write it as a layer; a bad one writes nothing."""
    name = source_name(file_name)
    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in UPLOAD_TYPES:
        return False, f"{name}: only {', '.join('.' + t for t in UPLOAD_TYPES)} files can be imported"
    if len(data) > MAX_UPLOAD_BYTES:
        return False, f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    layer = exchange.layer_name(name)
    store_dir = folder.parent
    store_dir.mkdir(parents=True, exist_ok=True)
    # the exchange reads files by path: a temporary one beside the store, removed in any case
    fd, tmp = tempfile.mkstemp(prefix=".upload-", suffix=suffix, dir=store_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        target, count = exchange.import_events(tmp, store_dir, layer)
    except io.BadInput as exc:
        return False, str(exc).replace(Path(tmp).name, name).replace(str(tmp), name)
    except Exception as exc:  # noqa: BLE001 (a reader library's own error: refuse, do not crash the page)
        return False, f"{name}: cannot be imported ({type(exc).__name__}: {exc})".replace(str(tmp), name)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True, f"{name}: {count} event{'' if count == 1 else 's'} imported as the layer \"Imported: {target.stem}\""


def _on_upload(folder: Path, key: str) -> None:
    files = st.session_state.get(key) or []
    st.session_state[_MESSAGES] = [import_upload(folder, f.name, f.getvalue()) for f in files]
    st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1


def _on_remove(path: str, layer: str) -> None:
    try:
        Path(path).unlink()
        st.session_state[_MESSAGES] = [(True, f"Imported: {layer}: removed")]
    except FileNotFoundError:
        st.session_state[_MESSAGES] = [(True, f"Imported: {layer}: was already gone")]


def render_imports(folder: Path, files: tuple[ImportedFile, ...], counts: dict[str, int]) -> None:
    """The uploader, the imported layers with their event counts, and a Remove button each."""
    key = f"import_{st.session_state.get(_GEN, 0)}"
    st.file_uploader("Import events: ACLED-style CSV, GeoJSON, GeoPackage or KML", type=list(UPLOAD_TYPES),
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
        left.markdown(f"**Imported: {md(f.layer)}**" + (f" · {n} event{'' if n == 1 else 's'}" if n is not None
                                                          else " · unreadable"))
        right.button("Remove", key=f"import_remove_{f.layer}", on_click=_on_remove, args=(f.path, f.layer))
