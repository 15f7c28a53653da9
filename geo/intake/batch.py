"""``geo ingest``: many report files into a store, parsed in parallel on Dask.

The reports are split into chunks and handed to ``dask.distributed``
workers: a local cluster of processes by default (one thread each, since the
parser holds the GIL), or an existing cluster given by its scheduler's
address.  Each worker loads the gazetteer once (a worker plugin), opens the
store once, and for each chunk reads, parses and writes its reports in
batches through :meth:`geo.store.base.Store.add_results`.  Workers write to the
store themselves, so a multi-node cluster does not funnel every event
through the client.

Each report is named, dated and bounded by :mod:`geo.intake.service`; one
already in the store (same text, so same report id) is skipped before
parsing, so a re-run adds nothing.  A bad report (unreadable, not text, failing to parse
or to store) is written to the error file with its reason and the batch goes
on.

With a remote scheduler, the workers must see the report paths (a shared
file system) and the store (PostGIS, or an SQLite file on shared storage),
and have Sitmap installed.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

from geo import io, settings
from geo.intake import service
from geo.records import Result
from geo.store import NameTaken, Store, StoreError, default_store_url, open_store


DEFAULT_BATCH = 50
"""Reports a worker parses before it writes them to the store."""

DEFAULT_ERRORS: Path = settings.STORE_DIR / "ingest-errors.jsonl"
"""Where bad reports are logged unless ``--errors`` says otherwise."""


@dataclass(frozen=True, slots=True)
class ReportJob:
    """One report file to ingest, with the source name it is stored under."""

    path: str
    source: str


@dataclass(frozen=True, slots=True)
class BadReport:
    """A report that could not be ingested, and why."""

    path: str
    stage: str  # "read", "parse" or "store"
    reason: str


@dataclass(slots=True)
class ChunkOutcome:
    """What one chunk of reports did to the store."""

    reports: int = 0
    added: int = 0
    already_stored: int = 0
    events: int = 0
    bad: list[BadReport] = field(default_factory=list)


@dataclass(slots=True)
class IngestSummary:
    """The whole run, as printed at the end."""

    reports: int
    added: int
    already_stored: int
    events: int
    bad: int
    seconds: float
    errors_path: Path | None

    @property
    def reports_per_s(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


# -- planning (client side, pure) ----------------------------------------------------


def plan_jobs(paths: Iterable[Path | str]) -> list[ReportJob]:
    """The report files under ``paths``, each with a source name unique in the batch.

    A file is stored under its name, as ``geo build`` names it; names that
    occur in more than one folder keep their path instead.

    Raises
    ------
    geo.io.BadInput
        When a path does not exist or no report is found.
    """
    files = list(dict.fromkeys(io.iter_report_paths(paths)))
    if not files:
        raise io.BadInput("no .txt or .md reports found")
    names = Counter(p.name for p in files)
    return [ReportJob(str(p), p.name if names[p.name] == 1 else str(p)) for p in files]


def chunked(jobs: Sequence[ReportJob], size: int) -> list[list[ReportJob]]:
    """``jobs`` in consecutive chunks of at most ``size``."""
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def chunk_size_for(n_jobs: int, workers: int) -> int:
    # enough chunks to keep every worker busy and the progress bar moving,
    # few enough that scheduling stays cheap
    return max(1, min(250, n_jobs // max(1, workers * 8)))


# -- the worker side -----------------------------------------------------------------


class GazetteerPlugin(WorkerPlugin):
    """Loads the gazetteer once when a worker starts, before any task needs it."""

    name = "sitmap-gazetteer"

    def setup(self, worker) -> None:
        from geo.gazetteer.loader import load_gazetteer

        load_gazetteer()


@functools.lru_cache(maxsize=4)
def worker_store(url: str) -> Store:
    """The store a worker process writes to, opened once per process."""
    return open_store(url)


def ingest_chunk(jobs: Sequence[ReportJob], store_url: str, batch_size: int = DEFAULT_BATCH) -> ChunkOutcome:
    """Read, parse and store one chunk of reports (runs on a worker).

    Parameters
    ----------
    jobs
        The reports of this chunk.
    store_url
        The store every worker writes to.
    batch_size
        Reports parsed before each write to the store.
    """
    from geo.gazetteer.loader import load_gazetteer

    gaz, store = load_gazetteer(), worker_store(store_url)
    outcome = ChunkOutcome(reports=len(jobs))
    pending: list[tuple[ReportJob, Result]] = []
    for job in jobs:
        parsed = _read_and_parse(job, store, gaz, outcome)
        if parsed is not None:
            pending.append((job, *parsed))
        if len(pending) >= batch_size:
            _write_batch(store, pending, outcome, gaz)
            pending = []
    _write_batch(store, pending, outcome, gaz)
    return outcome


def _read_and_parse(job: ReportJob, store: Store, gaz, outcome: ChunkOutcome):
    try:
        text = io.read_report_file(job.path)
    except io.BadInput as exc:
        outcome.bad.append(BadReport(job.path, "read", str(exc)))
        return None
    try:
        report = service.new_report(text, job.source, service.date_from_name(Path(job.path).name), store)
    except service.DuplicateReport:
        outcome.already_stored += 1
        return None
    try:
        return (service.parse_bounded(report, gaz),)
    except Exception as exc:  # noqa: BLE001 -- one report's parser failure must not stop the batch
        outcome.bad.append(BadReport(job.path, "parse", f"{type(exc).__name__}: {exc}"))
        return None


def _write_batch(store: Store, pending: list[tuple[ReportJob, Result]], outcome: ChunkOutcome, gaz) -> None:
    if not pending:
        return
    try:
        store.add_results([r for _, r in pending])
        stored = [r for _, r in pending]
    except Exception:  # noqa: BLE001 -- find the culprit below, one report at a time
        stored = [r for r in (_write_one(store, item, outcome, gaz) for item in pending) if r is not None]
    outcome.added += len(stored)
    outcome.events += sum(len(r.events) for r in stored)


def _write_one(store: Store, item: tuple[ReportJob, Result], outcome: ChunkOutcome, gaz) -> Result | None:
    job, result = item
    try:
        store.add_results([result])
        return result
    except NameTaken:  # another report holds the name: intake stores this one under the next free one
        try:
            r = result.report
            service.add_report(store, r.text, r.source, r.date, gazetteer=gaz)
            return result
        except service.DuplicateReport:
            outcome.already_stored += 1
            return None
        except Exception as exc:  # noqa: BLE001 -- logged, not fatal
            outcome.bad.append(BadReport(job.path, "store", f"{type(exc).__name__}: {exc}"))
            return None
    except Exception as exc:  # noqa: BLE001 -- a report the store refuses is logged, not fatal
        outcome.bad.append(BadReport(job.path, "store", f"{type(exc).__name__}: {exc}"))
        return None


# -- the client side -----------------------------------------------------------------


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator:
    """A client on ``scheduler``, or on a local cluster of ``workers`` processes.

    Raises
    ------
    geo.io.BadInput
        When the scheduler cannot be reached.
    """
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise io.BadInput(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    # loopback only, no web dashboard: a batch job, not a service
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


_VERSION_PROBE = "__import__('geo').__version__"
"""Run on each worker and the scheduler with the builtin ``eval``: sending a function of
geo's own would need geo there to unpickle it, which is what is being checked."""


