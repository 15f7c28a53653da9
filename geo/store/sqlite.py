"""The event store: reports, their places and events, queried with filters.

:class:`Store` is the interface the dashboard (and later the CLI's batch
ingest and the analyst's corrections) talk to.  :class:`SQLiteStore` is the
embedded default: one file, WAL mode so several Streamlit sessions read and
write at once, B-tree indexes on type and date and an R*Tree on each event's
bounding box.  Another backend (PostGIS) registers itself in ``BACKENDS``
under its URL scheme and is picked by ``SITMAP_STORE``.

Ingest is an idempotent upsert in one transaction per report: event ids are
the stable ids from :mod:`geo.parse.events`, a report is known by the SHA-256 of
its text, and a crash mid-write leaves the store as it was.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import hashlib
import importlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geo import settings
from geo.records import CERTAINTIES, Event, Report, Result
from geo.taxonomy import TYPE_KEYS

if TYPE_CHECKING:  # shapely and geopandas load only when corrections are used
    from geo.store.corrections import Correction

STORE_FILE = "sitmap.sqlite"
"""File name of the embedded store inside the store folder."""

SCHEMA_VERSION = 2  # 2: corrections, events.version and events.false_positive
BUSY_TIMEOUT_MS = 15_000
STATE_TYPES = ("capture", "encirclement", "strike", "battle")
"""Event types that set a place's status (see :func:`geo.parse.status.place_status`)."""


class StoreError(RuntimeError):
    """The store cannot be opened or used (bad URL, unknown backend, bad file)."""


class ConflictError(StoreError):
    """A correction was made against an older version of the event; nothing was written."""


class EventNotFoundError(StoreError, LookupError):
    """A correction names an event that is not in the store."""


# -- filters ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the analyst asked to see; every field narrows the selection.

    ``types=None`` means every type, while an empty tuple means none.  Dates
    are inclusive ISO dates; events without a date drop out as soon as either
    bound is set.  ``text`` matches quotes case-insensitively as a substring.
    ``bbox`` is ``(min_lon, min_lat, max_lon, max_lat)``.
    """

    types: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    actors: tuple[str, ...] = ()
    certainty: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    text: str = ""
    bbox: tuple[float, float, float, float] | None = None
    include_false: bool = False  # also events an analyst marked false (flagged false_positive)

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                dt.date.fromisoformat(value)  # ValueError for a malformed date
        if self.bbox is not None and len(self.bbox) != 4:
            raise ValueError("bbox needs four numbers: min_lon, min_lat, max_lon, max_lat")


@dataclass(frozen=True, slots=True)
class ReportInfo:
    """One stored report, as listed in the dashboard."""

    id: str
    source: str
    date: str | None
    war_day: int | None
    added_at: str
    events: int


@dataclass(frozen=True, slots=True)
class Facets:
    """The values present in the store, for filter widgets."""

    types: tuple[str, ...]
    actors: tuple[str, ...]
    certainties: tuple[str, ...]
    sources: tuple[str, ...]
    date_min: str | None
    date_max: str | None
    bbox: tuple[float, float, float, float] | None = None  # of the point events (else of all)


@dataclass(frozen=True, slots=True)
class Cell:
    """Events of one type aggregated on a grid cell (or at one non-point place)."""

    event_type: str
    lon: float
    lat: float
    count: int
    date_min: str | None
    date_max: str | None
    places: tuple[str, ...]
    quote: str  # one quote, from the newest event of the cell
    geometry: dict[str, Any] | None = None  # set for non-point places (countries, areas)


def report_key(text: str) -> str:
    """A report's id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# -- the interface ----------------------------------------------------------


