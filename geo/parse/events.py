"""Events: sentences with resolved places to typed, attributed ``Event`` records.

Per clause: find every trigger, bind each to the places of its own stretch
(``geo.parse.binding``), find who acted and who said so, and whether the
text negates, hedges, denies or reports a failed attempt
(``geo.parse.claims``).  Negated and hypothetical triggers go to the status
as ``Finding`` records; a failed capture is fighting, not a capture.  Each
event takes the date its clause names (``geo.parse.dates``), else the
report's.  Where no place is named, the event falls back to the actor's
country (for state acts such as mobilisation) or to the country the report
is about.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from geo.lexicon import COUNTRY_ACTORS, DEMONYMS
from geo.parse import cues
from geo.parse._gates import fold
from geo.parse._scan import has_trigger, text_gates, trigger_matches
from geo.parse.binding import (COUNTRY_LEVEL_TYPES, Hit, bound_places, fallback_place, place_roles,
                               satisfied, within)
from geo.parse.claims import (actor_spans, attempt_outcome, attribution, clause_actors, country_actor,
                              denial_after, denial_of_before, denier, hit_actors, negation_reason,
                              said_at_start, source_apart, trailing_source)
from geo.parse.horizon import quote_window
from geo.parse.dates import DateMention, TextDates, event_date
from geo.parse.dateline import dateline_place, prefer_dateline
from geo.parse.sentences import list_goes_on, split_clauses, split_sentences
from geo.parse.triggers import TRIGGERS, Trigger
from geo.records import Event, Place

ACTOR_DRIVEN_TYPES = frozenset({"mobilization", "strategic", "diplomacy", "capture",
                                "encirclement", "troop_movement", "losses", "battle"})
"""Types whose actor, if a clause omits it, is the sentence's actor."""

_NO_INHERIT = frozenset(t.subtype for t in TRIGGERS if t.loc == "subject")
"""Subtypes whose subject is a place (a launching point), not an actor."""

_CO_OCCUR = frozenset({("civilian_harm", "strike")})
"""(outer, inner) types that both stand when one hit holds the other: "a hospital
struck", "shelling of a residential area" are a strike and harm to civilians."""
CARRIED_TYPES = frozenset({"civilian_harm", "strike", "losses"})
"""Types whose event, in a sentence naming no place, is where the sentence before put its own."""
_WHO_DIED = frozenset({"civilian_harm", "losses"})  # types that say who was killed or wounded
_BACK_TO = re.compile(r"\b(?:the|this|that)\s+(?:attacks?|assaults?|offensive|advance)\b", re.I)
"""A trigger naming an event told before ("repelled the attack"): where that one was, too."""

_ORDER = {t: i for i, t in enumerate(TRIGGERS)}
MAX_HITS = 64
"""Hits kept per clause, in text order: a clause of thousands (a text with no full stops)
would make binding, which compares hits pairwise, quadratic."""
_FAILED_CAPTURE = {"failed": "failed capture", "attempted": "attempted capture"}


@dataclass(frozen=True, slots=True)
class Finding:
    """A trigger that did not become an event (negated or hypothetical)."""

    event_type: str
    subtype: str | None
    reason: str  # "negated", "modal" or "held"
    clause: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Extraction:
    events: tuple[Event, ...]
    findings: tuple[Finding, ...]
    stopped_at: int | None = None  # where reading stopped at ``Context.max_events``, if it did


@dataclass(frozen=True, slots=True)
class Context:
    """What event extraction needs beyond the text and its places."""

    source: str
    date: str | None
    theatre: Place | None  # the country the report is about
    country_place: object  # callable: ISO code -> Place | None
    area_for: object  # callable: Place -> GeoJSON geometry of an encirclement area
    max_events: int | None = None  # stop reading for events once a report has this many


def event_id(source: str, start: int, end: int, event_type: str, place: str | None) -> str:
    """A stable id: the same report always gives the same ids."""
    key = f"{source}|{start}|{end}|{event_type}|{place or ''}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _between(places: list[Place], start: int, end: int) -> list[Place]:
    """The places starting in [start, end) of a list sorted by start (a bisection)."""
    lo = bisect.bisect_left(places, start, key=lambda p: p.start)
    hi = bisect.bisect_left(places, end, lo, key=lambda p: p.start)
    return places[lo:hi]


