"""The time control: the situation as of a day, with step and play buttons.

The timeline's days are the days of the stored reports (and the first and
last event dates), within the sidebar's date range.  The chosen day becomes
the selection's upper date bound (:func:`dashboard.filters.with_as_of`), so
the map, the counts and the place statuses all show what was known on that
day.  The last day is "the latest": it follows newer reports as they come in
and never appears in the URL; an earlier one is kept as ``?asof=YYYY-MM-DD``.

Play moves one day forward every ``PLAY_SECONDS`` through a fragment that
reruns on a timer and then asks for a full rerun; the map keeps its view,
since a rerun only swaps its event layers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence

import streamlit as st

from dashboard import filters as flt
from geo import settings
from geo.store import EventFilter, Facets

ASOF_KEY = "asof_day"
"""Session-state key of the select-slider (a ``datetime.date``)."""

PLAYING = "asof_playing"
PLAY_SECONDS = 1.5
"""How long each day stays on the map while playing."""

_INIT = "_asof_from_url"
_LAST_SEEN = "_asof_last_seen"
_SHOWN_AT = "_asof_shown_at"
_DAYS = "_asof_days"


def timeline_days(report_dates: Iterable[str | None], facets: Facets) -> list[dt.date]:
    """The days with a report, plus the first and last event days, in order."""
    found = {d for d in report_dates if d}
    found |= {d for d in (facets.date_min, facets.date_max) if d}
    days = set()
    for value in found:
        try:
            days.add(dt.date.fromisoformat(value[:10]))
        except ValueError:
            continue
    return sorted(days)


def war_day(day: dt.date) -> int | None:
    n = (day - settings.CONFLICT_START).days + 1
    return n if n >= 1 else None


def day_label(day: dt.date) -> str:
    """"2022-02-27 · day 4" (the war day when the day falls after its start)."""
    n = war_day(day)
    return f"{day.isoformat()} · day {n}" if n else day.isoformat()


def current_as_of(days: Sequence[dt.date]) -> dt.date | None:
    """The as-of day held in the session (from the URL on a session's first run), fitted to ``days``.

    Call it before the map is drawn; it also writes ``?asof=`` into the URL.
    Returns ``None`` when the latest day is shown.
    """
    state = st.session_state
    if not state.get(_INIT):
        params = {flt.ASOF_PARAM: st.query_params.get_all(flt.ASOF_PARAM)}
        state[ASOF_KEY] = flt.as_of_from_params(params)
        state[_INIT] = True
    value = state.get(ASOF_KEY)
    if value is not None and not isinstance(value, dt.date):
        value = None
    seen = state.get(_LAST_SEEN)
    if value is None or (seen is not None and value == seen):
        value = None  # the latest day was shown: keep showing the latest as reports arrive
    day = flt.snap_day(value, days)
    if day is None:
        state.pop(ASOF_KEY, None)
    else:
        state[ASOF_KEY] = day
    state[_LAST_SEEN] = days[-1] if days else None
    state[_DAYS] = list(days)
    as_of = day if days and day < days[-1] else None
    _sync_url(as_of)
    return as_of


def _sync_url(as_of: dt.date | None) -> None:
    current = st.query_params.get_all(flt.ASOF_PARAM)
    if as_of is None:
        if current:
            del st.query_params[flt.ASOF_PARAM]
    elif current != [as_of.isoformat()]:
        st.query_params[flt.ASOF_PARAM] = as_of.isoformat()


def apply(selection: EventFilter, facets: Facets, report_dates: Iterable[str | None]) -> tuple[EventFilter, dt.date | None, list[dt.date]]:
    """The selection as of the chosen day, the as-of day (``None``: latest) and the timeline's days."""
    days = flt.days_in_range(timeline_days(report_dates, facets), selection)
    as_of = current_as_of(days)
    return flt.with_as_of(selection, as_of, days), as_of, days


# -- buttons -------------------------------------------------------------------


def _move(step: int) -> None:
    days = st.session_state.get(_DAYS) or []
    if not days:
        return
    day = flt.snap_day(st.session_state.get(ASOF_KEY), days)
    i = min(max(days.index(day) + step, 0), len(days) - 1)
    st.session_state[ASOF_KEY] = days[i]


def _step(step: int) -> None:
    st.session_state[PLAYING] = False
    _move(step)


def _play() -> None:
    days = st.session_state.get(_DAYS) or []
    if not days:
        return
    if flt.snap_day(st.session_state.get(ASOF_KEY), days) == days[-1]:
        st.session_state[ASOF_KEY] = days[0]  # from the start again
    st.session_state[PLAYING] = True


def _pause() -> None:
    st.session_state[PLAYING] = False


def _tick() -> None:
    """One beat of play: the next day, then a full rerun (the map and the sidebar follow)."""
    state = st.session_state
    if not state.get(PLAYING):
        return
    if time.monotonic() - state.get(_SHOWN_AT, 0.0) < PLAY_SECONDS * 0.8:
        return  # the run that drew this day has just finished
    days = state.get(_DAYS) or []
    if not days or flt.snap_day(state.get(ASOF_KEY), days) == days[-1]:
        state[PLAYING] = False
    else:
        _move(+1)
    st.rerun(scope="app")


_ticker = st.fragment(_tick, run_every=PLAY_SECONDS)


def render_time_control(days: Sequence[dt.date], as_of: dt.date | None) -> None:
    """"Situation as of" with a day slider and step back / play / step forward buttons."""
    if not days:
        return
    if len(days) < 2:
        st.caption(f"Situation as of {day_label(days[0])}: the only day with reports")
        return
    playing = bool(st.session_state.get(PLAYING))
    st.select_slider("Situation as of", options=list(days), key=ASOF_KEY, format_func=day_label,
                         help="The map, the counts and the place statuses as known at the end of this "
                              "day. The last day is the latest situation.",
                         on_change=_pause)
    back, play, forward, _ = st.columns([1.3, 1, 1.3, 4.4], vertical_alignment="center")
    back.button("Day before", key="asof_back", icon=":material/skip_previous:", on_click=_step, args=(-1,),
                disabled=(as_of or days[-1]) == days[0], width="stretch")
    if playing:
        play.button("Pause", key="asof_pause", icon=":material/pause:", on_click=_pause, width="stretch")
    else:
        play.button("Play", key="asof_play", icon=":material/play_arrow:", on_click=_play, width="stretch",
                    help=f"One day every {PLAY_SECONDS:g} s, to the last day")
    forward.button("Day after", key="asof_forward", icon=":material/skip_next:", on_click=_step, args=(+1,),
                   disabled=as_of is None, width="stretch")
    if playing:
        st.session_state[_SHOWN_AT] = time.monotonic()
        _ticker()