class Store(abc.ABC):
    """Reports and their events, with filtered queries.

    Backends implement the abstract methods; :meth:`status` is shared, built
    from :meth:`state_events`, :meth:`list_reports` and
    :meth:`counts_by_type` with :func:`geo.parse.status.place_status`.
    """

    url: str

    @abc.abstractmethod
    def add_results(self, results: Iterable[Result], texts: Iterable[str] | None = None) -> list[str]:
        """Store parsed reports, each in one transaction; return their report ids."""

    @abc.abstractmethod
    def remove_report(self, report_id: str) -> bool:
        """Delete a report with its places and events; ``False`` if it was not there."""

    @abc.abstractmethod
    def list_reports(self) -> list[ReportInfo]:
        """Every report, oldest date first."""

    @abc.abstractmethod
    def report_text(self, report_id: str) -> str | None:
        """The stored text of a report."""

    @abc.abstractmethod
    def query_events(self, filters: EventFilter = EventFilter(), limit: int | None = None) -> dict:
        """The matching events as a GeoJSON FeatureCollection (contract properties)."""

    @abc.abstractmethod
    def count_events(self, filters: EventFilter = EventFilter()) -> int:
        """How many events match."""

    @abc.abstractmethod
    def counts_by_type(self, filters: EventFilter = EventFilter()) -> dict[str, int]:
        """Matching events per type, in taxonomy order, types with none left out."""

    @abc.abstractmethod
    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        """Matching events grouped per type on a grid of ``cell_deg`` degrees."""

    @abc.abstractmethod
    def facets(self) -> Facets:
        """The types, actors, certainties, sources and date range in the store."""

    @abc.abstractmethod
    def state_events(self, filters: EventFilter) -> list[Event]:
        """Matching events of the types that make a place's status (no geometry)."""

    @abc.abstractmethod
    def revision(self) -> int:
        """A number that grows with every write, so callers can cache reads."""

    @abc.abstractmethod
    def event(self, event_id: str) -> dict | None:
        """One event as a GeoJSON Feature, corrected, with its ``version``; ``None`` if absent.

        Events marked false are returned too (flagged ``false_positive``).
        """

    @abc.abstractmethod
    def add_correction(self, correction: Correction, expected_version: int | None = None) -> int:
        """Record an analyst's correction and lay it over the event; return the new version.

        Parameters
        ----------
        correction
            Made with :func:`geo.store.corrections.new_correction`.  The same
            correction sent twice is recorded once.
        expected_version
            The event's ``version`` as the analyst saw it; ``None`` skips the check.

        Raises
        ------
        ConflictError
            When someone corrected the event after ``expected_version``.
        EventNotFoundError
            When the event is not in the store (except for ``add``).
        """

    @abc.abstractmethod
    def corrections(self, event_id: str | None = None) -> list[Correction]:
        """The audit trail, oldest first: who changed what, when, before and after."""

    def close(self) -> None:
        """Release connections; the default has nothing to release."""

    # shared ----------------------------------------------------------------
    def add_report(self, text: str, source: str, date: str | None = None, gazetteer=None,
                   parse: Callable[[Report], Result] | None = None) -> str:
        """Parse a report and store it; the same text twice is stored once.

        Parameters
        ----------
        text
            The report, already decoded (see :func:`geo.io.decode_report`).
        source
            Its name as shown to the analyst; made unique in the store.
        date
            Its ISO date, when known; otherwise inferred from the text.
        gazetteer
            Injected for tests and batch workers; the shared one by default.
        parse
            Turns the named report into a result (the dashboard's adds the
            online geocoder); ``geo.parse.pipeline.parse_report`` by default.

        The name is made unique before the parse (event ids hash it) and the
        write comes after, so two writers adding different reports under one
        name at once can both pick it.  The store's unique names refuse the
        second write; that report is parsed again under the next free name
        rather than lost.
        """
        existing = self.find_text(text)
        if existing is not None:
            return existing
        if parse is None:
            from geo.gazetteer.loader import load_gazetteer
            from geo.parse.pipeline import parse_report

            gaz = gazetteer or load_gazetteer()

            def parse(report: Report) -> Result:
                return parse_report(report, gaz)

        for attempt in range(NAME_ATTEMPTS):
            name = self.unique_source(source, text)
            result = parse(Report(report_key(text), text, name, date))
            try:
                return self.add_results([result], [text])[0]
            except Exception:
                if attempt + 1 == NAME_ATTEMPTS or self.unique_source(source, text) == name:
                    raise  # not a clash over the name
        raise AssertionError("unreachable")

    def find_text(self, text: str) -> str | None:
        """The id of a stored report with exactly this text, if any."""
        rid = report_key(text)
        return rid if any(r.id == rid for r in self.list_reports()) else None

    def unique_source(self, source: str, text: str) -> str:
        """``source``, or ``source (2)``... when another report already has that name.

        Event ids hash the source name, so two different reports must never
        share one.
        """
        rid = report_key(text)
        taken = {r.source for r in self.list_reports() if r.id != rid} | {ANALYST_REPORT}
        name = source.strip() or "report"
        if name not in taken:
            return name
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        n = 2
        while (candidate := f"{stem} ({n}){dot}{ext}") in taken:
            n += 1
        return candidate

    def status(self, filters: EventFilter = EventFilter()) -> dict:
        """The situation for the selection, shaped like ``status.json``."""
        from geo.parse.status import place_status

        reports = [r for r in self.list_reports() if _report_in_scope(r, filters)]
        headlines = self._standing(self.headlines([r.id for r in reports]))
        days = [r.war_day for r in reports if r.war_day is not None]
        dates = sorted(r.date for r in reports if r.date)
        counts = self.counts_by_type(filters)
        return {
            "war_day": max(days) if days else None,
            "report_date": dates[-1] if dates else None,
            "date_range": [dates[0], dates[-1]] if dates else None,
            "reports": [r.source for r in reports],
            "places": place_status(self.state_events(filters)),
            "headlines": headlines,
            "counts": counts,
            "total_events": sum(counts.values()),
        }

    @abc.abstractmethod
    def headlines(self, report_ids: Sequence[str]) -> list[dict]:
        """Headline items of these reports, the newest report winning per key."""

    def _standing(self, headlines: list[dict]) -> list[dict]:
        """The headlines an analyst has not corrected away.

        "Berdiansk captured" rests on a capture event: the events of its report
        quoting its sentence.  When one of them did support it as the parser wrote
        it and none does now (marked false, retyped or moved away), the headline
        goes too.  Without corrections this costs one query.
        """
        from geo.parse.status import headline_basis

        trails: dict[str, list[Correction]] = {}
        for c in self.corrections():
            if c.action != "add":
                trails.setdefault(c.event_id, []).append(c)
        if not trails:
            return headlines

        def supports(props: dict, h: dict, etype: str, place: str | None) -> bool:
            return (not props.get("false_positive") and props.get("event_type") == etype
                    and props.get("quote") == h["quote"] and props.get("source") == h["source"]
                    and (place is None or props.get("place") == place))

        def as_parsed(props: dict) -> dict:
            props = dict(props, false_positive=False)
            for c in reversed(trails.get(props.get("id"), ())):  # newest first: the oldest "before" wins
                props.update({k: v for k, v in c.before.items() if k != "geometry"})
            return props

        out = []
        for h in headlines:
            basis = headline_basis(h["key"])
            if basis is not None:
                quoting = [f["properties"] for f in self.query_events(EventFilter(
                    sources=(h["source"],), text=h["quote"], include_false=True))["features"]]
                if not any(supports(p, h, *basis) for p in quoting) \
                        and any(supports(as_parsed(p), h, *basis) for p in quoting):
                    continue
            out.append(h)
        return out