def clause_hits(text: str, cs: int, ce: int) -> list[Hit]:
    """Every trigger hit of a clause, in text order.

    Of two overlapping hits of one type the earlier stays (the first trigger
    names the subtype).  A hit lying inside a longer hit of another type is
    that hit's part ("repelled an attack", "destroyed a howitzer").  ``other``
    (deaths with no word on who died) counts only when nothing else fires.
    """
    hits = sorted((Hit.of(TRIGGERS[i], m) for i, m in trigger_matches(text, cs, ce)),
                  key=lambda h: (h.start, _ORDER[h.trigger]))
    merged: list[Hit] = []
    reach: dict[str, tuple[int, int]] = {}  # per type, where its last kept hit ends, and its index
    for h in hits:
        end, at = reach.get(h.trigger.event_type, (-1, -1))
        if h.trigger.subtype == "casualties" and at >= 0 and merged[at].trigger.subtype == "damage":
            # "... damaged a building, killing four people": the deaths name the harm
            merged[at] = dataclasses.replace(merged[at], trigger=h.trigger)
        if h.start >= end:
            merged.append(h)
            reach[h.trigger.event_type] = (h.end, len(merged) - 1)
            if len(merged) == MAX_HITS:
                break
    kept = [h for h in merged if not any(
        o.trigger.event_type != h.trigger.event_type and o.start <= h.start and h.end <= o.end
        and o.end - o.start > h.end - h.start and (o.trigger.event_type, h.trigger.event_type) not in _CO_OCCUR
        for o in merged)]
    if any(h.trigger.event_type != "other" for h in kept):
        kept = [h for h in kept if h.trigger.event_type != "other"]
    return kept


def _usable_hits(text: str, cs: int, ce: int, places: list[Place]) -> list[Hit]:
    """The clause's hits whose trigger has the place next to it that it needs."""
    hits = clause_hits(text, cs, ce)
    if not any(h.trigger.needs for h in hits):
        return hits
    out = []
    for k, h in enumerate(hits):
        lo = max([g.end for g in hits if g.end <= h.start], default=cs)
        hi = min([g.start for g in hits if g.start >= h.end], default=ce)
        if satisfied(text, h, places, lo, hi):
            out.append(h)
    return out


def _holding(text: str, tm: re.Match, place: Place | None, cs: int) -> bool:
    """A defender keeping what it holds ("remained under Ukrainian control"), not a capture."""
    if cues.HOLD_BEFORE.search(text, max(cs, tm.start() - 40), tm.start()):
        return True
    under = cues.UNDER_CONTROL.search(tm.group(0))
    if not under or place is None or place.kind == "country":
        return False
    if re.search(r"\bback\s+$", text[max(cs, tm.start() - 6):tm.start()], re.I):
        return False  # "back under Ukrainian control": retaken
    d = cues.DEMONYM.search(under.group(0))
    return bool(d) and DEMONYMS[fold(d.group(0))] == place.country_code


@dataclass
class _Sentence:
    """What one sentence's clauses share while their events are made."""

    text: str
    span: tuple[int, int]
    places: list[Place]
    ctx: Context
    dates: list[DateMention]
    clauses: list[tuple[int, int]]
    hits: list[list[Hit]]
    roles: dict[int, str]
    tail: tuple[str, int] | None
    carried: Place | None = None  # where the sentence before put its events, if it names no place
    carried_date: tuple[str | None, str | None] = (None, None)  # and their date, and where it came from
    _bound: dict = dataclasses.field(default_factory=dict)

    # read only when a hit of the sentence makes an event
    @functools.cached_property
    def who(self) -> dict[int, str]:
        """Clause index to the source it is attributed to."""
        return attribution(self.text, self.clauses)

    @functools.cached_property
    def reported(self) -> bool:
        return cues.REPORTED.search(self.text, *self.span) is not None

    def bound(self, i: int, hits: list[Hit], k: int, places: list[Place], actors: list[str]) -> list[Place]:
        """``bound_places`` for hit ``k`` of clause ``i``, worked out once."""
        key = (i, k, tuple(actors))
        if key not in self._bound:
            cs, ce = self.clauses[i]
            self._bound[key] = bound_places(self.text, cs, ce, hits, k, places, self.roles, actors)
        return self._bound[key]


