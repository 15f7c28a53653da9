"""The single source of event types: labels, colours, icons and definitions.

The map, the legend, the briefing image and the sidebar all read from here.
Colours are chosen to stay distinct for common colour-vision deficiencies and
on a pale basemap; icons are Font Awesome 6 (free, solid) names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventType:
    key: str
    label: str
    colour: str
    icon: str
    marker: str  # matplotlib marker for the briefing image
    definition: str


_TYPES = (
    EventType("strike", "Strike", "#d62728", "explosion", "*",
              "Shelling, artillery, missile, air or drone strike, bombing, explosions."),
    EventType("battle", "Battle", "#ff7f0e", "crosshairs", "X",
              "Armed clash, fighting or assault between forces."),
    EventType("capture", "Capture", "#7b3294", "flag", "P",
              "Territory taken or retaken; the actor says who holds it."),
    EventType("encirclement", "Encirclement", "#000080", "circle-notch", "o",
              "A place surrounded, besieged or blockaded."),
    EventType("troop_movement", "Troop movement", "#1f77b4", "truck", ">",
              "Presence, convoy, deployment or staging of forces."),
    EventType("civilian_harm", "Civilian harm", "#e377c2", "house-crack", "v",
              "Civilian casualties or damage to civilian buildings and infrastructure."),
    EventType("losses", "Military losses", "#8c564b", "skull", "s",
              "Military losses of personnel or equipment, logistics failure."),
    EventType("mobilization", "Mobilisation", "#2ca02c", "users", "^",
              "Conscription, arming civilians, martial law, curfews, exit bans."),
    EventType("diplomacy", "Diplomacy", "#17becf", "handshake", "D",
              "Talks, negotiations, ceasefires, agreements, accession bids."),
    EventType("strategic", "Strategic", "#252525", "radiation", "h",
              "Nuclear posture, alerts, sanctions."),
    EventType("humanitarian", "Humanitarian", "#bcbd22", "kit-medical", "p",
              "Evacuations, corridors, refugees, aid."),
    EventType("protest", "Protest", "#9467bd", "bullhorn", "d",
              "Demonstrations and public protest."),
    EventType("other", "Other", "#7f7f7f", "circle-info", ".",
              "Anything else worth a pin."),
)

EVENT_TYPES: dict[str, EventType] = {t.key: t for t in _TYPES}
"""Event types in display order, keyed by their contract name."""

TYPE_KEYS: tuple[str, ...] = tuple(EVENT_TYPES)


def get(key: str) -> EventType:
    """Return the event type for ``key``; unknown keys fall back to ``other``."""
    return EVENT_TYPES.get(key, EVENT_TYPES["other"])


TRUST_LEVELS = ("denied", "failed", "claimed")
"""How an event is drawn apart from a fact: denied by someone, a failed attempt, one party's word."""


def trust_of(props: dict) -> str | None:
    """``"denied"``, ``"failed"``, ``"claimed"`` or ``None`` (a fact) for an event's properties.

    Every display (map, popup, briefing) draws the three apart from facts, so an
    analyst never reads a denied claim as a fact.
    """
    if props.get("denied_by"):
        return "denied"
    if props.get("outcome") == "failed" or props.get("subtype") == "failed capture":
        return "failed"
    if props.get("certainty") == "claimed":
        return "claimed"
    return None