# -- corrections, shared by the backends ------------------------------------

NAME_ATTEMPTS = 3
"""How often ``add_report`` picks a new name after another writer took the one it chose."""

ANALYST_REPORT = "analyst"
"""Id (and source) of the hidden report that holds events added by hand."""

_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))


def check_version(event_id: str, current: int, expected: int | None,
                  last: Correction | None) -> None:
    """Raise :class:`ConflictError` unless ``expected`` is ``None`` or still current."""
    if expected is None or expected == current:
        return
    who = f" by {last.analyst} at {last.at} ({last.action})" if last is not None else ""
    raise ConflictError(
        f"event {event_id} was corrected{who} after you opened it: you saw version {expected}, "
        f"it is now at version {current}; reload the event and make your change again")


def corrected_feature(feature: dict | None, correction: Correction) -> dict:
    """``feature`` with ``correction`` laid over it (a new feature for ``add``)."""
    from geo.store.corrections import apply_corrections

    fc = {"type": "FeatureCollection", "features": [feature] if feature else []}
    return apply_corrections(fc, [correction], keep_false=True)["features"][0]


def feature_event(feature: dict) -> tuple[Event, dict[str, Any]]:
    """A stored feature split into its :class:`Event` and the extra properties."""
    props = feature["properties"]
    fields = {k: props.get(k) for k in _EVENT_FIELDS if k != "geometry"}
    fields["actors"] = tuple(fields["actors"] or ())
    for key, default in (("trigger", ""), ("source", ""), ("start", 0), ("end", 0)):
        if fields[key] is None:
            fields[key] = default
    extra = {k: v for k, v in props.items() if k not in _EVENT_FIELDS and k not in ("version", "report_id")}
    return Event(geometry=feature.get("geometry"), **fields), extra


def _report_in_scope(r: ReportInfo, f: EventFilter) -> bool:
    if f.sources and r.source not in f.sources:
        return False
    if f.date_from and (r.date is None or r.date < f.date_from):
        return False
    if f.date_to and (r.date is None or r.date > f.date_to):
        return False
    return True


# -- SQL ----------------------------------------------------------------------

_SCHEMA = """
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
    id TEXT NOT NULL UNIQUE,
    report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    subtype TEXT,
    date TEXT,
    place TEXT,
    place_kind TEXT,
    certainty TEXT NOT NULL,
    attributed_to TEXT,
    denied_by TEXT,
    actors TEXT NOT NULL DEFAULT '[]',
    quote TEXT NOT NULL,
    trigger TEXT NOT NULL DEFAULT '',
    start INTEGER,
    "end" INTEGER,
    source TEXT NOT NULL,
    lat REAL,
    lon REAL,
    geom_type TEXT,
    geometry TEXT,
    props TEXT NOT NULL DEFAULT '{}',
    minx REAL, miny REAL, maxx REAL, maxy REAL,
    version INTEGER NOT NULL DEFAULT 0,
    false_positive INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_type_date ON events(event_type, date);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_report ON events(report_id);
CREATE VIRTUAL TABLE IF NOT EXISTS events_bbox USING rtree(pk, minx, maxx, miny, maxy);
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
    geometry TEXT
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
);
"""

