"""Immutable records that flow forward through the pipeline.

``Report`` -> ``Mention`` -> ``Place`` -> ``Event`` -> ``Status``.  Each stage
reads the records of the one before and never mutates them.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any


@functools.lru_cache(maxsize=None)
def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in order (``dataclasses.fields`` is slow to call per record)."""
    return tuple(f.name for f in dataclasses.fields(cls))


PLACE_KINDS = ("city", "admin1", "country", "border", "region", "water", "point", "other")
"""``point``: coordinates written in the text (``geo.parse.coordinates``)."""
CERTAINTIES = ("confirmed", "reported", "claimed")
PRECISIONS = ("place", "offset", "hromada", "raion", "oblast", "country")
"""How exactly a place (or an event's place) is known: ``place`` the named place itself,
``offset`` a point at a distance and bearing from a named place ("10 km south of Kharkiv"),
and only to its ``hromada``, ``raion``, ``oblast`` (any first-level unit) or ``country``."""
APPROXIMATE = frozenset({"hromada", "raion", "oblast", "country"})
"""Precisions drawn as an area of doubt, never as a point."""
OUTCOMES = ("failed",)
"""Values of ``Event.outcome`` besides ``None`` (the text says nothing against success)."""


@dataclass(frozen=True, slots=True)
class Report:
    """One input text with its provenance."""

    id: str
    text: str
    source: str = ""
    date: str | None = None  # ISO date, given or inferred


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names (or refers to) a place."""

    text: str
    start: int
    end: int
    candidates: tuple[int, ...]  # gazetteer row ids, best first after resolution
    kind_hint: str | None = None  # "capital", "border", ... for non-name mentions
    extra: tuple[str, ...] = ()  # e.g. the two country codes of a border
    lemma: str | None = None  # the name's dictionary form when the text inflects it (Києві: київ)


@dataclass(frozen=True, slots=True)
class Place:
    """A mention resolved to a gazetteer entry and a geometry."""

    name: str
    mention: str
    start: int
    end: int
    kind: str
    country_code: str | None
    gazetteer_id: str | None
    lat: float
    lon: float
    geometry: dict[str, Any]
    confidence: float
    precision: str | None = None  # how exactly the point stands for the place: see PRECISIONS
    # other gazetteer entries the name may mean, best first, when the choice was close: at most
    # three read-only dicts (name, admin1, country_code, gazetteer_id, lat, lon, confidence)
    # (not compared or hashed: a place is the place it was read as, and dicts do not hash)
    alternatives: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        # shallow: the geometry dict is shared, and a country's is large
        d = {name: getattr(self, name) for name in field_names(Place)}
        if self.alternatives:  # listed only when there are some: a plain place keeps its shape
            d["alternatives"] = list(self.alternatives)
        else:
            del d["alternatives"]
        return d


@dataclass(frozen=True, slots=True)
class Event:
    """A typed happening at a place, with its evidence."""

    id: str
    event_type: str
    subtype: str | None
    place: str | None
    geometry: dict[str, Any] | None
    actors: tuple[str, ...]
    date: str | None
    certainty: str
    attributed_to: str | None
    quote: str
    start: int
    end: int
    trigger: str = ""  # the words that typed the event, for highlighting
    denied_by: str | None = None  # who denied it, when the text reports a denial
    source: str = ""
    place_kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    occurrences: int = 1  # how often the report says the same thing (type, place, date, actors, quote)
    outcome: str | None = None  # "failed": an attempt the text says did not succeed
    date_source: str | None = None  # "text": read from the event's clause; "report": the report's date
    lang: str = "en"  # the language of the sentence it came from: en, uk, ru or mixed
    precision: str | None = None  # its place's precision (PRECISIONS); None: no place, or not known
    unresolved: tuple[str, ...] = ()  # names in its sentence that the gazetteer could not place

    def to_dict(self) -> dict[str, Any]:
        # shallow: the geometry dict is shared, and a country's is large
        d = {name: getattr(self, name) for name in field_names(Event)}
        d["actors"] = list(self.actors)
        d["unresolved"] = list(self.unresolved)
        return d


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A name the text puts somewhere ("near Zzyxivka", "Zzyxivka, Donetsk oblast") that
    no gazetteer entry matched: kept so an analyst sees it, never guessed."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Headline:
    """A status item worth a line in the sidebar, with its evidence."""

    key: str
    text: str
    quote: str
    source: str = ""
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """Everything parsed from one report."""

    report: Report
    places: tuple[Place, ...]
    events: tuple[Event, ...]
    headlines: tuple[Headline, ...] = ()
    war_day: int | None = None
    warnings: tuple[str, ...] = field(default=())
    unresolved: tuple[Unresolved, ...] = ()
