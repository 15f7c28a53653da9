"""Optional online geocoding (geopy), off by default.

The offline gazetteer answers almost every name.  When an analyst turns the
online service on (``SITMAP_ONLINE_GEOCODER=1``), it is asked only about the
names the gazetteer left unresolved, and a failing service costs a warning,
never a hang: one failure stops the lookups of that report.

The shape follows geopy: one small base class per external service, a
registry mapping service names to classes, the network call kept apart from
a pure step that turns the service's raw answer into immutable records, and
rate limiting as a wrapper (``RateLimiter``), not code inside the geocoder.
"""

from __future__ import annotations

import hashlib
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderParseError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geo import __version__, io, settings
from geo.gazetteer.candidates import Candidate, unresolved_candidates
from geo.names import normalise
from geo.records import Place

USER_AGENT = f"Sitmap/{__version__} (situation-map dashboard; offline-first, online lookups opt-in)"
"""Who we are, as Nominatim's usage policy asks every client to say."""

MAX_LOOKUPS_PER_REPORT = 10
"""Distinct unknown names looked up per report; more would stall a parse."""

TIME_BUDGET_S = 15.0
"""Wall-clock budget for the lookups of one report, rate-limit waits included."""

MIN_PRODUCTION_DELAY_S = 1.0
"""Nominatim's usage policy: at most one request per second."""

_KIND_OF_ADDRESSTYPE = {
    "country": "country", "state": "admin1", "province": "admin1", "region": "region",
    "city": "city", "town": "city", "village": "city", "hamlet": "city", "suburb": "city",
    "municipality": "city", "water": "water", "river": "water", "sea": "water", "bay": "water",
}


class GeocoderFailed(RuntimeError):
    """The online service could not answer (down, slow, refusing or garbled)."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome of geocoding a text's unresolved names."""

    places: tuple[Place, ...]
    warnings: tuple[str, ...]


# ---- the pure part: raw answers to places (candidates in text: geo.gazetteer.candidates) --
def _kind(raw: Mapping[str, Any]) -> str:
    kind = _KIND_OF_ADDRESSTYPE.get(str(raw.get("addresstype") or raw.get("type") or ""))
    if kind:
        return kind
    return "water" if raw.get("class") in ("water", "waterway") else "other"


def place_from_raw(raw: Mapping[str, Any], candidate: Candidate) -> Place:
    """One Nominatim search hit as a ``Place`` at the candidate's span.

    Raises
    ------
    GeocoderFailed
        When the hit lacks usable coordinates (a garbled answer).
    """
    try:
        lat, lon = round(float(raw["lat"]), 5), round(float(raw["lon"]), 5)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeocoderFailed(f"the answer for {candidate.name!r} has no coordinates") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderFailed(f"the answer for {candidate.name!r} is off the globe")
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    cc = str(address.get("country_code", "")).upper() or None
    osm = f"osm:{raw['osm_type']}/{raw['osm_id']}" if raw.get("osm_type") and raw.get("osm_id") else None
    importance = raw.get("importance")
    # online hits are unchecked against the report's context: never very confident
    confidence = min(0.6, max(0.1, float(importance))) if isinstance(importance, (int, float)) else 0.4
    name = str(raw.get("name") or str(raw.get("display_name", "")).split(",")[0] or candidate.name)
    return Place(
        name=name, mention=candidate.name, start=candidate.start, end=candidate.end,
        kind=_kind(raw), country_code=cc, gazetteer_id=osm, lat=lat, lon=lon,
        geometry={"type": "Point", "coordinates": [lon, lat]}, confidence=round(confidence, 3),
    )


