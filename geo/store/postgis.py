"""The shared event store on PostgreSQL + PostGIS, for a team.

Selected by a URL: ``SITMAP_STORE=postgresql://user@host:5432/db`` (or
``--store``).  An optional ``?schema=NAME`` keeps Sitmap's tables in their own
schema (default ``sitmap``), so one database can hold several stores.

It implements :class:`geo.store.sqlite.Store` like the embedded SQLite store, with
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

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import errors
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from geo import settings
from geo.store.corrections import Correction
from geo.records import CERTAINTIES, Event, Report, Result
from geo.store.sqlite import (ANALYST_REPORT, BACKENDS, STATE_TYPES, Cell, EventFilter, EventNotFoundError,
                       Facets, ReportInfo, Store, StoreError, _bounds, _now, _rfc7946, check_version,
                       corrected_feature, feature_event)
from geo.taxonomy import TYPE_KEYS

SCHEMA_VERSION = 1
DEFAULT_SCHEMA = "sitmap"
CONNECT_TIMEOUT_S = 10
WRITE_RETRIES = 3
"""Times a report's transaction is retried after a deadlock between writers."""

_DDL = """
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
    id text PRIMARY KEY,
    report_id text NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    event_type text NOT NULL,
    subtype text,
    date date,
    place text,
    place_kind text,
    certainty text NOT NULL,
    attributed_to text,
    denied_by text,
    actors text[] NOT NULL DEFAULT '{}',
    quote text NOT NULL,
    trigger text NOT NULL DEFAULT '',
    start integer,
    "end" integer,
    source text NOT NULL,
    lat double precision,
    lon double precision,
    geom_type text,
    geom geometry(Geometry, 4326),
    props jsonb NOT NULL DEFAULT '{}',
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
    geom geometry(Geometry, 4326)
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

# the columns a query reads, in the order of geo.store.sqlite's contract properties
_SELECT = ("e.id, e.event_type, e.subtype, e.place, e.actors, to_char(e.date, 'YYYY-MM-DD'), "
           "e.certainty, e.attributed_to, e.denied_by, e.quote, e.start, e.\"end\", e.trigger, "
           "e.source, e.place_kind, e.lat, e.lon, e.report_id, ST_AsGeoJSON(e.geom, 15), e.props, e.version")
_PROPS = ("id", "event_type", "subtype", "place", "actors", "date", "certainty", "attributed_to",
          "denied_by", "quote", "start", "end", "trigger", "source", "place_kind", "lat", "lon",
          "report_id")
_EVENT_COLUMNS = ("id", "report_id", "event_type", "subtype", "date", "place", "place_kind",
                  "certainty", "attributed_to", "denied_by", "actors", "quote", "trigger", "start",
                  "end", "source", "lat", "lon", "geom_type", "geom", "props")
_UPSERT = (
    f"INSERT INTO events ({', '.join(chr(34) + c + chr(34) for c in _EVENT_COLUMNS)}) VALUES ("
    + ", ".join("ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)" if c == "geom" else "%s" for c in _EVENT_COLUMNS)
    + ") ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f'"{c}" = excluded."{c}"' for c in _EVENT_COLUMNS[1:]))
_CORRECTION_COLUMNS = "id, event_id, action, before, after, analyst, at, note"


class PostGISStore(Store):
    """Reports, events and corrections in PostgreSQL with PostGIS.

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/database[?schema=NAME]``.
    seed
        On the first open of an empty store, ingest the bundled reports once
        (as the embedded store does).
    seeds_dir
        Where the bundled reports are (``settings.SEEDS_DIR``).
    gazetteer
        Injected into the parser; the shared one is loaded on first need.
    pool_size
        Most connections held open at once.

    Raises
    ------
    StoreError
        When the server cannot be reached, lacks PostGIS, or holds a newer schema.
    """

    def __init__(self, url: str, *, seed: bool = True, seeds_dir: Path | None = None,
                 gazetteer=None, pool_size: int = 8):
        self.url = url
        self._conninfo, self.schema = split_url(url)
        self._gazetteer = gazetteer
        self._create_schema()
        self._pool = ConnectionPool(self._conninfo, min_size=1, max_size=pool_size, open=False,
                                    kwargs={"autocommit": True, "options": f"-c search_path={self.schema},public"})
        self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
        if seed:
            self.seed(seeds_dir or settings.SEEDS_DIR)

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
                for statement in filter(str.strip, _DDL.split(";")):
                    con.execute(statement)
                _check_schema_version(con)

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Cursor]:
        """One transaction: all of it is committed, or none of it."""
        with self._pool.connection() as con, con.transaction(), con.cursor() as cur:
            yield cur

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._pool.connection() as con:
            return con.execute(sql, args).fetchall()

    def close(self) -> None:
        self._pool.close()

    # writes -----------------------------------------------------------------
    def seed(self, seeds_dir: Path) -> int:
        """Ingest the bundled reports once per store; return how many were added."""
        from geo import io
        from geo.intake.files import date_from_name

        if self._meta("seeded") is not None:
            return 0
        with self._tx() as cur:  # a second process waits here and then finds the seeds
            cur.execute("SELECT pg_advisory_xact_lock(hashtext('sitmap-seed'))")
            if cur.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone():
                return 0
            paths = list(io.iter_report_paths([seeds_dir])) if Path(seeds_dir).is_dir() else []
            added = 0
            for path in paths:
                text = io.read_report_file(path)
                if self.find_text(text) is None:
                    self.add_report(text, path.name, date_from_name(path.name), self._gazetteer)
                    added += 1
            cur.execute("INSERT INTO meta VALUES ('seeded', %s) ON CONFLICT (key) DO NOTHING", (_now(),))
        return added

    def add_report(self, text: str, source: str, date: str | None = None, gazetteer=None,
                   parse: Callable[[Report], Result] | None = None) -> str:
        return super().add_report(text, source, date, gazetteer or self._gazetteer, parse)

    def add_results(self, results: Iterable[Result], texts: Iterable[str] | None = None) -> list[str]:
        """Store parsed reports, one transaction each, replacing a report's old events.

        Raises
        ------
        StoreError
            When a report's source name is taken by a different report.
        """
        results = list(results)
        texts = list(texts) if texts is not None else [r.report.text for r in results]
        return [self._add_one(result, text) for result, text in zip(results, texts, strict=True)]

    def _add_one(self, result: Result, text: str) -> str:
        for attempt in range(WRITE_RETRIES):
            try:
                with self._tx() as cur:
                    rid = _write_result(cur, result, text)
                    cur.execute("SELECT nextval('revision')")
                return rid
            except errors.DeadlockDetected:
                if attempt == WRITE_RETRIES - 1:
                    raise
            except errors.UniqueViolation as exc:
                raise StoreError(f"{result.report.source}: cannot store this report "
                                 f"({exc.diag.message_detail or exc})") from None
        raise AssertionError("unreachable")

    def remove_report(self, report_id: str) -> bool:
        with self._tx() as cur:
            gone = cur.execute("DELETE FROM reports WHERE id = %s", (report_id,)).rowcount > 0
            if gone:
                cur.execute("SELECT nextval('revision')")
        return gone

    # reads ------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._rows("SELECT value FROM meta WHERE key = %s", (key,))
        return row[0][0] if row else None

    def revision(self) -> int:
        return self._rows("SELECT last_value - 1 + is_called::int FROM revision")[0][0]

    def find_text(self, text: str) -> str | None:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self._rows("SELECT id FROM reports WHERE sha256 = %s", (digest,))
        return row[0][0] if row else None

    def list_reports(self) -> list[ReportInfo]:
        rows = self._rows(
            "SELECT r.id, r.source, to_char(r.date, 'YYYY-MM-DD'), r.war_day, r.added_at, "
            "(SELECT count(*) FROM events e WHERE e.report_id = r.id) FROM reports r WHERE r.id <> %s "
            "ORDER BY r.date IS NULL, r.date, r.added_at, r.source COLLATE \"C\"", (ANALYST_REPORT,))
        return [ReportInfo(*row) for row in rows]

    def report_text(self, report_id: str) -> str | None:
        row = self._rows("SELECT text FROM reports WHERE id = %s", (report_id,))
        return row[0][0] if row else None

    def headlines(self, report_ids: Sequence[str]) -> list[dict]:
        if not report_ids:
            return []
        rows = self._rows("SELECT headlines FROM reports WHERE id = ANY(%s) "
                          "ORDER BY date IS NOT NULL, date, source COLLATE \"C\"", (list(report_ids),))
        merged: dict[str, dict] = {}
        for (items,) in rows:
            for h in items:
                merged[h["key"]] = h  # a newer report's item replaces an older one
        return list(merged.values())

    def query_events(self, filters: EventFilter = EventFilter(), limit: int | None = None) -> dict:
        cond, args = where_clause(filters)
        sql = (f"SELECT {_SELECT} FROM events e WHERE {cond} "
               "ORDER BY e.date IS NULL, e.date, e.source COLLATE \"C\", e.start, e.id COLLATE \"C\"")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return {"type": "FeatureCollection", "features": [_feature(row) for row in self._rows(sql, args)]}

    def count_events(self, filters: EventFilter = EventFilter()) -> int:
        cond, args = where_clause(filters)
        return self._rows(f"SELECT count(*) FROM events e WHERE {cond}", args)[0][0]

    def counts_by_type(self, filters: EventFilter = EventFilter()) -> dict[str, int]:
        cond, args = where_clause(filters)
        found = dict(self._rows(f"SELECT e.event_type, count(*) FROM events e WHERE {cond} "
                                "GROUP BY e.event_type", args))
        return {k: found[k] for k in (*TYPE_KEYS, *sorted(set(found) - set(TYPE_KEYS))) if k in found}

    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        cond, args = where_clause(filters)
        size = float(cell_deg)
        common = ("SELECT e.event_type, avg(e.lon), avg(e.lat), count(*), "
                  "to_char(min(e.date), 'YYYY-MM-DD'), to_char(max(e.date), 'YYYY-MM-DD'), "
                  "string_agg(DISTINCT e.place, ','), "
                  "(array_agg(e.quote ORDER BY e.date DESC NULLS LAST, e.source, e.start))[1]")
        points = self._rows(f"{common} FROM events e WHERE {cond} AND e.geom_type = 'Point' "
                            "GROUP BY e.event_type, floor(e.lon / %s), floor(e.lat / %s)", [*args, size, size])
        shapes = self._rows(f"{common}, (array_agg(ST_AsGeoJSON(e.geom, 15)))[1] FROM events e "
                            f"WHERE {cond} AND e.geom_type IS NOT NULL AND e.geom_type <> 'Point' "
                            "GROUP BY e.event_type, e.place, e.geom_type", args)
        cells = [_cell(row) for row in points]
        cells += [dataclasses.replace(_cell(row[:8]), geometry=json.loads(row[8])) for row in shapes]
        return cells

    def facets(self) -> Facets:
        order = {k: i for i, k in enumerate(TYPE_KEYS)}
        types = [t for (t,) in self._rows("SELECT DISTINCT event_type FROM events")]
        certs = {c for (c,) in self._rows("SELECT DISTINCT certainty FROM events")}
        lo, hi = self._rows("SELECT to_char(min(date), 'YYYY-MM-DD'), to_char(max(date), 'YYYY-MM-DD') "
                            "FROM events")[0]
        # points, not shapes: Russia's polygon alone would span the globe
        box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events WHERE geom_type = 'Point'")[0]
        if box[0] is None:
            box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events")[0]
        actors = self._rows("SELECT DISTINCT a COLLATE \"C\" FROM events, unnest(actors) a ORDER BY 1")
        sources = self._rows("SELECT source FROM reports ORDER BY date NULLS FIRST, source COLLATE \"C\"")
        return Facets(
            types=tuple(sorted(types, key=lambda t: (order.get(t, len(order)), t))),
            actors=tuple(a for (a,) in actors),
            certainties=tuple(c for c in CERTAINTIES if c in certs),
            sources=tuple(s for (s,) in sources),
            date_min=lo, date_max=hi, bbox=None if box[0] is None else tuple(box))

    def state_events(self, filters: EventFilter) -> list[Event]:
        wanted = STATE_TYPES if filters.types is None else tuple(t for t in filters.types if t in STATE_TYPES)
        cond, args = where_clause(dataclasses.replace(filters, types=wanted))
        rows = self._rows(f"SELECT {_SELECT} FROM events e WHERE {cond} AND e.place IS NOT NULL", args)
        return [_state_event(row) for row in rows]

    # corrections --------------------------------------------------------------
    def event(self, event_id: str) -> dict | None:
        with self._pool.connection() as con, con.cursor() as cur:
            return _event_feature(cur, event_id)

    def add_correction(self, correction: Correction, expected_version: int | None = None) -> int:
        with self._tx() as cur:
            # one writer per event at a time: the second waits, then sees the first's version
            cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (correction.event_id,))
            known = cur.execute("SELECT version FROM corrections WHERE id = %s", (correction.id,)).fetchone()
            if known:  # the same correction sent twice
                return known[0]
            trail = _corrections(cur, correction.event_id)
            current = len(trail)
            check_version(correction.event_id, current, expected_version, trail[-1] if trail else None)
            feature = _event_feature(cur, correction.event_id)
            if feature is None and correction.action != "add":
                raise EventNotFoundError(f"no event {correction.event_id} in the store")
            cur.execute("INSERT INTO corrections (id, event_id, version, action, before, after, analyst, "
                        "at, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        (correction.id, correction.event_id, current + 1, correction.action,
                         Jsonb(correction.before), Jsonb(correction.after), correction.analyst,
                         correction.at, correction.note))
            _apply_correction(cur, feature, correction, current + 1)
            cur.execute("SELECT nextval('revision')")
        return current + 1

    def corrections(self, event_id: str | None = None) -> list[Correction]:
        with self._pool.connection() as con, con.cursor() as cur:
            return _corrections(cur, event_id)


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


def _check_schema_version(con: psycopg.Connection) -> None:
    row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema', %s)", (str(SCHEMA_VERSION),))
    elif int(row[0]) > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer Sitmap (schema {row[0]})")


# -- SQL pieces ---------------------------------------------------------------------


def where_clause(f: EventFilter, alias: str = "e") -> tuple[str, list[Any]]:
    """The SQL condition and parameters that select the events ``f`` asks for.

    Type and date use the B-trees, the box the GiST index, actors the GIN
    index on the array, the text the trigram index.
    """
    parts: list[str] = [] if f.include_false else [f"NOT {alias}.false_positive"]
    args: list[Any] = []
    if f.types is not None:
        parts.append(f"{alias}.event_type = ANY(%s)" if f.types else "false")
        args += [list(f.types)] if f.types else []
    for column, op, value in (("date", ">=", f.date_from), ("date", "<=", f.date_to)):
        if value:
            parts.append(f"({alias}.{column} {op} %s::date OR {alias}.{column} IS NULL)" if f.undated
                         else f"{alias}.{column} {op} %s::date")
            args.append(value)
    for column, values in (("certainty", f.certainty), ("source", f.sources)):
        if values:
            parts.append(f"{alias}.{column} = ANY(%s)")
            args.append(list(values))
    if f.actors:
        parts.append(f"{alias}.actors && %s::text[]")
        args.append(list(f.actors))
    if f.text.strip():
        parts.append(f"{alias}.quote ILIKE %s")
        args.append("%" + _like_escape(f.text.strip()) + "%")
    if f.bbox is not None:
        parts.append(f"{alias}.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
        args += [float(v) for v in f.bbox]
    return (" AND ".join(parts) or "true"), args


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _event_row(ev: Event, report_id: str, extra: dict | None = None) -> tuple:
    geometry = _rfc7946(ev.geometry)
    _bounds(geometry)  # a geometry that is not GeoJSON fails here, before the database sees it
    if extra is None:
        extra = {}
    return (ev.id, report_id, ev.event_type, ev.subtype, ev.date, ev.place, ev.place_kind,
            ev.certainty, ev.attributed_to, ev.denied_by, list(ev.actors), ev.quote, ev.trigger,
            ev.start, ev.end, ev.source, ev.lat, ev.lon, geometry["type"] if geometry else None,
            json.dumps(geometry) if geometry else None, Jsonb(extra))


def _write_result(cur: psycopg.Cursor, result: Result, text: str) -> str:
    """Upsert one report with its places and events inside an open transaction."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = cur.execute("SELECT id FROM reports WHERE sha256 = %s", (digest,)).fetchone()
    rid = found[0] if found else result.report.id
    headlines = [dataclasses.asdict(h) for h in result.headlines]
    cur.execute(
        "INSERT INTO reports (id, source, text, date, war_day, added_at, sha256, headlines) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET date = excluded.date, "
        "war_day = excluded.war_day, headlines = excluded.headlines",
        (rid, result.report.source, text, result.report.date, result.war_day, _now(), digest,
         Jsonb(headlines)))
    # a re-parse that no longer finds an event drops it
    keep = [ev.id for ev in result.events]
    cur.execute("DELETE FROM events WHERE report_id = %s AND NOT (id = ANY(%s))", (rid, keep))
    # sorted ids: concurrent writers lock rows in one order and cannot deadlock on them
    rows = [_event_row(ev, rid) for ev in sorted(result.events, key=lambda e: e.id)]
    if rows:
        cur.executemany(_UPSERT, rows)
    _reapply_corrections(cur, keep)
    cur.execute("DELETE FROM places WHERE report_id = %s", (rid,))
    if result.places:
        cur.executemany(
            "INSERT INTO places VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326))",
            [(rid, p.name, p.mention, p.start, p.end, p.kind, p.country_code, p.gazetteer_id, p.lat,
              p.lon, p.confidence, json.dumps(_rfc7946(p.geometry)) if p.geometry else None)
             for p in result.places])
    return rid


