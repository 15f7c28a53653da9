"""Status: events (and suppressed findings) to the situation an analyst reads.

Everything here is derived from events; nothing is typed in by hand.  When
reports disagree, the newest state of a place wins and the older one moves
to its history.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from geo.parse import lexicon_cyr as cyr
from geo.parse.events import Extraction
from geo.records import Event, Headline, Report, Result
from geo.lexicon import OPPONENTS
from geo.taxonomy import TYPE_KEYS

# each with its Ukrainian and Russian words (geo.parse.lexicon_cyr)
_ENDED = re.compile(r"\b(?:ended|concluded|broke\s+(?:up|off)|wrapped\s+up|finished|closed)\b|" + cyr.ENDED, re.I)
_NO_OUTCOME = re.compile(r"\b(?:outcome|result|breakthrough|agreement|progress)\b|" + cyr.NO_OUTCOME, re.I)
_AGES = re.compile(r"\b(\d{2})\s*(?:-|–|to|and)\s*(\d{2})\b|" + cyr.AGES)
_CITY_WORDS = re.compile(r"\b(?:city|cities|town|towns)\b|" + cyr.CITY_WORDS, re.I)
_BLOC = re.compile(r"\b(?:EU|European\s+Union|NATO|Nato)\b|(?P<eu>" + cyr.BLOC_EU + ")|(?P<nato>" + cyr.BLOC_NATO + ")")
_ALERT = re.compile(r"alert|" + cyr.ALERT, re.I)

PLACE_STATES = ("captured", "under_attack", "encircled", "contested", "capture_denied", "capture_failed")
"""A place's states.  ``capture_denied``: a capture claimed and denied; ``capture_failed``: an
attempt to take it that failed.  Neither ever reads "captured"."""
_STATE_OF = {"capture": "captured", "encirclement": "encircled", "strike": "under_attack",
             "battle": "contested"}
_LABELS = {"under_attack": "under attack", "capture_denied": "capture claimed but denied",
           "capture_failed": "capture attempt failed"}
_LOCAL_KINDS = ("city", "admin1", "region", "other")


def _headline(key: str, text: str, quote: str, report: Report) -> Headline:
    return Headline(key, text, quote, report.source, report.date)


def _event_headlines(events: Iterable[Event], report: Report, no_outcome: bool) -> list[Headline]:
    out = []
    for ev in events:
        q = ev.quote
        if ev.event_type == "diplomacy" and ev.subtype == "talks" and _ENDED.search(q):
            text = "Peace talks ended" + (" with no outcome" if no_outcome else "")
            out.append(_headline("talks_ended", text, q, report))
        elif ev.event_type == "diplomacy" and ev.subtype == "accession bid":
            bloc = _BLOC.search(q)
            name = "NATO" if bloc and (bloc.group(0).upper() == "NATO" or bloc.group("nato")) else "EU"
            label = "accession" if name == "EU" else "membership"
            out.append(_headline(f"{name.lower()}_accession", f"{name} {label} requested", q, report))
        elif ev.event_type == "strategic" and ev.subtype == "nuclear posture":
            alert = "on high alert" if _ALERT.search(q) else "posture changed"
            out.append(_headline("nuclear_alert", f"Nuclear forces {alert}", q, report))
        elif ev.event_type == "mobilization" and ev.subtype == "exit ban":
            ages = _AGES.search(q)
            span = f" aged {ages.group(1) or ages.group(3)}–{ages.group(2) or ages.group(4)}" if ages else ""
            out.append(_headline("exit_ban", f"Exit ban for men{span}", q, report))
        elif ev.event_type == "capture" and ev.place_kind in _LOCAL_KINDS:
            out.append(_capture_headline(ev, report))
        elif ev.event_type == "battle" and ev.subtype == "failed capture" and ev.place_kind in _LOCAL_KINDS:
            who = f"{ev.actors[0]} failed" if ev.actors else "Failed"
            out.append(_headline(f"capture_failed:{ev.place}", f"{who} to capture {ev.place}", q, report))
    return out


def _capture_headline(ev: Event, report: Report) -> Headline:
    """A capture's line: as fact, as a claim, or as a claim someone denied."""
    by = f" by {ev.actors[0]}" if ev.actors else ""
    if ev.denied_by:
        source = ev.attributed_to or (ev.actors[0] if ev.actors else None)
        claimed = f"claimed by {source}" if source else "claimed"
        if ev.actors and source != ev.actors[0]:
            claimed = f"by {ev.actors[0]} {claimed}"
        return _headline(f"capture_denied:{ev.place}", f"{ev.place}: capture {claimed}, denied by {ev.denied_by}",
                         ev.quote, report)
    verb = "retaken" if ev.subtype == "retaken" else "captured"
    claimed = ""
    if ev.certainty == "claimed":
        claimed = f" (claimed by {ev.attributed_to})" if ev.attributed_to else " (claimed)"
    return _headline(f"captured:{ev.place}", f"{ev.place} {verb}{by}{claimed}", ev.quote, report)


_BASIS = {"talks_ended": "diplomacy", "eu_accession": "diplomacy", "nato_accession": "diplomacy",
          "nuclear_alert": "strategic", "exit_ban": "mobilization"}


def headline_basis(key: str) -> tuple[str, str | None] | None:
    """The event type (and place, for a capture) a headline rests on; ``None`` for headlines
    drawn from what did *not* happen ("No major city captured")."""
    if key.startswith(("captured:", "capture_denied:")):
        return "capture", key.split(":", 1)[1]
    if key.startswith("capture_failed:"):
        return "battle", key.split(":", 1)[1]
    etype = _BASIS.get(key)
    return (etype, None) if etype else None


