"""The embedded store: one SQLite file, the default.

WAL mode lets several Streamlit sessions read and write at once; B-tree
indexes serve type and date, an R*Tree each event's bounding box, and an
``event_actors`` table the actor filter.  New stores use incremental
auto-vacuum, so removing a report gives its pages back to the file system.
The shared logic (writing a result, corrections, most reads) is in
:mod:`geo.store.base`; this module holds the tables and the hooks.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo.geojson import rfc7946
from geo.records import Event, Result
from geo.store import schema
from geo.store.base import Cell, EventFilter, Store, StoreError, cell

STORE_FILE = "sitmap.sqlite"
"""File name of the embedded store inside the store folder."""

SCHEMA_VERSION = 3  # 2: corrections; 3: places.mentions, event columns follow the Event record
BUSY_TIMEOUT_MS = 15_000
WAL_LIMIT_BYTES = 64 * 1024 * 1024
"""What the write-ahead log is cut back to after a checkpoint (it grows while a large write runs)."""

_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "list": "TEXT"}  # lists as JSON

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    date TEXT,
    war_day INTEGER,
    added_at TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    headlines TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS events (
    pk INTEGER PRIMARY KEY,
    {schema.event_columns_ddl(_TYPES).replace('"id" TEXT NOT NULL', '"id" TEXT NOT NULL UNIQUE')},
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    geom_type TEXT,
    geometry TEXT,
    props TEXT NOT NULL DEFAULT '{{}}',
    minx REAL, miny REAL, maxx REAL, maxy REAL,
    version INTEGER NOT NULL DEFAULT 0,
    false_positive INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_type_date ON events(event_type, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_report ON events(report_id);
CREATE VIRTUAL TABLE IF NOT EXISTS events_bbox USING rtree(pk, minx, maxx, miny, maxy);
CREATE TRIGGER IF NOT EXISTS events_bbox_gone AFTER DELETE ON events
    BEGIN DELETE FROM events_bbox WHERE pk = old.pk; END;
CREATE TABLE IF NOT EXISTS event_actors (
    event_pk INTEGER NOT NULL REFERENCES events(pk) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    PRIMARY KEY (actor, event_pk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors(event_pk);
CREATE TABLE IF NOT EXISTS places (
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mention TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    country_code TEXT,
    gazetteer_id TEXT,
    lat REAL,
    lon REAL,
    confidence REAL,
    geometry TEXT,
    mentions INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS places_report ON places(report_id);
CREATE TABLE IF NOT EXISTS corrections (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    analyst TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (event_id, version)
)
"""

_EVENT_COLUMNS = (*schema.STORED_FIELDS, "report_id", "geom_type", "geometry", "props",
                  "minx", "miny", "maxx", "maxy")
_UPSERT = (f"INSERT INTO events ({schema.quoted(_EVENT_COLUMNS)}) VALUES ({','.join('?' * len(_EVENT_COLUMNS))}) "
           "ON CONFLICT (id) DO UPDATE SET "
           + ", ".join(f'"{c}" = excluded."{c}"' for c in _EVENT_COLUMNS[1:]) + " RETURNING pk")


def _contains(quote: str | None, folded: str) -> bool:
    return quote is not None and folded in quote.casefold()


