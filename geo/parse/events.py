"""Events: sentences with resolved places to typed, attributed ``Event`` records.

Per clause: find triggers, drop negated or hypothetical ones (they go to the
status as ``Finding`` records instead), find who acted, who said so, and
where it happened.  Where no place is named, the event falls back to the
actor's country (for state acts such as mobilisation) or to the country the
report is about.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from geo.lexicon import COUNTRY_ACTORS, DEMONYMS, LEADERS
from geo.names import word_char_at
from geo.records import Event, Place
from geo.parse.sentences import split_clauses, split_sentences
from geo.parse.triggers import ANY_TRIGGER, TRIGGERS, Trigger

_NEGATION = re.compile(
    r"\b(?:not|no(?!\.?\s*\d)|never|nor|failed\s+to|fails?\s+to|unable\s+to|without|"
    r"ruled?\s+out|false|rumou?rs?\s+(?:of|that)|\w+n['’]t)\b", re.I)
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|refut(?:e|es|ed)|rejected\s+(?:claims|reports))\b", re.I)
_MODAL = re.compile(
    r"\b(?:expected\s+to|will|would|could|might|may|shall|should|plans?\s+to|planned\s+to|planning\s+to|"
    r"intends?\s+to|threaten(?:s|ed)?\s+to|willing\s+to|ready\s+to|prepared\s+to|open\s+to|"
    r"wants?\s+to|wanted\s+to|hopes?\s+to|aims?\s+to|attempt(?:s|ed|ing)?\s+to|tr(?:y|ied|ying)\s+to|"
    r"if|unless|unlikely|possibl[ey]|potential(?:ly)?|risk\s+(?:of|for)|fears?\s+(?:of|that)|"
    r"warn(?:s|ed)?\s+(?:of|that)|call(?:s|ed)?\s+for|believe)\b", re.I)
_NEGATED_AFTER = re.compile(
    r"\b(?:was|were|been|is|are|be)\s+(?:\w+\s+)?(?:declined|rejected|cancell?ed|called\s+off|"
    r"postponed|denied|refuted|averted)\b|\bunlikely\b|\bdid\s+not\s+(?:happen|take\s+place)\b", re.I)
_REPORTED = re.compile(
    r"\b(?:reports?\s+(?:of|that)|reportedly|reported|allegedly|unconfirmed|rumou?red)\b", re.I)
# a source named after the sentence: "..., the city's mayor said." / "..., said the mayor."
_SAID_AFTER = re.compile(
    r",\s*(?:(?P<who>(?:the\s+|a\s+)?[^,.;:!?\"“”]{2,60}?)\s+(?:said|says|claimed|claims|stated|reported|"
    r"announced|added|told\s+\w+)|(?:said|says|claimed|stated|announced|added)\s+"
    r"(?P<who2>(?:the\s+|a\s+)?[^,.;:!?\"“”]{2,60}?))\s*[.!]?[\"”’']?\s*$")
# a wire headline's source after a dash at the end: "... in past 24 hours - JFO HQ"
_DASH_SOURCE = re.compile(r"(?:\s[-–—]|:)\s+(?P<who>[A-Za-z][\w'’.]*(?:\s+[\w'’.]+){0,4})\s*$")
# what leads a speaker's name but is not part of it: "By the afternoon the governor said"
_TIME_LEAD = re.compile(
    r"^(?:(?:by|on|in|at|during|after|before|since|until|late|early|earlier|later)\s+"
    r"(?:the\s+|this\s+|that\s+|last\s+|on\s+)?(?:\w+\s+)?(?:morning|afternoon|evening|night|day|weekend|"
    r"week|month|time|hour|dawn|dusk|noon|midday|midnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d+)"
    r"|overnight|yesterday|today|tonight|meanwhile|then|later|earlier|now)\b\s*,?\s*", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?(?P<who>[^,.;:]{2,60}?)\s*(?=[,.;:]|$)", re.I)
_ACCORDING_START = re.compile(r"\s*according\s+to\b", re.I)  # a clause that opens with it
_SAID = re.compile(
    r"(?:^|[,“\"]\s*)(?P<who>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z\w'’.-]+){0,5}?)\s+"
    r"(?:said|says|claimed|claims|stated|announced|told\s+\w+)\b")
_SPEECH_VERB = re.compile(r"said|says|claimed|claims|stated|announced|told")
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|on|around|outside|into|across|over|towards?|of|from|inside|along|to|"
    r"within|throughout|between|off)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
_LIST_CONTINUATION = re.compile(r"^\s*(?:,|and|or|&|,\s*and|,\s*or)\s*(?:the\s+)?$", re.I)
# where a movement or a shot came from is not where it happened
_ORIGIN = re.compile(r"\b(?:from|out\s+of)\s+(?:the\s+)?(?:\w+\s+){0,2}$", re.I)
# a place named as a reference point: "south of Kyiv", "40 km north of Kharkiv", "10 km from Izium"
# (but "in the north of Kyiv" is inside it)
_REFERENCE = re.compile(
    r"(?:\b\d[\d.,]*\s*-?\s*(?:km|kms|kilometres?|kilometers?|miles?|mi)\b(?:\s+\w+){0,2}?"
    r"|(?<!the\s)\b(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west))\s+(?:of|from)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.I)
# a place standing for its state or army: "Kiev troops", "Moscow officials"
_METONYM_AFTER = re.compile(r"(?:['’]s)?\s+(?:forces|troops|military|army|officials|authorities|government|"
                                  r"regime|leadership|militias?|side|command)\b", re.I)
# a place naming a facility near it: "Zaporizhzhia nuclear power plant", "Kharkiv tram depot"
_FACILITY_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:plant|station|depot|airport|airfield|river|bridge|dam|port|cinema|hospital|"
    r"university|institute|school|market|mall|factory|NPP|base|park|cemetery|stadium|refinery|"
    r"reservoir|terminal|railway|metro|tram|bus|oil|power|nuclear|thermal|hydro|water|gas)\b", re.I)
# a country as the owner of what follows ("Russia's war") acts; it is not a location
_POSSESSOR = re.compile(r"['’]s\b")
_HOLD_BEFORE = re.compile(
    r"\b(?:remain(?:s|ed|ing)?|still|kept|keeps?|keeping|retain(?:s|ed|ing)?|hold(?:s|ing)?|"
    r"held|maintain(?:s|ed|ing)?|firmly|continues?\s+to\s+be|stays?|stayed)\s+(?:\w+\s+){0,2}$", re.I)
_UNDER_CONTROL = re.compile(r"\bunder\s+(?:the\s+)?(?:\w+\s+){0,2}?control\b", re.I)
_DEMONYM = re.compile(rf"\b(?:{'|'.join(DEMONYMS)})\b", re.I)
_POSSESSIVE_FORCES = re.compile(r"\b(?:its|their)\s+(?:own\s+)?(?:\w+\s+)?(?:troops|forces|army|units|soldiers|"
                                      r"military|servicemen|fighters)\b", re.I)
_AGENT = (r"(?:forces|troops|army|military|soldiers|administration|government|officials?|president|"
          r"delegation|authorities|navy|air\s+force|artillery|units?|side|defenders|ministry|"
          r"command|leadership|tanks|jets|aircraft|invaders|occupiers|separatists|logistics|"
          r"border\s+guards|police|missiles?|drones?|strikes?)")
_DEMONYM_AGENT = re.compile(rf"\b(?P<d>{'|'.join(DEMONYMS)})\s+(?:\w+\s+)?{_AGENT}\b", re.I)
_LEADER = re.compile(rf"\b(?:{'|'.join(LEADERS)})\b", re.I)
_OBJECT_PREP = re.compile(r"\b(?:in|at|near|on|into|across|over|towards?|of|from|to|against|with|"
                                r"within|for|inside|around|between|grant|give|join)\s+(?:the\s+)?$", re.I)
_ELLIPTIC_START = re.compile(r"^(?:and|but|with|then|also|has|have|had|is|are|was|were|being|having|"
                                   r"leaving|killing|forcing|\w+ed\b|\w+ing\b)", re.I)
_PRONOUN_START = re.compile(r"^(?:they|it|he|she|their|its)\b", re.I)

COUNTRY_LEVEL_TYPES = frozenset({"mobilization", "strategic"})
"""Types that happen at the acting state when the text names no place."""

ACTOR_DRIVEN_TYPES = frozenset({"mobilization", "strategic", "diplomacy", "capture",
                                "encirclement", "troop_movement", "losses", "battle"})
"""Types whose actor, if a clause omits it, is the sentence's actor."""

