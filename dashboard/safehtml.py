"""Every piece of HTML made from report data, escaped in one place.

(Not ``html.py``: ``streamlit run dashboard/app.py`` puts this folder on the
path before starlette imports the standard library's ``html``.)

Reports are untrusted: a pasted text or an uploaded file name can carry
``<script>`` tags or ``onerror=`` handlers.  So nothing from a report reaches
the page except through :func:`esc`, and the map's popups and tooltips are
strings built here rather than folium's field tables.  Colours, icons and
labels come from :mod:`geo.taxonomy` and are escaped as well, for good
measure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from geo import taxonomy

MAX_EVENTS_IN_POPUP = 5
"""A popup lists this many events of its place; the rest are counted."""

_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


# braces as entities too: folium compiles each rendered script as a Jinja template
# once more, so a report's "{{ ... }}" would otherwise run on the server
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def esc(value: Any) -> str:
    """Text (or anything printable) as HTML-safe text; ``None`` is empty."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True).translate(_BRACES)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-!|$~:])")


def md(value: Any) -> str:
    """Text for Streamlit's markdown (labels, captions): every markup character escaped.

    Markdown needs its own escaping: ``[x](url)`` and ``![](url)`` in a report
    would otherwise become a link or an image fetched from elsewhere, ``$``
    starts LaTeX and ``:red[...]`` a colour.  Line breaks become spaces.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def colour(value: str) -> str:
    """A CSS colour from the taxonomy, refused if it is anything but ``#hex``."""
    if not _COLOUR.match(value):
        raise ValueError(f"not a hex colour: {value!r}")
    return value


def highlight(quote: str, trigger: str | None) -> str:
    """The quote, escaped, with the words that typed the event in ``<mark>``.

    The match ignores case and curly quotes; when the whole trigger is not
    in the quote, its longest word is marked instead.
    """
    quote = quote or ""
    span = _find(quote, trigger or "")
    if span is None:
        return esc(quote)
    s, e = span
    return f"{esc(quote[:s])}<mark>{esc(quote[s:e])}</mark>{esc(quote[e:])}"


def _find(quote: str, trigger: str) -> tuple[int, int] | None:
    folded = _fold(quote)
    needle = _fold(trigger).strip(" \"'")
    if needle:
        at = folded.find(needle)
        if at >= 0:
            return at, at + len(needle)
    words = sorted(re.findall(r"\w{3,}", needle), key=len, reverse=True)
    for word in words:
        m = re.search(rf"\b{re.escape(word)}", folded)
        if m:
            return m.start(), m.end()
    return None


def _fold(text: str) -> str:
    # same length as the input, so offsets carry over to the original
    return text.lower().translate(str.maketrans("“”‘’", "\"\"''"))


def claim_status(props: dict) -> str | None:
    """"denied", "failed", "claimed" or ``None`` (see :func:`geo.taxonomy.trust_of`)."""
    return taxonomy.trust_of(props)


_BANNERS = {
    "denied": ("#b00020", "DENIED", "a claim, denied by {denied}: not a fact"),
    "failed": ("#8a5a00", "FAILED", "an attempt that did not succeed"),
    "claimed": ("#5a5a8a", "CLAIMED", "by {source}, not confirmed"),
}


def status_banner(props: dict) -> str:
    """A coloured line saying an event is denied, failed or only claimed; empty for fact."""
    status = claim_status(props)
    if status is None:
        return ""
    tint, word, text = _BANNERS[status]
    detail = text.format(denied=props.get("denied_by") or "", source=props.get("attributed_to") or "a party")
    return (f'<div class="sm-status sm-{status}" style="color:{tint};font-weight:600;'
            f'border:1px dashed {tint};padding:1px 4px;margin:2px 0">{word}: {esc(detail)}</div>')


def _date_html(props: dict) -> str:
    if not props.get("date"):
        return "<i>undated</i>"
    note = " <small>(the report's date)</small>" if props.get("date_source") == "report" else ""
    return esc(props["date"]) + note


def _certainty(props: dict) -> str:
    text = esc(props.get("certainty") or "")
    if props.get("attributed_to"):
        text += f", according to {esc(props['attributed_to'])}"
    if props.get("denied_by"):
        text += f"; denied by {esc(props['denied_by'])}"
    return text


def _row(label: str, value_html: str) -> str:
    if not value_html:
        return ""
    return f"<tr><th>{esc(label)}</th><td>{value_html}</td></tr>"


LANGUAGE_NAMES = {"en": "English", "uk": "Ukrainian", "ru": "Russian", "mixed": "mixed"}
"""The language of an event's sentence (its ``lang``), as the popup names it over the quote."""


