"""One report into Sitmap: the only place that decides what a report is called.

Every way in (``geo build``, ``geo ingest``, ``geo import``, the dashboard's
paste and upload) goes through here.  This module decides

- the **report id**: the first 16 hex digits of the SHA-256 of the report's
  decoded text (:func:`report_key`).  The same text is the same report
  wherever it comes from, so "report id" means this one thing everywhere;
- the **name**: the file's name (or the analyst's title), made unique in
  the store with `` (2)``, `` (3)``... since event ids hash it;
- the **date**: the one given, else a ``YYYY-MM-DD`` in the name, else what
  the parser reads in the text.

It refuses archives and a text the store already holds
(:class:`DuplicateReport`), bounds what one report may cost
(:func:`bounded`: repeated events collapse into one with a count, at most
:data:`MAX_EVENTS_PER_REPORT` distinct events), seeds a new store, and
passes the online geocoder's warnings on.  Each call returns one
:class:`Intake` record.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import io, settings
from geo.records import Event, Report, Result
from geo.store import EventFilter, NameTaken, Store, open_store
from geo.store.base import ANALYST_REPORT

MAX_EVENTS_PER_REPORT = 5_000
"""Distinct events one report may add; the rest are dropped with a warning.

With the size limit on a report's text (``settings.MAX_REPORT_BYTES``) this
bounds what one report costs the store, however it repeats itself."""

NAME_ATTEMPTS = 3
"""How often a report is parsed under a new name after another writer took the one chosen."""

ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst", ".kmz")
# leading bytes of archive and compressed formats, whatever the file is called
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00",
                  b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd")
_ARCHIVE_REFUSAL = "archives are not accepted; unpack it and add the files inside"


@dataclass(frozen=True, slots=True)
class Intake:
    """What became of one report (or imported layer)."""

    id: str  # the report id (see the module's docstring); an imported layer's name
    name: str  # as stored, after any renaming
    date: str | None
    counts: dict[str, int]  # events per type
    warnings: tuple[str, ...] = ()  # the report was still stored
    added: bool = True

    @property
    def events(self) -> int:
        return sum(self.counts.values())


class DuplicateReport(io.BadInput):
    """The store already holds this text; ``existing`` says under which id and name."""

    def __init__(self, existing: Intake):
        super().__init__(f"{existing.name}: already in the store, nothing added")
        self.existing = existing


def report_key(text: str) -> str:
    """A report's id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def date_from_name(name: str) -> str | None:
    """A report's date when its file name carries one (``2022-03-02_kharkiv.md``); only the
    dashed form, since report names are free text where eight digits may mean anything."""
    return io.date_in_name(name, compact=False)


def check_not_archive(name: str, data: bytes = b"") -> None:
    """Refuse an archive by its name or its first bytes (no zip bomb is ever opened)."""
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        raise io.BadInput(f"{name}: {_ARCHIVE_REFUSAL}")
    if data.startswith(_ARCHIVE_MAGIC) or data[257:262] == b"ustar":
        raise io.BadInput(f"{name}: an archive, not a text report; {_ARCHIVE_REFUSAL}")


def decode_upload(name: str, data: bytes, limit: int | None = None) -> str:
    """An uploaded report's text: archives, other suffixes and bad bytes refused."""
    check_not_archive(name, data)
    if not name.lower().endswith(io.REPORT_SUFFIXES):
        raise io.BadInput(f"{name}: only {' and '.join(io.REPORT_SUFFIXES)} reports are accepted")
    return io.decode_report(data, name, limit)


# -- naming ------------------------------------------------------------------------------


def new_report(text: str, name: str, date: str | None = None, store: Store | None = None) -> Report:
    """The report to parse: its id, its name (free in ``store``) and its date.

    Raises
    ------
    DuplicateReport
        When ``store`` already holds this text.
    """
    rid = report_key(text)
    name = name.strip() or f"pasted-{rid[:8]}"
    if not name.lower().endswith(io.REPORT_SUFFIXES):
        name += ".txt"
    if store is not None:
        known = store.report(rid)
        if known is not None:
            raise DuplicateReport(Intake(rid, known.source, known.date, _stored_counts(store, known.source),
                                         added=False))
        name = free_name(store, name, rid)
    return Report(rid, text, name, date or date_from_name(name))


def free_name(store: Store, name: str, report_id: str) -> str:
    """``name``, or ``name (2)``... when another report already has it."""
    def taken(candidate: str) -> bool:
        return candidate == ANALYST_REPORT or store.name_holder(candidate) not in (None, report_id)

    if not taken(name):
        return name
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    n = 2
    while taken(candidate := f"{stem} ({n}){dot}{ext}"):
        n += 1
    return candidate


def _stored_counts(store: Store, name: str) -> dict[str, int]:
    return store.counts_by_type(EventFilter(sources=(name,), include_false=True))


# -- bounded cost --------------------------------------------------------------------------


def collapse_repeats(events: Sequence[Event]) -> tuple[Event, ...]:
    """Events alike in type, place, date, actors and quote, as one with ``occurrences`` summed.

    The first of them stays (its id, offsets and evidence), in the order given.
    """
    first: dict[tuple, int] = {}
    kept: list[Event] = []
    counts: list[int] = []
    for ev in events:
        key = (ev.event_type, ev.place, ev.date, ev.actors, ev.quote)
        at = first.get(key)
        if at is None:
            first[key] = len(kept)
            kept.append(ev)
            counts.append(ev.occurrences)
        else:
            counts[at] += ev.occurrences
    return tuple(ev if n == ev.occurrences else dataclasses.replace(ev, occurrences=n)
                 for ev, n in zip(kept, counts))