class SQLiteStore(Store):
    """The embedded store: one SQLite file with an R*Tree spatial index.

    Parameters
    ----------
    path
        The database file; its folder is created if needed.

    Raises
    ------
    StoreError
        When the file is not a Sitmap store, or one written by a newer Sitmap.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _while_locked(self._init_schema)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Sitmap store ({exc})") from exc

    # connections ------------------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        # one connection per thread: Streamlit runs each session in its own
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                  check_same_thread=False)
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect only on a new file
            _while_locked(lambda: con.execute("PRAGMA journal_mode = WAL"))
            con.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA foreign_keys = ON")
            # LIKE folds the case of ASCII letters only: a Cyrillic search folds in Python
            con.create_function("sm_contains", 2, _contains, deterministic=True)
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    def _init_schema(self) -> None:
        with self._transaction() as con:
            for statement in filter(str.strip, _SCHEMA.split(";\n")):
                con.execute(statement)
            _migrate(con)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE serialises writers, so what a transaction reads stays current
        con = self._con()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for con in self._all:
                con.close()
            self._all.clear()
        self._local = threading.local()

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return self._con().execute(sql, args).fetchall()

    def _run(self, tx: sqlite3.Connection, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        return tx.execute(sql, args).fetchall()

    def _run_many(self, tx: sqlite3.Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        tx.executemany(sql, rows)

    # writes -----------------------------------------------------------------
    def add_results(self, results: Iterable[Result]) -> list[str]:
        """Store finished results in one transaction (the write lock is taken once per batch).

        The whole batch is committed or none of it; a batch writer that meets
        an error retries report by report.
        """
        results = list(results)
        if not results:
            return []
        with self._transaction() as con:
            ids = [self._write_result(con, result) for result in results]
            self._bump(con)
        return ids

    def _bump(self, tx: sqlite3.Connection) -> None:
        tx.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")

    def _upsert_event(self, tx: sqlite3.Connection, ev: Event, report_id: str, extra: dict) -> None:
        geometry = rfc7946(ev.geometry)
        box = schema.bounds(geometry) or (None, None, None, None)
        values = [json.dumps(v) if isinstance(v, list) else v for v in schema.event_values(ev)]
        (pk,) = tx.execute(_UPSERT, (*values, report_id, geometry["type"] if geometry else None,
                                     json.dumps(geometry, separators=(",", ":")) if geometry else None,
                                     json.dumps(extra), *box)).fetchone()
        tx.execute("DELETE FROM events_bbox WHERE pk = ?", (pk,))
        if box[0] is not None:
            tx.execute("INSERT INTO events_bbox VALUES (?, ?, ?, ?, ?)", (pk, box[0], box[2], box[1], box[3]))
        tx.execute("DELETE FROM event_actors WHERE event_pk = ?", (pk,))
        tx.executemany("INSERT OR IGNORE INTO event_actors VALUES (?, ?)", [(pk, a) for a in ev.actors])

    def _reclaim(self) -> None:
        # freed pages go back to the file system (stores made before incremental
        # auto-vacuum keep them for reuse), and the log is emptied
        con = self._con()
        # executescript steps the pragma to the end; execute would free one page per call
        _while_locked(lambda: con.executescript("PRAGMA incremental_vacuum;"))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    # reads ------------------------------------------------------------------
    def revision(self) -> int:
        return int(self._rows("SELECT value FROM meta WHERE key = 'revision'")[0][0])

    def _type_group(self, filters: EventFilter) -> str:
        # the type index covers type and date filters; for any other column a table scan
        # beats reading the table in index order (the + keeps sqlite off the index)
        return "+e.event_type" if filters.text.strip() or filters.certainty or filters.sources else "e.event_type"

    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        cond, args = self.where_clause(filters)
        size = float(cell_deg)
        # sqlite returns the bare columns of the row that holds max(date); the unary + keeps
        # sqlite from walking the type index in group order (random reads on a large store)
        common = ("SELECT e.event_type, avg(e.lon), avg(e.lat), count(*), min(e.date), max(e.date), "
                  "group_concat(DISTINCT e.place), e.quote")
        points = self._rows(f"{common} FROM events e WHERE {cond} AND e.geom_type = 'Point' GROUP BY "
                            "+e.event_type, CAST(floor(e.lon / ?) AS INTEGER), CAST(floor(e.lat / ?) AS INTEGER)",
                            [*args, size, size])
        shapes = self._rows(f"{common}, e.geometry FROM events e WHERE {cond} AND e.geom_type IS NOT NULL "
                            "AND e.geom_type != 'Point' GROUP BY +e.event_type, e.place, e.geom_type", args)
        return [cell(row) for row in points + shapes]

    def _actors(self) -> tuple[str, ...]:
        return tuple(a for (a,) in self._rows("SELECT DISTINCT actor FROM event_actors ORDER BY actor"))

    def _actors_condition(self, alias: str, actors: Sequence[str]) -> tuple[str, list]:
        marks = ",".join("?" * len(actors))
        return f"{alias}.pk IN (SELECT event_pk FROM event_actors WHERE actor IN ({marks}))", list(actors)

    def _text_condition(self, alias: str, text: str) -> tuple[str, list]:
        if not text.isascii():  # "київ" finds "Київ", "ХАРКІВ" finds "Харків"
            return f"sm_contains({alias}.quote, ?)", [text.casefold()]
        return f"{alias}.quote LIKE ? ESCAPE '\\'", ["%" + schema.like_escape(text) + "%"]

    def _bbox_condition(self, alias: str, bbox: Sequence[float]) -> tuple[str, list]:
        x0, y0, x1, y1 = map(float, bbox)
        return (f"{alias}.pk IN (SELECT pk FROM events_bbox WHERE maxx >= ? AND minx <= ? "
                "AND maxy >= ? AND miny <= ?)"), [x0, x1, y0, y1]


def _migrate(con: sqlite3.Connection) -> None:
    version = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if version is None:
        con.execute("INSERT INTO meta VALUES ('schema', ?), ('revision', '0')", (str(SCHEMA_VERSION),))
        return
    if int(version[0]) > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer Sitmap (schema {version[0]})")
    columns = [r[1] for r in con.execute("PRAGMA table_info(events)")]
    if int(version[0]) < 2:  # a store from before corrections moved in
        con.execute("ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
        con.execute("ALTER TABLE events ADD COLUMN false_positive INTEGER NOT NULL DEFAULT 0")
    for statement in schema.missing_columns(columns, _TYPES):  # fields the Event record gained
        con.execute(statement)
    if "mentions" not in {r[1] for r in con.execute("PRAGMA table_info(places)")}:
        con.execute("ALTER TABLE places ADD COLUMN mentions INTEGER NOT NULL DEFAULT 1")
    if int(version[0]) < SCHEMA_VERSION:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def _while_locked(step: Callable[[], Any], timeout: float = BUSY_TIMEOUT_MS / 1000) -> Any:
    """Run ``step`` again while SQLite says the database is locked, for up to ``timeout`` s.

    The busy timeout covers ordinary waits, but SQLite gives up at once, without
    waiting, where waiting could deadlock: two sessions that open a new store
    together both switch it to WAL and create its tables, and one of them is told
    "database is locked" straight away.  Its step holds no lock once it failed,
    so trying it again after a short pause is safe.
    """
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def open_sqlite(url: str) -> SQLiteStore:
    """``sqlite:///relative/path``, ``sqlite:////absolute/path`` (SQLAlchemy's spelling) or a bare path."""
    if url.startswith("sqlite:///"):
        return SQLiteStore(Path(url[len("sqlite:///"):]))
    if url.startswith("sqlite:"):
        raise StoreError(f"{url}: write sqlite:///relative/path or sqlite:////absolute/path")
    return SQLiteStore(Path(url))
