"""``python -m geo parse`` on the largest reports it takes: refused past the size limit,
and bounded in output when a report repeats one place or one region."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def geo(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: int = 120):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=timeout, env={**os.environ, **(env or {})})


def assert_refused(proc, *words: str) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and proc.stdout == b"", err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for w in words:
        assert w in err


LIMIT = {"SITMAP_MAX_REPORT_BYTES": "1000"}


def test_a_file_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Kyiv was shelled. " * 60, encoding="utf-8")  # 1,080 bytes
    assert_refused(geo("parse", str(path), env=LIMIT), "too large", "1,000")
    path.write_text("Kyiv was shelled. " * 55, encoding="utf-8")  # 990 bytes: taken
    assert geo("parse", str(path), env=LIMIT).returncode == 0


def test_standard_input_over_the_limit_is_refused():
    assert_refused(geo("parse", "-", stdin=b"Kyiv was shelled. " * 60, env=LIMIT), "too large", "1,000")


def test_a_batch_record_over_the_limit_names_its_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Kyiv."}) + "\n"
                   + json.dumps({"id": "b", "text": "Київ обстріляли. " * 40}) + "\n", encoding="utf-8")
    assert_refused(geo("parse", "--jsonl", str(src), "--out", str(tmp_path / "out.jsonl"), env=LIMIT),
                   "in.jsonl:2", "too large")


FIVE_MB = 5_000_000


def village_log(size: int) -> str:
    """A log of shelling naming two villages a sentence, drawn from the committed table."""
    import random

    import pandas as pd

    names = sorted(set(pd.read_parquet(ROOT / "data" / "ua_settlements.parquet", columns=["name"])["name"]))
    rnd = random.Random(4)
    out, n = [], 0
    while n < size:
        out.append(f"Russian forces shelled {rnd.choice(names)} and {rnd.choice(names)}. ")
        n += len(out[-1].encode("utf-8"))
    return "".join(out).encode("utf-8")[:size].decode("utf-8", "ignore")


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["no place named", "one place a million times", "a village log"])
def test_a_5_mb_report_gives_bounded_output(tmp_path, shape):
    if shape == "no place named":  # each sentence an event on the country the report is about
        sentence = "Artillery shelled positions overnight and damaged several buildings. "
        text = sentence * (FIVE_MB // len(sentence))
    elif shape == "a village log":  # two events a sentence, at villages all over Ukraine
        text = village_log(FIVE_MB)
    else:
        text = "Kyiv " * (FIVE_MB // 5)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    proc = geo("parse", str(path), timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(proc.stdout) < 100_000_000
    doc = json.loads(proc.stdout)
    if shape != "one place a million times":
        # the events of the report's first 20,000, whole sentences, and a warning saying where
        # reading for events stopped; the places of the whole text
        assert 19_990 <= len(doc["events"]) <= 20_000
        (note,) = [w for w in doc["warnings"] if w.startswith("too many events")]
        stopped = int(note.split("up to character ")[1].split()[0].replace(",", ""))
        assert max(e["end"] for e in doc["events"]) <= stopped < len(text) // 2
        if shape == "no place named":
            assert len(doc["areas"]) == 1
        else:
            assert max(p["start"] for p in doc["places"]) > len(text) * 0.9
    else:
        # every mention is counted: the first ones listed, the repeats past the limit in a warning
        assert all(p["name"] == "Kyiv" for p in doc["places"])
        listed = len(doc["places"])
        (note,) = [w for w in doc["warnings"] if "left out" in w]
        assert listed + int(note.split()[0].replace(",", "")) == FIVE_MB // 5


def test_a_report_with_more_events_than_a_report_lists_says_where_it_stopped(tmp_path):
    # the bound lowered to 3: the analyst is told, and the events listed are the first ones
    text = "".join(f"Russian forces shelled {town}. " for town in
                   ["Kharkiv", "Izium", "Kupiansk", "Chuhuiv", "Balakliia", "Lozova"])
    path = tmp_path / "log.txt"
    path.write_text(text, encoding="utf-8")
    proc = geo("parse", str(path), env={"SITMAP_MAX_REPORT_EVENTS": "3"})
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads(proc.stdout)
    assert [e["place"] for e in doc["events"]] == ["Kharkiv", "Izium", "Kupiansk"]
    (note,) = [w for w in doc["warnings"] if w.startswith("too many events")]
    assert f"character {text.index('Russian forces shelled Chuhuiv')}" in note and "split the report" in note
    assert {p["name"] for p in doc["places"]} >= {"Chuhuiv", "Balakliia", "Lozova"}


def test_the_event_bound_holds_for_ukrainian_and_mixed_reports(tmp_path):
    text = ("Російські війська обстріляли Харків. Russian forces shelled Izium. "
            "Російські війська обстріляли Куп'янськ. Russian forces shelled Chuhuiv. "
            "Російські війська обстріляли Балаклію.")
    path = tmp_path / "log.txt"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(geo("parse", str(path), env={"SITMAP_MAX_REPORT_EVENTS": "2"}).stdout)
    assert [e["place"] for e in doc["events"]] == ["Kharkiv", "Izium"]
    assert any(w.startswith("too many events") for w in doc["warnings"])
    doc = json.loads(geo("parse", str(path)).stdout)
    assert len(doc["events"]) == 5 and not any(w.startswith("too many") for w in doc["warnings"])