def headlines_for(extraction: Extraction, report: Report) -> list[Headline]:
    """Headline items of one report, each with the sentence it rests on."""
    no_outcome = any(f.reason in ("negated", "modal") and _NO_OUTCOME.search(f.clause)
                     for f in extraction.findings if f.event_type == "diplomacy")
    out = []
    for f in extraction.findings:
        if f.event_type == "capture" and f.reason == "negated" and _CITY_WORDS.search(f.clause):
            out.append(_headline("no_major_city_captured", "No major city captured", f.quote, report))
            break
    out += _event_headlines(extraction.events, report, no_outcome)
    unique: dict[str, Headline] = {}
    for h in out:
        unique.setdefault(h.key, h)
    return list(unique.values())


def state_of(ev: Event) -> str | None:
    """The place state an event sets, if any: a denied capture or a failed attempt never
    sets "captured"."""
    if ev.event_type == "capture" and ev.denied_by:
        return "capture_denied"
    if ev.event_type == "battle" and ev.subtype == "failed capture":  # the subtype says it in any store
        return "capture_failed"
    return _STATE_OF.get(ev.event_type)


def _state_entry(ev: Event, state: str) -> dict:
    return {
        "state": state, "actor": ev.actors[0] if ev.actors else None,
        "certainty": ev.certainty, "attributed_to": ev.attributed_to, "date": ev.date,
        "source": ev.source, "quote": ev.quote, "event_id": ev.id, "subtype": ev.subtype,
        "denied_by": ev.denied_by, "outcome": ev.outcome,
    }


def _label(key: str, st: dict) -> str:
    label = _LABELS.get(key, key)
    if key == "captured":
        if st.get("subtype") == "retaken" or st.get("previous_holder"):
            label = "retaken"
        who = st["actor"] or ""
        if st["certainty"] == "claimed":
            who += (", " if who else "") + (f"claimed by {st['attributed_to']}" if st["attributed_to"] else "claimed")
        return label + (f" ({who})" if who else "")
    if key == "capture_denied":
        by = f" by {st['actor']}" if st["actor"] else ""
        return f"capture{by} claimed but denied by {st['denied_by']}"
    if key == "capture_failed":
        return label + (f" ({st['actor']})" if st["actor"] else "")
    if st.get("denied_by"):
        return label + f" (denied by {st['denied_by']})"
    if st["certainty"] == "claimed" and st["attributed_to"]:
        who = st["attributed_to"]  # a source quoted in Cyrillic is kept as written
        return label + (f" (claimed by the {who})" if who.isascii() and not who.lower().startswith(
            ("the ", "mr", "ms", "dr")) else f" (claimed by {who})")
    if st["certainty"] != "confirmed":
        return label + f" ({st['certainty']})"
    return label


def _summary(states: dict[str, dict]) -> str:
    parts = []
    for key in PLACE_STATES:
        st = states.get(key)
        if st:
            parts.append(_label(key, st) + (" [undated]" if st.get("undated") else ""))
    return ", ".join(parts)


def place_status(events: Iterable[Event]) -> dict[str, dict]:
    """Per place: its current states, newest report first, older ones in history.

    Undated events never overrule a dated state: they are shown, flagged
    ``undated``, only for a state nothing dated has set.  A capture retaken
    ("liberated", "retook") with no actor named is taken by the other side
    of the war from the one that held the place.
    """
    places: dict[str, dict] = {}
    local = [e for e in events if state_of(e) and e.place and e.place_kind in _LOCAL_KINDS]
    ordered = sorted((e for e in local if e.date), key=lambda e: (e.date, e.start))
    for ev in ordered + [e for e in local if not e.date]:
        entry = places.setdefault(ev.place, {"name": ev.place, "lat": ev.lat, "lon": ev.lon,
                                             "states": {}, "history": []})
        new = _state_entry(ev, state_of(ev))
        old = entry["states"].get(new["state"])
        if not ev.date:
            new["undated"] = True
            if old is not None:
                entry["history"].append(new)
                continue
        if old is not None:
            entry["history"].append(old)
        if new["state"] == "captured" and old and old["actor"]:
            if new["actor"] is None and ev.subtype == "retaken":
                new["actor"] = OPPONENTS.get(old["actor"])
            if old["actor"] != new["actor"]:
                new["previous_holder"] = old["actor"]
        entry["states"][new["state"]] = new
        if ev.date:
            entry["last_date"] = ev.date
    for entry in places.values():
        entry.setdefault("last_date", None)
        entry["summary"] = _summary(entry["states"])
    return places


def build_status(results: Iterable[Result]) -> dict:
    """The merged status of many reports, as written to ``status.json``."""
    results = sorted(results, key=lambda r: (r.report.date or "", r.report.source))
    events = [e for r in results for e in r.events]
    headlines: dict[str, dict] = {}
    for r in results:
        for h in r.headlines:
            headlines[h.key] = {"key": h.key, "text": h.text, "quote": h.quote,
                                "source": h.source, "date": h.date}
    days = [r.war_day for r in results if r.war_day is not None]
    dates = [r.report.date for r in results if r.report.date]
    counts = Counter(e.event_type for e in events)
    return {
        "war_day": max(days) if days else None,
        "report_date": max(dates) if dates else None,
        "date_range": [min(dates), max(dates)] if dates else None,
        "reports": [r.report.source for r in results],
        "places": place_status(events),
        "headlines": list(headlines.values()),
        "counts": {k: counts[k] for k in TYPE_KEYS if counts[k]},
        "total_events": len(events),
    }
