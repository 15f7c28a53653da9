"""No lost data: ingesting processes killed with SIGKILL, and two writers at once.

A killed process leaves every report it had saved intact and no report half
written; a rerun stores the rest.  ``geo build`` killed mid-write leaves each
layer file either as it was or as it should become, never torn.  Two
processes adding reports to one store at the same time lose neither's.

Every subprocess runs in a session of its own and is killed by its process
group, so nothing it started outlives it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.parse.pipeline import parse_text
from geo.intake.service import bounded, report_key
from geo.store import open_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_e0b432954ff16db6.txt"
TOWNS = ("Kharkiv", "Kherson", "Mariupol", "Sumy", "Chernihiv", "Mykolaiv", "Odesa", "Lviv",
         "Poltava", "Zhytomyr", "Vinnytsia", "Dnipro", "Irpin", "Bucha", "Izium", "Melitopol")

# adds the reports of a folder to a store in a seeded random order, then says "done"
DRIVER = """
import random, sys
from pathlib import Path
from geo.gazetteer.loader import load_gazetteer
from geo.intake.service import DuplicateReport, add_report
from geo.store import open_store
store_path, folder, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
gaz = load_gazetteer()
store = open_store(store_path)
paths = sorted(folder.glob("*.txt"))
random.Random(seed).shuffle(paths)
print("ready", flush=True)
for p in paths:
    try:
        add_report(store, p.read_text(encoding="utf-8"), p.name, gazetteer=gaz)
    except DuplicateReport:
        pass  # stored by an earlier run
print("done", flush=True)
"""


def write_reports(folder: Path, n: int, tag: str, rnd: random.Random) -> dict[str, str]:
    """``n`` distinct reports built from the seed's sentences; id -> text."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = [s for s in SEED.read_text(encoding="utf-8").split(". ") if s.strip()]
    out = {}
    for i in range(n):
        body = ". ".join(rnd.sample(sentences, k=min(len(sentences), 8)))
        town = rnd.choice(TOWNS)
        text = f"{body}.\n\nReport {tag}-{i}: explosions were heard in {town} overnight, officials said.\n"
        (folder / f"{tag}-{i:03d}.txt").write_text(text, encoding="utf-8")
        out[report_key(text)] = text
    return out


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def driver(store: Path, folder: Path, seed: int) -> subprocess.Popen:
    return start([sys.executable, "-c", DRIVER, str(store), str(folder), str(seed)])


def saved(store_path: Path) -> dict[str, tuple[str, int]]:
    """What a fresh reader finds: report id -> (text, number of events)."""
    con = sqlite3.connect(store_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    store = open_store(str(store_path))
    try:
        return {r.id: (store.report_text(r.id), r.events) for r in store.list_reports()}
    finally:
        store.close()


class Expected:
    """How many events each report must have when stored whole (parsed on demand)."""

    def __init__(self, texts: dict[str, str], gazetteer):
        self.texts, self.gazetteer, self._events = texts, gazetteer, {}

    def events(self, rid: str) -> int:
        if rid not in self._events:
            self._events[rid] = len(bounded(parse_text(self.texts[rid], gazetteer=self.gazetteer)).events)
        return self._events[rid]

    def assert_whole(self, state: dict[str, tuple[str, int]]) -> None:
        for rid, (text, events) in state.items():
            assert text == self.texts[rid], f"report {rid}: text changed"
            assert events == self.events(rid), f"report {rid}: {events} events, not {self.events(rid)}"


def test_sigkill_during_ingest_keeps_every_saved_report_whole(tmp_path, gazetteer):
    rnd = random.Random(20220228)
    texts = write_reports(tmp_path / "in", 240, "k", rnd)
    expected = Expected(texts, gazetteer)
    store = tmp_path / "store" / "sitmap.sqlite"
    kills = mid_write = 0
    window = 0.6  # seconds after "ready" in which the kill falls; widened while a loaded machine saves nothing
    deadline = time.monotonic() + 300
    while (kills < 30 or mid_write < 10) and kills < 60 and time.monotonic() < deadline:
        before = saved(store) if store.exists() else {}
        proc = driver(store, tmp_path / "in", seed=kills)
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rnd.uniform(0.0, window))
        if proc.poll() is not None:
            break  # everything was stored before the kill came
        kill_group(proc)
        kills += 1
        after = saved(store)
        # every report saved before is still there, unchanged; nothing is half written
        assert {k: after.get(k) for k in before} == before
        expected.assert_whole(after)
        progressed = len(after) > len(before)
        mid_write += progressed
        window = 0.6 if progressed else min(2.0, window * 1.5)
    print(f"ingest: {kills} kills, {mid_write} while reports were being written, {len(after)} saved")
    assert kills >= 20 and mid_write >= 10, (kills, mid_write)
    # a run to the end stores the rest, and only once each
    proc = driver(store, tmp_path / "in", seed=999)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out.strip().endswith("done"), err
    final = saved(store)
    assert set(final) == set(texts)
    expected.assert_whole(final)