_NO_INHERIT = frozenset(t.subtype for t in TRIGGERS if t.loc == "subject")
"""Subtypes whose subject is a place (a launching point), not an actor."""

_ANAPHORA = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class Finding:
    """A trigger that did not become an event (negated or hypothetical)."""

    event_type: str
    subtype: str | None
    reason: str  # "negated" or "modal"
    clause: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Extraction:
    events: tuple[Event, ...]
    findings: tuple[Finding, ...]


def event_id(source: str, start: int, end: int, event_type: str, place: str | None) -> str:
    """A stable id: the same report always gives the same ids."""
    key = f"{source}|{start}|{end}|{event_type}|{place or ''}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _country_actor(cc: str) -> str:
    return COUNTRY_ACTORS.get(cc, cc)


def _between(places: list[Place], start: int, end: int) -> list[Place]:
    """The places starting in [start, end) of a list sorted by start.

    A bisection, not a scan: scanning every place for every clause made long
    texts with many places quadratic.
    """
    lo = bisect.bisect_left(places, start, key=lambda p: p.start)
    hi = bisect.bisect_left(places, end, lo, key=lambda p: p.start)
    return places[lo:hi]


def clause_actors(text: str, cs: int, ce: int, places: list[Place]) -> list[str]:
    """Who acts in a clause: states named as subjects or agents, demonym agents, leaders."""
    clause = text[cs:ce]
    found: list[tuple[int, str]] = []
    for p in places:
        if p.kind == "country" and cs <= p.start < ce:
            before = text[max(cs, p.start - 25):p.start]
            if not _OBJECT_PREP.search(before) or re.search(r"\bby\s+$", before):
                found.append((p.start, _country_actor(p.country_code)))
    # speed only: a clause holding no demonym (no leader) is not searched for one; the gates
    # drop a name that follows a letter, which in the clause cut from the text starts a word
    cands = _text_gates(text).candidates(cs, ce)
    cut_word = word_char_at(text, cs - 1)  # as \b sees it
    if cut_word or _DEMONYM_AT in cands:
        for m in _DEMONYM_AGENT.finditer(clause):
            if not _OBJECT_PREP.search(clause[max(0, m.start() - 25):m.start()]):
                found.append((cs + m.start(), _country_actor(DEMONYMS[m.group("d").lower()])))
    if cut_word or _LEADER_AT in cands:
        for m in _LEADER.finditer(clause):
            found.append((cs + m.start(), _country_actor(LEADERS[m.group(0).lower()])))
    out: list[str] = []
    for _, a in sorted(found):
        if a not in out:
            out.append(a)
    return out


