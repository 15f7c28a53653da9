"""The command line on bad input: exit 2, one line on stderr, never a traceback.

Every case runs the real ``python -m geo`` in a subprocess, as a shell script
or a batch job would.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
REPORT = "On the 5th day of the war, explosions were heard in Kyiv and Kharkiv, officials said.\n"


def geo(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
    """Run ``python -m geo ARGS`` from the repository root."""
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120, env={**os.environ, **(env or {})})


def assert_bad_input(proc, *words: str) -> str:
    """Exit 2, exactly one line on stderr naming the problem, nothing on stdout."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    for w in words:
        assert w.lower() in lines[0].lower(), lines[0]
    assert proc.stdout == b""
    return lines[0]


@pytest.fixture
def write(tmp_path):
    def make(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)
    return make


# ---- parse: one file ----------------------------------------------------------------------
@pytest.mark.parametrize("name, data, words", [
    ("empty.txt", b"", ["empty"]),
    ("blank.txt", b" \n\t\n  ", ["empty"]),
    ("image.txt", PNG, ["binary"]),
    ("latin1.txt", "Explosions à Kharkiv, café détruit.".encode("latin-1"), ["UTF-8"]),
    ("controls.txt", bytes(range(1, 32)) * 40, ["binary"]),
    ("broken16.txt", codecs.BOM_UTF16_LE + b"K\x00y\x00\x00\xd8", ["UTF-16"]),
])
def test_parse_rejects_a_file_that_is_not_a_text_report(write, name, data, words):
    assert_bad_input(geo("parse", write(name, data)), name, *words)


def test_parse_rejects_a_missing_file(tmp_path):
    assert_bad_input(geo("parse", str(tmp_path / "nope.txt")), "nope.txt", "no such file")


def test_parse_rejects_an_oversize_file_before_reading_it(write):
    path = write("big.txt", REPORT.encode() * 40)
    line = assert_bad_input(geo("parse", path, env={"SITMAP_MAX_REPORT_BYTES": "1000"}), "too large")
    assert "1,000" in line


@pytest.mark.parametrize("date", ["2022-13-45", "yesterday", "28/02/2022", ""])
def test_parse_rejects_a_bad_date(write, date):
    assert_bad_input(geo("parse", write("r.txt", REPORT.encode()), "--date", date), "date")


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"),
                                        (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_parse_accepts_utf16_with_a_bom(write, bom, codec):
    proc = geo("parse", write("r16.txt", bom + REPORT.encode(codec)))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert {"Kyiv", "Kharkiv"} <= {p["name"] for p in doc["places"]}
    for p in doc["places"]:  # offsets into the decoded text, no BOM
        assert REPORT[p["start"]:p["end"]] == p["mention"]
    assert doc["date"] == "2022-02-28"


def test_parse_dash_reads_standard_input():
    proc = geo("parse", "-", "--date", "2022-03-01", stdin=REPORT.encode())
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["date"] == "2022-03-01"
    assert {"Kyiv", "Kharkiv"} <= {p["name"] for p in doc["places"]}
    assert any(e["event_type"] == "strike" for e in doc["events"])


@pytest.mark.parametrize("data, words", [(b"", ["empty"]), (PNG, ["binary"]),
                                         ("é".encode("latin-1") * 10, ["UTF-8"])])
def test_parse_rejects_bad_standard_input(data, words):
    assert_bad_input(geo("parse", "-", stdin=data), "standard input", *words)


# ---- parse --jsonl --------------------------------------------------------------------------
def jsonl(*objs) -> bytes:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objs).encode()


def test_jsonl_keeps_ids_in_input_order(write, tmp_path):
    ids = ["10", "2", "b", "a", "1", "zz", "3", "é", "0"]
    texts = ["Shelling in Kharkiv.", "", "Talks near the Ukraine-Belarus border.", "Nothing here."]
    src = write("in.jsonl", jsonl(*({"id": i, "text": texts[n % 4] or "Kyiv."} for n, i in enumerate(ids))))
    out = tmp_path / "out.jsonl"
    proc = geo("parse", "--jsonl", src, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ids
    assert rows[0]["places"][0]["name"] == "Kharkiv" and proc.stdout == b""


@pytest.mark.parametrize("line", [
    '{"id": "a", "text": "Kyiv."',          # cut short
    '{"id": "a"}',                          # no text
    '["a", "Kyiv."]',                       # not an object
    '{"id": "a", "text": "Kyiv.", "date": "2022-02-30"}',
    'not json at all',
])
def test_jsonl_names_the_bad_line(write, line):
    src = write("in.jsonl", jsonl({"id": "ok", "text": "Kyiv."}, line))
    assert_bad_input(geo("parse", "--jsonl", src, "--out", src + ".out"), "in.jsonl:2")


def test_jsonl_that_is_not_utf8_is_bad_input(write):
    src = write("in.jsonl", '{"id": "a", "text": "café à Kyiv"}\n'.encode("latin-1"))
    assert_bad_input(geo("parse", "--jsonl", src), "in.jsonl", "UTF-8")


@pytest.mark.parametrize("size", [1, 4000])  # short, and long enough for the trigger gates
def test_jsonl_with_lone_surrogates_is_parsed_with_offsets_kept(write, tmp_path, size):
    # "\ud800" is valid JSON but no character: it used to end the batch in a traceback
    text = "Shelling hit Kharkiv \\ud800 and killed two civilians. " + "Nothing else. " * size
    src = write("in.jsonl", jsonl({"id": "ok", "text": "Kyiv."},
                                  '{"id": "a\\udfff", "text": "%s"}' % text, {"id": "after", "text": "Odesa."}))
    out = tmp_path / "out.jsonl"
    proc = geo("parse", "--jsonl", src, "--out", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert "in.jsonl:2" in err and "U+FFFD" in err
    rows = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ok", "a\ufffd", "after"]
    kharkiv = rows[1]["places"][0]
    assert (kharkiv["name"], kharkiv["start"], kharkiv["end"]) == ("Kharkiv", 13, 20)
    assert {e["event_type"] for e in rows[1]["events"]} >= {"strike"}


def test_jsonl_missing_file(tmp_path):
    assert_bad_input(geo("parse", "--jsonl", str(tmp_path / "none.jsonl")), "no such file")


# ---- build -------------------------------------------------------------------------------
def test_build_on_a_folder_with_no_reports(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    assert_bad_input(geo("build", str(tmp_path / "in"), "--out", str(out)), "no .txt or .md reports")
    assert not out.exists()


def test_build_names_the_bad_file_and_writes_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.txt").write_bytes(PNG)
    out = tmp_path / "out"
    assert_bad_input(geo("build", str(folder), "--out", str(out)), "b.txt", "binary")
    assert not out.exists()


def test_build_on_a_missing_path(tmp_path):
    assert_bad_input(geo("build", str(tmp_path / "gone"), "--out", str(tmp_path / "o")), "gone")