# columns of events, in the order of _event_row's values
_EVENT_COLUMNS = ("id", "report_id", "event_type", "subtype", "date", "place", "place_kind",
                  "certainty", "attributed_to", "denied_by", "actors", "quote", "trigger", "start",
                  "end", "source", "lat", "lon", "geom_type", "geometry", "props",
                  "minx", "miny", "maxx", "maxy")
_CONTRACT_PROPS = ("id", "event_type", "subtype", "place", "actors", "date", "certainty",
                   "attributed_to", "denied_by", "quote", "start", "end", "trigger", "source",
                   "place_kind", "lat", "lon", "report_id")


def where_clause(f: EventFilter, alias: str = "e") -> tuple[str, list[Any]]:
    """The SQL condition and parameters that select the events ``f`` asks for.

    Each part hits an index: type and date the B-trees, the box the R*Tree,
    actors their own indexed table.
    """
    parts: list[str] = [] if f.include_false else [f"{alias}.false_positive = 0"]
    args: list[Any] = []
    if f.types is not None:
        parts.append(f"{alias}.event_type IN ({_marks(f.types)})" if f.types else "0")
        args += list(f.types)
    if f.date_from:
        parts.append(f"{alias}.date >= ?")
        args.append(f.date_from)
    if f.date_to:
        parts.append(f"{alias}.date <= ?")
        args.append(f.date_to)
    if f.certainty:
        parts.append(f"{alias}.certainty IN ({_marks(f.certainty)})")
        args += list(f.certainty)
    if f.sources:
        parts.append(f"{alias}.source IN ({_marks(f.sources)})")
        args += list(f.sources)
    if f.actors:
        parts.append(f"{alias}.pk IN (SELECT event_pk FROM event_actors WHERE actor IN ({_marks(f.actors)}))")
        args += list(f.actors)
    if f.text.strip():
        parts.append(f"{alias}.quote LIKE ? ESCAPE '\\'")
        args.append("%" + _like_escape(f.text.strip()) + "%")
    if f.bbox is not None:
        x0, y0, x1, y1 = map(float, f.bbox)
        parts.append(f"{alias}.pk IN (SELECT pk FROM events_bbox WHERE maxx >= ? AND minx <= ? "
                     "AND maxy >= ? AND miny <= ?)")
        args += [x0, x1, y0, y1]
    return (" AND ".join(parts) or "1"), args


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bounds(geometry: dict | None) -> tuple[float, float, float, float] | None:
    """The bounding box of a GeoJSON geometry, without shapely (cheap for points)."""
    if not geometry:
        return None
    if geometry["type"] == "Point":
        x, y = geometry["coordinates"][:2]
        return x, y, x, y
    import shapely
    from shapely.geometry import shape

    return tuple(shapely.bounds(shape(geometry)).tolist())


def _event_row(ev: Event, report_id: str, extra: dict | None = None) -> tuple:
    geometry = _rfc7946(ev.geometry)
    bounds = _bounds(geometry) or (None, None, None, None)
    if extra is None:
        extra = {k: v for k, v in ev.to_dict().items() if k not in _CONTRACT_PROPS and k != "geometry"}
    return (ev.id, report_id, ev.event_type, ev.subtype, ev.date, ev.place, ev.place_kind,
            ev.certainty, ev.attributed_to, ev.denied_by, json.dumps(list(ev.actors)), ev.quote,
            ev.trigger, ev.start, ev.end, ev.source, ev.lat, ev.lon,
            geometry["type"] if geometry else None,
            json.dumps(geometry, separators=(",", ":")) if geometry else None,
            json.dumps(extra), *bounds)


def _rfc7946(geometry: dict | None) -> dict | None:
    from geo.exchange.layers import rfc7946

    return rfc7946(geometry)


# -- the embedded backend -----------------------------------------------------


