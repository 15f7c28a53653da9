"""Analyst corrections, kept apart from what the parser wrote.

A :class:`Correction` is an audit record: who changed which event, when,
what it was before and what it is after.  Corrections never touch the parsed
files; :func:`apply_corrections` lays them over an events FeatureCollection
each time one is shown or exported, so re-parsing the reports (which gives
the same stable event ids) never loses them.

Actions
-------
``retype``
    ``after`` holds ``event_type`` (and optionally ``subtype``).
``move``
    ``after`` holds ``geometry`` and/or ``lat``/``lon``, optionally ``place``,
    ``place_kind`` and ``precision`` (``"place"`` unless given: the analyst pinned it).
``mark_false``
    The event did not happen; ``after`` is ``{"false_positive": true}`` (or
    ``false`` to take the mark back).
``edit``
    ``after`` holds any of ``date``, ``actors``, ``certainty``,
    ``attributed_to``, ``denied_by`` and ``outcome`` (``"failed"`` or ``None``).
``add``
    A new event typed in by hand; ``after`` holds its properties, with at
    least ``event_type`` and a location.  Its id comes from the correction,
    so it is the same after every restart.

Corrections are applied oldest first, so the latest one wins for each field
it sets and earlier corrections to other fields stay in force.
:class:`CorrectionLog` keeps them in a JSON-lines file.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import fcntl
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from geo import io, settings
from geo.geojson import rfc7946
from geo.records import CERTAINTIES, OUTCOMES, PLACE_KINDS, PRECISIONS
from geo.taxonomy import TYPE_KEYS

ACTIONS = ("retype", "move", "mark_false", "add", "edit")
_MOVE_FIELDS = frozenset({"place", "place_kind", "geometry", "lat", "lon", "precision"})
_ALLOWED: dict[str, frozenset[str]] = {
    "retype": frozenset({"event_type", "subtype"}),
    "move": _MOVE_FIELDS,
    "mark_false": frozenset({"false_positive"}),
    "edit": frozenset({"date", "actors", "certainty", "attributed_to", "denied_by", "outcome"}),
    "add": _MOVE_FIELDS | {"event_type", "subtype", "actors", "date", "certainty",
                           "attributed_to", "quote", "source"},
}
ADDED_SOURCE = "analyst"
"""The ``source`` of an event added by hand, unless the analyst names one."""

DEFAULT_LOG: Path = settings.STORE_DIR / "corrections.jsonl"
"""Where the dashboard keeps corrections unless told otherwise."""


class CorrectionError(ValueError):
    """A correction that cannot be recorded or read; the message says which and why."""


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_utc(stamp: str) -> dt.datetime:
    """An aware UTC datetime from an ISO timestamp that carries a zero offset.

    Raises
    ------
    CorrectionError
        When the text is not ISO 8601 or is not in UTC.
    """
    try:
        when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        raise CorrectionError(f"bad timestamp {stamp!r}: use ISO 8601 in UTC") from None
    if when.utcoffset() != dt.timedelta(0):
        raise CorrectionError(f"timestamp {stamp!r} is not in UTC")
    return when


@dataclass(frozen=True)
class Correction:
    """One analyst's change to one event, with the values before and after."""

    id: str
    event_id: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    analyst: str
    at: str
    note: str = ""

    def __post_init__(self) -> None:
        _validate(self)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        """Rebuild a correction from :meth:`to_dict` output.

        Raises
        ------
        CorrectionError
            When a field is missing or the record is not valid.
        """
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [n for n in names if n not in data and n != "note"]
        if missing:
            raise CorrectionError(f"correction lacks {', '.join(missing)}")
        return cls(**{n: data[n] for n in names if n in data})