def _reason(text: str, cs: int, ce: int, hits: list[Hit], k: int, reasons: dict[int, str | None]) -> str | None:
    """Why hit ``k`` is not plain fact; a hit joined to a negated or hedged one before it
    shares its reason ("did not shell or capture X")."""
    h = hits[k]
    prev = [j for j in range(k) if hits[j].end <= h.start]
    lo = hits[prev[-1]].end if prev else cs
    own = negation_reason(text, lo if prev else cs, h.start, h.end, ce)
    if own is None and prev and reasons.get(prev[-1]) and not cues.SCOPE_BREAK.search(text, lo, h.start) \
            and not cues.DEMONYM.search(text, lo, h.start):
        return reasons[prev[-1]]
    return own


def _actors(sent: _Sentence, i: int, places: list[Place], prev_actors: list[str],
            last_actors: Callable[[], list[str]]) -> tuple[list[str], list[tuple[int, str]]]:
    """Who acts in clause ``i``, and where each actor named in it is (none when the actors
    come from the speaker, the clause before or the sentence before)."""
    text = sent.text
    cs, ce = sent.clauses[i]
    if sent.tail is not None:  # the source named at the end does not act
        ce = max(cs, min(ce, sent.tail[1]))
    clause = text[cs:ce]
    said = said_at_start(clause)
    actor_from = cs + said.end() if said else cs
    spans = actor_spans(text, actor_from, ce, places, speakers=False)
    actors = list(dict.fromkeys(a for _, a in spans))
    if not actors and said and (cues.POSSESSIVE_FORCES.search(text, actor_from, ce)
                                or cues.SELF_REFERENCE.match(text[actor_from:ce])):
        # "the Russian defence ministry said its troops ...", "Russia claimed to have taken":
        # the speaker's side
        actors = clause_actors(text, cs + said.start("who"), cs + said.end(), places)
    lead = clause.lstrip("“\"' ")
    dated = [d for d in sent.dates if cs <= d.start <= cs + 3]
    if dated:  # "a week later they shelled ...": the subject after the date
        lead = text[dated[0].end:ce].lstrip(",“\"' ")
    if not actors and cues.ELLIPTIC_START.match(lead):
        actors = list(prev_actors)
    if not actors and cues.PRONOUN_START.match(lead):  # "they": the clause before, else the sentence before
        actors = list(prev_actors) or list(last_actors())
    return actors, spans


def _located(sent: _Sentence, i: int, hits: list[Hit], k: int, places: list[Place], actors: list[str],
             bound_elsewhere: set[int], known: set, dateline: Place | None) -> list[Place | None] | None:
    """Where hit ``k``'s event goes; ``None`` when it refers back to an event already made."""
    text, (cs, ce) = sent.text, sent.clauses[i]
    h = hits[k]
    located = sent.bound(i, hits, k, places, actors)
    if located:
        return located
    if cues.ANAPHORA.search(text, max(cs, h.start - 20), h.start) \
            and (h.trigger.event_type, h.trigger.subtype) in known:
        return None  # "the talks": a reference to an event already reported
    # without a dateline (which places what the text does not): "Kherson was shelled. Two
    # civilians were injured." at Kherson, and "advanced west of Krasnohorivka" near it
    near = dateline is None and h.trigger.event_type not in ("capture", "encirclement")
    if near and not sent.places and sent.carried is not None and (
            h.trigger.event_type in CARRIED_TYPES or _BACK_TO.search(h.match.group(0))
            or cues.PLACE_ANAPHORA.search(text, cs, ce)):
        return [sent.carried]  # "... near Klishchiivka. Russian sources claimed to have repelled the attack."
    pool = [p for p in sent.places if sent.roles.get(p.start, "bare") in ("loc", "bare")]
    if h.trigger.event_type in ("capture", "encirclement"):  # never another trigger's place
        pool = [p for p in pool if p.start not in bound_elsewhere]
    elif near:
        pool += [p for p in sent.places if sent.roles.get(p.start) == "ref" and p.kind != "country"]
    if all(p.kind == "country" for p in pool):  # "in the Kherson direction": near the town, if nowhere else
        pool += [p for p in sent.places if sent.roles.get(p.start) == "axis"]
    fb = fallback_place(h.trigger.event_type, actors, sent.ctx.theatre, _countries_for(actors, sent.ctx), pool)
    return [fb] if fb else [None]