def _speaker(who: str) -> str:
    """A source's name without the time phrase that led the sentence."""
    for _ in range(2):
        who = _TIME_LEAD.sub("", who, count=1)
    return who.strip()


def _said_at_start(clause: str) -> re.Match | None:
    """``_SAID.search(clause)`` if that match starts in the first three characters, else ``None``.

    Tried at those three positions only: a search ran through the whole clause for a
    match that would then be set aside.
    """
    if not _SPEECH_VERB.search(clause):  # every match holds one of its verbs
        return None
    for i in range(min(3, len(clause) + 1)):
        m = _SAID.match(clause, i)
        if m:
            return m
    return None


def _attribution(text: str, clauses: list[tuple[int, int]]) -> dict[int, str]:
    """Map clause index to the source it is attributed to."""
    out: dict[int, str] = {}
    for i, (cs, ce) in enumerate(clauses):
        clause = text[cs:ce]
        m = _ACCORDING.search(clause)
        if m:
            who = m.group("who").strip()
            if m.start() < 3:  # "According to X, ..." covers what follows
                out.update({j: who for j in range(i, len(clauses))})
            else:
                out[i] = who
                if clause[:m.start()].strip(" ,") == "" and i > 0:
                    out[i - 1] = who
            continue
        s = _said_at_start(clause)
        if s:
            who = _speaker(s.group("who"))
            if who:
                out.update({j: who for j in range(i + 1, len(clauses))})
                out.setdefault(i, who)
    # a trailing "according to X" clause attaches to the clause before it
    for i, (cs, ce) in enumerate(clauses):
        # "according to" with no source after it (cut off) attributes nothing
        if i > 0 and i in out and _ACCORDING_START.match(text, cs, ce):
            out[i - 1] = out[i]
    return {k: re.sub(r"^the\s+", "", v, flags=re.I) for k, v in out.items()}