def _validate(c: Correction) -> None:
    who = f"correction {c.id or '?'}"
    if c.action not in ACTIONS:
        raise CorrectionError(f"{who}: unknown action {c.action!r} (use one of {', '.join(ACTIONS)})")
    if not c.id or not c.event_id:
        raise CorrectionError(f"{who}: id and event_id are required")
    if not str(c.analyst).strip():
        raise CorrectionError(f"{who}: the analyst's name is required")
    parse_utc(c.at)
    if not isinstance(c.before, dict) or not isinstance(c.after, dict):
        raise CorrectionError(f"{who}: before and after must be objects")
    extra = set(c.after) - _ALLOWED[c.action]
    if extra:
        raise CorrectionError(f"{who}: {c.action} cannot set {', '.join(sorted(extra))}")
    _validate_values(who, c.action, c.after)


def _validate_values(who: str, action: str, after: dict[str, Any]) -> None:
    if action in ("retype", "add") and after.get("event_type") not in TYPE_KEYS:
        raise CorrectionError(f"{who}: event type {after.get('event_type')!r} is not in the vocabulary")
    if action in ("move", "add") and after.get("geometry") is None and (
            after.get("lat") is None or after.get("lon") is None):
        raise CorrectionError(f"{who}: {action} needs a geometry or lat and lon")
    if "geometry" in after and after["geometry"] is not None:
        check_geometry(after["geometry"], who)
    if after.get("lat") is not None or after.get("lon") is not None:
        check_lat_lon(after.get("lat"), after.get("lon"), who)
    if after.get("certainty") is not None and after["certainty"] not in CERTAINTIES:
        raise CorrectionError(f"{who}: certainty {after['certainty']!r} is not one of {CERTAINTIES}")
    if after.get("outcome") is not None and after["outcome"] not in OUTCOMES:
        raise CorrectionError(f"{who}: outcome {after['outcome']!r} is not one of {OUTCOMES} or null")
    if "actors" in after and not (isinstance(after["actors"], list) and all(isinstance(a, str) for a in after["actors"])):
        raise CorrectionError(f"{who}: actors must be a list of names")
    if after.get("precision") is not None and after["precision"] not in PRECISIONS:
        raise CorrectionError(f"{who}: precision {after['precision']!r} is not one of {PRECISIONS}")
    if after.get("place_kind") is not None and after["place_kind"] not in PLACE_KINDS:
        raise CorrectionError(f"{who}: place kind {after['place_kind']!r} is not one of {PLACE_KINDS}")
    if after.get("date") is not None:
        try:
            dt.date.fromisoformat(after["date"])
        except (TypeError, ValueError):
            raise CorrectionError(f"{who}: bad date {after['date']!r}: use YYYY-MM-DD") from None