def _feature(row: tuple) -> dict:
    n = len(_PROPS)
    props = dict(zip(_PROPS, row[:n]))
    props["actors"] = list(props["actors"])
    props.update(row[n + 1] or {})
    props.setdefault("corrected", False)
    props["version"] = row[n + 2]
    geometry = json.loads(row[n]) if row[n] else None
    return {"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props}


def _state_event(row: tuple) -> Event:
    p = dict(zip(_PROPS, row))
    return Event(id=p["id"], event_type=p["event_type"], subtype=p["subtype"], place=p["place"],
                 geometry=None, actors=tuple(p["actors"]), date=p["date"], certainty=p["certainty"],
                 attributed_to=p["attributed_to"], quote=p["quote"], start=p["start"], end=p["end"],
                 trigger=p["trigger"], denied_by=p["denied_by"], source=p["source"],
                 place_kind=p["place_kind"], lat=p["lat"], lon=p["lon"])


def _cell(row: tuple) -> Cell:
    etype, lon, lat, count, lo, hi, places, quote = row
    names = tuple(sorted(set(filter(None, (places or "").split(",")))))
    return Cell(etype, lon, lat, count, lo, hi, names, quote or "")


# -- corrections ----------------------------------------------------------------------


def _event_feature(cur: psycopg.Cursor, event_id: str) -> dict | None:
    row = cur.execute(f"SELECT {_SELECT} FROM events e WHERE e.id = %s", (event_id,)).fetchone()
    return _feature(row) if row else None


def _corrections(cur: psycopg.Cursor, event_id: str | None) -> list[Correction]:
    where, args = ("WHERE event_id = %s ORDER BY version", (event_id,)) if event_id else ("ORDER BY seq", ())
    rows = cur.execute(f"SELECT {_CORRECTION_COLUMNS} FROM corrections {where}", args).fetchall()
    return [Correction(*row) for row in rows]


def _apply_correction(cur: psycopg.Cursor, feature: dict | None, c: Correction, version: int) -> None:
    """Write the event as corrected by ``c`` (inside the caller's transaction)."""
    report_id = feature["properties"]["report_id"] if feature else _analyst_report(cur)
    ev, extra = feature_event(corrected_feature(feature, c))
    cur.execute(_UPSERT, _event_row(ev, report_id, extra))
    cur.execute("UPDATE events SET version = %s, false_positive = %s WHERE id = %s",
                (version, bool(extra.get("false_positive")), ev.id))


def _reapply_corrections(cur: psycopg.Cursor, event_ids: Sequence[str]) -> None:
    """Lay the stored corrections over freshly parsed events, so a re-parse keeps them."""
    if not event_ids:
        return
    rows = cur.execute(f"SELECT {_CORRECTION_COLUMNS}, version FROM corrections "
                       "WHERE event_id = ANY(%s) ORDER BY event_id, version", (list(event_ids),)).fetchall()
    for row in rows:
        c = Correction(*row[:8])
        _apply_correction(cur, _event_feature(cur, c.event_id), c, row[8])


def _analyst_report(cur: psycopg.Cursor) -> str:
    cur.execute("INSERT INTO reports (id, source, text, added_at, sha256) VALUES (%s, %s, '', %s, %s) "
                "ON CONFLICT (id) DO NOTHING", (ANALYST_REPORT, ANALYST_REPORT, _now(), ANALYST_REPORT))
    return ANALYST_REPORT


def _open_postgis(url: str, **options: Any) -> Store:
    return PostGISStore(url, **options)


BACKENDS["postgresql"] = _open_postgis
BACKENDS["postgres"] = _open_postgis