def read_outputs(out: Path) -> dict[str, object]:
    """Every visible output file of ``geo build``, parsed (a torn file fails here)."""
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return {str(p.relative_to(out)): json.loads(p.read_text(encoding="utf-8")) for p in files}


def build(paths: list[Path], out: Path) -> subprocess.Popen:
    return start([sys.executable, "-m", "geo", "build", *map(str, paths), "--out", str(out)])


def test_sigkill_during_build_leaves_each_layer_old_or_new(tmp_path):
    rnd = random.Random(5)
    write_reports(tmp_path / "old", 3, "o", rnd)
    write_reports(tmp_path / "new", 40, "n", rnd)
    old_dir, new_dir, out = tmp_path / "ref-old", tmp_path / "ref-new", tmp_path / "out"
    t0 = time.monotonic()
    for paths, target in (([tmp_path / "old"], old_dir), ([tmp_path / "old", tmp_path / "new"], new_dir)):
        proc = build(paths, target)
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    full = (time.monotonic() - t0) / 2
    old, new = read_outputs(old_dir), read_outputs(new_dir)
    proc = build([tmp_path / "old"], out)
    assert proc.wait(timeout=300) == 0
    kills = 0
    for _ in range(12):
        proc = build([tmp_path / "old", tmp_path / "new"], out)
        time.sleep(rnd.uniform(0.5 * full, 1.2 * full))
        if proc.poll() is None:
            kill_group(proc)
            kills += 1
        now = read_outputs(out)  # every file parses
        for name, doc in now.items():
            assert doc in (old.get(name), new.get(name)), f"{name} is neither the old nor the new layer"
    leftovers = [p.name for p in out.rglob(".*.tmp")]
    print(f"build: {kills} kills; {len(leftovers)} temporary files left by killed writes")
    assert kills >= 6
    proc = build([tmp_path / "old", tmp_path / "new"], out)
    assert proc.wait(timeout=300) == 0
    assert read_outputs(out) == new  # a rebuild recovers everything


def test_two_writers_at_once_lose_nothing(tmp_path, gazetteer):
    rnd = random.Random(11)
    a = write_reports(tmp_path / "a", 30, "a", rnd)
    b = write_reports(tmp_path / "b", 30, "b", rnd)
    shared = SEED.read_text(encoding="utf-8")  # both also add the same report
    for folder in ("a", "b"):
        (tmp_path / folder / "same.txt").write_text(shared, encoding="utf-8")
    store = tmp_path / "store" / "sitmap.sqlite"
    open_store(str(store)).close()
    procs = [driver(store, tmp_path / "a", 1), driver(store, tmp_path / "b", 2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and out.strip().endswith("done"), err
    final = saved(store)
    texts = {**a, **b, report_key(shared): shared}
    assert set(final) == set(texts)  # the shared report once, every other one kept
    Expected(texts, gazetteer).assert_whole(final)