def event_block(props: dict, editable: bool = False) -> str:
    """One event's details: date, actors, certainty, the quote and its source.

    ``editable`` adds an "Edit this event" link carrying the event's id (the
    dashboard's map opens the editor on it; elsewhere the link stays hidden).
    """
    actors = ", ".join(esc(a) for a in props.get("actors") or [])
    rows = (_row("Date", _date_html(props))
            + _row("Actors", actors)
            + _row("Certainty", _certainty(props))
            + _row("Kind", esc(props.get("subtype")))
            + _row("Language", esc(LANGUAGE_NAMES.get(props.get("lang") or "", props.get("lang"))))
            + _row("Ground", control_check_html(props.get("control_check")))
            + _row("Placed", _precision_text(props)))
    return (f'<div class="sm-event">{status_banner(props)}<table class="sm-props">{rows}</table>'
            f'<blockquote class="sm-quote">{highlight(props.get("quote", ""), props.get("trigger"))}</blockquote>'
            f'<div class="sm-source">Source: {esc(props.get("source"))}</div>'
            + (f'<a class="sm-edit" href="#" role="button" data-event="{esc(props["id"])}">Edit this event</a>'
               if editable and props.get("id") else "") + "</div>")


_PRECISION_TEXT = {"offset": "at a distance from the place named", "hromada": "only to its hromada",
                   "raion": "only to its raion", "oblast": "only to its oblast"}


def _precision_text(props: dict) -> str:
    """How exactly the event's place is known, and the names the report gave that matched nothing."""
    parts = [_PRECISION_TEXT.get(props.get("precision") or "", "")]
    if props.get("unresolved"):
        parts.append("not in the gazetteer: " + ", ".join(props["unresolved"]))
    return esc("; ".join(p for p in parts if p))


_CHECK_TEXT = {"consistent": "the map of control agrees", "contradicted": "the map of control disagrees",
               "no_layer": "no map of control within a week"}


def control_check_html(check: dict | None) -> str:
    """A claim's check against the map of control (:mod:`geo.control.check`): outcome and map date."""
    if not check:
        return ""
    status = check.get("status")
    text = esc(_CHECK_TEXT.get(status, status))
    if check.get("layer_date"):
        text += f" (map of {esc(check['layer_date'])}, {esc(check.get('source'))})"
    return f'<span class="sm-check-{esc(status)}">{text}</span>'


def popup_head(event_type: str) -> str:
    """The top line of every popup of a type: its icon and label in its colour."""
    t = taxonomy.get(event_type)
    return (f'<div class="sm-head" style="border-left:6px solid {colour(t.colour)}">'
            f'<i class="fa-solid fa-{esc(t.icon)}" style="color:{colour(t.colour)}"></i> '
            f'<b>{esc(t.label)}</b></div>')


def _where(place: str | None, count: int) -> str:
    parts = [esc(place)] if place else []
    if count > 1:
        parts.append(f'<span class="sm-count">{count} events</span>')
    return f'<div class="sm-where">{" · ".join(parts)}</div>' if parts else ""


def event_popup_body(events: Sequence[dict], editable: bool = False) -> str:
    """A feature's popup below its head: the place, then each event, newest first.

    Parameters
    ----------
    events
        The contract properties of the events drawn by that feature, all of
        one type at one place, newest first.
    """
    blocks = "".join(event_block(p, editable) for p in events[:MAX_EVENTS_IN_POPUP])
    more = len(events) - MAX_EVENTS_IN_POPUP
    tail = f'<div class="sm-more">and {more} more</div>' if more > 0 else ""
    return f"{_where(events[0].get('place'), len(events))}{blocks}{tail}"


def popup_html(events: Sequence[dict]) -> str:
    """The whole popup of one drawn feature: head and body (see :func:`event_popup_body`)."""
    return f'<div class="sm-popup">{popup_head(events[0]["event_type"])}{event_popup_body(events)}</div>'


def tooltip_html(event_type: str, place: str | None, count: int = 1) -> str:
    """A one-line hover label: type, place and how many events."""
    label = taxonomy.get(event_type).label
    where = f" · {esc(place)}" if place else ""
    many = f" ({count})" if count > 1 else ""
    return f"{esc(label)}{where}{many}"