def _sentence_events(sent: _Sentence, last_actors: Callable[[], list[str]], known: set,
                     dateline: Place | None) -> tuple[list[Event], list[Finding], list[str], str | None]:
    text, ctx = sent.text, sent.ctx
    s, e = sent.span
    events: list[Event] = []
    findings: list[Finding] = []
    prev_actors: list[str] = []
    sentence_actors: list[str] = []
    denied_before: str | None = None
    framing = {0} | {i for i, hs in enumerate(sent.hits) if not hs}
    bound: dict[tuple[int, int], list[Place | None]] = {}
    for i, (cs, ce) in enumerate(sent.clauses):
        if sent.tail is not None and cs >= sent.tail[1]:
            break
        clause_places = _between(sent.places, cs, ce)
        denial = denial_of_before(text, cs, ce, clause_places) if not sent.hits[i] else None
        if denial is not None:
            if events:
                events = [_denied(ev, denial.who) for ev in events]
            else:
                denied_before = denial.who
            continue
        actors, spans = _actors(sent, i, clause_places, prev_actors, last_actors)
        if cues.ACCORDING_START.match(text, cs, ce):
            continue  # the source's own name is not where anything happened
        hits = sent.hits[i]
        reasons: dict[int, str | None] = {}
        for k, h in enumerate(hits):
            reasons[k] = _reason(text, cs, ce, hits, k, reasons)
        for k, h in enumerate(hits):
            acting = actors
            if spans:
                lo = max([g.end for g in hits if g.end <= h.start], default=cs)
                acting = hit_actors(spans, lo, h.start, h.end)
            made, found = _hit_events(sent, i, hits, k, reasons[k], clause_places, acting, known,
                                      dateline, framing, bound)
            events += made
            findings += found
        prev_actors = actors or prev_actors
        sentence_actors += [a for a in actors if a not in sentence_actors]
    events = [ev if ev.subtype in _NO_INHERIT else _with_actors(ev, sentence_actors) for ev in events]
    tacked = denial_after(text, s, e, sent.places)
    if tacked is not None:  # "..., a claim Kyiv rejected": the claims before it are denied
        events = [_denied(ev, tacked[1].who) for ev in events]
    return _dedupe(events), findings, sentence_actors, denied_before


