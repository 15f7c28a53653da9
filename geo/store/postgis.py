"""The shared event store on PostgreSQL + PostGIS, for a team.

Selected by a URL: ``SITMAP_STORE=postgresql://user@host:5432/db`` (or
``--store``).  An optional ``?schema=NAME`` keeps Sitmap's tables in their own
schema (default ``sitmap``), so one database can hold several stores.

It implements :class:`geo.store.base.Store` like the embedded SQLite store, with
the same ids, the same filters and the same corrections:

- events carry a ``geometry(Geometry, 4326)`` column with a GiST index, so a
  bounding box is an index scan (``&&``); B-trees on ``(event_type, date)``
  and ``date``; a GIN index on the ``actors`` array; a trigram GIN index on
  ``quote`` for the text filter (``ILIKE``);
- a report's ingest is one transaction: the report, its places and its
  events, upserted by their stable ids, or nothing;
- corrections take a per-event advisory lock, so of two analysts correcting
  the same version of an event the second gets a :class:`ConflictError`.

Connections come from a psycopg pool, one per store, so every Streamlit
session and every thread can read and write at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool

from geo.geojson import rfc7946
from geo.records import Event, Result
from geo.store import schema
from geo.store.base import Cell, EventFilter, NameTaken, Store, StoreError, cell

SCHEMA_VERSION = 2  # 2: places.mentions, event columns follow the Event record
DEFAULT_SCHEMA = "sitmap"
CONNECT_TIMEOUT_S = 10
WRITE_RETRIES = 3
"""Times a report's transaction is retried after a deadlock between writers."""

_TYPES = {"text": "text", "integer": "integer", "real": "double precision", "list": "text[]",
          "date": "date"}

_DDL = f"""
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE IF NOT EXISTS revision;
CREATE TABLE IF NOT EXISTS reports (
    id text PRIMARY KEY,
    source text NOT NULL UNIQUE,
    text text NOT NULL,
    date date,
    war_day integer,
    added_at text NOT NULL,
    sha256 text NOT NULL UNIQUE,
    headlines jsonb NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS events (
    {schema.event_columns_ddl(_TYPES).replace('"id" text NOT NULL', '"id" text PRIMARY KEY')},
    report_id text NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    geom_type text,
    geom geometry(Geometry, 4326),
    props jsonb NOT NULL DEFAULT '{{}}',
    version integer NOT NULL DEFAULT 0,
    false_positive boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS events_geom ON events USING gist (geom);
CREATE INDEX IF NOT EXISTS events_type_date ON events (event_type, date);
CREATE INDEX IF NOT EXISTS events_date ON events (date);
CREATE INDEX IF NOT EXISTS events_report ON events (report_id);
CREATE INDEX IF NOT EXISTS events_actors ON events USING gin (actors);
CREATE INDEX IF NOT EXISTS events_quote ON events USING gin (quote gin_trgm_ops);
CREATE TABLE IF NOT EXISTS places (
    report_id text NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    name text NOT NULL,
    mention text NOT NULL,
    start integer NOT NULL,
    "end" integer NOT NULL,
    kind text NOT NULL,
    country_code text,
    gazetteer_id text,
    lat double precision,
    lon double precision,
    confidence double precision,
    geom geometry(Geometry, 4326),
    mentions integer NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS places_report ON places (report_id);
CREATE INDEX IF NOT EXISTS places_geom ON places USING gist (geom);
CREATE TABLE IF NOT EXISTS corrections (
    seq bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    event_id text NOT NULL,
    version integer NOT NULL,
    action text NOT NULL,
    before jsonb NOT NULL,
    after jsonb NOT NULL,
    analyst text NOT NULL,
    at text NOT NULL,
    note text NOT NULL DEFAULT '',
    UNIQUE (event_id, version)
)
"""

_GEOMETRY_PARAM = "ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)"
_EVENT_COLUMNS = (*schema.STORED_FIELDS, "report_id", "geom_type", "geom", "props")
_UPSERT = (f"INSERT INTO events ({schema.quoted(_EVENT_COLUMNS)}) VALUES ("
           + ", ".join(_GEOMETRY_PARAM if c == "geom" else "?::jsonb" if c == "props" else "?"
                       for c in _EVENT_COLUMNS)
           + ") ON CONFLICT (id) DO UPDATE SET "
           + ", ".join(f'"{c}" = excluded."{c}"' for c in _EVENT_COLUMNS[1:]))