def trailing_source(text: str, s: int, e: int) -> tuple[str, int] | None:
    """The source a sentence names at its end ("..., the mayor said."; "... - JFO HQ"),
    and where that source's words start."""
    m = _SAID_AFTER.search(text, s, e)
    if m:
        key = "who" if m.group("who") is not None else "who2"
        who = _speaker(m.group(key))
        if who and not ANY_TRIGGER.search(who) and len(who.split()) <= 8:
            return re.sub(r"^(?:the|a)\s+", "", who, flags=re.I), m.start()
    m = _DASH_SOURCE.search(text, s, e)
    if m and not ANY_TRIGGER.search(m.group("who")) and not re.search(r"\d", m.group("who")):
        return m.group("who").strip(), m.start()
    return None


# a conjunction that starts a new finite clause: negation or modality before it
# does not reach past it ("rebels will pay as missiles kill 23 soldiers")
_SCOPE_BREAK = re.compile(
    r"\b(?:as|after|when|while|because|since|following|amid|despite|but|and\s+then)\s+"
    r"(?!soon\b|well\b|long\b|if\b)", re.I)


def _negation_reason(text: str, cs: int, ts: int, te: int, ce: int) -> str | None:
    before = text[cs:ts]
    breaks = list(_SCOPE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    if _DENIAL.search(before):
        return "denied"
    if _NEGATION.search(before):
        return "negated"
    if _MODAL.search(before):
        return "modal"
    if _NEGATED_AFTER.search(text, te, ce):
        return "negated"
    return None


def place_roles(text: str, cs: int, ce: int, places: list[Place]) -> dict[int, str]:
    """How each place of a clause is used, keyed by its start.

    ``loc``: governed by a locative preposition ("in Kyiv"); ``origin``: where
    something came from ("from Crimea"); ``ref``: a reference point ("south of
    Kyiv", "40 km north of Kharkiv"); ``actor``: a place standing for its
    state ("Kiev troops"); ``bare``: none of these (a subject or an object).
    A preposition governs only up to the place before it, so in "advancing
    from Crimea reached Melitopol" the "from" is Crimea's alone.
    """
    roles: dict[int, str] = {}
    prev_end, prev_role = cs, None
    for p in places:
        if not cs <= p.start < ce:
            continue
        window = text[max(cs, prev_end, p.start - 40):p.start]
        if _METONYM_AFTER.match(text, p.end, min(ce, p.end + 20)) or (
                p.kind == "country" and _POSSESSOR.match(text, p.end, min(ce, p.end + 3))):
            role = "actor"
        elif prev_role is not None and prev_end > cs and _LIST_CONTINUATION.match(window):
            role = prev_role
        elif _REFERENCE.search(window):
            role = "ref"
        elif _ORIGIN.search(window):
            role = "origin"
        elif _LOCATIVE.search(window):
            role = "loc"
        else:
            role = "bare"
        roles[p.start] = role
        prev_end, prev_role = p.end, role
    return roles


def _located_places(text: str, cs: int, ce: int, places: list[Place], ts: int,
                    trigger: Trigger, actors: list[str], roles: dict[int, str]) -> list[Place]:
    """Where a trigger's event happened, among the places of its clause."""
    inside = [p for p in places if cs <= p.start < ce]
    located_roles = ("loc", "origin") if trigger.event_type == "humanitarian" else ("loc",)
    governed = [p for p in inside if roles.get(p.start) in located_roles]
    if trigger.loc == "subject":
        subj = [p for p in inside if p.start < ts and roles.get(p.start) != "ref"]
        if subj:
            return subj[-1:]
    after = [p for p in governed if p.start >= ts] or governed
    sub_country = [p for p in after if p.kind != "country"]
    if sub_country or trigger.event_type in COUNTRY_LEVEL_TYPES:
        return _without_qualifiers(sub_country)  # state acts fall back to the acting state
    non_country = [p for p in inside if p.kind != "country" and roles.get(p.start) == "bare"]
    if non_country:
        return _without_qualifiers(non_country)
    countries = [p for p in after if p.kind == "country"]
    if countries:
        return countries[:1]
    named = [p for p in inside if roles.get(p.start) == "bare"
             and _country_actor(p.country_code) not in actors]
    return named[:1]


_AREA_CACHE: dict[tuple[str, str | None], object] = {}


def _area(place: Place):
    """A prepared shape of an admin-1 place, cached (a few hundred exist)."""
    key = (place.name, place.gazetteer_id)
    area = _AREA_CACHE.get(key)
    if area is None:
        import shapely
        from shapely.geometry import shape

        area = shape(place.geometry)
        shapely.prepare(area)
        if len(_AREA_CACHE) < 4096:
            _AREA_CACHE[key] = area
    return area


def within(inner: Place, region: Place) -> bool:
    """Whether a local place lies inside an admin-1 place's polygon."""
    if region.kind != "admin1" or inner.kind in ("country", "admin1", "border"):
        return False
    geom = region.geometry or {}
    if geom.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    import shapely
    from shapely.geometry import Point

    # a little slack: simplified borders leave river towns (Kherson) just outside
    return bool(shapely.dwithin(_area(region), Point(inner.lon, inner.lat), 0.05))


def _without_qualifiers(located: list[Place]) -> list[Place]:
    """Drop a region named only to say where a town is ("Melitopol, Zaporizhzhia Oblast")."""
    if len(located) < 2 or not any(p.kind == "admin1" for p in located):
        return located
    return [p for p in located
            if not (p.kind == "admin1" and any(within(q, p) for q in located if q is not p))]


def _fallback_place(event_type: str, actors: list[str], theatre: Place | None,
                    countries: dict[str, Place], sentence_places: list[Place]) -> Place | None:
    if event_type in COUNTRY_LEVEL_TYPES and actors and actors[0] in countries:
        return countries[actors[0]]
    local = [p for p in sentence_places if p.kind not in ("country",)]
    if local and event_type not in COUNTRY_LEVEL_TYPES:
        return local[0]
    if event_type in COUNTRY_LEVEL_TYPES and actors:
        return countries.get(actors[0], theatre)
    return theatre


@dataclass(frozen=True, slots=True)
class Context:
    """What event extraction needs beyond the text and its places."""

    source: str
    date: str | None
    theatre: Place | None  # the country the report is about
    country_place: object  # callable: ISO code -> Place | None
    area_for: object  # callable: Place -> GeoJSON geometry of an encirclement area


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
                ctx: Context) -> Event:
    geometry = place.geometry if place else None
    if place is not None and trigger.event_type == "encirclement" and place.kind == "city":
        geometry = ctx.area_for(place)
    s, e = sent
    return Event(
        id=event_id(ctx.source, s, e, trigger.event_type, place.name if place else None),
        event_type=trigger.event_type, subtype=trigger.subtype,
        place=place.name if place else None, geometry=geometry, actors=tuple(actors),
        date=ctx.date, certainty=certainty, attributed_to=who, quote=text[s:e], start=s, end=e,
        trigger=tm.group(0), source=ctx.source, place_kind=place.kind if place else None,
        lat=place.lat if place else None, lon=place.lon if place else None,
    )


