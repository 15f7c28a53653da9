"""The store's interface: what the dashboard, the CLI and intake talk to.

:class:`Store` holds finished results (it never parses) and answers
filtered queries.  Most of it is written here once, in SQL both backends
accept, over a few backend hooks (the ``_`` methods at the end of the
class): a transaction, running a statement, locking an event, upserting an
event, bumping the revision.  :mod:`geo.store.sqlite` and
:mod:`geo.store.postgis` supply the hooks, their tables and the queries
that need their own indexes (filters on actors, text and area, aggregation).
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo.records import CERTAINTIES, Event, Result
from geo.store import schema
from geo.taxonomy import TYPE_KEYS

if TYPE_CHECKING:  # shapely loads only when corrections are used
    from geo.store.corrections import Correction

STATE_TYPES = ("capture", "encirclement", "strike", "battle")
"""Event types that set a place's status (see :func:`geo.status.place_status`)."""

ANALYST_REPORT = "analyst"
"""Id (and source) of the hidden report that holds events added by hand."""


class StoreError(RuntimeError):
    """The store cannot be opened or used (bad URL, unknown backend, bad file)."""


class NameTaken(StoreError):
    """Another report is already stored under this name; nothing was written."""

    def __init__(self, name: str, holder: str | None = None):
        super().__init__(f"{name}: another report is already stored under this name")
        self.name = name
        self.holder = holder


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
    ``bbox`` is ``(min_lon, min_lat, max_lon, max_lat)`` and keeps events
    whose bounding box meets it.  The stores run this in SQL;
    :meth:`matches` runs it on one event in memory (imported layers).
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
    undated: bool = False  # keep events without a date when a date bound is set (asked for, never by default)

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                dt.date.fromisoformat(value)  # ValueError for a malformed date
        if self.bbox is not None and len(self.bbox) != 4:
            raise ValueError("bbox needs four numbers: min_lon, min_lat, max_lon, max_lat")

    def matches(self, event: dict | Event) -> bool:
        """Whether one event passes, as the stores' queries decide.

        ``event`` is a GeoJSON Feature with the contract's properties, or an
        :class:`~geo.records.Event`.
        """
        if isinstance(event, Event):
            props, geometry = event.to_dict(), event.geometry
        else:
            props, geometry = event.get("properties") or {}, event.get("geometry")
        date = props.get("date")
        text = self.text.strip().lower()
        return not (
            (props.get("false_positive") and not self.include_false)
            or (self.types is not None and props.get("event_type") not in self.types)
            or ((self.date_from or self.date_to) and not date and not self.undated)
            or (self.date_from and date and str(date) < self.date_from)
            or (self.date_to and date and str(date) > self.date_to)
            or (self.actors and not set(self.actors) & set(props.get("actors") or ()))
            or (self.certainty and props.get("certainty") not in self.certainty)
            or (self.sources and props.get("source") not in self.sources)
            or (text and text not in str(props.get("quote") or "").lower())
            or (self.bbox is not None and not _meets(geometry, self.bbox)))


def _meets(geometry: dict | None, bbox: Sequence[float]) -> bool:
    box = schema.bounds(geometry)
    if box is None:
        return False
    x0, y0, x1, y1 = map(float, bbox)
    return box[2] >= x0 and box[0] <= x1 and box[3] >= y0 and box[1] <= y1


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


def cell(row: Sequence[Any]) -> Cell:
    """A :class:`Cell` from ``type, lon, lat, count, date_min, date_max, places, quote[, geometry]``."""
    etype, lon, lat, count, lo, hi, places, quote = row[:8]
    names = tuple(sorted(set(filter(None, (places or "").split(",")))))
    geometry = json.loads(row[8]) if len(row) > 8 and row[8] else None
    return Cell(etype, lon, lat, count, lo, hi, names, quote or "", geometry)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _type_order(types: Iterable[str]) -> list[str]:
    found = set(types)
    return [k for k in (*TYPE_KEYS, *sorted(found - set(TYPE_KEYS))) if k in found]


# -- the interface ----------------------------------------------------------


