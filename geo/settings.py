"""Paths, thresholds and conflict configuration, in one typed place.

Every value can be overridden by an environment variable so that tests and
deployments never have to edit code.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT: Path = Path(__file__).resolve().parent.parent
"""Repository root."""

DATA_DIR: Path = Path(os.environ.get("SITMAP_DATA_DIR", ROOT / "data"))
"""Where the shipped data and the analyst's saved reports live."""

GAZETTEER_DIR: Path = Path(os.environ.get("SITMAP_GAZETTEER_DIR", ROOT / "data" / "build"))
"""Prebuilt gazetteer files (made by ``python -m geo.gazetteer.build``)."""

SEEDS_DIR: Path = ROOT / "seeds"
"""The bundled example reports."""

STORE_DIR: Path = Path(os.environ.get("SITMAP_STORE_DIR", DATA_DIR / "store"))
"""The analyst's saved reports, corrections and generated layers."""

CACHE_DIR: Path = Path(os.environ.get("SITMAP_CACHE_DIR", DATA_DIR / "cache"))
"""On-disk caches: the optional online geocoder's answers, and what parsing makes once and keeps
(the Cyrillic case forms, the settlement spellings, both keyed by their sources)."""

MAX_REPORT_BYTES: int = int(os.environ.get("SITMAP_MAX_REPORT_BYTES", 5 * 1024 * 1024))
"""Largest report accepted, in bytes (uploads and CLI alike)."""

MAX_QUOTE_CHARS: int = int(os.environ.get("SITMAP_MAX_QUOTE_CHARS", 2000))
"""Longest quote kept: a sentence longer than this (text with no full stops) is quoted as
this many characters around the words quoted for."""

MAX_REPORT_NAMES: int = int(os.environ.get("SITMAP_MAX_REPORT_NAMES", 40_000))
"""Most place names one report is read for.  A report naming more (a log of two hundred thousand
shelled villages) is read up to the sentence that would pass it, with a warning: reading each
name's context costs the same, and a daily report names a few hundred."""

MAX_REPORT_EVENTS: int = int(os.environ.get("SITMAP_MAX_REPORT_EVENTS", 20_000))
"""Most events one report lists.  A report past it is read for events up to there, with a
warning: a real daily report holds hundreds, and a log of a hundred thousand events would
otherwise make output, memory and the map explode."""

CONFLICT_START: dt.date = dt.date.fromisoformat(
    os.environ.get("SITMAP_CONFLICT_START", "2022-02-24")
)
"""Day 1 of the conflict the reports describe; "the 5th day" counts from here."""

DEFAULT_COUNTRY: str = os.environ.get("SITMAP_DEFAULT_COUNTRY", "UA")
"""Country assumed for context when a report names none."""

ONLINE_GEOCODER: bool = os.environ.get("SITMAP_ONLINE_GEOCODER", "0") == "1"
"""Whether the online geocoder may be consulted (off by default)."""

GEOCODER_URL: str | None = os.environ.get("SITMAP_GEOCODER_URL") or None
"""Optional base URL of a Nominatim-compatible service (tests use a local fake)."""

GEOCODER_TIMEOUT_S: float = float(os.environ.get("SITMAP_GEOCODER_TIMEOUT", "3"))
"""Per-request timeout for the online geocoder, in seconds."""

MIN_ALIAS_LENGTH: int = 3
"""Alternate names shorter than this are noise (codes, abbreviations)."""

COMMON_WORD_ZIPF: float = 4.0
"""Single-word names at least this frequent in English need stronger evidence."""

ENCIRCLEMENT_MIN_KM: float = 8.0
"""Smallest radius of a drawn encirclement ring."""

BANNER: str | None = os.environ.get("SITMAP_BANNER", "").strip() or None
"""Handling or classification line printed in bars atop and below briefing images."""