def _triggers_in(text: str, cs: int, ce: int,
                 usable=lambda m: True) -> list[tuple[Trigger, re.Match]]:
    """One hit of each event type in a clause, in text order.

    Per type, the earliest hit that ``usable`` accepts (not negated, not
    hypothetical), else the earliest hit: "hit by artillery, possibly a
    rocket" is shelling, not a hedged rocket.  A hit lying inside a longer
    hit of another type is that hit's part, not an event of its own
    ("repelled an attack", "destroyed a howitzer"): its type is looked for
    again after the longer hit.  ``other`` (deaths with no word on who died)
    counts only when nothing else fires.
    """
    hits: dict[str, tuple[Trigger, re.Match]] = {}
    # speed only: a type none of whose triggers the gates let through here has no hit
    may = {_TYPE_OF[i] for i in _text_gates(text).candidates(cs, ce) if i < _N_TRIGGERS}
    for etype in _TYPES_IN_ORDER:
        found = _first_of_type(text, etype, cs, ce, usable) if etype in may else None
        if found:
            hits[etype] = found
    for _ in range(2):
        changed = False
        for etype, (trig, m) in list(hits.items()):
            outer = [om for t, (_, om) in hits.items() if t != etype and om.start() <= m.start()
                     and m.end() <= om.end() and om.end() - om.start() > m.end() - m.start()
                     and (t, etype) not in _CO_OCCUR]
            if not outer:
                continue
            changed = True
            again = _first_of_type(text, etype, max(om.end() for om in outer), ce, usable)
            if again:
                hits[etype] = again
            else:
                del hits[etype]
        if not changed:
            break
    if len(hits) > 1:
        hits.pop("other", None)
    return sorted(hits.values(), key=lambda h: h[1].start())