def cell_popup_body(count: int, places: Iterable[str], date_min: str | None, date_max: str | None,
                    quote: str) -> str:
    """An aggregated cell's popup below its head: how many events, where, when, one quote."""
    names = sorted(set(places))
    shown = ", ".join(esc(p) for p in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    when = esc(date_min) if date_min == date_max else f"{esc(date_min)} to {esc(date_max)}"
    return (f'{_where(None, count)}<table class="sm-props">{_row("Places", shown)}{_row("Dates", when)}'
            f'</table><div class="sm-note">Latest report:</div><blockquote class="sm-quote">{esc(quote)}'
            '</blockquote>')


def cell_popup_html(event_type: str, count: int, places: Iterable[str], date_min: str | None,
                    date_max: str | None, quote: str) -> str:
    """The whole popup of an aggregated cell."""
    body = cell_popup_body(count, places, date_min, date_max, quote)
    return f'<div class="sm-popup">{popup_head(event_type)}{body}</div>'


LABEL_RANKS = {"capital": 30, "country": 20, "city": 10}
"""Which basemap label gives way first when labels collide (event places rank 100 and up)."""


def label_html(name: str, kind: str = "city") -> str:
    """A map label for a city or a country."""
    return (f'<span class="sm-label sm-label-{esc(kind)}" data-rank="{LABEL_RANKS.get(kind, 10)}">'
            f'{esc(name)}</span>')


def legend_html(type_keys: Iterable[str], title: str = "Event types") -> str:
    """The categorical legend: a swatch, an icon and a label per type."""
    items = []
    for key in type_keys:
        t = taxonomy.get(key)
        items.append(
            f'<li data-type="{esc(t.key)}"><span class="sm-swatch" style="background:{colour(t.colour)}"></span>'
            f'<i class="fa-solid fa-{esc(t.icon)}" style="color:{colour(t.colour)}"></i> {esc(t.label)}</li>')
    shapes = ('<div class="sm-legend-shapes"><span>&#9679; place</span> <span>&#9473; border</span> '
              '<span>&#9645; area or country</span><div class="sm-legend-approx" data-shape="approx">'
              '<span class="sm-approx-swatch"></span> approximate: only the oblast or raion is known'
              '</div></div>')
    return (f'<div class="sm-legend" role="region" aria-label="{esc(title)}">'
            f'<div class="sm-legend-title">{esc(title)}</div><ul>{"".join(items)}</ul>{shapes}</div>')


def file_name_text(name: str, limit: int = 80) -> str:
    """An uploaded file's name, safe to show: control characters dropped, shortened.

    The result is plain text for Streamlit widgets (which escape it); wrap it
    with :func:`esc` before putting it into HTML.
    """
    clean = "".join(c for c in str(name) if c.isprintable()).strip() or "unnamed file"
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


MAP_CSS = """
.sm-popup{font:13px/1.35 system-ui,sans-serif;color:#1f2630;max-width:360px}
.sm-head{padding:2px 0 4px 6px;margin-bottom:4px;font-size:14px}
.sm-where{font-weight:600;margin-bottom:2px}
.sm-count{color:#5a6470;font-weight:normal}
.sm-event{border-top:1px solid #e3e6ea;padding-top:4px;margin-top:4px}
.sm-props th{font-weight:600;padding-right:8px;vertical-align:top;color:#3b4450}
.sm-quote{margin:4px 0;padding:2px 8px;border-left:3px solid #c9ced6;color:#222;font-style:normal}
.sm-quote mark{background:#ffe58a;padding:0 1px}
.sm-source,.sm-note,.sm-more{color:#5a6470;font-size:12px}
.sm-legend{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:4px;
  box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.5 system-ui,sans-serif;color:#1f2630}
.sm-legend ul{list-style:none;margin:0;padding:0}
.sm-legend-title{font-weight:600;margin-bottom:2px}
.sm-legend-shapes{margin-top:4px;padding-top:3px;border-top:1px solid #e3e6ea;color:#5a6470}
.sm-legend i{width:14px;text-align:center}
.sm-approx-swatch{display:inline-block;width:14px;height:9px;border:2px dashed #5a6470;
  background:rgba(90,100,112,.1);vertical-align:middle;margin-right:2px}
.sm-swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;
  vertical-align:middle}
.leaflet-control-layers{font:13px/1.5 system-ui,sans-serif;color:#1f2630}
.sm-n{color:#5a6470}
.sm-label{white-space:nowrap;font:11px system-ui,sans-serif;color:#2f3742;
  text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}
.sm-label-capital{font-weight:700;font-size:12px}
.sm-label-country{font-style:italic;letter-spacing:.08em;text-transform:uppercase;color:#7a828c;font-size:11px}
.sm-label-icon{background:none;border:none}
.sm-label-event{font:600 12px system-ui,sans-serif;color:#10161d;
  text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff}
.leaflet-container path:focus,.leaflet-interactive:focus,.leaflet-marker-icon:focus{outline:none}
.sm-types{font-weight:600;color:#3b4450;margin-bottom:4px}
.sm-type-block+.sm-type-block{margin-top:8px;padding-top:6px;border-top:2px solid #c9ced6}
.sm-edit{display:none;font-size:12px;margin-top:3px}
.sm-editable .sm-edit{display:inline-block}
"""
"""Styles of the popups, the legend and the labels, added once to each map."""