def check_lat_lon(lat: Any, lon: Any, who: str) -> tuple[float, float]:
    """Latitude and longitude as floats within WGS84 bounds, or ``CorrectionError``."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise CorrectionError(f"{who}: lat/lon {lat!r}, {lon!r} are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CorrectionError(f"{who}: lat/lon {lat}, {lon} are outside WGS84 bounds")
    return lat, lon


def check_geometry(geometry: dict[str, Any], who: str) -> shapely.Geometry:
    """A valid shapely geometry from GeoJSON within lon/lat bounds, or ``CorrectionError``."""
    try:
        geom = shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise CorrectionError(f"{who}: not a GeoJSON geometry ({exc})") from None
    if geom.is_empty:
        raise CorrectionError(f"{who}: empty geometry")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise CorrectionError(f"{who}: coordinates outside WGS84 lon/lat bounds")
    if not geom.is_valid:
        raise CorrectionError(f"{who}: invalid geometry ({shapely.is_valid_reason(geom)})")
    return geom


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def new_correction(action: str, after: dict[str, Any], analyst: str, *,
                   feature: dict[str, Any] | None = None, event_id: str | None = None,
                   note: str = "", at: str | None = None) -> Correction:
    """Record a correction, filling ``before`` from the feature it corrects.

    Parameters
    ----------
    action
        One of :data:`ACTIONS`.
    after
        The new values.
    analyst
        Who made it.
    feature
        The event feature as shown to the analyst; gives ``event_id`` and ``before``.
    event_id
        The event's id when no feature is given; ignored for ``add``.
    note
        Why, in the analyst's words.
    at
        UTC timestamp; now when omitted.
    """
    at = at or utc_now()
    if action == "mark_false" and not after:
        after = {"false_positive": True}
    if feature is not None:
        event_id = feature["properties"]["id"]
    before = _before(feature, after) if feature is not None else {}
    cid = _digest(action, event_id, after, analyst, at, note)
    if action == "add":
        event_id = f"added-{cid}"
    return Correction(cid, event_id or "", action, before, dict(after), analyst, at, note)


def _before(feature: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    props = feature.get("properties") or {}
    out = {k: props.get(k) for k in after if k != "geometry"}
    if "geometry" in after or "lat" in after:
        out["geometry"] = feature.get("geometry")
    return out


def _with_location(after: dict[str, Any]) -> dict[str, Any]:
    # keep geometry and the representative lat/lon in step; a place an analyst chose is
    # the place itself, however vaguely the report put it (geo.records.PRECISIONS)
    out = {"precision": "place", **after}
    if out.get("geometry") is None and out.get("lat") is not None:
        out["geometry"] = {"type": "Point", "coordinates": [float(out["lon"]), float(out["lat"])]}
    elif out.get("geometry") is not None and out.get("lat") is None:
        p = shape(out["geometry"]).representative_point()
        out["lat"], out["lon"] = p.y, p.x
    return out


def _new_feature(c: Correction) -> dict[str, Any]:
    props = {"id": c.event_id, "event_type": c.after["event_type"], "subtype": None,
             "place": None, "actors": [], "date": None, "certainty": "reported",
             "attributed_to": None, "quote": c.note, "start": 0, "end": 0, "trigger": "",
             "denied_by": None, "source": ADDED_SOURCE, "place_kind": "other", "lat": None,
             "lon": None, "added_by": c.analyst}
    return {"type": "Feature", "geometry": None, "properties": props}


def _apply_one(feature: dict[str, Any], c: Correction) -> None:
    after = _with_location(c.after) if c.action in ("move", "add") else c.after
    props = feature["properties"]
    for key, value in after.items():
        if key == "geometry":
            feature["geometry"] = rfc7946(copy.deepcopy(value))
        else:
            props[key] = list(value) if key == "actors" else value
    fields = set(props.get("corrected_fields") or ()) | set(after)
    props.update(corrected=True, corrected_fields=sorted(fields),
                 corrected_by=c.analyst, corrected_at=c.at)


def ordered(corrections: Iterable[Correction]) -> list[Correction]:
    """Corrections oldest first; ties keep the order they were recorded in."""
    return sorted(corrections, key=lambda c: parse_utc(c.at))


def apply_corrections(events_fc: dict[str, Any], corrections: Iterable[Correction], *,
                      keep_false: bool = False) -> dict[str, Any]:
    """The events as corrected; the input collection is left as it was.

    Parameters
    ----------
    events_fc
        An events FeatureCollection, as ``geo build`` writes it.
    corrections
        Any order; they are applied oldest first, so the latest wins per field.
    keep_false
        Keep events marked false, flagged ``false_positive: true``, instead of
        dropping them.

    Returns
    -------
    dict
        A new FeatureCollection.  Every feature has ``corrected`` (bool);
        corrected ones also have ``corrected_fields``, ``corrected_by`` and
        ``corrected_at``.  Corrections to events that are not there (see
        :func:`orphaned`) are skipped.
    """
    feats: dict[str, dict[str, Any]] = {}
    for f in events_fc["features"]:
        g = copy.deepcopy(f)
        g["properties"].setdefault("corrected", False)
        feats[g["properties"]["id"]] = g
    for c in ordered(corrections):
        if c.action == "add" and c.event_id not in feats:
            feats[c.event_id] = _new_feature(c)
        target = feats.get(c.event_id)
        if target is not None:
            _apply_one(target, c)
    keep = [f for f in feats.values() if keep_false or not f["properties"].get("false_positive")]
    return {"type": "FeatureCollection", "features": keep}


def orphaned(events_fc: dict[str, Any], corrections: Iterable[Correction]) -> list[Correction]:
    """Corrections whose event is no longer in the collection (e.g. the parser changed)."""
    corrections = list(corrections)
    ids = {f["properties"]["id"] for f in events_fc["features"]}
    ids |= {c.event_id for c in corrections if c.action == "add"}
    return [c for c in corrections if c.event_id not in ids]


class CorrectionLog:
    """Corrections kept as JSON lines in one file, safe across restarts.

    Each append rewrites the file atomically (temporary file, fsync, rename)
    under an exclusive lock, so a crash leaves every earlier record intact
    and two writers never drop each other's lines.

    Parameters
    ----------
    path
        The ``.jsonl`` file; created on the first append.
    """

    def __init__(self, path: Path | str = DEFAULT_LOG):
        self.path = Path(path)

    def read(self) -> list[Correction]:
        """Every recorded correction, in the order recorded.

        Raises
        ------
        CorrectionError
            Naming the line, when a line is not a valid correction.
        """
        if not self.path.exists():
            return []
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CorrectionError(f"{self.path}: not UTF-8 (byte {exc.start})") from None
        return [self._parse_line(n, line) for n, line in enumerate(text.splitlines(), 1)
                if line.strip()]

    def _parse_line(self, n: int, line: str) -> Correction:
        try:
            return Correction.from_dict(io.without_lone_surrogates(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise CorrectionError(f"{self.path}:{n}: not JSON ({exc.msg})") from None
        except CorrectionError as exc:
            raise CorrectionError(f"{self.path}:{n}: {exc}") from None

    def __iter__(self) -> Iterator[Correction]:
        return iter(self.read())

    def __len__(self) -> int:
        return len(self.read())

    def append(self, *corrections: Correction) -> int:
        """Record corrections not already in the log; return how many were new."""
        with self._locked():
            seen = {c.id for c in self.read()}
            new = []
            for c in corrections:
                if c.id not in seen:
                    seen.add(c.id)
                    new.append(c)
            if not new:
                return 0
            lines = [json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True) for c in new]
            old = self.path.read_bytes() if self.path.exists() else b""
            if old and not old.endswith(b"\n"):
                old += b"\n"
            io.atomic_write_bytes(self.path, old + ("\n".join(lines) + "\n").encode("utf-8"))
        return len(new)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_name(f".{self.path.name}.lock")
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


# -- corrections in a store, written once for both backends --------------------------
#
# The functions below run inside a store's transaction through its hooks
# (geo.store.base.Store: _transaction, _run, _lock_event, _upsert_event, _bump),
# so SQLite and PostGIS record, check and re-apply corrections the same way.

_STORED = "id, event_id, action, before, after, analyst, at, note"


def check_version(event_id: str, current: int, expected: int | None,
                  last: Correction | None) -> None:
    """Raise :class:`~geo.store.base.ConflictError` unless ``expected`` is ``None`` or still current."""
    from geo.store.base import ConflictError

    if expected is None or expected == current:
        return
    who = f" by {last.analyst} at {last.at} ({last.action})" if last is not None else ""
    raise ConflictError(
        f"event {event_id} was corrected{who} after you opened it: you saw version {expected}, "
        f"it is now at version {current}; reload the event and make your change again")


def corrected_feature(feature: dict | None, correction: Correction) -> dict:
    """``feature`` with ``correction`` laid over it (a new feature for ``add``)."""
    fc = {"type": "FeatureCollection", "features": [feature] if feature else []}
    return apply_corrections(fc, [correction], keep_false=True)["features"][0]


def _from_row(row: tuple) -> Correction:
    from geo.store.schema import json_value

    return Correction(row[0], row[1], row[2], json_value(row[3]), json_value(row[4]), row[5], row[6], row[7])


def trail(store, tx, event_id: str | None) -> list[Correction]:
    """The stored corrections of one event (or all), oldest first."""
    where, args = ("WHERE event_id = ? ORDER BY version", (event_id,)) if event_id else ("ORDER BY seq", ())
    return [_from_row(r) for r in store._query(tx, f"SELECT {_STORED} FROM corrections {where}", args)]


def record_correction(store, correction: Correction, expected_version: int | None) -> int:
    """Check, record and apply one correction in one transaction; return the event's new version."""
    from geo.store.base import EventNotFoundError

    c = correction
    with store._transaction() as tx:
        # one writer per event at a time: the second waits, then sees the first's version
        store._lock_event(tx, c.event_id)
        known = store._run(tx, "SELECT version FROM corrections WHERE id = ?", (c.id,))
        if known:  # the same correction sent twice
            return known[0][0]
        history = trail(store, tx, c.event_id)
        current = len(history)
        check_version(c.event_id, current, expected_version, history[-1] if history else None)
        feature = store._feature_in(tx, c.event_id)
        if feature is None and c.action != "add":
            raise EventNotFoundError(f"no event {c.event_id} in the store")
        j = store._json_param
        store._run(tx, "INSERT INTO corrections (id, event_id, version, action, before, after, analyst, at, "
                       f"note) VALUES (?, ?, ?, ?, {j}, {j}, ?, ?, ?)",
                   (c.id, c.event_id, current + 1, c.action, json.dumps(c.before, ensure_ascii=False),
                    json.dumps(c.after, ensure_ascii=False), c.analyst, c.at, c.note))
        _apply_stored(store, tx, feature, c, current + 1)
        store._bump(tx)
    return current + 1


