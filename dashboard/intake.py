"""Report intake: pasted text and uploaded files into the store, or a clear refusal.

Uploads are untrusted twice over: the bytes may be anything (decoded by
:func:`geo.io.decode_report`, which refuses empty, binary, non-UTF-8 and
oversized input) and the file name may be a path or markup.  The name is
only ever a label: it is cut to its last path part, stripped of control
characters and stored as text; no file is written under it.  Archives (zip,
gzip, 7z, rar...) are refused by name and by content, never unpacked.

Names the offline gazetteer does not know can be looked up online when the
analyst turns that on (:mod:`geo.gazetteer.geocoders`, off by default).  A failing
service never costs the report: it is parsed and saved on the gazetteer alone
and the geocoder's reason is shown as a warning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import streamlit as st

from dashboard.safehtml import file_name_text, md
from geo import io, settings
from geo.intake import service
from geo.store import Store, StoreError

MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one pasted or uploaded report."""

    name: str  # the display name, already made safe to show
    ok: bool
    message: str  # plain text; wrap with md() or esc() before showing it
    report_id: str | None = None
    events: int = 0
    warnings: tuple[str, ...] = ()  # plain text, like ``message``: the report was still saved


def source_name(file_name: str) -> str:
    """A report's name from an uploaded file name: the last path part, printable, short."""
    base = PureWindowsPath(PurePosixPath(str(file_name)).name).name
    base = re.sub(r"^\.+", "", base)  # no hidden or dot-dot names
    return file_name_text(base or "upload.txt", MAX_NAME)


@functools.lru_cache(maxsize=4)
def _online_geocoder(url: str | None, timeout: float, cache_dir: str):
    # one per configuration and process: its rate limit then holds across sessions
    from geo.gazetteer.geocoders import NominatimGeocoder  # geopy loads only when asked for

    return NominatimGeocoder(url, timeout=timeout, cache_dir=cache_dir)


def online_geocoder():
    """The configured online geocoder (``SITMAP_GEOCODER_URL``, timeout, cache folder)."""
    return _online_geocoder(settings.GEOCODER_URL, settings.GEOCODER_TIMEOUT_S, str(settings.CACHE_DIR))


def fighting_on(store: Store):
    """The occupied area on a report's day, from the store's control layers (``geo.control``),
    for the parser to prefer namesake villages near the fighting; ``None`` when the store
    has no control store. A layer that cannot be read costs the report nothing."""
    from dashboard.control_ui import get_control_store

    url = getattr(store, "url", None)
    control = get_control_store(url) if url else None
    if control is None:
        return None

    def on(date: str):
        try:
            return control.occupied_on(date)
        except Exception:  # noqa: BLE001 - an optional preference: the parse goes on without it
            return None

    return on


def _outcome(shown: str, add) -> Outcome:
    """Run one intake call and say what became of it."""
    try:
        done = add()
    except service.DuplicateReport as dup:
        return Outcome(dup.existing.name, True, str(dup), dup.existing.id, dup.existing.events)
    except io.BadInput as exc:
        return Outcome(shown, False, str(exc))
    except StoreError as exc:
        return Outcome(shown, False, f"{shown}: not saved ({exc})")
    n = done.events
    return Outcome(done.name, True, f"{done.name}: added, {n} event{'s' if n != 1 else ''} found",
                   done.id, n, done.warnings)


def ingest_text(store: Store, text: str, name: str, date: str | None = None, gazetteer=None,
                geocoder=None) -> Outcome:
    """Store decoded report text (see :func:`geo.intake.service.add_report`)."""
    return _outcome(name, lambda: service.add_report(store, text, name, date, gazetteer=gazetteer,
                                                     geocoder=geocoder, fighting_on=fighting_on(store)))


def ingest_upload(store: Store, file_name: str, data: bytes, limit: int | None = None,
                  gazetteer=None, geocoder=None) -> Outcome:
    """Decode, parse and store one uploaded file; a bad one changes nothing."""
    name = source_name(file_name)
    return _outcome(name, lambda: service.add_upload(store, name, data, limit, gazetteer=gazetteer,
                                                     geocoder=geocoder, fighting_on=fighting_on(store)))