class SQLiteStore(Store):
    """The embedded store: one SQLite file with an R*Tree spatial index.

    Parameters
    ----------
    path
        The database file; its folder is created if needed.
    seed
        On the first open of an empty store, ingest the reports in
        ``seeds_dir`` once.  The store remembers that it was seeded, so a
        seed the analyst removed does not come back.
    seeds_dir
        Where the bundled reports are (``settings.SEEDS_DIR``).
    gazetteer
        Injected into the parser; the shared one is loaded on first need.
    """

    def __init__(self, path: Path | str, *, seed: bool = True, seeds_dir: Path | None = None,
                 gazetteer=None):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._gazetteer = gazetteer
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _while_locked(self._init_schema)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a Sitmap store ({exc})") from exc
        if seed:
            self.seed(seeds_dir or settings.SEEDS_DIR)

    # connections ------------------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        # one connection per thread: Streamlit runs each session in its own
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                  check_same_thread=False)
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _while_locked(lambda: con.execute("PRAGMA journal_mode = WAL"))
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA foreign_keys = ON")
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    def _init_schema(self) -> None:
        with self._write() as con:
            _create_schema(con)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
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

    # writes -----------------------------------------------------------------
    def seed(self, seeds_dir: Path) -> int:
        """Ingest the bundled reports once per store; return how many were added."""
        from geo import io
        from geo.intake.files import date_from_name

        if self._meta("seeded") is not None:
            return 0
        added = 0
        paths = list(io.iter_report_paths([seeds_dir])) if Path(seeds_dir).is_dir() else []
        for path in paths:
            text = io.read_report_file(path)
            if self.find_text(text) is None:
                self.add_report(text, path.name, date_from_name(path.name), self._gazetteer)
                added += 1
        with self._write() as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', ?)", (_now(),))
        return added

    def add_report(self, text: str, source: str, date: str | None = None, gazetteer=None,
                   parse: Callable[[Report], Result] | None = None) -> str:
        return super().add_report(text, source, date, gazetteer or self._gazetteer, parse)

    def add_results(self, results: Iterable[Result], texts: Iterable[str] | None = None) -> list[str]:
        """Store parsed reports in one transaction, replacing each report's old events.

        ``texts`` defaults to each result's report text.  A result whose text
        is already stored under another id is skipped (its id is returned).
        The whole batch is committed or none of it (a batch writer that meets
        an error retries report by report), and the write lock is taken once
        per batch rather than once per report.
        """
        results = list(results)
        texts = list(texts) if texts is not None else [r.report.text for r in results]
        if len(results) != len(texts):
            raise ValueError("add_results needs one text per result")
        if not results:
            return []
        with self._write() as con:
            ids = [_write_result(con, result, text) for result, text in zip(results, texts)]
            _bump(con)
        return ids

    def remove_report(self, report_id: str) -> bool:
        with self._write() as con:
            pks = [pk for (pk,) in con.execute("SELECT pk FROM events WHERE report_id = ?", (report_id,))]
            con.executemany("DELETE FROM events_bbox WHERE pk = ?", [(pk,) for pk in pks])
            con.execute("DELETE FROM events WHERE report_id = ?", (report_id,))
            con.execute("DELETE FROM places WHERE report_id = ?", (report_id,))
            gone = con.execute("DELETE FROM reports WHERE id = ?", (report_id,)).rowcount > 0
            if gone:
                _bump(con)
        return gone

    # reads ------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0][0] if row else None

    def revision(self) -> int:
        return int(self._meta("revision") or 0)

    def find_text(self, text: str) -> str | None:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row = self._rows("SELECT id FROM reports WHERE sha256 = ?", (digest,))
        return row[0][0] if row else None

    def list_reports(self) -> list[ReportInfo]:
        rows = self._rows(
            "SELECT r.id, r.source, r.date, r.war_day, r.added_at, "
            "(SELECT count(*) FROM events e WHERE e.report_id = r.id) "
            "FROM reports r WHERE r.id != ? ORDER BY r.date IS NULL, r.date, r.added_at, r.source",
            (ANALYST_REPORT,))
        return [ReportInfo(*row) for row in rows]

    def report_text(self, report_id: str) -> str | None:
        row = self._rows("SELECT text FROM reports WHERE id = ?", (report_id,))
        return row[0][0] if row else None

    def headlines(self, report_ids: Sequence[str]) -> list[dict]:
        if not report_ids:
            return []
        rows = self._rows(f"SELECT headlines FROM reports WHERE id IN ({_marks(report_ids)}) "
                          "ORDER BY date IS NOT NULL, date, source", list(report_ids))
        merged: dict[str, dict] = {}
        for (blob,) in rows:
            for h in json.loads(blob):
                merged[h["key"]] = h  # a newer report's item replaces an older one
        return list(merged.values())

    def query_events(self, filters: EventFilter = EventFilter(), limit: int | None = None) -> dict:
        cond, args = where_clause(filters)
        cols = ", ".join(f'e."{c}"' for c in _CONTRACT_PROPS)
        sql = (f"SELECT {cols}, e.geometry, e.props, e.version FROM events e WHERE {cond} "
               "ORDER BY e.date IS NULL, e.date, e.source, e.start, e.id")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return {"type": "FeatureCollection", "features": [_feature(row) for row in self._rows(sql, args)]}

    def count_events(self, filters: EventFilter = EventFilter()) -> int:
        cond, args = where_clause(filters)
        return self._rows(f"SELECT count(*) FROM events e WHERE {cond}", args)[0][0]

    def counts_by_type(self, filters: EventFilter = EventFilter()) -> dict[str, int]:
        cond, args = where_clause(filters)
        # the type index covers type and date filters; for any other column a table scan
        # beats reading the table in index order (the + keeps sqlite off the index)
        group = "+e.event_type" if filters.text.strip() or filters.certainty or filters.sources else "e.event_type"
        found = dict(self._rows(f"SELECT e.event_type, count(*) FROM events e WHERE {cond} "
                                f"GROUP BY {group}", args))
        return {k: found[k] for k in (*TYPE_KEYS, *sorted(set(found) - set(TYPE_KEYS))) if k in found}

    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        cond, args = where_clause(filters)
        size = float(cell_deg)
        # sqlite returns the bare columns of the row that holds max(date); the unary + keeps
        # sqlite from walking the type index in group order (random reads on a large store)
        points = self._rows(
            "SELECT e.event_type, avg(e.lon), avg(e.lat), count(*), min(e.date), max(e.date), "
            "group_concat(DISTINCT e.place), e.quote FROM events e "
            f"WHERE {cond} AND e.geom_type = 'Point' "
            "GROUP BY +e.event_type, CAST(floor(e.lon / ?) AS INTEGER), CAST(floor(e.lat / ?) AS INTEGER)",
            [*args, size, size])
        shapes = self._rows(
            "SELECT e.event_type, avg(e.lon), avg(e.lat), count(*), min(e.date), max(e.date), "
            "group_concat(DISTINCT e.place), e.quote, e.geometry FROM events e "
            f"WHERE {cond} AND e.geom_type IS NOT NULL AND e.geom_type != 'Point' "
            "GROUP BY +e.event_type, e.place, e.geom_type", args)
        cells = [_cell(row) for row in points]
        cells += [dataclasses.replace(_cell(row[:8]), geometry=json.loads(row[8])) for row in shapes]
        return cells

    def facets(self) -> Facets:
        types = [t for (t,) in self._rows("SELECT DISTINCT event_type FROM events")]
        order = {k: i for i, k in enumerate(TYPE_KEYS)}
        certs = {c for (c,) in self._rows("SELECT DISTINCT certainty FROM events")}
        lo, hi = self._rows("SELECT min(date), max(date) FROM events")[0]
        # points, not shapes: Russia's polygon alone would span the globe
        box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events "
                         "WHERE geom_type = 'Point'")[0]
        if box[0] is None:
            box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events")[0]
        return Facets(
            types=tuple(sorted(types, key=lambda t: (order.get(t, len(order)), t))),
            actors=tuple(a for (a,) in self._rows("SELECT DISTINCT actor FROM event_actors ORDER BY actor")),
            certainties=tuple(c for c in CERTAINTIES if c in certs),
            sources=tuple(s for (s,) in self._rows("SELECT source FROM reports ORDER BY date, source")),
            date_min=lo, date_max=hi, bbox=None if box[0] is None else tuple(box))

    def state_events(self, filters: EventFilter) -> list[Event]:
        wanted = STATE_TYPES if filters.types is None else tuple(t for t in filters.types if t in STATE_TYPES)
        cond, args = where_clause(dataclasses.replace(filters, types=wanted))
        rows = self._rows(
            "SELECT e.id, e.event_type, e.subtype, e.place, e.actors, e.date, e.certainty, "
            "e.attributed_to, e.quote, e.start, e.\"end\", e.trigger, e.denied_by, e.source, "
            f"e.place_kind, e.lat, e.lon FROM events e WHERE {cond} AND e.place IS NOT NULL", args)
        return [Event(id=r[0], event_type=r[1], subtype=r[2], place=r[3], geometry=None,
                      actors=tuple(json.loads(r[4])), date=r[5], certainty=r[6], attributed_to=r[7],
                      quote=r[8], start=r[9], end=r[10], trigger=r[11], denied_by=r[12], source=r[13],
                      place_kind=r[14], lat=r[15], lon=r[16]) for r in rows]

    # corrections --------------------------------------------------------------
    def event(self, event_id: str) -> dict | None:
        return _event_feature(self._con(), event_id)

    def add_correction(self, correction: Correction, expected_version: int | None = None) -> int:
        # BEGIN IMMEDIATE serialises writers, so the version read here is still current at insert
        with self._write() as con:
            known = con.execute("SELECT version FROM corrections WHERE id = ?", (correction.id,)).fetchone()
            if known:  # the same correction sent twice
                return known[0]
            trail = _corrections(con, correction.event_id)
            current = len(trail)
            check_version(correction.event_id, current, expected_version, trail[-1] if trail else None)
            feature = _event_feature(con, correction.event_id)
            if feature is None and correction.action != "add":
                raise EventNotFoundError(f"no event {correction.event_id} in the store")
            con.execute("INSERT INTO corrections (id, event_id, version, action, before, after, analyst, "
                        "at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        _correction_row(correction, current + 1))
            _apply_correction(con, feature, correction, current + 1)
            _bump(con)
        return current + 1

    def corrections(self, event_id: str | None = None) -> list[Correction]:
        return _corrections(self._con(), event_id)


_CORRECTION_COLUMNS = "id, event_id, action, before, after, analyst, at, note"


def _correction_row(c: Correction, version: int) -> tuple:
    return (c.id, c.event_id, version, c.action, json.dumps(c.before, ensure_ascii=False),
            json.dumps(c.after, ensure_ascii=False), c.analyst, c.at, c.note)


def _corrections(con: sqlite3.Connection, event_id: str | None) -> list[Correction]:
    from geo.store.corrections import Correction

    where, args = ("WHERE event_id = ? ORDER BY version", (event_id,)) if event_id else ("ORDER BY seq", ())
    rows = con.execute(f"SELECT {_CORRECTION_COLUMNS} FROM corrections {where}", args).fetchall()
    return [Correction(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7])
            for r in rows]


