"""Data the dashboard hands the browser as files from its static folder.

The basemap's land is the same on every script run and is about 250 KB of
GeoJSON.  Inlined in the map, each run serialised it again, branca parsed the
rendered script (land included) as a Jinja template, folium walked every
coordinate for the map's bounds, and the browser received it again over the
websocket.  Written once as a file, the map's script only names it, and the
browser fetches it (and keeps it in its cache) while the events draw.

Files go to ``dashboard/static/generated/`` (served at
``/app/static/generated/`` like the vendored scripts; kept out of git), named
by a hash of their content, so a name never points at other data.  Writes are
atomic.  Where the folder cannot be written, :func:`publish_json` returns
``None`` and the caller inlines the data as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

GENERATED_DIR = Path(__file__).resolve().parent / "static" / "generated"
GENERATED_URL = "/app/static/generated"
KEEP_FILES = 24
"""Older generated files beyond this many are removed when a new one is written."""

_PUBLISHED: dict[int, tuple[object, str, Path]] = {}


def published(stem: str, key: str, directory: Path | None = None,
              base_url: str = GENERATED_URL) -> str | None:
    """The URL of the file :func:`publish_json` wrote under ``key``, if it is there."""
    name = f"{stem}-{key}.json"
    return f"{base_url}/{name}" if ((directory or GENERATED_DIR) / name).is_file() else None


def publish_json(data: dict, stem: str, directory: Path | None = None,
                 base_url: str = GENERATED_URL, key: str | None = None) -> str | None:
    """The URL of ``data`` as a JSON file in the static folder, written if it is not there yet.

    The file is named by ``key`` when given (a name for the inputs ``data`` was
    made from, so a later process can find it with :func:`published` without
    making ``data`` again), else by a hash of its content.  ``data`` is
    serialised once per object (the same dict on later calls costs a
    file-existence check), so pass data that is not changed afterwards, such as
    a cached basemap layer.  Returns ``None`` when the file cannot be written.
    """
    folder = directory or GENERATED_DIR
    hit = _PUBLISHED.get(id(data))
    if hit is not None and hit[0] is data and hit[2].parent == folder and hit[2].is_file():
        return hit[1]
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    name = f"{stem}-{key or hashlib.sha256(text).hexdigest()[:20]}.json"
    path = folder / name
    try:
        if not path.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, text)
            with contextlib.suppress(OSError):  # another server may be pruning too
                _prune(folder, keep=path)
    except OSError:
        return None
    url = f"{base_url}/{name}"
    if len(_PUBLISHED) >= 64:
        _PUBLISHED.clear()
    _PUBLISHED[id(data)] = (data, url, path)
    return url


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's files are private; this one is served
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(folder: Path, keep: Path) -> None:
    """Remove the oldest generated files beyond ``KEEP_FILES`` (never ``keep``)."""
    files = [p for p in folder.glob("*.json") if p != keep]
    if len(files) < KEEP_FILES:
        return
    files.sort(key=lambda p: p.stat().st_mtime)
    for old in files[:len(files) - KEEP_FILES + 1]:
        old.unlink(missing_ok=True)