def bounded(result: Result, limit: int = MAX_EVENTS_PER_REPORT) -> Result:
    """``result`` with repeated events collapsed and at most ``limit`` distinct events kept."""
    events = collapse_repeats(result.events)
    warnings = result.warnings
    if len(events) > limit:
        warnings += (f"{len(events):,} distinct events found; only the first {limit:,} were kept",)
        events = events[:limit]
    if len(events) == len(result.events) and warnings == result.warnings:
        return result
    return dataclasses.replace(result, events=events, warnings=warnings)


def intake_record(result: Result, added: bool = True) -> Intake:
    counts: dict[str, int] = {}
    for ev in result.events:
        counts[ev.event_type] = counts.get(ev.event_type, 0) + 1
    r = result.report
    return Intake(r.id, r.source, r.date, counts, tuple(result.warnings), added)


# -- into the store --------------------------------------------------------------------------


def parse_bounded(report: Report, gazetteer=None, geocoder=None, fighting_on=None) -> Result:
    """Parse one named report and bound what it may cost."""
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse.pipeline import parse_report

    return bounded(parse_report(report, gazetteer or load_gazetteer(), geocoder, fighting_on))


def add_report(store: Store, text: str, name: str, date: str | None = None, *, gazetteer=None,
               geocoder=None, fighting_on=None, parse: Callable[..., Result] = parse_bounded) -> Intake:
    """Parse decoded report text and store it under a free name.

    Parameters
    ----------
    store
        Where it goes.
    text
        The report, already decoded (see :func:`geo.io.decode_report`).
    name
        Its name as shown to the analyst; made unique in the store.
    date
        Its ISO date, when known (else from the name, else from the text).
    gazetteer, geocoder
        Injected into the parser; the online ``geocoder`` is optional, and a
        failing one costs no report, only a warning.
    fighting_on
        Optional: the occupied area on a day (``ControlStore.occupied_on``), for
        the parser to prefer namesake villages near it. The caller reads it; the
        intake and the parser never open the control layers themselves.

    Raises
    ------
    DuplicateReport
        When the store already holds this text.

    The name is chosen before the parse (event ids hash it) and the write
    comes after, so another writer may take it in between; the store then
    raises :class:`~geo.store.base.NameTaken` and the report is parsed again
    under the next free name rather than lost.
    """
    report = new_report(text, name, date, store)
    for attempt in range(NAME_ATTEMPTS):
        # a ``parse`` of three arguments (report, gazetteer, geocoder) still serves without a map
        result = parse(report, gazetteer, geocoder, *(() if fighting_on is None else (fighting_on,)))
        if result.warnings:
            geocoder = None  # a failing service is not asked again for the same report
        try:
            store.add_results([result])
            return intake_record(result)
        except NameTaken:
            if attempt + 1 == NAME_ATTEMPTS:
                raise
            report = dataclasses.replace(report, source=free_name(store, report.source, report.id))
    raise AssertionError("unreachable")


def add_upload(store: Store, name: str, data: bytes, limit: int | None = None, **parse_options) -> Intake:
    """Decode one uploaded file and store it; a bad one changes nothing."""
    return add_report(store, decode_upload(name, data, limit), name, **parse_options)


def report_for_file(path: Path | str) -> Report:
    """A report file as a report, named by its file name (``geo build`` needs no store)."""
    path = Path(path)
    return new_report(io.read_report_file(path), path.name)


def seed_store(store: Store, seeds_dir: Path | None = None, gazetteer=None) -> int:
    """Add the bundled reports to a store once in its life; return how many were added.

    The store remembers that it was seeded, so a seed the analyst removed
    does not come back.  Two sessions seeding one new store at once give
    the same reports the same ids, so nothing is stored twice.
    """
    if store.marker("seeded") is not None:
        return 0
    folder = Path(seeds_dir or settings.SEEDS_DIR)
    added = 0
    for path in (io.iter_report_paths([folder]) if folder.is_dir() else ()):
        try:
            add_report(store, io.read_report_file(path), path.name, gazetteer=gazetteer)
            added += 1
        except DuplicateReport:
            pass
    store.set_marker("seeded")
    return added


def open_seeded(url: str | None = None, gazetteer=None, seeds_dir: Path | None = None) -> Store:
    """Open the store at ``url`` and, the first time, add the bundled reports to it."""
    store = open_store(url)
    seed_store(store, seeds_dir, gazetteer)
    return store


# -- imported layers -----------------------------------------------------------------------


def import_layer(path: Path | str, out_dir: Path | str, name: str | None = None,
                 shown_name: str | None = None) -> Intake:
    """Check an events file (ACLED CSV, GeoJSON, GeoPackage, KML) and add it as a layer.

    ``shown_name`` is the analyst's own file name (an upload arrives under a
    temporary one); it names the layer and is kept as its provenance.  A name
    already in use is never replaced: the layer takes the next free one
    (``x_2``), and the one warning says so.

    Raises
    ------
    geo.io.BadInput
        For an archive or a file the exchange refuses.
    """
    from geo.exchange.imported import import_layer as store_layer

    shown = shown_name or Path(path).name
    with open(path, "rb") as fh:
        check_not_archive(shown, fh.read(512))
    done = store_layer(path, out_dir, name, origin=shown)
    return Intake(done.layer, done.layer, None, {"events": done.count}, (done.message(shown),))


def reports_in(paths: Iterable[Path | str]) -> list[Report]:
    """Every report file under ``paths`` as a named, dated report; ``BadInput`` for none."""
    reports = [report_for_file(p) for p in io.iter_report_paths(paths)]
    if not reports:
        raise io.BadInput("no .txt or .md reports found")
    return reports