def ingest_paste(store: Store, text: str, title: str = "", gazetteer=None, geocoder=None,
                 date: str | None = None) -> Outcome:
    """Store pasted text under the analyst's title, or a name made from its id.

    ``date`` (ISO) is the report's date as the analyst gives it; without it the
    title's date, else the text's, is used, and a report with none is saved
    with a warning that its events are undated.
    """
    name = source_name(title.strip()) if title.strip() else ""
    return _outcome(name or "pasted text", lambda: service.add_report(
        store, io.decode_report(text.encode("utf-8"), name or "pasted text"), name, date,
        gazetteer=gazetteer, geocoder=geocoder, fighting_on=fighting_on(store)))


# -- Streamlit ---------------------------------------------------------------------

_UPLOAD_GEN = "_upload_generation"
_MESSAGES = "_intake_messages"
ONLINE_KEY = "online_geocoder"


def _show(outcomes: Iterable[Outcome]) -> None:
    messages = []
    for o in outcomes:
        messages.append(("success" if o.ok else "error", o.message))
        messages += [("warning", f"{o.name}: {w}") for w in o.warnings]
    st.session_state[_MESSAGES] = messages


def _session_geocoder():
    """The online geocoder when the analyst turned lookups on, else ``None``."""
    return online_geocoder() if st.session_state.get(ONLINE_KEY) else None


def _on_upload(store: Store, key: str, gazetteer) -> None:
    files = st.session_state.get(key) or []
    geocoder = _session_geocoder()
    _show(ingest_upload(store, f.name, f.getvalue(), gazetteer=gazetteer, geocoder=geocoder) for f in files)
    # a fresh uploader, so the same files are not ingested again on the next run
    st.session_state[_UPLOAD_GEN] = st.session_state.get(_UPLOAD_GEN, 0) + 1


def _on_paste(store: Store, gazetteer) -> None:
    text = st.session_state.get("paste_text") or ""
    day = st.session_state.get("paste_date")
    outcome = ingest_paste(store, text, st.session_state.get("paste_title") or "", gazetteer,
                           _session_geocoder(), day.isoformat() if day else None)
    _show([outcome])
    if outcome.ok:
        st.session_state["paste_text"] = ""
        st.session_state["paste_title"] = ""
        st.session_state["paste_date"] = None


def render_intake(store: Store, gazetteer=None) -> None:
    """Paste or upload reports; each outcome is reported under the form."""
    from dashboard import auth

    if not auth.can_edit():
        st.info("Sign in (in the sidebar) to add reports.")
        return
    st.text_area("Paste a report", key="paste_text", height=140,
                 placeholder="Paste the text of a report here")
    st.text_input("Title (optional)", key="paste_title", placeholder="e.g. 2022-03-01 Kharkiv.txt")
    st.date_input("Report date (optional)", key="paste_date", value=None, format="YYYY-MM-DD",
                  help="The day the report was written. Without it, the date in the title or the "
                       "latest full date in the text is used; a report with none is saved with a "
                       "warning, and its events stay out of the as-of view unless you ask for them.")
    st.toggle("Look up unknown places online", key=ONLINE_KEY, value=settings.ONLINE_GEOCODER,
              help="Names the offline gazetteer does not know are sent to an online geocoder "
                   "(OpenStreetMap's Nominatim, or SITMAP_GEOCODER_URL); only those names "
                   "leave this machine, never the report. If the service fails, the report is "
                   "still saved with the offline places and a warning says why.")
    st.button("Add report", key="paste_add", on_click=_on_paste, args=(store, gazetteer), type="primary")
    key = f"upload_{st.session_state.get(_UPLOAD_GEN, 0)}"
    st.file_uploader("Or upload .txt / .md files", type=["txt", "md"], accept_multiple_files=True,
                     key=key, on_change=_on_upload, args=(store, key, gazetteer))
    show = {"success": st.success, "error": st.error, "warning": st.warning}
    for kind, message in st.session_state.get(_MESSAGES, []):
        show[kind](md(message))


def _can_edit() -> bool:
    from dashboard import auth

    return auth.can_edit()


def _on_remove(store: Store, report_id: str, name: str) -> None:
    if not _can_edit():
        return
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
        right.button("Remove", key=f"remove_{r.id}", on_click=_on_remove, args=(store, r.id, r.source),
                     disabled=not _can_edit())
    if more:
        st.caption(f"and {more} more: search for a name to find one")
