"""Place labels in Ukrainian: the Ukrainian Cyrillic name of a place the parser named canonically.

Results name places by their canonical (English) gazetteer name ("Kharkiv",
"Kharkivska oblast", "Ukraine").  An analyst may prefer the map, the sidebar
and the briefing in Ukrainian: :func:`ukrainian_name` gives "Харків",
"Харківська область", "Україна", from the Ukraine-complete table
(``data/ua_settlements.parquet``: each settlement's official Ukrainian name),
the oblasts' table (``data/ua_oblasts.csv``), the regions' (``data/ua_regions.csv``:
"Донбас") and, for countries, the few names in
:data:`geo.lexicon_cyr.UK_COUNTRY_NAMES`.  A place with no Ukrainian name keeps its
canonical one.

The label setting is ``SITMAP_LABELS`` (``uk``; anything else, or unset: the
canonical names); the dashboard offers it as a sidebar toggle.
"""

from __future__ import annotations

import functools
import math
import os

from geo.gazetteer.regions import ukrainian_name as region_name
from geo.gazetteer.ukraine import load_ua_gazetteer
from geo.lexicon_cyr import UK_COUNTRY_NAMES

LABEL_CHOICES = ("canonical", "uk")
NEAR_DEG = 0.15
"""A settlement of the table is the event's place when its point is this close (about 15 km):
the parser's point and the table's may come from different sources."""


def label_setting(value: str | None = None) -> str:
    """``"uk"`` or ``"canonical"``: ``value``, else the ``SITMAP_LABELS`` environment variable."""
    value = os.environ.get("SITMAP_LABELS", "") if value is None else value
    return "uk" if value.strip().lower() in ("uk", "ukrainian", "українська") else "canonical"


def ukrainian_name(place: str, lat: float | None = None, lon: float | None = None) -> str | None:
    """The Ukrainian name of a canonically named place, or ``None`` when none is known.

    ``lat``/``lon`` (the event's point) choose among settlements of one name
    (Ukraine has dozens of villages called Kyiv's suburbs' names); without
    them the most prominent settlement of that name answers.
    """
    if not place:
        return None
    return _ukrainian_name(place, None if lat is None else round(float(lat), 4),
                           None if lon is None else round(float(lon), 4))


@functools.lru_cache(maxsize=8192)
def _ukrainian_name(place: str, lat: float | None, lon: float | None) -> str | None:
    if place in UK_COUNTRY_NAMES:
        return UK_COUNTRY_NAMES[place]
    ua = load_ua_gazetteer()
    found = ua.lookup(place)
    named = found[(found["name_uk"] != "") & (found["name"].str.casefold() == place.casefold())]
    if len(named):
        if lat is None or lon is None or any(math.isnan(v) for v in (lat, lon)):
            return str(named.iloc[0]["name_uk"])
        far = ((named["lat"] - lat) ** 2 + (named["lon"] - lon) ** 2).to_numpy()
        if far.min() <= NEAR_DEG ** 2:
            return str(named.iloc[int(far.argmin())]["name_uk"])
    admin1 = ua.oblast(place)
    if admin1 is not None:
        return _oblast_label(str(ua.oblasts.at[admin1, "name_uk"]))
    return region_name(place)


def _oblast_label(name_uk: str) -> str:
    """"Харківська" -> "Харківська область"; Crimea's, Kyiv's and Sevastopol's names as they are."""
    return f"{name_uk} область" if name_uk.endswith(("ська", "цька", "зька", "ка")) else name_uk


def place_label(place: str | None, lat: float | None = None, lon: float | None = None,
                setting: str = "canonical") -> str | None:
    """The label of a place under a label setting: its Ukrainian name when the setting is
    ``"uk"`` and one is known, else the canonical name itself."""
    if not place or setting != "uk":
        return place
    return ukrainian_name(place, lat, lon) or place