_CO_OCCUR = frozenset({("civilian_harm", "strike")})
"""(outer, inner) types that both stand when one hit holds the other: "a hospital
struck", "shelling of a residential area" are a strike and harm to civilians."""

_TYPES_IN_ORDER = tuple(dict.fromkeys(t.event_type for t in TRIGGERS))


@functools.lru_cache(maxsize=1)
def _trigger_gates():
    from geo.parse._gates import Gates

    return Gates([*(t.pattern for t in TRIGGERS), _DEMONYM_AGENT, _LEADER])


# where, after the triggers, the gates keep the actor patterns
_DEMONYM_AT, _LEADER_AT = len(TRIGGERS), len(TRIGGERS) + 1
_N_TRIGGERS = len(TRIGGERS)
_TYPE_OF = tuple(t.event_type for t in TRIGGERS)
_TRIGGERS_OF_TYPE = {etype: frozenset(i for i, t in enumerate(TRIGGERS) if t.event_type == etype)
                     for etype in _TYPES_IN_ORDER}


def _text_gates(text: str):
    """Where each trigger (then a demonym agent, a leader) might match in ``text``.

    Speed only, never a change in what is found: a span holding none of the
    words every match of a trigger must contain is not searched for it (see
    ``geo.parse._gates``).
    """
    return _trigger_gates().for_text(text)


def _has_trigger(text: str, gates, start: int, end: int) -> bool:
    """Whether any trigger matches in ``text[start:end]``, as ``ANY_TRIGGER.search`` tells:
    a match of the union is a match of one of its parts."""
    return any(gates.search(i, start, end) for i in gates.candidates(start, end) if i < _N_TRIGGERS)


def _first_of_type(text: str, etype: str, start: int, end: int,
                   usable=lambda m: True) -> tuple[Trigger, re.Match] | None:
    cands = []
    gates = _text_gates(text)
    of_type = _TRIGGERS_OF_TYPE[etype]
    for i in gates.candidates(start, end):  # speed only: see _text_gates
        if i in of_type:
            m = gates.search(i, start, end)
            if m:
                cands.append((m.start(), len(cands), TRIGGERS[i], m))
    if not cands:
        return None
    cands.sort(key=lambda c: (c[0], c[1]))
    for _, _, trig, m in cands:
        if usable(m):
            return trig, m
    return cands[0][2], cands[0][3]


def _holding(text: str, tm: re.Match, place: Place | None, cs: int) -> bool:
    """A defender keeping what it holds ("remained under Ukrainian control"), not a capture."""
    if _HOLD_BEFORE.search(text, max(cs, tm.start() - 40), tm.start()):
        return True
    under = _UNDER_CONTROL.search(tm.group(0))
    if not under or place is None or place.kind == "country":
        return False
    if re.search(r"\bback\s+$", text[max(cs, tm.start() - 6):tm.start()], re.I):
        return False  # "back under Ukrainian control": retaken
    d = _DEMONYM.search(under.group(0))
    return bool(d) and DEMONYMS[d.group(0).lower()] == place.country_code