# ---- the services ------------------------------------------------------------------
class OnlineGeocoder(ABC):
    """An online geocoding service behind a rate limit, a timeout and a disk cache.

    Subclasses implement :meth:`_search`, the one network call, returning the
    service's raw hits (JSON-ready dicts).  Everything else is shared.

    Parameters
    ----------
    cache_dir
        Folder of cached answers, one JSON file per query.
    timeout
        Seconds to wait for one answer.
    min_delay_seconds
        Least time between two requests; services' usage policies set it.
    """

    service: ClassVar[str]

    def __init__(self, *, cache_dir: Path | str | None = None,
                 timeout: float = settings.GEOCODER_TIMEOUT_S,
                 min_delay_seconds: float = MIN_PRODUCTION_DELAY_S):
        self.cache_dir = Path(cache_dir or settings.CACHE_DIR) / self.service
        self.timeout = timeout
        self.min_delay_seconds = min_delay_seconds
        self.requests_made = 0

    @abstractmethod
    def _search(self, query: str) -> list[dict[str, Any]]:
        """Ask the service; raise ``geopy.exc.GeopyError`` when it cannot answer."""

    def _cache_path(self, query: str) -> Path:
        digest = hashlib.sha256(normalise(query).encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{digest}.json"

    def _cached(self, query: str) -> list[dict[str, Any]] | None:
        path = self._cache_path(query)
        try:
            entry = io.read_json(path)
        except (OSError, ValueError):  # absent or torn: ask again
            return None
        hits = entry.get("hits") if isinstance(entry, dict) else None
        return hits if isinstance(hits, list) else None

    def search(self, query: str) -> list[dict[str, Any]]:
        """The raw hits for a query, from the cache or the service.

        Raises
        ------
        GeocoderFailed
            When the service is unreachable, slow, refusing or garbled.
        """
        hits = self._cached(query)
        if hits is not None:
            return hits
        self.requests_made += 1
        try:
            hits = self._search(query)
        except GeopyError as exc:
            raise GeocoderFailed(_failure_reason(exc)) from exc
        if not all(isinstance(h, dict) for h in hits):
            raise GeocoderFailed("the service answered with something other than places")
        try:
            io.atomic_write_json(self._cache_path(query), {"query": query, "hits": hits})
        except OSError:  # a read-only cache only costs a repeat request later
            pass
        return hits

    def lookup(self, text: str, places: Iterable[Place], *,
               clock: Callable[[], float] = time.monotonic) -> Lookup:
        """Geocode the names in ``text`` that ``places`` leave unresolved."""
        candidates = unresolved_candidates(text, places)
        found: list[Place] = []
        warnings: list[str] = []
        answers: dict[str, Place | None] = {}
        deadline = clock() + TIME_BUDGET_S
        for cand in candidates:
            key = normalise(cand.name)
            if key not in answers:
                if len(answers) >= MAX_LOOKUPS_PER_REPORT or clock() > deadline:
                    warnings.append(f"online geocoder: stopped after {len(answers)} names; "
                                    "the rest were left off the map")
                    break
                try:
                    answers[key] = self._first_place(cand)
                except GeocoderFailed as exc:
                    warnings.append(f"online geocoder ({self.service}) unavailable: {exc}; "
                                    "showing offline gazetteer results only")
                    break
            hit = answers[key]
            if hit is not None:
                found.append(_at(hit, cand))
        return Lookup(tuple(found), tuple(warnings))

    def _first_place(self, cand: Candidate) -> Place | None:
        hits = self.search(cand.name)
        return place_from_raw(hits[0], cand) if hits else None


def _at(place: Place, cand: Candidate) -> Place:
    """The same place at another mention of its name."""
    if (place.start, place.end) == (cand.start, cand.end):
        return place
    return Place(place.name, cand.name, cand.start, cand.end, place.kind, place.country_code,
                 place.gazetteer_id, place.lat, place.lon, place.geometry, place.confidence)


def _failure_reason(exc: GeopyError) -> str:
    """A short human reason for a geopy error, without its traceback."""
    text = " ".join(str(exc).split())
    label = type(exc).__name__.removeprefix("Geocoder")
    label = re.sub(r"(?<!^)(?=[A-Z])", " ", label).lower() or "error"
    return f"{label} ({text[:160]})" if text else label


class NominatimGeocoder(OnlineGeocoder):
    """OpenStreetMap's Nominatim, or any server speaking its search API.

    Parameters
    ----------
    url
        Base URL of the service, such as ``http://127.0.0.1:8080``; ``None``
        means ``settings.GEOCODER_URL`` and, failing that, geopy's default.
    user_agent
        Names the application to the service.
    proxies
        As for geopy: ``None`` uses the system's settings, ``{}`` none.
    **kwargs
        ``cache_dir``, ``timeout`` and ``min_delay_seconds`` of the base class.
    """

    service = "nominatim"

    def __init__(self, url: str | None = None, *, user_agent: str = USER_AGENT,
                 proxies: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        # urllib makes one attempt per request; requests' adapter would retry a
        # read timeout twice, tripling the wait on a dead service
        options: dict[str, Any] = {"user_agent": user_agent, "timeout": self.timeout,
                                   "proxies": proxies, "adapter_factory": URLLibAdapter}
        url = url or settings.GEOCODER_URL
        if url:
            parts = urlsplit(url if "://" in url else f"https://{url}")
            options.update(domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme)
        self._client = Nominatim(**options)
        # retries would multiply a dead service's timeout; one try, then a warning
        self._limited = RateLimiter(self._client.geocode, min_delay_seconds=self.min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)

    def _search(self, query: str) -> list[dict[str, Any]]:
        try:
            locations = self._limited(query, exactly_one=False, limit=3, addressdetails=True)
        except (TypeError, ValueError) as exc:  # geopy chokes on hits lacking fields
            raise GeocoderParseError(f"unusable hit in the answer: {exc}") from exc
        return [loc.raw for loc in locations or ()]


GEOCODERS: dict[str, type[OnlineGeocoder]] = {NominatimGeocoder.service: NominatimGeocoder}
"""Service names to geocoder classes."""


def geocoder_class(service: str) -> type[OnlineGeocoder]:
    """The geocoder class for a service name (``"nominatim"``).

    Raises
    ------
    KeyError
        For a service with no implementation here, listing those that exist.
    """
    try:
        return GEOCODERS[service.lower()]
    except KeyError:
        raise KeyError(f"no geocoder named {service!r}; known: {', '.join(sorted(GEOCODERS))}") from None


def default_geocoder() -> OnlineGeocoder | None:
    """The configured online geocoder, or ``None`` when it is off (the default)."""
    if not settings.ONLINE_GEOCODER:
        return None
    return NominatimGeocoder()

