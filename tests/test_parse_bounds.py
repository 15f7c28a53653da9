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


def village_log(size: int, column: str = "name", sentence: str = "Russian forces shelled {} and {}. ") -> str:
    """A log of shelling naming two villages a sentence, drawn from the committed table."""
    import random

    import pandas as pd

    names = sorted(set(pd.read_parquet(ROOT / "data" / "ua_settlements.parquet", columns=[column])[column]) - {""})
    rnd = random.Random(4)
    out, n = [], 0
    while n < size:
        out.append(sentence.format(rnd.choice(names), rnd.choice(names)))
        n += len(out[-1].encode("utf-8"))
    return "".join(out).encode("utf-8")[:size].decode("utf-8", "ignore")


def stopped_at(doc: dict, warning: str) -> int:
    (note,) = [w for w in doc["warnings"] if w.startswith(warning)]
    return int(note.split("up to character ")[1].split()[0].replace(",", ""))


CYRILLIC_LOG = "Російські війська обстріляли {} та {}. "


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["no place named", "one place a million times", "a village log",
                                   "a Ukrainian village log", "one Ukrainian place half a million times"])
def test_a_5_mb_report_gives_bounded_output(tmp_path, shape):
    if shape == "no place named":  # each sentence an event on the country the report is about
        sentence = "Artillery shelled positions overnight and damaged several buildings. "
        text = sentence * (FIVE_MB // len(sentence))
    elif shape == "a village log":  # two events a sentence, at villages all over Ukraine
        text = village_log(FIVE_MB)
    elif shape == "a Ukrainian village log":
        text = village_log(FIVE_MB, column="name_uk", sentence=CYRILLIC_LOG)
    elif shape == "one place a million times":
        text = "Kyiv " * (FIVE_MB // 5)
    else:
        text = "Київ " * (FIVE_MB // 9)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    proc = geo("parse", str(path), timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(proc.stdout) < 100_000_000
    doc = json.loads(proc.stdout)
    if shape == "no place named":
        # the events of the report's first sentences, up to 20,000, and where reading for them stopped
        assert len(doc["events"]) == 20_000 and len(doc["areas"]) == 1
        assert max(e["end"] for e in doc["events"]) <= stopped_at(doc, "too many events") < len(text) // 2
        return
    # a report naming more than 40,000 places is read up to the sentence that would pass that,
    # and says where; everything listed comes from before that point
    end = stopped_at(doc, "too many place names")
    assert 0 < end < len(text) // 2 and text[end - 1] in ". "  # after a sentence, or a word
    assert doc["places"] and max(p["end"] for p in doc["places"]) <= end
    if "log" in shape:
        assert 10_000 <= len(doc["events"]) <= 20_000
        assert max(e["end"] for e in doc["events"]) <= end
        assert len({p["name"] for p in doc["places"]}) > 5_000  # villages all over Ukraine
    else:
        assert {p["name"] for p in doc["places"]} == {"Kyiv"}


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


def test_a_report_naming_more_places_than_a_report_is_read_for_says_where_it_stopped(tmp_path):
    towns = ["Kharkiv", "Izium", "Kupiansk", "Chuhuiv", "Balakliia", "Lozova", "Bakhmut", "Sumy"]
    text = "".join(f"Russian forces shelled {a} and {b}. " for a, b in zip(towns[::2], towns[1::2]))
    path = tmp_path / "log.txt"
    path.write_text(text, encoding="utf-8")
    whole = json.loads(geo("parse", str(path)).stdout)
    assert len(whole["events"]) == 8 and not any("too many" in w for w in whole["warnings"])
    doc = json.loads(geo("parse", str(path), env={"SITMAP_MAX_REPORT_NAMES": "5"}).stdout)
    (note,) = [w for w in doc["warnings"] if w.startswith("too many place names")]
    end = text.index("Russian forces shelled Balakliia")  # the sentence that would pass five names
    assert f"up to character {end:,} of {len(text):,}" in note
    assert [e["place"] for e in doc["events"]] == towns[:4]
    assert {p["name"] for p in doc["places"]} == set(towns[:4])
