"""Regions made of whole oblasts, which reports name as often as the oblasts themselves.

``data/ua_regions.csv`` (written by hand) lists each region: a code of the admin-1 form
that no GeoNames unit uses (``UA.DB``), its names in English, Ukrainian and Russian, and
the oblasts it is made of (Donbas: Donetsk, ``UA.05``, and Luhansk, ``UA.14``).

The build makes each region an entry of kind ``admin1``: its polygon, written to the
``admin1`` layer beside the oblasts', is the union of its members' polygons, and its point
lies inside that polygon.  A region is drawn and bound like an oblast ("Bakhmut in
Donbas" is one place, Bakhmut, as "Bakhmut, Donetsk oblast" is).  Where a text puts a
place in a region ("a village, Donbas region"), resolution reads the region's code as
its members' codes (:func:`member_units`).  A point lies in one oblast and in a region
too: what asks which admin-1 unit a point is in skips the regions (:func:`is_region`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import shapely

from geo import settings

REGIONS = settings.ROOT / "data" / "ua_regions.csv"


@functools.lru_cache(maxsize=4)
def regions_table(path: Path = REGIONS) -> pd.DataFrame:
    """The regions' table, one row a region, indexed by its code."""
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("admin1")


@functools.lru_cache(maxsize=1)
def _members() -> dict[str, tuple[str, ...]]:
    return {code: tuple(members.split("|")) for code, members in regions_table()["members"].items()}


def member_units(code: str | None) -> tuple[str | None, ...]:
    """The admin-1 codes a unit code stands for: a region's member oblasts (``UA.DB``:
    ``UA.05`` and ``UA.14``), any other code itself."""
    return _members().get(code) or (code,)


def is_region(code: str | None) -> bool:
    """Whether an admin-1 code is a region's (several oblasts), not one unit's."""
    return code in _members()


def region_polygons(admin1_geo):
    """The admin-1 polygons (a GeoDataFrame of ``admin1`` codes and geometry) with each
    region's added: the union of its members' polygons.  A region none of whose members
    has a polygon is left out."""
    shapes = admin1_geo.set_index("admin1").geometry
    codes, geoms = [], []
    for code, members in _members().items():
        parts = [shapes[m] for m in members if m in shapes.index]
        if parts:
            codes.append(code)
            geoms.append(shapely.union_all(parts))
    if not codes:
        return admin1_geo
    added = type(admin1_geo)({"admin1": codes}, geometry=geoms, crs=admin1_geo.crs)
    return pd.concat([admin1_geo, added], ignore_index=True)


def region_entries(admin1_geo, units: pd.DataFrame) -> pd.DataFrame:
    """Each region with a polygon in ``admin1_geo`` as an entry of kind ``admin1``, its point
    inside the polygon and its population its members' (``units``: the admin-1 entries,
    with their ``admin1`` code and ``population``)."""
    table = regions_table()
    shapes = admin1_geo.set_index("admin1").geometry
    table = table[table.index.isin(shapes.index)]
    geoms = shapes[table.index].to_numpy()
    centre = shapely.centroid(geoms)
    points = [c if shapely.contains(g, c) else shapely.point_on_surface(g) for g, c in zip(geoms, centre)]
    population = units.set_index("admin1")["population"]
    return pd.DataFrame({
        "gid": table["gid"].to_numpy(), "name": table["name"].to_numpy(), "kind": "admin1", "cc": "UA",
        "lat": [p.y for p in points], "lon": [p.x for p in points],
        "population": [int(population.reindex(m.split("|")).fillna(0).sum()) for m in table["members"]],
        "admin1": table.index.to_numpy(), "capital": False,
        "aliases": [[n for n in (uk, ru, *names.split("|")) if n]
                    for uk, ru, names in zip(table["name_uk"], table["name_ru"], table["names"])],
        "iso": "",
    })


def ukrainian_name(name: str) -> str | None:
    """A region's Ukrainian name, by any of its English names ("Donbass": "Донбас")."""
    key = name.casefold()
    for row in regions_table().itertuples():
        if key in (n.casefold() for n in (row.name, *row.names.split("|"))):
            return row.name_uk
    return None