def _hit_events(sent: _Sentence, i: int, hits: list[Hit], k: int, reason: str | None,
                places: list[Place], actors: list[str], known: set, dateline: Place | None,
                framing: set[int], bound: dict) -> tuple[list[Event], list[Finding]]:
    text, ctx = sent.text, sent.ctx
    s, e = sent.span
    cs, ce = sent.clauses[i]
    h = hits[k]
    trig, tm = h.trigger, h.match
    clause = text[cs:ce]
    denied_by, outcome = None, None
    acting = actors
    if reason == "denied":  # a denial is news too: keep the event, flagged
        denied_by, split = denier(text, cs, h.start, places)
        acting = clause_actors(text, split, ce, places)
        reason = None
    failure = attempt_outcome(text, cs, h.start, ce, reason) \
        if trig.event_type in ("capture", "battle") and reason else None
    if reason:
        finding = Finding(trig.event_type, trig.subtype, reason, clause, text[s:e], s, e)
        if failure is None:
            return [], [finding]
        if trig.event_type == "capture":
            trig = Trigger("battle", _FAILED_CAPTURE[failure], trig.pattern, trig.loc, trig.needs)
        outcome = "failed" if failure == "failed" else None
    who = sent.who.get(i) or (sent.tail[0] if sent.tail else None)
    certainty = "claimed" if who or denied_by else ("reported" if sent.reported else "confirmed")
    bound_elsewhere = _BoundElsewhere(bound, (i, k))
    if outcome or failure:  # a failed attempt is drawn only where the text puts it
        located = [p for p in sent.bound(i, hits, k, places, acting)
                   if p.kind != "country"]
        if not located:
            return [], [finding]
    elif _sibling_binds(sent, i, hits, k, places, acting) or _overlap_binds(sent, i, hits, k, places, acting):
        return [], []  # "delegations met for talks in Belarus": one event, where the other hit puts it
    else:
        located = _located(sent, i, hits, k, places, acting, bound_elsewhere, known, dateline)
        if located is None:
            return [], []
    bound[(i, k)] = located
    if dateline is not None:
        located = [_narrowed(p, dateline, text, trig) for p in located]
    if trig.event_type == "capture":
        under = cues.UNDER_CONTROL.search(tm.group(0))
        d = cues.DEMONYM.search(under.group(0)) if under else None
        holder = d.group(0) if d else None  # "under Russian control": the holder named in the phrase
        if holder is None and trig.subtype == "flag raised":  # "Russian flag raised over Vuhledar": its side
            b = cues.DEMONYM_BEFORE.search(text, max(cs, tm.start() - 20), tm.start())
            holder = b.group("d") if b else None
        if holder:
            acting = [country_actor(DEMONYMS[fold(holder)])]
    if trig.event_type == "losses" and (side := cues.losing_side(text, tm, cs, ce)):
        acting = [country_actor(side)]  # "destroyed a Ukrainian humvee": the side that lost it
    elif trig.event_type == "strike" and (side := cues.weapon_side(text, tm.start(), tm.end())):
        acting = [country_actor(side)]  # "shot down 10 of 17 Shahed drones": Russia's attack
    lo = min([g.start for g in hits if g.start >= h.end], default=ce)
    mention = event_date(sent.dates, sent.span, sent.clauses, i, h.start, lo, framing)
    date, date_source = (mention.day.isoformat(), "text") if mention else (ctx.date, "report" if ctx.date else None)
    if mention is None and sent.carried is not None and located == [sent.carried]:
        date, date_source = sent.carried_date  # the day of the sentence whose place it took
    events, findings = [], ([finding] if outcome or failure else [])
    if outcome is None and trig.event_type == "battle" and cues.FAILED.search(tm.group(0)):
        outcome = "failed"  # "Russian forces unsuccessfully attacked near X"
    for place in located:
        if trig.event_type == "capture" and _holding(text, tm, place, cs):
            findings.append(Finding(trig.event_type, trig.subtype, "held", clause, text[s:e], s, e))
            continue
        who_acts = acting
        if trig.loc == "subject" and place is not None:
            who_acts = [a for a in acting if a != country_actor(place.country_code or "")]
        events.append(_make_event(trig, tm, place, who_acts, certainty, who, sent.span, text, ctx,
                                  denied_by=denied_by, outcome=outcome, date=date, date_source=date_source))
    return events, findings


def _sibling_binds(sent: _Sentence, i: int, hits: list[Hit], k: int, places: list[Place],
                   actors: list[str]) -> bool:
    """Whether hit ``k`` binds no place but a hit of its type next to it does (no hit of
    another type between them): the two are one event."""
    text, (cs, ce) = sent.text, sent.clauses[i]
    etype = hits[k].trigger.event_type
    if sum(g.trigger.event_type == etype for g in hits) < 2 \
            or sent.bound(i, hits, k, places, actors):
        return False
    for j, g in enumerate(hits):
        if j == k or g.trigger.event_type != etype:
            continue
        lo, hi = sorted((j, k))
        if any(hits[x].trigger.event_type != etype for x in range(lo + 1, hi)):
            continue
        if sent.bound(i, hits, j, places, actors):
            return True
    return False


def _overlap_binds(sent: _Sentence, i: int, hits: list[Hit], k: int, places: list[Place],
                   actors: list[str]) -> bool:
    """Whether hit ``k`` binds no place but a hit overlapping it does ("troops pushed" in
    "troops pushed Russian forces out of Kharkiv oblast"): one phrase, one place."""
    h = hits[k]
    kind = h.trigger.event_type
    # "bus hit by shelling" overlaps "hit by": a strike and harm to civilians, each its own event
    others = [j for j, g in enumerate(hits) if j != k and g.start < h.end and h.start < g.end
              and (kind, g.trigger.event_type) not in _CO_OCCUR and (g.trigger.event_type, kind) not in _CO_OCCUR]
    return bool(others) and not sent.bound(i, hits, k, places, actors) \
        and any(sent.bound(i, hits, j, places, actors) for j in others)