def _event_feature(con: sqlite3.Connection, event_id: str) -> dict | None:
    cols = ", ".join(f'e."{c}"' for c in _CONTRACT_PROPS)
    row = con.execute(f"SELECT {cols}, e.geometry, e.props, e.version FROM events e WHERE e.id = ?",
                      (event_id,)).fetchone()
    return _feature(row) if row else None


def _apply_correction(con: sqlite3.Connection, feature: dict | None, c: Correction, version: int) -> None:
    """Write the event as corrected by ``c`` (inside the caller's transaction)."""
    report_id = feature["properties"]["report_id"] if feature else _analyst_report(con)
    ev, extra = feature_event(corrected_feature(feature, c))
    _upsert_event(con, ev, report_id, extra)
    con.execute("UPDATE events SET version = ?, false_positive = ? WHERE id = ?",
                (version, int(bool(extra.get("false_positive"))), ev.id))


def _reapply_corrections(con: sqlite3.Connection, event_ids: Sequence[str]) -> None:
    """Lay the stored corrections over freshly parsed events, so a re-parse keeps them."""
    from geo.store.corrections import Correction

    for start in range(0, len(event_ids), 500):
        chunk = list(event_ids[start:start + 500])
        rows = con.execute(f"SELECT {_CORRECTION_COLUMNS}, version FROM corrections "
                           f"WHERE event_id IN ({_marks(chunk)}) ORDER BY event_id, version", chunk).fetchall()
        for r in rows:
            c = Correction(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), r[5], r[6], r[7])
            _apply_correction(con, _event_feature(con, c.event_id), c, r[8])


