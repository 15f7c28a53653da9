"""Control layers kept in the store: the SQLite file or the PostGIS database of the events.

The layers live in their own table, ``control_layers``, beside the store's
event tables, in the same file or schema, addressed by the same URL
(``sqlite:///PATH`` or ``postgresql://...?schema=NAME``; by default
:func:`geo.store.default_store_url`).  They need nothing from the event
tables, so this module opens its own connection and leaves the event store
as it is.

A layer is keyed by (date, kind, source).  Putting one whose ``sha256`` is
already there changes nothing; one with other content replaces it.  A batch
is one transaction: all of it is kept, or none.
"""

from __future__ import annotations

import abc
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import shapely

from geo.control.layers import ControlLayer

BUSY_TIMEOUT_MS = 15_000
DEFAULT_PG_SCHEMA = "sitmap"  # the event store's default schema (geo.store.postgis)

_COLUMNS = "date, kind, source, name, sha256, geom"
OCCUPIED_WINDOW_DAYS = 31
"""How old a map of the occupied area may be and still say where the fighting is on a day."""


class ControlStoreError(RuntimeError):
    """The store cannot be opened or read."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class ControlStore(abc.ABC):
    """Dated control layers in a store."""

    url: str

    @abc.abstractmethod
    def put(self, layers: Sequence[ControlLayer]) -> list[str]:
        """Keep ``layers`` in one transaction; each gets "added", "replaced" or "unchanged"."""

    @abc.abstractmethod
    def _select(self, where: str, args: Sequence, order: str = "date, source") -> list[tuple]:
        """Rows of (date, kind, source, name, sha256, wkb) matching a condition (``?`` marks), in order."""

    @abc.abstractmethod
    def index(self, kind: str = "occupied") -> list[tuple[str, str, str]]:
        """Every layer of a kind as (date, source, sha256), by date: no geometry read."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def layers(self, kind: str = "occupied", start: str | None = None, end: str | None = None,
               source: str | None = None) -> list[ControlLayer]:
        """The layers of a kind dated from ``start`` to ``end`` (both included), by date."""
        where, args = ["kind = ?"], [kind]
        if start:
            where.append("date >= ?")
            args.append(start)
        if end:
            where.append("date <= ?")
            args.append(end)
        if source:
            where.append("source = ?")
            args.append(source)
        return [_layer(row) for row in self._select(" AND ".join(where), args)]

    def layer_at(self, date: str, kind: str = "occupied", source: str | None = None) -> ControlLayer | None:
        """The layer in force on ``date``: the latest on or before it (of ``source``, if given)."""
        where, args = ["kind = ?", "date <= ?"], [kind, date]
        if source:
            where.append("source = ?")
            args.append(source)
        rows = self._select(" AND ".join(where), args, order="date DESC, source LIMIT 1")
        return _layer(rows[0]) if rows else None

    def occupied_on(self, date: str, window_days: int = OCCUPIED_WINDOW_DAYS):
        """The occupied area in force on ``date`` (the latest layer on or before it, if no more
        than ``window_days`` older), or ``None``: what the intake gives the parser to prefer
        namesake villages near the fighting (``geo.parse.front``)."""
        try:
            day = dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            return None
        layer = self.layer_at(day.isoformat())
        if layer is None or (day - layer.day).days > window_days:
            return None
        return layer.geometry

    def __enter__(self) -> ControlStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _layer(row: tuple) -> ControlLayer:
    date, kind, source, name, sha, wkb = row
    return ControlLayer(date=str(date), kind=kind, source=source, geometry=shapely.from_wkb(bytes(wkb)),
                        sha256=sha, name=name)


def _wkb(layer: ControlLayer) -> bytes:
    if layer.geometry is None or layer.geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"control layer {layer.date} {layer.kind}: not a polygon")
    return shapely.to_wkb(layer.geometry, include_srid=False)


# -- SQLite ----------------------------------------------------------------------------

_SQLITE_DDL = """
CREATE TABLE IF NOT EXISTS control_layers (
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    geom BLOB NOT NULL,
    minx REAL, miny REAL, maxx REAL, maxy REAL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (date, kind, source)
)
"""