def check_cluster(client, address: str, version: str | None = None) -> None:
    """Refuse, in one line, a cluster whose scheduler or workers cannot import this version of geo.

    Raises
    ------
    geo.io.BadInput
        Naming the first process that lacks geo or has another version, and what to do.
    """
    import geo

    version = version or geo.__version__
    fix = f"install this project there (pip install . from the same checkout, geo {version}); see docs/ingest.md"
    found: dict[str, object] = {}
    try:
        found["scheduler"] = client.run_on_scheduler(eval, _VERSION_PROBE)
    except Exception as exc:  # noqa: BLE001 (what the scheduler raised is the answer)
        found["scheduler"] = exc
    try:
        found.update(client.run(eval, _VERSION_PROBE, on_error="return"))
    except Exception as exc:  # noqa: BLE001
        found["the workers"] = exc
    if len(found) == 1:
        raise io.BadInput(f"the Dask cluster at {address} has no workers; start some with `dask worker {address}`")
    for where, got in found.items():
        who = {"scheduler": f"the Dask scheduler at {address}",
               "the workers": f"the Dask workers of {address}"}.get(where, f"the Dask worker {where}")
        if isinstance(got, BaseException):
            detail = str(got).splitlines()[0] if str(got) else "no detail"
            raise io.BadInput(f"{who} cannot import geo ({type(got).__name__}: {detail}); {fix}")
        if got != version:
            raise io.BadInput(f"{who} has geo {got}, this is geo {version}; {fix}")


