"""Report intake: pasted text and uploaded files into the store, or a clear refusal.

Uploads are untrusted twice over: the bytes may be anything (decoded by
:func:`geo.io.decode_report`, which refuses empty, binary, non-UTF-8 and
oversized input) and the file name may be a path or markup.  The name is
only ever a label: it is cut to its last path part, stripped of control
characters and stored as text; no file is written under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import streamlit as st

from dashboard.safehtml import file_name_text, md
from geo import io
from geo.build import date_from_name
from geo.store import Store, StoreError, report_key

MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one pasted or uploaded report."""

    name: str  # the display name, already made safe to show
    ok: bool
    message: str  # plain text; wrap with md() or esc() before showing it
    report_id: str | None = None
    events: int = 0


def source_name(file_name: str) -> str:
    """A report's name from an uploaded file name: the last path part, printable, short."""
    base = PureWindowsPath(PurePosixPath(str(file_name)).name).name
    base = re.sub(r"^\.+", "", base)  # no hidden or dot-dot names
    return file_name_text(base or "upload.txt", MAX_NAME)


def _check_suffix(name: str) -> None:
    if not name.lower().endswith(io.REPORT_SUFFIXES):
        raise io.BadInput(f"{name}: only {' and '.join(io.REPORT_SUFFIXES)} reports are accepted")


def ingest_text(store: Store, text: str, name: str, date: str | None = None, gazetteer=None) -> Outcome:
    """Parse and store decoded report text; the same text twice is stored once."""
    known = store.find_text(text)
    if known is not None:
        return Outcome(name, True, f"{name}: already in the store, nothing added", known,
                       _events_of(store, known))
    rid = store.add_report(text, name, date, gazetteer)
    events = _events_of(store, rid)
    stored = next((r.source for r in store.list_reports() if r.id == rid), name)
    return Outcome(stored, True, f"{stored}: added, {events} event{'s' if events != 1 else ''} found", rid, events)


def _events_of(store: Store, report_id: str) -> int:
    return next((r.events for r in store.list_reports() if r.id == report_id), 0)


def ingest_upload(store: Store, file_name: str, data: bytes, limit: int | None = None,
                  gazetteer=None) -> Outcome:
    """Decode, parse and store one uploaded file; a bad one changes nothing."""
    name = source_name(file_name)
    try:
        _check_suffix(name)
        text = io.decode_report(data, name, limit)
        return ingest_text(store, text, name, date_from_name(name), gazetteer)
    except io.BadInput as exc:
        return Outcome(name, False, str(exc))
    except StoreError as exc:
        return Outcome(name, False, f"{name}: not saved ({exc})")


def ingest_paste(store: Store, text: str, title: str = "", gazetteer=None) -> Outcome:
    """Store pasted text under the analyst's title, or a name made from its hash."""
    name = source_name(title.strip()) if title.strip() else ""
    try:
        data = text.encode("utf-8")
        name = name or f"pasted-{report_key(text)[:8]}.txt"
        if not name.lower().endswith(io.REPORT_SUFFIXES):
            name += ".txt"
        return ingest_text(store, io.decode_report(data, name), name, date_from_name(name), gazetteer)
    except io.BadInput as exc:
        return Outcome(name or "pasted text", False, str(exc))


# -- Streamlit ---------------------------------------------------------------------

_UPLOAD_GEN = "_upload_generation"
_MESSAGES = "_intake_messages"


def _show(outcomes: Iterable[Outcome]) -> None:
    st.session_state[_MESSAGES] = [(o.ok, o.message) for o in outcomes]


def _on_upload(store: Store, key: str, gazetteer) -> None:
    files = st.session_state.get(key) or []
    _show(ingest_upload(store, f.name, f.getvalue(), gazetteer=gazetteer) for f in files)
    # a fresh uploader, so the same files are not ingested again on the next run
    st.session_state[_UPLOAD_GEN] = st.session_state.get(_UPLOAD_GEN, 0) + 1


def _on_paste(store: Store, gazetteer) -> None:
    text = st.session_state.get("paste_text") or ""
    outcome = ingest_paste(store, text, st.session_state.get("paste_title") or "", gazetteer)
    _show([outcome])
    if outcome.ok:
        st.session_state["paste_text"] = ""
        st.session_state["paste_title"] = ""


def render_intake(store: Store, gazetteer=None) -> None:
    """Paste or upload reports; each outcome is reported under the form."""
    st.text_area("Paste a report", key="paste_text", height=140,
                 placeholder="Paste the text of a report here")
    st.text_input("Title (optional)", key="paste_title", placeholder="e.g. 2022-03-01 Kharkiv.txt")
    st.button("Add report", key="paste_add", on_click=_on_paste, args=(store, gazetteer), type="primary")
    key = f"upload_{st.session_state.get(_UPLOAD_GEN, 0)}"
    st.file_uploader("Or upload .txt / .md files", type=["txt", "md"], accept_multiple_files=True,
                     key=key, on_change=_on_upload, args=(store, key, gazetteer))
    for ok, message in st.session_state.get(_MESSAGES, []):
        (st.success if ok else st.error)(md(message))


def _on_remove(store: Store, report_id: str, name: str) -> None:
    removed = store.remove_report(report_id)
    _show([Outcome(name, removed, f"{name}: removed" if removed else f"{name}: was already gone")])


REPORTS_SHOWN = 25
"""Reports listed at once; a search finds the others (a store can hold thousands)."""


def matching_reports(reports: list, query: str, limit: int = REPORTS_SHOWN) -> tuple[list, int]:
    """The newest reports whose name contains ``query``, and how many more match."""
    q = query.strip().lower()
    found = [r for r in reports if q in r.source.lower()] if q else list(reports)
    found.sort(key=lambda r: (r.date or "", r.added_at), reverse=True)
    return found[:limit], max(0, len(found) - limit)


def render_report_list(store: Store) -> None:
    """The stored reports, newest first, each with its date, events and a Remove button."""
    reports = store.list_reports()
    if not reports:
        st.info("No reports yet: paste or upload one.")
        return
    query = st.text_input("Find a report", key="report_search", placeholder="part of its name") \
        if len(reports) > REPORTS_SHOWN else ""
    shown, more = matching_reports(reports, query)
    for r in shown:
        left, right = st.columns([3, 1], vertical_alignment="center")
        when = f" · {r.date}" if r.date else ""
        left.markdown(f"**{md(r.source)}**{md(when)} · {r.events} event{'' if r.events == 1 else 's'}")
        right.button("Remove", key=f"remove_{r.id}", on_click=_on_remove, args=(store, r.id, r.source))
    if more:
        st.caption(f"and {more} more: search for a name to find one")
