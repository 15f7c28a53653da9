"""``python -m geo ingest``: reports parsed on Dask workers into a store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo import io
from geo.intake.batch import ingest, plan_jobs
from geo.parse.pipeline import parse_report
from geo.records import Report
from geo.intake.service import report_key
from geo.store import open_store

ROOT = Path(__file__).resolve().parents[2]

REPORTS = {
    "2022-03-01_kharkiv.txt": "Russian forces shelled Kharkiv overnight, the regional governor said. "
                              "Ukrainian troops repelled an assault near Izium.",
    "2022-03-02_kherson.txt": "Russian troops captured Kherson after heavy fighting. "
                              "Civilians were evacuated from Mykolaiv.",
    "2022-03-03_mariupol.md": "Mariupol remained encircled. A missile strike hit the port of Odesa.",
    "2022-03-04_kyiv.txt": "Air raid sirens sounded in Kyiv. Talks between the delegations continued in Belarus.",
}
BAD = {"broken.txt": b"\x00\x01\x02 not a report", "empty.txt": b"   \n"}


def run_ingest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "ingest", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The reports ingested once by the CLI with two workers into a fresh SQLite store."""
    base = tmp_path_factory.mktemp("ingest")
    folder = base / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in BAD.items():
        (folder / name).write_bytes(data)
    url = f"sqlite:///{base / 'store.sqlite'}"
    errors = base / "errors.jsonl"
    first = run_ingest(str(folder), "--store", url, "--workers", "2", "--errors", str(errors))
    return {"folder": folder, "url": url, "errors": errors, "first": first}


def test_ingest_stores_what_the_parser_finds(corpus, gazetteer):
    assert corpus["first"].returncode == 0, corpus["first"].stderr
    store = open_store(corpus["url"])
    assert sorted(r.source for r in store.list_reports()) == sorted(REPORTS)
    expected = set()
    for name, text in REPORTS.items():
        result = parse_report(Report(report_key(text), text, name, name[:10]), gazetteer)
        expected |= {ev.id for ev in result.events}
    stored = {f["properties"]["id"] for f in store.query_events()["features"]}
    assert stored == expected and len(expected) >= len(REPORTS)
    assert f"{len(REPORTS)} added" in corpus["first"].stderr
    n = len(REPORTS) + len(BAD)
    assert "ingest: 100%" in corpus["first"].stderr and f"{n}/{n}" in corpus["first"].stderr  # the bar


def test_bad_reports_are_logged_with_their_reason_and_skipped(corpus):
    lines = [json.loads(line) for line in corpus["errors"].read_text(encoding="utf-8").splitlines()]
    reasons = {Path(entry["path"]).name: entry["reason"] for entry in lines}
    assert set(reasons) == set(BAD)
    assert "binary" in reasons["broken.txt"] and "empty" in reasons["empty.txt"]
    assert f"{len(BAD)} bad" in corpus["first"].stderr


def test_running_the_same_ingest_again_adds_nothing(corpus):
    store = open_store(corpus["url"])
    before = (store.revision(), store.count_events(), len(store.list_reports()))
    again = run_ingest(str(corpus["folder"]), "--store", corpus["url"], "--workers", "2",
                       "--errors", str(corpus["errors"]), "--quiet")
    assert again.returncode == 0, again.stderr
    assert f"0 added, {len(REPORTS)} already stored" in again.stderr
    assert (store.revision(), store.count_events(), len(store.list_reports())) == before


def test_ingest_runs_on_an_existing_scheduler(tmp_path):
    from dask.distributed import LocalCluster

    (tmp_path / "one.txt").write_text(REPORTS["2022-03-01_kharkiv.txt"], encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        summary = ingest([tmp_path / "one.txt"], url, scheduler=cluster.scheduler_address, progress=False)
    assert (summary.reports, summary.added, summary.bad) == (1, 1, 0)
    assert open_store(url).count_events() == summary.events > 0


def test_a_bad_store_url_or_path_is_a_one_line_error(tmp_path):
    missing = run_ingest(str(tmp_path / "nowhere"), "--store", f"sqlite:///{tmp_path / 's.sqlite'}")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    (tmp_path / "a.txt").write_text("Kyiv was shelled.", encoding="utf-8")
    wrong = run_ingest(str(tmp_path / "a.txt"), "--store", "mysql://somewhere/db")
    assert wrong.returncode == 2 and "no store backend" in wrong.stderr
    assert "Traceback" not in missing.stderr + wrong.stderr


def test_files_with_the_same_name_in_two_folders_keep_apart(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "daily.txt").write_text(f"Report from {folder}.", encoding="utf-8")
    (tmp_path / "a" / "other.txt").write_text("Another.", encoding="utf-8")
    jobs = plan_jobs([tmp_path / "a", tmp_path / "b"])
    assert sorted(j.source for j in jobs) == sorted(
        ["other.txt", str(tmp_path / "a" / "daily.txt"), str(tmp_path / "b" / "daily.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(io.BadInput, match="no .txt or .md reports"):
        plan_jobs([tmp_path / "empty"])