def _sentence_events(text: str, sent: tuple[int, int], places: list[Place], ctx: Context,
                     last_actors: Callable[[], list[str]], known: set[tuple[str, str | None]],
                     dateline: Place | None = None,
                     ) -> tuple[list[Event], list[Finding], list[str]]:
    s, e = sent
    tail = trailing_source(text, s, e)
    if tail is not None:  # the source's own words are not where anything happened
        places = [p for p in places if p.start < tail[1]]
    clauses = split_clauses(text, s, e)
    who_by_clause = _attribution(text, clauses)
    reported = bool(_REPORTED.search(text, s, e))
    roles: dict[int, str] = {}
    for cs, ce in clauses:
        roles.update(place_roles(text, cs, ce, _between(places, cs, ce)))
    # places a fallback may use: not origins, reference points or states named as actors
    sent_places = [p for p in places if s <= p.start < e and roles.get(p.start, "bare") in ("loc", "bare")]
    events, findings, seen = [], [], set()
    prev_actors: list[str] = []
    sentence_actors: list[str] = []
    for i, (cs, ce) in enumerate(clauses):
        if tail is not None and cs >= tail[1]:
            break
        clause = text[cs:ce]
        said = _said_at_start(clause)
        actor_from = cs + said.end() if said else cs
        clause_places = _between(places, cs, ce)
        actors = clause_actors(text, actor_from, ce, clause_places)
        if not actors and said and _POSSESSIVE_FORCES.search(text, actor_from, ce):
            # "the Russian defence ministry said its troops ...": the speaker's side
            actors = clause_actors(text, cs + said.start("who"), cs + said.end("who"), clause_places)
        if not actors and _ELLIPTIC_START.match(clause.lstrip("“\"' ")):
            actors = list(prev_actors)
        if not actors and _PRONOUN_START.match(clause.lstrip("“\"' ")):
            actors = list(last_actors())
        if _ACCORDING_START.match(clause):
            continue  # the source's own name is not where anything happened
        clause_end = min(ce, tail[1]) if tail else ce
        reasons: dict[tuple[int, int], str | None] = {}  # a hit's reason is asked for twice

        def reason_for(m: re.Match, cs=cs, ce=ce, reasons=reasons) -> str | None:
            key = m.span()
            if key not in reasons:
                reasons[key] = _negation_reason(text, cs, key[0], key[1], ce)
            return reasons[key]

        for trig, tm in _triggers_in(text, cs, clause_end, lambda m: reason_for(m) in (None, "denied")):
            reason = reason_for(tm)
            denied_by = None
            if reason == "denied":  # a denial is news too: keep the event, flagged
                denied_by, reason = (actors[0] if actors else "unknown"), None
            if reason:
                findings.append(Finding(trig.event_type, trig.subtype, reason, clause, text[s:e], s, e))
                continue
            who = who_by_clause.get(i) or (tail[0] if tail else None)
            certainty = "claimed" if who or denied_by else ("reported" if reported else "confirmed")
            located = _located_places(text, cs, ce, clause_places, tm.start(), trig, actors, roles)
            if not located and _ANAPHORA.search(text, max(cs, tm.start() - 20), tm.start()) \
                    and (trig.event_type, trig.subtype) in known:
                continue  # "the talks": a reference to an event already reported
            if not located:
                fb = _fallback_place(trig.event_type, actors, ctx.theatre,
                                     _countries_for(actors, ctx), sent_places)
                located = [fb] if fb else [None]
            if dateline is not None:
                located = [_narrowed(p, dateline, text, trig) for p in located]
            acting_base = actors
            if trig.event_type == "capture":
                under = _UNDER_CONTROL.search(tm.group(0))
                d = _DEMONYM.search(under.group(0)) if under else None
                if d:  # "under Russian control": the holder named in the phrase
                    acting_base = [_country_actor(DEMONYMS[d.group(0).lower()])]
            for place in located:
                if trig.event_type == "capture" and _holding(text, tm, place, cs):
                    findings.append(Finding(trig.event_type, trig.subtype, "held", clause, text[s:e], s, e))
                    continue
                key = (trig.event_type, place.name if place else None)
                if key in seen:
                    continue
                seen.add(key)
                acting = acting_base
                if trig.loc == "subject" and place is not None:
                    acting = [a for a in acting if a != _country_actor(place.country_code or "")]
                ev = _make_event(trig, tm, place, acting, certainty, who, sent, text, ctx)
                events.append(dataclasses.replace(ev, denied_by=denied_by) if denied_by else ev)
        prev_actors = actors or prev_actors
        sentence_actors += [a for a in actors if a not in sentence_actors]
    events = [ev if ev.subtype in _NO_INHERIT else _with_actors(ev, sentence_actors) for ev in events]
    return _dedupe(events), findings, sentence_actors