class SQLiteControlStore(ControlStore):
    """The layers in the embedded store's SQLite file (WKB geometry with its bounds).

    One connection, used by one thread at a time (the dashboard shares the store
    between sessions' threads).
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                        check_same_thread=False)
            self._con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._con.execute("PRAGMA journal_mode = WAL")
            self._con.execute(_SQLITE_DDL)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise ControlStoreError(f"{self.path}: not a Sitmap store ({exc})") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def put(self, layers: Sequence[ControlLayer]) -> list[str]:
        out = []
        with self._write() as con:
            for layer in layers:
                row = con.execute("SELECT sha256 FROM control_layers WHERE date = ? AND kind = ? AND source = ?",
                                  (layer.date, layer.kind, layer.source)).fetchone()
                if row and row[0] == layer.sha256:
                    out.append("unchanged")
                    continue
                wkb = _wkb(layer)
                x0, y0, x1, y1 = layer.geometry.bounds
                con.execute("INSERT OR REPLACE INTO control_layers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (layer.date, layer.kind, layer.source, layer.name, layer.sha256, wkb,
                             x0, y0, x1, y1, _now()))
                out.append("replaced" if row else "added")
        return out

    def _select(self, where: str, args: Sequence, order: str = "date, source") -> list[tuple]:
        with self._lock:
            return self._con.execute(f"SELECT {_COLUMNS} FROM control_layers WHERE {where} ORDER BY {order}",
                                     args).fetchall()

    def index(self, kind: str = "occupied") -> list[tuple[str, str, str]]:
        with self._lock:
            return self._con.execute("SELECT date, source, sha256 FROM control_layers WHERE kind = ? "
                                     "ORDER BY date, source", (kind,)).fetchall()

    def close(self) -> None:
        with self._lock:
            self._con.close()


# -- PostGIS ------------------------------------------------------------------------------

_PG_DDL = """
CREATE TABLE IF NOT EXISTS control_layers (
    date date NOT NULL,
    kind text NOT NULL,
    source text NOT NULL,
    name text NOT NULL,
    sha256 text NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    added_at text NOT NULL,
    PRIMARY KEY (date, kind, source)
);
CREATE INDEX IF NOT EXISTS control_layers_geom ON control_layers USING gist (geom)
"""


def split_pg_url(url: str) -> tuple[str, str]:
    """A libpq URL and the schema from a store URL (``?schema=`` as the event store reads it)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    schema = next((v for k, v in query if k == "schema"), DEFAULT_PG_SCHEMA)
    if not schema.replace("_", "").isalnum() or not schema[0].isalpha():
        raise ControlStoreError(f"schema {schema!r}: use letters, digits and underscores")
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(("postgresql", parts.netloc, parts.path, rest, "")), schema.lower()


class PostGISControlStore(ControlStore):
    """The layers in the PostGIS store's schema, in a ``geometry(MultiPolygon, 4326)`` column."""

    def __init__(self, url: str):
        import psycopg

        self.url = url
        conninfo, self.schema = split_pg_url(url)
        try:
            self._con = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise ControlStoreError(f"cannot connect to the PostGIS store: "
                                    f"{str(exc).strip().splitlines()[-1]}") from None
        with self._con.transaction():
            self._con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            self._con.execute("SELECT pg_advisory_xact_lock(hashtext('sitmap-control-schema'))")
            self._con.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        self._con.execute(f'SET search_path = "{self.schema}", public')
        with self._con.transaction():
            for statement in filter(str.strip, _PG_DDL.split(";")):
                self._con.execute(statement)

    def put(self, layers: Sequence[ControlLayer]) -> list[str]:
        out = []
        with self._con.transaction():
            for layer in layers:
                row = self._con.execute("SELECT sha256 FROM control_layers WHERE date = %s AND kind = %s "
                                        "AND source = %s FOR UPDATE",
                                        (layer.date, layer.kind, layer.source)).fetchone()
                if row and row[0] == layer.sha256:
                    out.append("unchanged")
                    continue
                self._con.execute(
                    "INSERT INTO control_layers VALUES (%s, %s, %s, %s, %s, "
                    "ST_Multi(ST_GeomFromWKB(%s, 4326)), %s) ON CONFLICT (date, kind, source) DO UPDATE SET "
                    "name = EXCLUDED.name, sha256 = EXCLUDED.sha256, geom = EXCLUDED.geom, "
                    "added_at = EXCLUDED.added_at",
                    (layer.date, layer.kind, layer.source, layer.name, layer.sha256, _wkb(layer), _now()))
                out.append("replaced" if row else "added")
        return out

    def _select(self, where: str, args: Sequence, order: str = "date, source") -> list[tuple]:
        sql = (f"SELECT to_char(date, 'YYYY-MM-DD'), kind, source, name, sha256, ST_AsBinary(geom) "
               f"FROM control_layers WHERE {where.replace('?', '%s')} ORDER BY {order}")
        return self._con.execute(sql, args).fetchall()

    def index(self, kind: str = "occupied") -> list[tuple[str, str, str]]:
        return self._con.execute("SELECT to_char(date, 'YYYY-MM-DD'), source, sha256 FROM control_layers "
                                 "WHERE kind = %s ORDER BY date, source", (kind,)).fetchall()

    def close(self) -> None:
        self._con.close()


def open_control_store(url: str | None = None) -> ControlStore:
    """The control layers of the store at ``url`` (default: the event store's URL)."""
    if not url:
        from geo.store import default_store_url

        url = default_store_url()
    scheme = urlsplit(url).scheme.lower().split("+", 1)[0]
    if scheme in ("postgresql", "postgres"):
        return PostGISControlStore(url)
    if url.startswith("sqlite:///"):
        return SQLiteControlStore(url[len("sqlite:///"):])
    if scheme in ("", "sqlite") or len(scheme) == 1:
        if scheme == "sqlite":
            raise ControlStoreError(f"{url}: write sqlite:///relative/path or sqlite:////absolute/path")
        return SQLiteControlStore(url)
    raise ControlStoreError(f"no control store for {scheme!r} URLs (use sqlite:/// or postgresql://)")

