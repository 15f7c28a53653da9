"""The record that flows between reading, storing and comparing control areas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from geo import io

KINDS = ("occupied", "claimed", "contested")
"""What a layer shows: ground held (assessed), ground claimed, ground fought over."""


class ControlInputError(io.BadInput):
    """A control file, date or option that cannot be used; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class ControlLayer:
    """One kind of area on one day from one source, as a valid (Multi)Polygon in lon/lat.

    ``sha256`` identifies the content (the file's bytes, its layer and the kind),
    so importing the same file again is recognised and changes nothing.
    """

    date: str
    kind: str
    source: str
    geometry: BaseGeometry
    sha256: str
    name: str = ""

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


def check_date(value: str) -> str:
    """``value`` as ``YYYY-MM-DD``, or :class:`ControlInputError`."""
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ControlInputError(f"bad date {value!r}: use YYYY-MM-DD") from None


def check_kind(value: str) -> str:
    if value not in KINDS:
        raise ControlInputError(f"bad kind {value!r}: use one of {', '.join(KINDS)}")
    return value


def latest_on_or_before(layers: list[ControlLayer], date: str) -> ControlLayer | None:
    """The layer in force on ``date``: the latest dated on or before it (``layers`` sorted by date)."""
    best = None
    for layer in layers:
        if layer.date > date:
            break
        best = layer
    return best
