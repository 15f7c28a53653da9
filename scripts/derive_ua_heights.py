"""Derive ``data/ua_heights.csv``: the hills, mounds and mountains of Ukraine, with their names.

Reports place fighting on heights as often as in villages ("the battle for Saur-Mogila
height", "near the Savur-Mohyla monument"), and a height is no settlement, so
``data/ua_settlements.parquet`` holds none.  This takes them from the same GeoNames
extract for Ukraine (``UA.txt`` inside ``geonames-UA.zip``, CC BY 4.0): every feature
of class T with code ``HLL`` (hill), ``MND`` (mound, a kurgan) or ``MT`` (mountain),
with its point, oblast and names (Latin and Cyrillic).  Ranges and hill lands (``MTS``,
``HLLS``) are areas, not points, and are left out.

Names are kept as GeoNames writes them ("Hora Savur-Mohyla", "Gora Saur Mogila");
the build (``geo.gazetteer.build.load_heights``) adds each without its leading
"Hora", "Gora" or "Kurgan" where what is left is distinctive.  Rerun from the
repository root::

    python scripts/derive_ua_heights.py [--geonames ../shared/gazetteer/geonames-UA.zip]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from derive_ua_gazetteer import read_geonames  # the same reading of the extract (scripts/ is on the path)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GEONAMES = ROOT.parent / "shared" / "gazetteer" / "geonames-UA.zip"
DEFAULT_OUT = ROOT / "data" / "ua_heights.csv"
CODES = frozenset({"HLL", "MND", "MT"})
_SCRIPT = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF' .\-’]+$")
"""Latin or Cyrillic names only (GeoNames also lists codes and other scripts)."""


def heights(zip_path: Path) -> list[dict]:
    """The heights of the extract, one row each, in (oblast, name, id) order."""
    g = read_geonames(zip_path)
    g = g[g["feature_class"].eq("T") & g["feature_code"].isin(CODES) & g["admin1"].str.isdigit()]
    rows = []
    for r in g.itertuples(index=False):
        names = []
        for n in [r.name, r.asciiname, *r.alternatenames.split(",")]:
            n = " ".join(n.replace("_", " ").split())
            if len(n) >= 4 and _SCRIPT.match(n) and n not in names:
                names.append(n)
        rows.append({"gid": f"geonames:{r.geonameid}", "name": r.name, "code": r.feature_code,
                     "lat": round(float(r.latitude), 5), "lon": round(float(r.longitude), 5),
                     "admin1": f"UA.{r.admin1}", "names": "|".join(names[1:])})
    return sorted(rows, key=lambda r: (r["admin1"], r["name"], r["gid"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, default=DEFAULT_GEONAMES, help="geonames-UA.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = heights(args.geonames)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["gid", "name", "code", "lat", "lon", "admin1", "names"])
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} heights to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