class PostGISStore(Store):
    """Reports, events and corrections in PostgreSQL with PostGIS.

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/database[?schema=NAME]``.
    pool_size
        Most connections held open at once.

    Raises
    ------
    StoreError
        When the server cannot be reached, lacks PostGIS, or holds a newer schema.
    """

    _collate = ' COLLATE "C"'
    _json_param = "?::jsonb"
    _geometry_sql = "ST_AsGeoJSON(e.geom, 15)"
    _geometry_param = _GEOMETRY_PARAM
    _places_geometry = "geom"

    def __init__(self, url: str, *, pool_size: int = 8):
        self.url = url
        self._conninfo, self.schema = split_url(url)
        self._create_schema()
        self._pool = ConnectionPool(self._conninfo, min_size=1, max_size=pool_size, open=False,
                                    kwargs={"autocommit": True, "options": f"-c search_path={self.schema},public"})
        self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)

    # connections ------------------------------------------------------------
    def _create_schema(self) -> None:
        try:
            con = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot connect to the PostGIS store at {redact(self.url)}: "
                             f"{str(exc).strip().splitlines()[-1]}") from None
        with con:
            _ensure_extensions(con, self.url)
            with con.transaction():
                # one process creates the tables; the others wait, then find them
                con.execute("SELECT pg_advisory_xact_lock(hashtext('sitmap-schema'))")
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                con.execute(f'SET LOCAL search_path = "{self.schema}", public')
                for statement in filter(str.strip, _DDL.split(";\n")):
                    con.execute(statement)
                _migrate(con, self.schema)

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor]:
        with self._pool.connection() as con, con.transaction(), con.cursor() as cur:
            yield cur

    def _run(self, tx: psycopg.Cursor, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        tx.execute(_pg(sql), args)
        return tx.fetchall() if tx.description is not None else []

    def _run_many(self, tx: psycopg.Cursor, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            tx.executemany(_pg(sql), rows)

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._pool.connection() as con:
            return con.execute(_pg(sql), args).fetchall()

    def close(self) -> None:
        self._pool.close()

    # writes -----------------------------------------------------------------
    def add_results(self, results: Iterable[Result]) -> list[str]:
        """Store finished results, one transaction each (retried after a deadlock)."""
        return [self._add_one(result) for result in results]

    def _add_one(self, result: Result) -> str:
        for attempt in range(WRITE_RETRIES):
            try:
                with self._transaction() as cur:
                    rid = self._write_result(cur, result)
                    self._bump(cur)
                return rid
            except errors.DeadlockDetected:
                if attempt == WRITE_RETRIES - 1:
                    raise
            except errors.UniqueViolation as exc:
                # two writers passed the name check at once; the index refused the second
                if exc.diag.constraint_name == "reports_source_key":
                    raise NameTaken(result.report.source) from None
                raise StoreError(f"{result.report.source}: cannot store this report "
                                 f"({exc.diag.message_detail or exc})") from None
        raise AssertionError("unreachable")

    def _bump(self, tx: psycopg.Cursor) -> None:
        tx.execute("SELECT nextval('revision')")

    def _lock_event(self, tx: psycopg.Cursor, event_id: str) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (event_id,))

    def _upsert_event(self, tx: psycopg.Cursor, ev: Event, report_id: str, extra: dict) -> None:
        geometry = rfc7946(ev.geometry)
        schema.bounds(geometry)  # a geometry that is not GeoJSON fails here, before the database sees it
        self._run(tx, _UPSERT, (*schema.event_values(ev), report_id, geometry["type"] if geometry else None,
                                json.dumps(geometry) if geometry else None, json.dumps(extra)))

    # reads ------------------------------------------------------------------
    def revision(self) -> int:
        return self._rows("SELECT last_value - 1 + is_called::int FROM revision")[0][0]

    def _date_sql(self, column: str) -> str:
        return f"to_char({column}, 'YYYY-MM-DD')"

    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        cond, args = self.where_clause(filters)
        size = float(cell_deg)
        common = ("SELECT e.event_type, avg(e.lon), avg(e.lat), count(*), "
                  "to_char(min(e.date), 'YYYY-MM-DD'), to_char(max(e.date), 'YYYY-MM-DD'), "
                  "string_agg(DISTINCT e.place, ','), "
                  "(array_agg(e.quote ORDER BY e.date DESC NULLS LAST, e.source, e.start))[1]")
        points = self._rows(f"{common} FROM events e WHERE {cond} AND e.geom_type = 'Point' "
                            "GROUP BY e.event_type, floor(e.lon / ?), floor(e.lat / ?)", [*args, size, size])
        shapes = self._rows(f"{common}, (array_agg(ST_AsGeoJSON(e.geom, 15)))[1] FROM events e "
                            f"WHERE {cond} AND e.geom_type IS NOT NULL AND e.geom_type <> 'Point' "
                            "GROUP BY e.event_type, e.place, e.geom_type", args)
        return [cell(row) for row in points + shapes]

    def _actors(self) -> tuple[str, ...]:
        rows = self._rows('SELECT DISTINCT a COLLATE "C" FROM events, unnest(actors) a ORDER BY 1')
        return tuple(a for (a,) in rows)

    def _actors_condition(self, alias: str, actors: Sequence[str]) -> tuple[str, list]:
        return f"{alias}.actors && ?::text[]", [list(actors)]  # the GIN index on the array

    def _text_condition(self, alias: str, text: str) -> tuple[str, list]:
        return f"{alias}.quote ILIKE ?", ["%" + schema.like_escape(text) + "%"]  # the trigram index

    def _bbox_condition(self, alias: str, bbox: Sequence[float]) -> tuple[str, list]:
        return f"{alias}.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)", [float(v) for v in bbox]


def _pg(sql: str) -> str:
    """The shared SQL's ``?`` placeholders as psycopg's (the SQL holds no other ``?`` or ``%``)."""
    return sql.replace("?", "%s")


# -- URL and set-up -------------------------------------------------------------


def split_url(url: str) -> tuple[str, str]:
    """A libpq connection URL and the schema name from a store URL.

    ``postgresql+psycopg://`` (SQLAlchemy's spelling) is accepted; the
    ``schema`` query parameter is Sitmap's, not libpq's, so it is taken out.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in ("postgresql", "postgres"):
        raise StoreError(f"{redact(url)}: not a postgresql:// URL")
    query = parse_qsl(parts.query)
    schema = next((v for k, v in query if k == "schema"), DEFAULT_SCHEMA)
    if not schema.replace("_", "").isalnum() or not schema[0].isalpha():
        raise StoreError(f"schema {schema!r}: use letters, digits and underscores, starting with a letter")
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    return urlunsplit(("postgresql", parts.netloc, parts.path, rest, "")), schema.lower()


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _ensure_extensions(con: psycopg.Connection, url: str) -> None:
    present = {name for (name,) in con.execute("SELECT extname FROM pg_extension")}
    for ext in ("postgis", "pg_trgm"):
        if ext in present:
            continue
        try:
            con.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
        except (errors.InsufficientPrivilege, errors.FeatureNotSupported, errors.UndefinedFile) as exc:
            raise StoreError(f"{redact(url)}: the database lacks the {ext} extension and it cannot be "
                             f"created here ({str(exc).strip()}); ask an administrator to run "
                             f"CREATE EXTENSION {ext}") from None
        except errors.UniqueViolation:
            pass  # another process created it at the same moment


def _migrate(con: psycopg.Connection, schema_name: str) -> None:
    row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is not None and int(row[0]) > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer Sitmap (schema {row[0]})")
    columns = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                         "WHERE table_schema = %s AND table_name = 'events'", (schema_name,))]
    for statement in schema.missing_columns(columns, _TYPES):  # fields the Event record gained
        con.execute(statement)
    con.execute("ALTER TABLE places ADD COLUMN IF NOT EXISTS mentions integer NOT NULL DEFAULT 1")
    con.execute("INSERT INTO meta VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),))


def open_postgis(url: str) -> PostGISStore:
    return PostGISStore(url)