def ingest(paths: Iterable[Path | str], store_url: str | None = None, *, workers: int | None = None,
           scheduler: str | None = None, errors_path: Path | str | None = None,
           batch_size: int = DEFAULT_BATCH, progress: bool = True) -> IngestSummary:
    """Parse the reports under ``paths`` into the store, in parallel.

    Parameters
    ----------
    paths
        Report files, or folders of them (their top level).
    store_url
        The store; :func:`geo.store.default_store_url` when omitted.
    workers
        Processes of the local cluster (default: one per core).
    scheduler
        Address of a running Dask scheduler; replaces the local cluster.
    errors_path
        JSON-lines file that bad reports are appended to.
    batch_size
        Reports a worker parses before each write.
    progress
        Show a progress bar (reports/s) on standard error.

    Raises
    ------
    geo.io.BadInput
        For missing paths, no reports, or an unreachable scheduler.
    geo.store.StoreError
        When the store cannot be opened.
    """
    jobs = plan_jobs(paths)
    store_url = store_url or default_store_url()
    open_store(store_url).close()  # a bad URL fails here, not on every worker
    errors_path = Path(errors_path) if errors_path else DEFAULT_ERRORS
    started = time.perf_counter()
    with dask_client(workers, scheduler) as client:
        if scheduler:  # a cluster started elsewhere may not have geo, or not this one
            check_cluster(client, scheduler)
        return _run(client, jobs, store_url, batch_size, errors_path, progress, started)


def _run(client, jobs: Sequence[ReportJob], store_url: str, batch_size: int, errors_path: Path,
         progress: bool, started: float) -> IngestSummary:
    from dask.distributed import as_completed

    total, bad = ChunkOutcome(), 0
    with _progress_bar(len(jobs), progress) as bar:
        client.register_plugin(GazetteerPlugin())
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        chunks = chunked(jobs, chunk_size_for(len(jobs), n_workers))
        futures = client.map(ingest_chunk, chunks, store_url=store_url, batch_size=batch_size, pure=False)
        for future in as_completed(futures):
            outcome = future.result()
            _merge(total, outcome)
            bad += _log_bad(errors_path, outcome.bad)
            bar.update(outcome.reports)
            # strings: tqdm would print 100000 as 1e+5
            bar.set_postfix(added=str(total.added), events=str(total.events), bad=str(bad), refresh=False)
    return IngestSummary(total.reports, total.added, total.already_stored, total.events, bad,
                         time.perf_counter() - started, errors_path if bad else None)


@contextmanager
def _progress_bar(total: int, enabled: bool) -> Iterator:
    from tqdm import tqdm

    with tqdm(total=total, unit="report", desc="ingest", disable=not enabled, file=sys.stderr,
              mininterval=0.5, smoothing=0.1, dynamic_ncols=True) as bar:
        yield bar


def _merge(total: ChunkOutcome, part: ChunkOutcome) -> None:
    total.reports += part.reports
    total.added += part.added
    total.already_stored += part.already_stored
    total.events += part.events


def _log_bad(path: Path, bad: list[BadReport]) -> int:
    if not bad:
        return 0
    from geo.store.corrections import utc_now

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:  # append-only log: one line per bad report
        for b in bad:
            fh.write(json.dumps({**dataclasses.asdict(b), "at": utc_now()}, ensure_ascii=False) + "\n")
    return len(bad)


def ingest_command(args: argparse.Namespace) -> int:
    """``python -m geo ingest``: run :func:`ingest` and print a one-line summary."""
    if args.workers is not None and args.workers < 1:
        raise io.BadInput("--workers must be at least 1")
    try:
        s = ingest(args.paths, args.store, workers=args.workers, scheduler=args.scheduler,
                   errors_path=args.errors, batch_size=args.batch, progress=not args.quiet)
    except StoreError as exc:
        raise io.BadInput(str(exc)) from None
    print(f"{s.reports} reports in {s.seconds:.1f} s ({s.reports_per_s:.0f} reports/s): {s.added} added, "
          f"{s.already_stored} already stored, {s.bad} bad; {s.events} events "
          f"({s.events_per_s:.0f} events/s)", file=sys.stderr)
    if s.errors_path:
        print(f"bad reports and why: {s.errors_path}", file=sys.stderr)
    return 0
