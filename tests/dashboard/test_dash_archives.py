"""Archives are never unpacked: a zip (or gzip, tar...) upload is refused with a reason.

Refusing archives outright is what keeps zip bombs and path-traversal
entries (``../../etc/passwd`` inside a zip) out: nothing ever opens them.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import time
import zipfile

import pytest

from dashboard.intake import ingest_upload

TEXT = b"Heavy shelling hit Kharkiv overnight, officials said.\n"


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tar(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# a zip bomb in small: 64 MB of zeros in well under a megabyte
BOMB = _zip({"report.txt": bytes(64 * 1024 * 1024)})
ARCHIVES = {
    "reports.zip": _zip({"kharkiv.txt": TEXT}),
    # renamed: the name says text, the bytes say archive
    "reports.txt": _zip({"kharkiv.txt": TEXT}, zipfile.ZIP_STORED),
    "traversal.md": _zip({"../../etc/passwd.txt": TEXT}, zipfile.ZIP_STORED),
    "bomb.txt": BOMB,
    "bomb.zip": BOMB,
    "report.txt.gz": gzip.compress(TEXT),
    "gzipped.txt": gzip.compress(TEXT),
    "bundle.tar": _tar({"kharkiv.txt": TEXT}),
    "tarred.txt": _tar({"kharkiv.txt": TEXT}),
}


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_an_archive_is_refused_with_a_reason_and_nothing_is_written(store, gazetteer, tmp_path, name):
    before = (store.revision(), store.list_reports(), sorted(p.name for p in tmp_path.rglob("*")))
    t0 = time.monotonic()
    outcome = ingest_upload(store, name, ARCHIVES[name], gazetteer=gazetteer)
    assert time.monotonic() - t0 < 1  # refused before anything is unpacked or parsed
    assert not outcome.ok
    assert outcome.message.startswith(f"{name}: ") and "archives are not accepted" in outcome.message
    assert "unpack it" in outcome.message
    assert (store.revision(), store.list_reports(), sorted(p.name for p in tmp_path.rglob("*"))) == before


def test_the_bomb_is_small_on_the_wire():
    assert len(BOMB) < 1024 * 1024  # so the refusal is not just the size limit speaking


def test_text_that_mentions_archives_is_still_a_report(store, gazetteer):
    outcome = ingest_upload(store, "notes.txt", b"PK was found in Kharkiv; the file reports.zip was lost.",
                            gazetteer=gazetteer)
    assert outcome.ok
