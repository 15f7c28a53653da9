"""Every file read and write: report decoding and atomic output.

A write goes to a temporary file in the target folder, is flushed to disk,
then renamed over the target, so a crash leaves either the old file or the
new one, never half of either.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, TypeVar

from geo import settings

REPORT_SUFFIXES = (".txt", ".md")
_UMASK = os.umask(0)
os.umask(_UMASK)


class BadInput(ValueError):
    """Input a user gave that cannot be a report; the message says why, in one line."""


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point on its own, as JSON's "\\ud800" gives."""
    return _LONE_SURROGATE.search(text) is not None


def without_lone_surrogates(obj: Any) -> Any:
    """Parsed JSON with each lone surrogate in its strings read as U+FFFD.

    JSON may escape one ("\\ud800"), but it stands for no character and no UTF-8
    output can hold it.  One character for one, so offsets into a text stay.
    """
    if isinstance(obj, str):
        return _LONE_SURROGATE.sub("\ufffd", obj) if has_lone_surrogate(obj) else obj
    if isinstance(obj, list):
        return [without_lone_surrogates(v) for v in obj]
    if isinstance(obj, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v) for k, v in obj.items()}
    return obj


def decode_report(data: bytes, name: str = "input", limit: int | None = None) -> str:
    """Bytes of a report to text, or ``BadInput`` with a clear reason."""
    limit = settings.MAX_REPORT_BYTES if limit is None else limit
    if len(data) > limit:
        raise BadInput(f"{name}: too large ({len(data):,} bytes; the limit is {limit:,})")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInput(f"{name}: broken UTF-16 text ({exc.reason})") from None
    else:
        if b"\x00" in data[:8192]:
            raise BadInput(f"{name}: binary data, not a text report")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(
                f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
            ) from None
    if "\x00" in text or _control_share(text) > 0.1:
        raise BadInput(f"{name}: binary data, not a text report")
    if not text.strip():
        raise BadInput(f"{name}: empty report")
    return text


def _control_share(text: str) -> float:
    sample = text[:8192]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad / len(sample)


def read_report_file(path: Path | str) -> str:
    """Read one report file as text; ``BadInput`` if it is not a readable report."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    try:
        size = path.stat().st_size
        if size > settings.MAX_REPORT_BYTES:
            raise BadInput(f"{path.name}: too large ({size:,} bytes; the limit is "
                           f"{settings.MAX_REPORT_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None
    return decode_report(data, path.name)


def iter_report_paths(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Report files named directly or at the top level of folders, in a stable order.

    Folders are not searched recursively, so ``seeds/`` means the reports in
    it and not those in ``seeds/timeline/``; name a subfolder to include it.
    """
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.iterdir() if q.suffix.lower() in REPORT_SUFFIXES
                              and q.is_file() and not q.name.startswith(".")
                              and q.name.lower() != "readme.md")
        elif p.exists():
            yield p
        else:
            raise BadInput(f"{p}: no such file or folder")


@contextmanager
def atomic_target(path: Path | str, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside ``path`` to write the whole file to; renamed over ``path`` at the end.

    Readers see the old file or the new one, never a mix; on an error the
    temporary file goes and ``path`` stays as it was.  The file gets
    ``mode`` (default: what the umask gives a new file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix or ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, (0o666 & ~_UMASK) if mode is None else mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def atomic_write_bytes(path: Path | str, data: bytes, mode: int | None = None) -> None:
    """Write bytes so that readers see the old file or the new one, never a mix."""
    with atomic_target(path, mode) as tmp:
        tmp.write_bytes(data)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_T = TypeVar("_T")


def cached_pickle(path: Path, build: Callable[[], _T], what: str) -> _T:
    """The object pickled at ``path`` (a cache this project wrote), else ``build()``, written
    there for the next process.  A cache a library upgrade made unreadable is made again; a
    folder that cannot be written only costs the next process the same wait."""
    log = logging.getLogger(__name__)
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
        try:
            os.utime(path)  # read now: the newest to keep (see _drop_older)
        except OSError:
            pass
        return value
    except FileNotFoundError:
        pass
    except Exception as exc:  # written by another version of a library: make it again
        log.warning("cached %s unreadable (%s); making them again", what, exc)
    value = build()
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.warning("could not cache %s in %s: %s", what, Path(path).parent, exc)
        return value
    _drop_older(Path(path))
    return value


KEPT_CACHES = 4
"""Caches of one kind kept side by side: the newest, by when they were made or last read."""


def _drop_older(path: Path) -> None:
    """Remove the caches of ``path``'s kind past the newest ``KEPT_CACHES``.  Its name is
    ``<kind>-<key>.pkl``, and each change of the code or data behind it gives a new key (tens
    of MB each, which piled up).  A few are kept, not one: processes reading other tables (a
    test's small gazetteer beside the real one) would otherwise delete each other's."""
    kind = path.name.rsplit("-", 1)[0]
    if kind == path.name:
        return
    siblings = []
    for old in path.parent.glob(f"{kind}-*{path.suffix}"):
        try:
            if old.name.rsplit("-", 1)[0] == kind:
                siblings.append((old.stat().st_mtime, old))
        except OSError:
            pass  # removed meanwhile
    for _, old in sorted(siblings, reverse=True)[KEPT_CACHES:]:
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass  # another process's, or already gone


def atomic_write_text(path: Path | str, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path | str, obj: Any, indent: int | None = None) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=indent) + "\n")


def read_json(path: Path | str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})(-?)(\d{2})\2(\d{2})(?!\d)")


def date_in_name(name: str, compact: bool = True) -> str | None:
    """The first real date a file name carries, as ``YYYY-MM-DD``, or ``None``.

    ``2022-03-02_kharkiv.md`` and, with ``compact``, ``20240801.geojson``; a run of
    digits that is no calendar date (``2022-02-30``) is passed over.
    """
    for m in DATE_IN_NAME.finditer(Path(name).stem):
        if not m.group(2) and not compact:
            continue
        try:
            return dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4))).isoformat()
        except ValueError:
            continue
    return None
