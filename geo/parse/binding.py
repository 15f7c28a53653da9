"""Which place each trigger's event happened at: the places of its own clause and stretch.

A clause may hold several triggers ("shelled Kharkiv and captured Kherson").
Each trigger owns the stretch from where it starts to where the next one
starts; its event happens at the places in that stretch (its object or its
"in/near/at" phrase).  Triggers joined with nothing between them share the
next one's object ("shelled and captured Kherson").  A passive or
intransitive trigger ("Kharkiv was shelled", "Enerhodar fell") takes its
subject.  Places standing for a state ("Kyiv did not comment", "Moscow
troops"), reference points ("south of Kyiv"), origins ("from Crimea") and
rivers ("across the Dnipro") are never where an event happened.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from geo.parse import cues
from geo.parse._folded import folded_search
from geo.parse._scan import text_gates
from geo.parse.claims import country_actor, speaks_for_state
from geo.parse.triggers import Trigger
from geo.parse.units import km_between
from geo.records import Place

COUNTRY_LEVEL_TYPES = frozenset({"mobilization", "strategic"})
"""Types that happen at the acting state when the text names no place."""

# the cues searched in lower case in the folded text (geo.parse._folded)
_RIVER_BEFORE, _REFERENCE, _ORIGIN, _LOCATIVE, _PASSIVE_BEFORE = map(folded_search, (
    cues.RIVER_BEFORE, cues.REFERENCE, cues.ORIGIN, cues.LOCATIVE, cues.PASSIVE_BEFORE))
_JOINED = re.compile(r"^\s*,?\s*(?:and|or|&|as\s+well\s+as)?\s*(?:then\s+|later\s+|also\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class Hit:
    """One trigger match in a clause, with its offsets (asked for often)."""

    trigger: Trigger
    match: re.Match
    start: int
    end: int

    @classmethod
    def of(cls, trigger: Trigger, match: re.Match) -> Hit:
        return cls(trigger, match, match.start(), match.end())


def starting_in(places: list[Place], lo: int, hi: int) -> list[Place]:
    """The places of a list sorted by start that start in [lo, hi): a bisection (a clause
    of a long unpunctuated text holds tens of thousands of places)."""
    a = bisect.bisect_left(places, lo, key=lambda p: p.start)
    return places[a:bisect.bisect_left(places, hi, a, key=lambda p: p.start)]


def place_roles(text: str, cs: int, ce: int, places: list[Place]) -> dict[int, str]:
    """How each place of a clause is used, keyed by its start.

    ``loc``: governed by a locative preposition ("in Kyiv"); ``origin``: where
    something came from ("from Crimea"); ``ref``: a reference point ("south of
    Kyiv", "40 km north of Kharkiv"); ``axis``: a town naming a line of advance ("in
    the Siversk direction"), where events go only when the sentence names no other
    place; ``actor``: a place standing for its
    state ("Kiev troops", "Moscow announced"); ``water``: a river named like a
    city ("across the Dnipro"); ``bare``: none of these (a subject or an object).
    A preposition governs only up to the place before it, so in "advancing
    from Crimea reached Melitopol" the "from" is Crimea's alone.
    """
    roles: dict[int, str] = {}
    prev_end, prev_role = cs, None
    folded_text = text_gates(text).folded  # the cues are searched in lower case there
    for p in places:
        if not cs <= p.start < ce:
            continue
        at = max(cs, prev_end, p.start - 40)
        window, folded = text[at:p.start], folded_text[at:p.start]
        if cues.METONYM_AFTER.match(text, p.end, min(ce, p.end + 20)) or speaks_for_state(text, p, ce) or (
                p.kind == "country" and cues.POSSESSOR.match(text, p.end, min(ce, p.end + 3))):
            role = "actor"
        elif p.kind == "city" and _RIVER_BEFORE(text, folded_text, max(cs, p.start - 30), p.start):
            role = "water"
        elif prev_role is not None and prev_end > cs and cues.LIST_CONTINUATION.match(window):
            role = prev_role
        elif _REFERENCE(window, folded, 0, len(window)):
            role = "ref"
        elif cues.DIRECTION_AFTER.match(text, p.end, ce) or cues.DIRECTION_BEFORE.search(window):
            role = "axis"
        elif _ORIGIN(window, folded, 0, len(window)):
            role = "origin"
        elif _LOCATIVE(window, folded, 0, len(window)):
            role = "loc"
        else:
            role = "bare"
        roles[p.start] = role
        prev_end, prev_role = p.end, role
    return roles


def subject_place(text: str, hit: Hit, places: list[Place], lo: int) -> list[Place]:
    """The place(s) right before a trigger as its subject ("Kherson and Melitopol fell")."""
    before = [p for p in starting_in(places, lo, hit.start) if p.end <= hit.start]
    if not before or not cues.SUBJECT_GAP.match(text, before[-1].end, hit.start):
        return []
    group = [before[-1]]
    for p in reversed(before[:-1]):
        if cues.LIST_CONTINUATION.match(text[p.end:group[0].start]):
            group.insert(0, p)
        else:
            break
    return group


def object_place(text: str, hit: Hit, places: list[Place], hi: int) -> Place | None:
    """The place a trigger governs right after it ("took Kupiansk", "took the town of X")."""
    after = starting_in(places, hit.end, hi)
    if not after:
        return None
    return after[0] if cues.OBJECT_GAP.match(text, hit.end, after[0].start) else None


def satisfied(text: str, hit: Hit, places: list[Place], lo: int, hi: int) -> bool:
    """Whether a trigger that needs a place next to it has one."""
    needs = hit.trigger.needs
    if needs == "subject_place":
        return bool(subject_place(text, hit, places, lo))
    if needs == "object_place":
        return object_place(text, hit, places, hi) is not None
    if needs == "place":
        return bool(subject_place(text, hit, places, lo)) or object_place(text, hit, places, hi) is not None
    return True


def _allowed_roles(trigger: Trigger) -> tuple[str, ...]:
    if trigger.event_type == "humanitarian" or trigger.subtype in ("withdrawal", "retaken"):
        return ("loc", "bare", "origin")
    return ("loc", "bare")


def _stretch(hits: list[Hit], k: int, cs: int, ce: int) -> tuple[int, int]:
    """From the end of the trigger before (or the clause start) to the start of the next."""
    me = hits[k]
    nxt = [h.start for j, h in enumerate(hits) if j != k and h.start >= me.end]
    prv = [h.end for j, h in enumerate(hits) if j != k and h.end <= me.start]
    return (max(prv) if prv else cs), (min(nxt) if nxt else ce)


def _next_hit(hits: list[Hit], k: int) -> int | None:
    me = hits[k]
    later = [(h.start, j) for j, h in enumerate(hits) if j != k and h.start >= me.end]
    return min(later)[1] if later else None


def bound_places(text: str, cs: int, ce: int, hits: list[Hit], k: int, places: list[Place],
                 roles: dict[int, str], actors: list[str], depth: int = 0) -> list[Place]:
    """Where the event of ``hits[k]`` happened, among the places of its clause."""
    hit = hits[k]
    trig = hit.trigger
    lo, hi = _stretch(hits, k, cs, ce)
    inside = starting_in(places, cs, ce)
    allowed = _allowed_roles(trig)
    if trig.loc == "subject":
        subj = [p for p in starting_in(inside, cs, hit.start) if roles.get(p.start) not in ("ref", "axis", "water")]
        if subj:
            return subj[-1:]
    passive = trig.needs == "subject_place" or _PASSIVE_BEFORE(
        text, text_gates(text).folded, max(cs, hit.start - 30), hit.start) is not None
    subject = [p for p in subject_place(text, hit, inside, lo)
               if roles.get(p.start) in allowed and p.kind != "country"]
    if trig.needs in ("subject_place", "place") and subject:
        return _chosen(text, subject, trig, roles, actors)
    forward = [p for p in starting_in(inside, hit.start, hi) if roles.get(p.start) in allowed]
    if passive:
        forward = [p for p in forward if roles.get(p.start) != "bare"]
        found = subject or forward
    else:
        found = forward
        nxt = _next_hit(hits, k)
        if not found and nxt is not None and depth < 3 and _JOINED.match(text[hit.end:hits[nxt].start]):
            found = bound_places(text, cs, ce, hits, nxt, places, roles, actors, depth + 1)
        if not found:
            found = _fronted(text, inside, lo, hit.start, roles, allowed)
    if all(p.kind == "country" for p in found):  # "in the Kherson direction": near the town, if nowhere else
        found = [p for p in inside if roles.get(p.start) == "axis"][:1] or found
    return _chosen(text, found, trig, roles, actors)


def _fronted(text: str, inside: list[Place], lo: int, at: int, roles: dict[int, str],
             allowed: tuple[str, ...]) -> list[Place]:
    """A place before the trigger, in its own stretch: "In Kharkiv, troops shelled ...",
    "Melitopol, where fighting ..." (a state named as subject acts; it is not a place)."""
    before = [p for p in starting_in(inside, lo, at) if roles.get(p.start) in allowed
              and (p.kind != "country" or roles.get(p.start) == "loc")]
    if not before:
        return []
    group = [before[-1]]  # with the places listed with it: "in Kramatorsk, Donetsk region,"
    for p in reversed(before[:-1]):
        if roles.get(p.start) == roles.get(group[0].start) and re.fullmatch(r"[\s,]*(?:and\s+)?", text[p.end:group[0].start]):
            group.insert(0, p)
        else:
            break
    return group


def _chosen(text: str, found: list[Place], trig: Trigger, roles: dict[int, str],
            actors: list[str]) -> list[Place]:
    """The bound places, without countries when a town is named, qualifiers and facilities."""
    sub_country = [p for p in found if p.kind != "country"]
    if sub_country or trig.event_type in COUNTRY_LEVEL_TYPES:
        return without_facility_names(text, without_qualifiers(without_site_towns(sub_country)))
    loc_countries = [p for p in found if roles.get(p.start) == "loc"]
    if loc_countries:
        return loc_countries[:1]
    named = [p for p in found if country_actor(p.country_code) not in actors]
    return named[:1]


_SITE_TOWN_KM = 15.0


def without_site_towns(located: list[Place]) -> list[Place]:
    """Drop a town named after a site of the gazetteer only to say where the site is
    ("Azovstal steel plant in Mariupol"): a town within ``_SITE_TOWN_KM`` of it."""
    sites = [p for p in located if p.kind == "other" and p.lat is not None]
    if not sites or len(located) < 2:
        return located
    return [q for q in located if not (q.kind == "city" and q.lat is not None and any(
        q.start > p.end and km_between(q.lat, q.lon, p.lat, p.lon) <= _SITE_TOWN_KM for p in sites))]


def without_facility_names(text: str, located: list[Place]) -> list[Place]:
    """Drop a town named only for a facility when the text says where the facility is:
    "the Zaporizhzhia nuclear plant in Enerhodar" happens at Enerhodar."""
    if len(located) < 2:
        return located
    keep = []
    for p in located:
        names_facility = cues.FACILITY_AFTER.match(text, p.end, p.end + 40) is not None
        later = [q for q in located if q.start > p.end and q.kind not in ("country", "admin1")]
        if not (names_facility and later):
            keep.append(p)
    return keep or located


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


def without_qualifiers(located: list[Place]) -> list[Place]:
    """Drop a region named only to say where a town is ("Melitopol, Zaporizhzhia Oblast")."""
    if len(located) < 2 or not any(p.kind == "admin1" for p in located):
        return located
    return [p for p in located
            if not (p.kind == "admin1" and any(within(q, p) for q in located if q is not p))]


def fallback_place(event_type: str, actors: list[str], theatre: Place | None,
                   countries: dict[str, Place], sentence_places) -> Place | None:
    """Where an event goes when its clause names no place for it."""
    if event_type in COUNTRY_LEVEL_TYPES and actors and actors[0] in countries:
        return countries[actors[0]]
    # the first local place, an oblast yielding to a town in it ("Donetsk Oblast, Toretsk:
    # houses were shelled" happened in Toretsk)
    local = next(iter(without_qualifiers([p for p in sentence_places if p.kind != "country"])), None)
    if local is not None and event_type not in COUNTRY_LEVEL_TYPES:
        return local
    if event_type in COUNTRY_LEVEL_TYPES and actors:
        return countries.get(actors[0], theatre)
    return theatre
