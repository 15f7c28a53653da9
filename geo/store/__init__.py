"""Where finished reports, corrections and their events are kept.

``base``         the interface: :class:`Store`, :class:`EventFilter`, the errors
``schema``       the event columns, derived from :class:`geo.records.Event`
``sqlite``       the embedded default store (one file, WAL)
``postgis``      the shared store for teams (PostgreSQL + PostGIS)
``corrections``  the analysts' edits: an append-only audit trail, re-applied on write

Nothing here parses text or reads report files: intake (:mod:`geo.intake.service`)
decides a report's id, name and date and hands the store finished results.
:func:`open_store` opens one by URL.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from geo import settings
from geo.store.base import (ANALYST_REPORT, Cell, ConflictError, EventFilter, EventNotFoundError, Facets,
                            NameTaken, ReportInfo, Store, StoreError)
from geo.store.sqlite import STORE_FILE, SQLiteStore, open_sqlite

__all__ = ["ANALYST_REPORT", "BACKENDS", "Cell", "ConflictError", "EventFilter", "EventNotFoundError",
           "Facets", "NameTaken", "ReportInfo", "SQLiteStore", "STORE_FILE", "Store", "StoreError",
           "default_store_url", "open_store"]

BACKENDS: dict[str, Callable[[str], Store]] = {"sqlite": open_sqlite, "": open_sqlite}
"""URL scheme -> a function ``(url)`` that opens a store of that kind (``""``: a bare file path)."""

_PLUGINS = {"postgresql": ("geo.store.postgis", "open_postgis"), "postgres": ("geo.store.postgis", "open_postgis")}
"""Backends imported on first use, so the embedded store needs no database driver."""


def default_store_url() -> str:
    """Where the store is: ``SITMAP_STORE``, else a file in the store folder.

    Reads the environment at call time (not only at import, as
    :mod:`geo.settings` does) so tests and tools can point one process at
    several stores.
    """
    url = os.environ.get("SITMAP_STORE")
    if url:
        return url
    if os.environ.get("SITMAP_STORE_DIR"):
        folder = Path(os.environ["SITMAP_STORE_DIR"])
    elif os.environ.get("SITMAP_DATA_DIR"):
        folder = Path(os.environ["SITMAP_DATA_DIR"]) / "store"
    else:
        folder = settings.STORE_DIR
    return str(folder / STORE_FILE)


def open_store(url: str | None = None) -> Store:
    """Open the store at ``url`` (default: :func:`default_store_url`), as it is.

    A new store starts empty; :func:`geo.intake.service.open_seeded` adds the
    bundled reports to a new one.

    Raises
    ------
    StoreError
        For a URL scheme no installed backend handles, or a store that cannot be opened.
    """
    url = url or default_store_url()
    scheme = urlsplit(url).scheme.lower()
    if len(scheme) == 1:  # a Windows drive letter, not a scheme
        scheme = ""
    scheme = scheme.split("+", 1)[0]
    opener = BACKENDS.get(scheme)
    if opener is None and scheme in _PLUGINS:
        module, name = _PLUGINS[scheme]
        opener = BACKENDS[scheme] = getattr(importlib.import_module(module), name)
    if opener is None:
        known = ", ".join(sorted({*BACKENDS, *_PLUGINS} - {""}))
        raise StoreError(f"no store backend for {scheme!r} URLs (known: {known})")
    return opener(url)