class Store(abc.ABC):
    """Finished reports and their events, with filtered queries and corrections.

    SQL here is written once with ``?`` placeholders; a backend's
    :meth:`_run` adapts it.  Reads that need a backend's own index live in
    the backend.
    """

    url: str
    _collate = ""  # appended to text ORDER BY terms (PostgreSQL sorts by bytes with COLLATE "C")
    _json_param = "?"  # a JSON parameter in SQL

    # -- writes ---------------------------------------------------------------
    @abc.abstractmethod
    def add_results(self, results: Iterable[Result]) -> list[str]:
        """Store finished results, each report all or nothing; return their report ids.

        A report's id, name and date are its ``result.report``'s, as intake
        decided them; storing the same id again replaces its events and keeps
        their corrections.

        Raises
        ------
        NameTaken
            When another report already has the name (``report.source``).
        StoreError
            When the same text is stored under another id.
        """

    def remove_report(self, report_id: str) -> bool:
        """Delete a report with its places and events; ``False`` if it was not there."""
        with self._transaction() as tx:
            gone = bool(self._run(tx, "DELETE FROM reports WHERE id = ? RETURNING id", (report_id,)))
            if gone:
                self._bump(tx)
        if gone:
            self._reclaim()
        return gone

    def add_correction(self, correction: Correction, expected_version: int | None = None) -> int:
        """Record an analyst's correction and lay it over the event; return the new version.

        The same correction sent twice is recorded once.  ``expected_version``
        is the event's ``version`` as the analyst saw it; ``None`` skips the check.

        Raises
        ------
        ConflictError
            When someone corrected the event after ``expected_version``.
        EventNotFoundError
            When the event is not in the store (except for ``add``).
        """
        from geo.store.corrections import record_correction

        return record_correction(self, correction, expected_version)

    def close(self) -> None:
        """Release connections; the default has nothing to release."""

    # -- reads ------------------------------------------------------------------
    @abc.abstractmethod
    def revision(self) -> int:
        """A number that grows with every write, so callers can cache reads."""

    def report(self, report_id: str) -> ReportInfo | None:
        """One stored report, or ``None``."""
        rows = self._rows(f"{self._report_select()} WHERE r.id = ?", (report_id,))
        return ReportInfo(*rows[0]) if rows else None

    def list_reports(self) -> list[ReportInfo]:
        """Every report, oldest date first."""
        c = self._collate
        rows = self._rows(f"{self._report_select()} WHERE r.id <> ? "
                          f"ORDER BY r.date IS NULL, r.date, r.added_at, r.source{c}", (ANALYST_REPORT,))
        return [ReportInfo(*row) for row in rows]

    def _report_select(self) -> str:
        return (f"SELECT r.id, r.source, {self._date_sql('r.date')}, r.war_day, r.added_at, "
                "(SELECT count(*) FROM events e WHERE e.report_id = r.id) FROM reports r")

    def name_holder(self, name: str) -> str | None:
        """The id of the report stored under ``name``, or ``None``."""
        rows = self._rows("SELECT id FROM reports WHERE source = ?", (name,))
        return rows[0][0] if rows else None

    def report_text(self, report_id: str) -> str | None:
        """The stored text of a report."""
        rows = self._rows("SELECT text FROM reports WHERE id = ?", (report_id,))
        return rows[0][0] if rows else None

    def headlines(self, report_ids: Sequence[str]) -> list[dict]:
        """Headline items of these reports, the newest report winning per key."""
        if not report_ids:
            return []
        rows = self._rows(f"SELECT headlines FROM reports WHERE id IN ({_marks(report_ids)}) "
                          f"ORDER BY date IS NOT NULL, date, source{self._collate}", list(report_ids))
        merged: dict[str, dict] = {}
        for (items,) in rows:
            for h in schema.json_value(items):
                merged[h["key"]] = h  # a newer report's item replaces an older one
        return list(merged.values())

    def query_events(self, filters: EventFilter = EventFilter(), limit: int | None = None) -> dict:
        """The matching events as a GeoJSON FeatureCollection (contract properties)."""
        cond, args = self.where_clause(filters)
        c = self._collate
        sql = (f"SELECT {self._feature_columns()} FROM events e WHERE {cond} "
               f"ORDER BY e.date IS NULL, e.date, e.source{c}, e.start, e.id{c}")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return {"type": "FeatureCollection", "features": [self._feature(r) for r in self._rows(sql, args)]}

    def count_events(self, filters: EventFilter = EventFilter()) -> int:
        """How many events match."""
        cond, args = self.where_clause(filters)
        return self._rows(f"SELECT count(*) FROM events e WHERE {cond}", args)[0][0]

    def counts_by_type(self, filters: EventFilter = EventFilter()) -> dict[str, int]:
        """Matching events per type, in taxonomy order, types with none left out."""
        cond, args = self.where_clause(filters)
        found = dict(self._rows(f"SELECT e.event_type, count(*) FROM events e WHERE {cond} "
                                f"GROUP BY {self._type_group(filters)}", args))
        return {k: found[k] for k in _type_order(found)}

    @abc.abstractmethod
    def aggregate(self, filters: EventFilter, cell_deg: float) -> list[Cell]:
        """Matching events grouped per type on a grid of ``cell_deg`` degrees."""

    def facets(self) -> Facets:
        """The types, actors, certainties, sources and date range in the store."""
        types = [t for (t,) in self._rows("SELECT DISTINCT event_type FROM events")]
        certs = {c for (c,) in self._rows("SELECT DISTINCT certainty FROM events")}
        lo, hi = self._rows(f"SELECT {self._date_sql('min(date)')}, {self._date_sql('max(date)')} "
                            "FROM events")[0]
        # points, not shapes: Russia's polygon alone would span the globe
        box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events "
                         "WHERE geom_type = 'Point'")[0]
        if box[0] is None:
            box = self._rows("SELECT min(lon), min(lat), max(lon), max(lat) FROM events")[0]
        sources = self._rows(f"SELECT source FROM reports ORDER BY date IS NOT NULL, date, source{self._collate}")
        return Facets(types=tuple(_type_order(types)), actors=self._actors(),
                      certainties=tuple(c for c in CERTAINTIES if c in certs),
                      sources=tuple(s for (s,) in sources),
                      date_min=lo, date_max=hi, bbox=None if box[0] is None else tuple(box))

    def state_events(self, filters: EventFilter) -> list[Event]:
        """Matching events of the types that make a place's status (no geometry)."""
        wanted = STATE_TYPES if filters.types is None else tuple(t for t in filters.types if t in STATE_TYPES)
        cond, args = self.where_clause(dataclasses.replace(filters, types=wanted))
        rows = self._rows(f"SELECT {self._feature_columns()} FROM events e WHERE {cond} "
                          "AND e.place IS NOT NULL", args)
        return [schema.row_event(self._feature(r)["properties"]) for r in rows]

    def event(self, event_id: str) -> dict | None:
        """One event as a GeoJSON Feature, corrected, with its ``version``; ``None`` if absent.

        Events marked false are returned too (flagged ``false_positive``).
        """
        return self._feature_in(None, event_id)

    def corrections(self, event_id: str | None = None) -> list[Correction]:
        """The audit trail, oldest first: who changed what, when, before and after."""
        from geo.store.corrections import trail

        return trail(self, None, event_id)

    def status(self, filters: EventFilter = EventFilter()) -> dict:
        """The situation for the selection, shaped like ``status.json``."""
        from geo.status import place_status
        from geo.store.corrections import standing

        reports = [r for r in self.list_reports() if _report_in_scope(r, filters)]
        headlines = standing(self, self.headlines([r.id for r in reports]))
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

    def where_clause(self, f: EventFilter, alias: str = "e") -> tuple[str, list[Any]]:
        """The SQL condition and parameters that select the events ``f`` asks for."""
        parts: list[str] = [] if f.include_false else [f"NOT {alias}.false_positive"]
        args: list[Any] = []
        if f.types is not None:
            parts.append(f"{alias}.event_type IN ({_marks(f.types)})" if f.types else "1 = 0")
            args += list(f.types)
        for op, value in ((">=", f.date_from), ("<=", f.date_to)):
            if value:
                parts.append(f"({alias}.date {op} ? OR {alias}.date IS NULL)" if f.undated else f"{alias}.date {op} ?")
                args.append(value)
        for column, values in (("certainty", f.certainty), ("source", f.sources)):
            if values:
                parts.append(f"{alias}.{column} IN ({_marks(values)})")
                args += list(values)
        for value, hook in ((f.actors, self._actors_condition), (f.text.strip(), self._text_condition),
                            (f.bbox, self._bbox_condition)):
            if value:
                sql, more = hook(alias, value)
                parts.append(sql)
                args += more
        return (" AND ".join(parts) or "1 = 1"), args

    # -- writing a result, shared by the backends -----------------------------------
    def _write_result(self, tx: Any, result: Result) -> str:
        """Upsert one report with its places and events inside an open transaction."""
        r = result.report
        self._check_new_report(tx, r.id, r.source, r.text)
        headlines = json.dumps([dataclasses.asdict(h) for h in result.headlines], ensure_ascii=False)
        j = self._json_param
        self._run(tx, "INSERT INTO reports (id, source, text, date, war_day, added_at, sha256, headlines) "
                      f"VALUES (?, ?, ?, ?, ?, ?, ?, {j}) ON CONFLICT (id) DO UPDATE SET "
                      "date = excluded.date, war_day = excluded.war_day, headlines = excluded.headlines",
                  (r.id, r.source, r.text, r.date, result.war_day, _now(), _digest(r.text), headlines))
        keep = {ev.id for ev in result.events}
        stale = [(eid,) for (eid,) in self._run(tx, "SELECT id FROM events WHERE report_id = ?", (r.id,))
                 if eid not in keep]  # a re-parse that no longer finds an event drops it
        self._run_many(tx, "DELETE FROM events WHERE id = ?", stale)
        # sorted ids: concurrent writers lock rows in one order and cannot deadlock on them
        for ev in sorted(result.events, key=lambda e: e.id):
            self._upsert_event(tx, ev, r.id, {})
        from geo.store.corrections import reapply_corrections

        reapply_corrections(self, tx, sorted(keep))
        self._write_places(tx, r.id, result.places)
        return r.id

    def _check_new_report(self, tx: Any, report_id: str, name: str, text: str) -> None:
        """Refuse a name another report holds, and this text under a second id."""
        holder = self._run(tx, "SELECT id FROM reports WHERE source = ? AND id <> ?", (name, report_id))
        if holder:
            raise NameTaken(name, holder[0][0])
        twin = self._run(tx, "SELECT id, source FROM reports WHERE sha256 = ? AND id <> ?",
                         (_digest(text), report_id))
        if twin:
            raise StoreError(f"{name}: this text is already stored as {twin[0][1]} (report {twin[0][0]})")

    def _write_places(self, tx: Any, report_id: str, places: Sequence) -> None:
        """A report's places, one row per distinct place with how often it is mentioned."""
        from geo.geojson import rfc7946

        first: dict[tuple, Any] = {}
        mentions: dict[tuple, int] = {}
        for p in places:
            key = (p.name, p.gazetteer_id, p.kind)
            first.setdefault(key, p)
            mentions[key] = mentions.get(key, 0) + 1
        self._run(tx, "DELETE FROM places WHERE report_id = ?", (report_id,))
        self._run_many(
            tx, "INSERT INTO places (report_id, name, mention, start, \"end\", kind, country_code, "
                f"gazetteer_id, lat, lon, confidence, {self._places_geometry}, mentions) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {self._geometry_param}, ?)",
            [(report_id, p.name, p.mention, p.start, p.end, p.kind, p.country_code, p.gazetteer_id,
              p.lat, p.lon, p.confidence, json.dumps(rfc7946(p.geometry)) if p.geometry else None,
              mentions[key]) for key, p in first.items()])

    def _analyst_report(self, tx: Any) -> str:
        self._run(tx, "INSERT INTO reports (id, source, text, added_at, sha256) VALUES (?, ?, '', ?, ?) "
                      "ON CONFLICT (id) DO NOTHING", (ANALYST_REPORT, ANALYST_REPORT, _now(), ANALYST_REPORT))
        return ANALYST_REPORT

    def _feature_columns(self) -> str:
        cols = ", ".join(self._date_sql('e."date"') if c == "date" else f'e."{c}"'
                         for c in schema.PROPERTY_COLUMNS)
        return f"{cols}, {self._geometry_sql}, e.props, e.version"

    def _feature(self, row: Sequence[Any]) -> dict:
        n = len(schema.PROPERTY_COLUMNS)
        props = dict(zip(schema.PROPERTY_COLUMNS, row[:n]))
        for name in schema.LIST_FIELDS:
            props[name] = schema.json_value(props[name])
        geometry = json.loads(row[n]) if row[n] else None
        return schema.feature(props, geometry, schema.json_value(row[n + 1]), row[n + 2])

    def _query(self, tx: Any, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """``sql`` inside ``tx``, or as a plain read when ``tx`` is ``None``."""
        return self._rows(sql, args) if tx is None else self._run(tx, sql, args)

    def _feature_in(self, tx: Any, event_id: str) -> dict | None:
        rows = self._query(tx, f"SELECT {self._feature_columns()} FROM events e WHERE e.id = ?", (event_id,))
        return self._feature(rows[0]) if rows else None

    def marker(self, key: str) -> str | None:
        """When the store was marked ``key`` (e.g. ``"seeded"``), or ``None``."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_marker(self, key: str) -> None:
        """Mark the store ``key`` now; a second mark keeps the first time."""
        with self._transaction() as tx:
            self._run(tx, "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (key, _now()))

    # -- backend hooks -------------------------------------------------------------
    _geometry_sql = "e.geometry"  # a query's GeoJSON text of an event's geometry
    _geometry_param = "?"  # a GeoJSON text parameter going into a geometry column
    _places_geometry = "geometry"  # the places table's geometry column

    @abc.abstractmethod
    def _transaction(self) -> AbstractContextManager[Any]:
        """One write transaction, all or nothing; yields the handle :meth:`_run` takes."""

    @abc.abstractmethod
    def _run(self, tx: Any, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Run one statement in ``tx``; its rows, if it returns any."""

    @abc.abstractmethod
    def _run_many(self, tx: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters in ``tx``."""

    @abc.abstractmethod
    def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        """Run one read outside any write transaction."""

    @abc.abstractmethod
    def _bump(self, tx: Any) -> None:
        """Move the revision on (inside ``tx``)."""

    @abc.abstractmethod
    def _upsert_event(self, tx: Any, ev: Event, report_id: str, extra: dict) -> None:
        """Insert or replace one event with its extra properties (inside ``tx``)."""

    def _lock_event(self, tx: Any, event_id: str) -> None:
        """Serialise writers of one event until ``tx`` ends (a whole-store write lock needs nothing)."""

    def _reclaim(self) -> None:
        """Give the space of deleted rows back, after a removal (nothing by default)."""

    def _date_sql(self, column: str) -> str:
        """SQL that reads a date column as ISO text."""
        return column

    def _type_group(self, filters: EventFilter) -> str:
        return "e.event_type"

    @abc.abstractmethod
    def _actors(self) -> tuple[str, ...]:
        """Every actor named by an event, sorted."""

    @abc.abstractmethod
    def _actors_condition(self, alias: str, actors: Sequence[str]) -> tuple[str, list]:
        """Events naming any of ``actors``."""

    @abc.abstractmethod
    def _text_condition(self, alias: str, text: str) -> tuple[str, list]:
        """Events whose quote contains ``text``, in any case."""

    @abc.abstractmethod
    def _bbox_condition(self, alias: str, bbox: Sequence[float]) -> tuple[str, list]:
        """Events whose bounding box meets ``bbox``."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report_in_scope(r: ReportInfo, f: EventFilter) -> bool:
    if f.sources and r.source not in f.sources:
        return False
    if f.date_from and (r.date is None and not f.undated or r.date is not None and r.date < f.date_from):
        return False
    if f.date_to and (r.date is None and not f.undated or r.date is not None and r.date > f.date_to):
        return False
    return True


def chunks(values: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size`` (SQL parameter lists stay short)."""
    for start in range(0, len(values), size):
        yield list(values[start:start + size])