class _BoundElsewhere:
    """``start in it``: whether a place starting there is bound to another hit of the
    sentence than ``key``; looked up only when a capture needs a fallback place."""

    def __init__(self, bound: dict, key: tuple[int, int]):
        self.bound, self.key = bound, key

    def __contains__(self, start: int) -> bool:
        return any(p is not None and p.start == start
                   for other, ps in self.bound.items() if other != self.key for p in ps)


def _denied(ev: Event, who: str) -> Event:
    return dataclasses.replace(ev, denied_by=ev.denied_by or who, certainty="claimed")


def _narrowed(place: Place | None, dateline: Place, text: str, trig: Trigger) -> Place | None:
    """The dateline's town instead of a vaguer place the event was put at: the region
    around it ("Kharkiv region") or a place that only names a facility near it
    ("Zaporizhzhia nuclear power plant")."""
    if place is None or place.kind == "country" or place is dateline or trig.event_type in COUNTRY_LEVEL_TYPES:
        return place
    if place.kind == "admin1" and within(dateline, place):
        return dateline
    if place.start > dateline.end and cues.FACILITY_AFTER.match(text, place.end, place.end + 40):
        return dateline
    return place


def _with_actors(ev: Event, actors: list[str]) -> Event:
    if ev.actors or not actors or ev.event_type not in ACTOR_DRIVEN_TYPES:
        return ev
    if ev.denied_by and ev.denied_by in actors:  # the denier is not the one who acted
        actors = [a for a in actors if a != ev.denied_by]
        if not actors:
            return ev
    return dataclasses.replace(ev, actors=tuple(actors))


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per type and place in a sentence (several clauses may say it twice)."""
    seen, out = set(), []
    for ev in events:
        if (ev.event_type, ev.place) not in seen:
            seen.add((ev.event_type, ev.place))
            out.append(ev)
    return out


_ACTOR_CC = {v: k for k, v in COUNTRY_ACTORS.items()}


def _countries_for(actors: list[str], ctx: Context) -> dict[str, Place]:
    out = {}
    for a in actors:
        cc = _ACTOR_CC.get(a)
        place = ctx.country_place(cc) if cc else None
        if place is not None:
            out[a] = place
    return out


def _make_event(trigger: Trigger, tm: re.Match, place: Place | None, actors: list[str],
                certainty: str, who: str | None, sent: tuple[int, int], text: str,
                ctx: Context, **more) -> Event:
    """The event a trigger makes at a place; ``more``: its other fields (the date, by
    default the report's)."""
    more.setdefault("date", ctx.date)
    geometry = place.geometry if place else None
    if place is not None and trigger.event_type == "encirclement" and place.kind == "city":
        geometry = ctx.area_for(place)
    s, e = sent
    return Event(
        id=event_id(ctx.source, s, e, trigger.event_type, place.name if place else None),
        event_type=trigger.event_type, subtype=trigger.subtype,
        place=place.name if place else None, geometry=geometry, actors=tuple(actors),
        certainty=certainty, attributed_to=who, quote=quote_window(text, s, e, tm.start()), start=s,
        end=e, trigger=tm.group(0), source=ctx.source, place_kind=place.kind if place else None,
        lat=place.lat if place else None, lon=place.lon if place else None,
        precision=place.precision if place else None, **more,
    )


def _sentence(text: str, span: tuple[int, int], places: list[Place], ctx: Context,
              dates: TextDates) -> _Sentence:
    s, e = span
    tail = trailing_source(text, s, e)
    if tail is not None:  # the source's own words are not where anything happened
        places = [p for p in places if p.start < tail[1]]
    roles: dict[int, str] = {}
    hits, clauses, starts = [], [], [p.start for p in places]
    for cs, ce in source_apart(text, split_clauses(text, s, e)):
        # a list read up to the source at the sentence's end: "..., and Novoprokopivka, the General Staff reported"
        listed = min(ce, tail[1]) if tail is not None and cs < tail[1] else ce
        if hits and hits[-1] and (text.startswith(("and ", "or "), cs) or text[max(0, cs - 4):cs].rstrip().endswith(";")) \
                and bisect.bisect_right(starts, hits[-1][0].end) < bisect.bisect_left(starts, clauses[-1][1]) \
                and list_goes_on(text, cs, listed, [(p.start, p.end) for p in _between(places, cs, listed)]) \
                and not has_trigger(text, text_gates(text), cs, ce):
            cs = clauses.pop()[0]  # "..., and Vodiane": the clause before goes on
            hits.pop()
        clauses.append((cs, ce))
        clause_places = _between(places, cs, ce)
        roles.update(place_roles(text, cs, ce, clause_places))
        hits.append(_usable_hits(text, cs, ce, clause_places))
    types = {h.trigger.event_type for hs in hits for h in hs if h.trigger.needs != "alone"}
    if types:  # a caption's presence counts only when the sentence reports nothing else
        hits = [[h for h in hs if h.trigger.needs != "alone"] for hs in hits]
    if "other" in types and types & _WHO_DIED:  # "killed 27 civilians ..., and injured over 200": theirs
        typed = next(i for i, hs in enumerate(hits) if any(h.trigger.event_type in _WHO_DIED for h in hs))
        hits = [hs if i <= typed else [h for h in hs if h.trigger.event_type != "other"] for i, hs in enumerate(hits)]
    # a sentence with no usable trigger dates nothing; a later "a week later" still reads it
    said = dates.in_span(s, e) if any(hits) else []
    return _Sentence(text, span, places, ctx, said, clauses, hits, roles, tail)


def extract_events(text: str, places: list[Place], ctx: Context) -> Extraction:
    """Every event and every suppressed trigger in a report."""
    events: list[Event] = []
    findings: list[Finding] = []
    # who acted in the last sentence naming anyone, for a sentence opening with "they": worked
    # out only when such a sentence asks, from the sentences without events since then
    last_actors: list[str] = []
    quiet: list[tuple[int, int]] = []

    def actors_before() -> list[str]:
        nonlocal last_actors
        for s, e in reversed(quiet):  # the latest sentence naming an actor
            found = clause_actors(text, s, e, _between(ordered, s, e))
            if found:
                last_actors = found
                break
        quiet.clear()
        return last_actors

    known: set[tuple[str, str | None]] = set()
    ordered = sorted(places, key=lambda p: p.start)
    dateline = dateline_place(text, places)
    dates = TextDates(text, ctx.date)
    gates = text_gates(text)
    last_sentence: list[int] = []  # indices into events of the last sentence that made any
    stopped_at = None
    carried: Place | None = None
    carried_date: tuple[str | None, str | None] = (None, None)
    for span in split_sentences(text):
        if not has_trigger(text, gates, *span):
            denial = denial_of_before(text, *span, _between(ordered, *span)) if last_sentence else None
            if denial is not None:  # "Kyiv denied this.", right after the claim
                for j in last_sentence:
                    events[j] = _denied(events[j], denial.who)
            last_sentence, carried = [], None
            quiet.append(span)
            continue
        sent = _sentence(text, span, _between(ordered, *span), ctx, dates)
        sent.carried, sent.carried_date = carried, carried_date
        ev, fi, actors, denied_before = _sentence_events(sent, actors_before, known, dateline)
        carried = next((p for p in sent.places if p.kind not in ("country", "border")
                        and any(x.place == p.name for x in ev)), None)
        carried_date = next(((x.date, x.date_source) for x in ev if carried and x.place == carried.name), (None, None))
        if ctx.max_events is not None and len(events) + len(ev) > ctx.max_events:
            stopped_at = span[0]  # a report lists whole sentences' events, up to the bound
            break
        if denied_before is not None and last_sentence:
            for j in last_sentence:
                events[j] = _denied(events[j], denied_before)
        known.update((x.event_type, x.subtype) for x in ev)
        if ev:
            last_sentence = list(range(len(events), len(events) + len(ev)))
        events += ev
        findings += fi
        if actors:
            last_actors = actors
            quiet.clear()
    events = prefer_dateline(events, dateline, ctx)
    return Extraction(tuple(events), tuple(findings), stopped_at)