def _apply_stored(store, tx, feature: dict | None, c: Correction, version: int) -> None:
    """Write the event as corrected by ``c`` (inside the caller's transaction)."""
    from geo.store.schema import feature_event

    report_id = feature["properties"]["report_id"] if feature else store._analyst_report(tx)
    ev, extra = feature_event(corrected_feature(feature, c))
    store._upsert_event(tx, ev, report_id, extra)
    store._run(tx, "UPDATE events SET version = ?, false_positive = ? WHERE id = ?",
               (version, bool(extra.get("false_positive")), ev.id))


def reapply_corrections(store, tx, event_ids: list[str]) -> None:
    """Lay the stored corrections over freshly written events, so a re-parse keeps them."""
    from geo.store.base import chunks

    for chunk in chunks(event_ids):
        marks = ",".join("?" * len(chunk))
        rows = store._run(tx, f"SELECT {_STORED}, version FROM corrections WHERE event_id IN ({marks}) "
                              "ORDER BY event_id, version", chunk)
        for row in rows:
            c = _from_row(row)
            _apply_stored(store, tx, store._feature_in(tx, c.event_id), c, row[8])


def standing(store, headlines: list[dict]) -> list[dict]:
    """The headlines an analyst has not corrected away.

    "Berdiansk captured" rests on a capture event: the events of its report
    quoting its sentence.  When one of them did support it as the parser wrote
    it and none does now (marked false, retyped or moved away), the headline
    goes too.  Without corrections this costs one query.
    """
    from geo.status import headline_basis
    from geo.store.base import EventFilter

    trails: dict[str, list[Correction]] = {}
    for c in store.corrections():
        if c.action != "add":
            trails.setdefault(c.event_id, []).append(c)
    if not trails:
        return headlines

    def supports(props: dict, h: dict, etype: str, place: str | None) -> bool:
        return (not props.get("false_positive") and props.get("event_type") == etype
                and not (h["key"].startswith("captured:") and props.get("denied_by"))  # a denied capture
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
            quoting = [f["properties"] for f in store.query_events(EventFilter(
                sources=(h["source"],), text=h["quote"], include_false=True))["features"]]
            if not any(supports(p, h, *basis) for p in quoting) \
                    and any(supports(as_parsed(p), h, *basis) for p in quoting):
                continue
        out.append(h)
    return out
