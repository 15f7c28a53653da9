"""The dashboard's briefing button and presentation mode: thin glue over geo.briefing.render.

The page itself is drawn by :func:`geo.briefing.render.render_briefing`; this module
only caches it, offers the downloads and hides Streamlit's chrome on request.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import streamlit as st

from geo.io import BadInput

# every bit of Streamlit's own furniture, so a screenshot shows only the app
# (both names of the sidebar toggle: it was renamed between releases)
_PRESENTATION_CSS = """<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stStatusWidget"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"],
footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.5rem 1rem 0 1rem !important; max-width: 100% !important;
}
</style>"""


def apply_presentation_mode() -> None:
    """Hide Streamlit's header, toolbar, sidebar toggle, footer and page padding."""
    st.html(_PRESENTATION_CSS)


def events_digest(events_fc: dict[str, Any]) -> str:
    """A short, stable fingerprint of an events collection, to key the cache."""
    data = json.dumps(events_fc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=16).hexdigest()


@st.cache_data(max_entries=8, ttl=900, show_spinner="Drawing the briefing image…")
def _render(digest: str, bbox: tuple[float, ...] | None, types: tuple[str, ...],
            title: str | None, fmt: str, _events_fc: dict[str, Any], ground_key: tuple | None = None,
            _ground=None) -> bytes:
    # the digest stands in for the (unhashed) collection in the cache key, ground_key for the ground
    from geo.briefing.frame import report_facts
    from geo.briefing.render import render_briefing  # matplotlib: only once a briefing is asked for

    sources, date_range = report_facts(_events_fc)
    return render_briefing(_events_fc, types=list(types), bbox=bbox, title=title,
                           sources=sources, date_range=date_range, fmt=fmt, ground=_ground)


def _file_name(events_fc: dict[str, Any], ext: str) -> str:
    from geo.briefing.frame import report_facts

    _, date_range = report_facts(events_fc)
    return f"sitmap-briefing-{date_range[-1] if date_range else 'undated'}.{ext}"


def briefing_panel(events_fc: dict[str, Any], *, bbox: tuple[float, float, float, float] | None,
                   types: list[str], title: str | None, ground=None) -> None:
    """A "Briefing image" button; once clicked, a preview and PNG and PDF downloads.

    The image shows exactly the filtered view: the same events, types and extent.
    When the view changes, the offer goes away until the button is pressed again.
    ``ground`` is the map's areas of control (:func:`dashboard.control_ui.current_view`), if any.
    """
    request = (events_digest(events_fc), tuple(bbox) if bbox else None, tuple(types), title)
    ground_key = (ground.date, ground.since, ground.area_km2) if ground is not None else None
    if st.button("Briefing image", key="briefing_button",
                 help="A 1920×1080 image of this view, ready to paste into a slide"):
        st.session_state["briefing_request"] = request
    if st.session_state.get("briefing_request") != request:
        return
    try:
        png = _render(*request, "png", events_fc, ground_key, ground)
    except BadInput as exc:
        st.error(f"No briefing image: {exc}")
        return
    st.image(png, caption="Briefing image", width=640)
    left, right = st.columns(2)
    left.download_button("Download PNG", data=png, file_name=_file_name(events_fc, "png"),
                         mime="image/png", key="briefing_png", on_click="ignore",
                         type="primary")
    right.download_button("Download PDF", data=lambda: _render(*request, "pdf", events_fc, ground_key, ground),
                          file_name=_file_name(events_fc, "pdf"), mime="application/pdf",
                          key="briefing_pdf", on_click="ignore")
