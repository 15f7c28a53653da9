"""Data the dashboard hands the browser as files from its static folder.

The basemap's land is the same on every script run and is about 250 KB of
GeoJSON.  Inlined in the map, each run serialised it again, branca parsed the
rendered script (land included) as a Jinja template, folium walked every
coordinate for the map's bounds, and the browser received it again over the
websocket.  Written once as a file, the map's script only names it, and the
browser fetches it (and keeps it in its cache) while the events draw.

Files go to ``dashboard/static/generated/`` (served at
``/app/static/generated/`` like the vendored scripts; kept out of git), named
by a key of the inputs the data was made from, so a fresh server finds a file
with :func:`published` instead of making its data again.  Writes are atomic.
Where the folder cannot be written, :func:`publish_json` returns ``None`` and
the caller inlines the data as before.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from geo import io

GENERATED_DIR = Path(__file__).resolve().parent / "static" / "generated"
GENERATED_URL = "/app/static/generated"
KEEP_FILES = 24
"""Older generated files beyond this many are removed when a new one is written."""

def published(stem: str, key: str, directory: Path | None = None,
              base_url: str = GENERATED_URL) -> str | None:
    """The URL of the file :func:`publish_json` wrote under ``key``, if it is there."""
    name = f"{stem}-{key}.json"
    return f"{base_url}/{name}" if ((directory or GENERATED_DIR) / name).is_file() else None


def publish_json(data: dict, stem: str, key: str, directory: Path | None = None,
                 base_url: str = GENERATED_URL) -> str | None:
    """Write ``data`` as ``STEM-KEY.json`` in the static folder and return its URL.

    ``key`` names the inputs ``data`` was made from (the same inputs, the same
    key); callers ask :func:`published` first and make ``data`` only when the
    file is not there.  Returns ``None`` when the file cannot be written.
    """
    folder = directory or GENERATED_DIR
    path = folder / f"{stem}-{key}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    except OSError:
        return None
    with contextlib.suppress(OSError):  # another server may be pruning too
        _prune(folder, keep=path)
    return f"{base_url}/{path.name}"


def _write_atomic(path: Path, data: bytes) -> None:
    io.atomic_write_bytes(path, data, mode=0o644)  # this one is served: readable by the web server


def _prune(folder: Path, keep: Path) -> None:
    """Remove the oldest generated files beyond ``KEEP_FILES`` (never ``keep``)."""
    files = [p for p in folder.glob("*.json") if p != keep]
    if len(files) < KEEP_FILES:
        return
    files.sort(key=lambda p: p.stat().st_mtime)
    for old in files[:len(files) - KEEP_FILES + 1]:
        old.unlink(missing_ok=True)
