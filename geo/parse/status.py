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
from geo.taxonomy import TYPE_KEYS

# each with its Ukrainian and Russian words (geo.parse.lexicon_cyr)
_ENDED = re.compile(r"\b(?:ended|concluded|broke\s+(?:up|off)|wrapped\s+up|finished|closed)\b|" + cyr.ENDED, re.I)
_NO_OUTCOME = re.compile(r"\b(?:outcome|result|breakthrough|agreement|progress)\b|" + cyr.NO_OUTCOME, re.I)
_AGES = re.compile(r"\b(\d{2})\s*(?:-|–|to|and)\s*(\d{2})\b|" + cyr.AGES)
_CITY_WORDS = re.compile(r"\b(?:city|cities|town|towns)\b|" + cyr.CITY_WORDS, re.I)
_BLOC = re.compile(r"\b(?:EU|European\s+Union|NATO|Nato)\b|(?P<eu>" + cyr.BLOC_EU + ")|(?P<nato>" + cyr.BLOC_NATO + ")")
_ALERT = re.compile(r"alert|" + cyr.ALERT, re.I)

PLACE_STATES = ("captured", "under_attack", "encircled", "contested")
_STATE_OF = {"capture": "captured", "encirclement": "encircled", "strike": "under_attack",
             "battle": "contested"}
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
            by = f" by {ev.actors[0]}" if ev.actors else ""
            out.append(_headline(f"captured:{ev.place}", f"{ev.place} captured{by}", q, report))
    return out


_BASIS = {"talks_ended": "diplomacy", "eu_accession": "diplomacy", "nato_accession": "diplomacy",
          "nuclear_alert": "strategic", "exit_ban": "mobilization"}


def headline_basis(key: str) -> tuple[str, str | None] | None:
    """The event type (and place, for a capture) a headline rests on; ``None`` for headlines
    drawn from what did *not* happen ("No major city captured")."""
    if key.startswith("captured:"):
        return "capture", key.split(":", 1)[1]
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


def _state_entry(ev: Event) -> dict:
    return {
        "state": _STATE_OF[ev.event_type], "actor": ev.actors[0] if ev.actors else None,
        "certainty": ev.certainty, "attributed_to": ev.attributed_to, "date": ev.date,
        "source": ev.source, "quote": ev.quote, "event_id": ev.id,
    }


def _summary(states: dict[str, dict]) -> str:
    parts = []
    for key in PLACE_STATES:
        st = states.get(key)
        if not st:
            continue
        label = key.replace("_", " ")
        if key == "captured" and st["actor"]:
            label += f" ({st['actor']})"
        elif st["certainty"] == "claimed" and st["attributed_to"]:
            who = st["attributed_to"]  # a source quoted in Cyrillic is kept as written
            label += f" (claimed by the {who})" if who.isascii() and not who.lower().startswith(
                ("the ", "mr", "ms", "dr")) else f" (claimed by {who})"
        elif st["certainty"] != "confirmed":
            label += f" ({st['certainty']})"
        parts.append(label)
    return ", ".join(parts)


def place_status(events: Iterable[Event]) -> dict[str, dict]:
    """Per place: its current states, newest report first, older ones in history."""
    places: dict[str, dict] = {}
    ordered = sorted((e for e in events if e.event_type in _STATE_OF and e.place
                      and e.place_kind in _LOCAL_KINDS), key=lambda e: (e.date or "", e.start))
    for ev in ordered:
        entry = places.setdefault(ev.place, {"name": ev.place, "lat": ev.lat, "lon": ev.lon,
                                             "states": {}, "history": []})
        new = _state_entry(ev)
        old = entry["states"].get(new["state"])
        if old is not None:
            entry["history"].append(old)
        if new["state"] == "captured" and old and old["actor"] != new["actor"]:
            new["previous_holder"] = old["actor"]
        entry["states"][new["state"]] = new
        entry["last_date"] = ev.date
    for entry in places.values():
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
