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


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["no place named", "one place a million times"])
def test_a_5_mb_report_gives_bounded_output(tmp_path, shape):
    if shape == "no place named":  # each sentence an event on the country the report is about
        sentence = "Artillery shelled positions overnight and damaged several buildings. "
        text = sentence * (FIVE_MB // len(sentence))
    else:
        text = "Kyiv " * (FIVE_MB // 5)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    proc = geo("parse", str(path), timeout=600)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(proc.stdout) < 100_000_000
    doc = json.loads(proc.stdout)
    if shape == "no place named":
        assert len(doc["events"]) > 50_000 and len(doc["areas"]) == 1
    else:
        # every mention is counted: the first ones listed, the repeats past the limit in a warning
        assert all(p["name"] == "Kyiv" for p in doc["places"])
        listed = len(doc["places"])
        (note,) = [w for w in doc["warnings"] if "left out" in w]
        assert listed + int(note.split()[0].replace(",", "")) == FIVE_MB // 5