def _analyst_report(con: sqlite3.Connection) -> str:
    con.execute("INSERT OR IGNORE INTO reports (id, source, text, date, war_day, added_at, sha256) "
                "VALUES (?, ?, '', NULL, NULL, ?, ?)", (ANALYST_REPORT, ANALYST_REPORT, _now(), ANALYST_REPORT))
    return ANALYST_REPORT


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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


def _create_schema(con: sqlite3.Connection) -> None:
    for statement in filter(str.strip, _SCHEMA.split(";")):
        con.execute(statement)
    version = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if version is None:
        con.execute("INSERT INTO meta VALUES ('schema', ?), ('revision', '0')", (str(SCHEMA_VERSION),))
    elif int(version[0]) > SCHEMA_VERSION:
        raise StoreError(f"the store was written by a newer Sitmap (schema {version[0]})")
    elif int(version[0]) < 2:  # a store from before corrections moved in
        con.execute("ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
        con.execute("ALTER TABLE events ADD COLUMN false_positive INTEGER NOT NULL DEFAULT 0")
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def _bump(con: sqlite3.Connection) -> None:
    con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")


def _write_result(con: sqlite3.Connection, result: Result, text: str) -> str:
    """Upsert one report with its places and events inside an open transaction."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    found = con.execute("SELECT id FROM reports WHERE sha256 = ?", (digest,)).fetchone()
    rid = found[0] if found else result.report.id
    headlines = json.dumps([dataclasses.asdict(h) for h in result.headlines], ensure_ascii=False)
    con.execute(
        "INSERT INTO reports (id, source, text, date, war_day, added_at, sha256, headlines) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET date = excluded.date, "
        "war_day = excluded.war_day, headlines = excluded.headlines",
        (rid, result.report.source, text, result.report.date, result.war_day, _now(), digest, headlines))
    keep = {ev.id for ev in result.events}
    for pk, eid in con.execute("SELECT pk, id FROM events WHERE report_id = ?", (rid,)).fetchall():
        if eid not in keep:  # a re-parse that no longer finds an event drops it
            con.execute("DELETE FROM events_bbox WHERE pk = ?", (pk,))
            con.execute("DELETE FROM events WHERE pk = ?", (pk,))
    for ev in result.events:
        _upsert_event(con, ev, rid)
    _reapply_corrections(con, [ev.id for ev in result.events])
    con.execute("DELETE FROM places WHERE report_id = ?", (rid,))
    con.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (rid, p.name, p.mention, p.start, p.end, p.kind, p.country_code, p.gazetteer_id, p.lat, p.lon,
         p.confidence, json.dumps(_rfc7946(p.geometry))) for p in result.places])
    return rid


_UPSERT = (f"INSERT INTO events ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in _EVENT_COLUMNS)}) "
           f"VALUES ({_marks(_EVENT_COLUMNS)}) ON CONFLICT(id) DO UPDATE SET "
           + ", ".join(f'"{c}" = excluded."{c}"' for c in _EVENT_COLUMNS[1:]) + " RETURNING pk")


def _upsert_event(con: sqlite3.Connection, ev: Event, report_id: str, extra: dict | None = None) -> None:
    row = _event_row(ev, report_id, extra)
    (pk,) = con.execute(_UPSERT, row).fetchone()
    con.execute("DELETE FROM events_bbox WHERE pk = ?", (pk,))
    if row[-4] is not None:
        con.execute("INSERT INTO events_bbox VALUES (?, ?, ?, ?, ?)", (pk, row[-4], row[-2], row[-3], row[-1]))
    con.execute("DELETE FROM event_actors WHERE event_pk = ?", (pk,))
    con.executemany("INSERT OR IGNORE INTO event_actors VALUES (?, ?)", [(pk, a) for a in ev.actors])


def _feature(row: tuple) -> dict:
    n = len(_CONTRACT_PROPS)
    props = dict(zip(_CONTRACT_PROPS, row[:n]))
    props["actors"] = json.loads(props["actors"])
    props.update(json.loads(row[n + 1] or "{}"))
    props.setdefault("corrected", False)
    props["version"] = row[n + 2]
    geometry = json.loads(row[n]) if row[n] else None
    return {"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props}


def _cell(row: tuple) -> Cell:
    etype, lon, lat, count, lo, hi, places, quote = row
    names = tuple(sorted(set(filter(None, (places or "").split(",")))))
    return Cell(etype, lon, lat, count, lo, hi, names, quote or "")


# -- opening a store by URL ---------------------------------------------------

BACKENDS: dict[str, Callable[..., Store]] = {}
"""URL scheme -> a function ``(url, **options)`` that opens a store of that kind."""


def _open_sqlite(url: str, **options: Any) -> Store:
    # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them
    if url.startswith("sqlite:///"):
        return SQLiteStore(Path(url[len("sqlite:///"):]), **options)
    if url.startswith("sqlite:"):
        raise StoreError(f"{url}: write sqlite:///relative/path or sqlite:////absolute/path")
    return SQLiteStore(Path(url), **options)


BACKENDS["sqlite"] = _open_sqlite
BACKENDS[""] = _open_sqlite  # a bare file path

_PLUGINS = {"postgresql": "geo.store.postgis", "postgres": "geo.store.postgis"}
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


def open_store(url: str | None = None, **options: Any) -> Store:
    """Open the store at ``url`` (default: :func:`default_store_url`).

    ``options`` go to the backend, e.g. ``seed=False`` for a batch ingest
    that must not add the bundled reports.

    Raises
    ------
    StoreError
        For a URL scheme no installed backend handles.
    """
    url = url or default_store_url()
    scheme = urlsplit(url).scheme.lower()
    if len(scheme) == 1:  # a Windows drive letter, not a scheme
        scheme = ""
    scheme = scheme.split("+", 1)[0]
    opener = BACKENDS.get(scheme)
    if opener is None and scheme in _PLUGINS:
        importlib.import_module(_PLUGINS[scheme])  # registers itself in BACKENDS
        opener = BACKENDS.get(scheme)
    if opener is None:
        known = ", ".join(sorted(s for s in BACKENDS if s)) or "none"
        raise StoreError(f"no store backend for {scheme!r} URLs (installed: {known})")
    return opener(url, **options)