def _narrowed(place: Place | None, dateline: Place, text: str, trig: Trigger) -> Place | None:
    """The dateline's town instead of a vaguer place the event was put at: the region
    around it ("Kharkiv region") or a place that only names a facility near it
    ("Zaporizhzhia nuclear power plant")."""
    if place is None or place.kind == "country" or place is dateline or trig.event_type in COUNTRY_LEVEL_TYPES:
        return place
    if place.kind == "admin1" and within(dateline, place):
        return dateline
    if place.start > dateline.end and _FACILITY_AFTER.match(text, place.end, place.end + 40):
        return dateline
    return place


def _with_actors(ev: Event, actors: list[str]) -> Event:
    if ev.actors or not actors or ev.event_type not in ACTOR_DRIVEN_TYPES:
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


# possessive spaces: giving them back one by one was quadratic on long runs
_DATELINE = re.compile(r"^\s*+[^.\n:—–]{1,80}?\.?\s*+(?::|—|–|(?<=\s)-\s)")


def dateline_place(text: str, places: list[Place]) -> Place | None:
    """The local place a report opens with ("Mariupol: ...", "KHARKIV, Ukraine — ...")."""
    m = _DATELINE.match(text)
    if not m:
        return None
    local = [p for p in places if p.end <= m.end() and p.kind not in ("country", "border")]
    return local[0] if local else None


def _prefer_dateline(events: list[Event], dateline: Place | None, ctx: Context) -> list[Event]:
    """Events left on a whole country move to the report's dateline place in that country."""
    if dateline is None:
        return events
    out = []
    for ev in events:
        vague = ev.place_kind in (None, "country") and ev.event_type not in COUNTRY_LEVEL_TYPES
        if vague and (ev.place is None or ev.place_kind == "country" and
                      (ctx.theatre is None or ev.place == ctx.theatre.name or
                       ev.place == _country_name(dateline, ctx))):
            ev = _relocated(ev, dateline, ctx)
        out.append(ev)
    return _dedupe_across(out)


def _country_name(place: Place, ctx: Context) -> str | None:
    country = ctx.country_place(place.country_code) if place.country_code else None
    return country.name if country is not None else None


def _relocated(ev: Event, place: Place, ctx: Context) -> Event:
    geometry = ctx.area_for(place) if ev.event_type == "encirclement" and place.kind == "city" \
        else place.geometry
    return dataclasses.replace(
        ev, id=event_id(ctx.source, ev.start, ev.end, ev.event_type, place.name), place=place.name,
        geometry=geometry, place_kind=place.kind, lat=place.lat, lon=place.lon)


def _dedupe_across(events: list[Event]) -> list[Event]:
    seen, out = set(), []
    for ev in events:
        if ev.id not in seen:
            seen.add(ev.id)
            out.append(ev)
    return out


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
    gates = _text_gates(text)
    for sent in split_sentences(text):
        if not _has_trigger(text, gates, *sent):
            quiet.append(sent)
            continue
        ev, fi, actors = _sentence_events(text, sent, _between(ordered, *sent), ctx, actors_before, known,
                                          dateline)
        known.update((e.event_type, e.subtype) for e in ev)
        events += ev
        findings += fi
        if actors:
            last_actors = actors
            quiet.clear()
    events = _prefer_dateline(events, dateline, ctx)
    return Extraction(tuple(events), tuple(findings))
