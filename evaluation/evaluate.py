"""Evaluation on public corpora, read in place (never copied into the project).

``python -m evaluation geoparsing [--corpora DIR] [--limit N]``
    Runs recognition and resolution (``find_mentions`` then
    ``resolve_mentions``) over GWN, LGL, TR-News and GeoVirus.

``python -m evaluation multilingual [--corpora DIR] [--limit N] [--split all|dev|test] [--nominal]``
    Place recognition in Ukrainian (ner-uk) and Russian (FactRuEval-2016);
    see :mod:`evaluation.multilingual`.

``python -m evaluation ukraine [--corpora DIR] [--limit N]``
    Runs the whole parse (places and events) over the Bellingcat civilian-harm
    export and the UCDP GED events for Ukraine.

``python -m evaluation ukraine --places [--failures N]``
    Resolves the same datasets' own place strings (UCDP ``where_description``
    with ``adm_1``, Bellingcat ``location``) and counts those read within 25 km
    of the row (see :mod:`evaluation.places`).

``python -m evaluation claims [--table FILE] [--failures N]``
    Scores the hand-written claims table (``evaluation/data/claims.tsv``):
    events found, dangerous false events, attributes right (see
    :mod:`evaluation.claims`).

Geoparsing definitions
----------------------
Gold toponyms
    LGL and TR-News: every ``<toponym>``.  GeoVirus: every ``<location>``.
    GWN: every ``<toponym>`` except the three classes the Pragmatic Guide
    treats as non-toponyms (``Literal_Expression`` such as "the city",
    ``Non_Lit_Expression`` such as "citizens", and ``Non_Toponym``).
    Demonyms and other associative toponyms stay in, so they count against
    us: the parser deliberately keeps "Ukrainian" as an actor, not a place.
Recognition
    A predicted place matches a gold toponym when their character spans
    overlap; pairs are made one to one, largest overlap first.  Precision is
    matches over predictions, recall is matches over gold toponyms.
Resolution
    Over matched pairs whose gold toponym has coordinates: the share within
    161 km, the mean error in km, and the AUC of the sorted
    ``log(1 + error km)`` curve scaled by ``log(1 + 20039)`` (half the
    Earth's circumference; 0 is perfect, 1 is always antipodal).
End to end
    Gold toponyms with coordinates that are matched and resolved within
    161 km, over all gold toponyms with coordinates.

Ukraine definitions
-------------------
Text of a row
    Bellingcat: ``"<location>: <description>"``, the way a dateline leads a
    report.  UCDP: ``"<where_description>: <source_headline>"``; the
    headline is the only report text UCDP ships, and ``where_description``
    is the coder's place phrase.  Rows without coordinates or text are
    skipped; UCDP rows are kept only when ``where_prec`` is 1 or 2 (an exact
    place, or within 25 km of one): coarser rows carry an admin or country
    centroid, not a place.
Within 25 km
    A row is a hit when the parse of its text yields at least one event
    placed at a city, admin-1 unit or other local place whose point lies
    within 25 km of the row's coordinates.  Events on a whole country or a
    border line never count.  The share is over all kept rows.  We also
    report the share over "nameable" rows: those whose text contains, with a
    capital initial, the name of some gazetteer place lying within 25 km of
    the row's coordinates (so a parser could have done it).
Event-type agreement
    Multi-label: each row gets the set of our types its tags imply, and the
    prediction is the set of event types parsed from its text.  Per class,
    a row is a true positive when the type is in both sets; F1 per class is
    averaged over the classes the mapping can produce (macro-F1).  Rows
    whose tags imply no type are left out of this measure.

    Bellingcat tags (``associations``):

    * Type of area affected: Residential, Industrial, Administrative,
      Healthcare, School or childcare, Commercial, Religious, Cultural,
      Roads/Highways/Transport, Humanitarian, Food -> ``civilian_harm``.
      Military and Undefined imply nothing.
    * Weapon system: HE rocket artillery, HE artillery inc mortars, Cluster
      munitions, Incendiary munitions, Cruise missile, Ballistic missile,
      Thermobaric munition, Air strike, Anti-air missile, Loitering
      munition -> ``strike``.  Small arms, Vehicle mounted weapon, Land
      mines and Unknown imply nothing.

    UCDP ``type_of_violence``: 1 (state-based) and 2 (non-state) ->
    ``combat``, a class met by any of our ``strike``, ``battle``,
    ``losses``, ``capture`` or ``encirclement`` (UCDP does not tell shelling
    from fighting); 3 (one-sided, against civilians) -> ``civilian_harm``.

Known and unknown classes
    The macro-F1 above counts every absent tag as a "no".  A tag's absence is
    not always one: Bellingcat tags the weapon ``Unknown`` (or not at all)
    when it could not be identified, though the text often says "shelling"
    or "strike"; UCDP's state-based rows count civilians killed in the
    fighting without saying so.  So a second figure, "known tags only",
    leaves a row out of a class its tags say nothing about:

    * Bellingcat ``strike`` is known only when a weapon tag names an
      explosive weapon (positive) or Small arms or Vehicle mounted weapon
      (negative); ``civilian_harm`` only when an area tag other than
      Undefined is present (Military is the negative).
    * UCDP ``civilian_harm`` is unknown for types 1 and 2.
    * A class with no row known to be outside it is not scored: its
      precision cannot be measured (UCDP ``civilian_harm``, 6 rows, all
      positive).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geo import settings

CORRECT_KM = 161.0
"""The field's threshold for a correct resolution (100 miles)."""

NEAR_KM = 25.0
"""How close an event must be to a Ukraine row's coordinates."""

HALF_EARTH_KM = 20039.0
"""Largest possible great-circle error, which scales the AUC to [0, 1]."""

DEFAULT_CORPORA = Path(os.environ.get("SITMAP_CORPORA", settings.ROOT.parent / "shared" / "corpora"))
"""Where the shared corpora live (``../shared/corpora`` from the repository)."""

GWN_NON_TOPONYMS = frozenset({"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"})
"""GWN annotation classes that are not toponyms (common nouns, non-places)."""

COMBINED = ("TR-News", "LGL", "GWN")
"""The corpora pooled for the headline targets."""


class CorpusMissing(FileNotFoundError):
    """A corpus file or folder is not where the evaluation looks for it."""


# records ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Span:
    """A toponym span, gold or predicted; coordinates may be absent."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One corpus article with its gold toponyms."""

    doc_id: str
    text: str
    gold: tuple[Span, ...]


@dataclass(slots=True)
class Tally:
    """Counts behind every geoparsing metric; tallies add up across documents."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    gold_with_coords: int = 0
    correct: int = 0
    errors_km: list[float] = field(default_factory=list)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.gold + other.gold, self.predicted + other.predicted,
                     self.matched + other.matched, self.gold_with_coords + other.gold_with_coords,
                     self.correct + other.correct, self.errors_km + other.errors_km)


# pure scoring -------------------------------------------------------------
def overlap_pairs(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans.

    Pairs with the largest overlap are taken first, so a long prediction that
    covers two gold toponyms matches only one of them.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def precision_recall_f1(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    p = matched / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@functools.cache
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km on the WGS84 ellipsoid (vectorised)."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype="float64") for v in (lon1, lat1, lon2, lat2)))
    _, _, metres = _geod().inv(*(a.ravel() for a in arrays))
    return np.asarray(metres).reshape(arrays[0].shape) / 1000.0


def auc_log_error(errors_km: Iterable[float]) -> float:
    """Area under the sorted log-error curve, scaled to [0, 1]; lower is better."""
    errs = np.sort(np.asarray(list(errors_km), dtype="float64"))
    if len(errs) == 0:
        return float("nan")
    scaled = np.log1p(errs) / np.log1p(HALF_EARTH_KM)
    if len(errs) == 1:
        return float(scaled[0])
    return float(np.trapezoid(scaled, dx=1.0 / (len(errs) - 1)))


def score_document(gold: Sequence[Span], predicted: Sequence[Span]) -> Tally:
    """Recognition and resolution counts for one document."""
    tally = Tally(gold=len(gold), predicted=len(predicted),
                  gold_with_coords=sum(g.lat is not None for g in gold))
    pairs = overlap_pairs(gold, predicted)
    tally.matched = len(pairs)
    located = [(gold[gi], predicted[pi]) for gi, pi in pairs
               if gold[gi].lat is not None and predicted[pi].lat is not None]
    if located:
        err = distance_km([g.lat for g, _ in located], [g.lon for g, _ in located],
                          [p.lat for _, p in located], [p.lon for _, p in located])
        tally.errors_km = [float(e) for e in np.atleast_1d(err)]
        tally.correct = int(np.sum(np.atleast_1d(err) <= CORRECT_KM))
    return tally


def summarise(tally: Tally) -> dict[str, float | int]:
    """Every reported metric of a tally, as a flat dict."""
    p, r, f = precision_recall_f1(tally.matched, tally.predicted, tally.gold)
    errs = np.asarray(tally.errors_km)
    return {
        "gold": tally.gold, "predicted": tally.predicted, "precision": p, "recall": r, "f1": f,
        "acc161": float(np.mean(errs <= CORRECT_KM)) if len(errs) else float("nan"),
        "end_to_end": tally.correct / tally.gold_with_coords if tally.gold_with_coords else float("nan"),
        "auc": auc_log_error(errs), "mean_km": float(errs.mean()) if len(errs) else float("nan"),
        "gold_with_coords": tally.gold_with_coords,
    }


# corpus readers -----------------------------------------------------------
def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def read_gwn(path: Path) -> list[Document]:
    """GeoWebNews: toponym elements with type, offsets and optional lat/lon."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        gold = tuple(
            Span(int(t.findtext("start")), int(t.findtext("end")),
                 _float(t.findtext("latitude")), _float(t.findtext("longitude")))
            for t in art.iter("toponym") if t.findtext("type") not in GWN_NON_TOPONYMS)
        docs.append(Document(art.get("file", str(len(docs))), art.findtext("text") or "", gold))
    return docs


def read_gaztag(path: Path) -> list[Document]:
    """LGL and TR-News: toponyms with offsets and a GeoNames ``gaztag``."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        gold = []
        for t in art.iter("toponym"):
            tag = t.find("gaztag")
            lat = _float(tag.findtext("lat")) if tag is not None else None
            lon = _float(tag.findtext("lon")) if tag is not None else None
            gold.append(Span(int(t.findtext("start")), int(t.findtext("end")), lat, lon))
        docs.append(Document(art.get("docid", str(len(docs))), art.findtext("text") or "", tuple(gold)))
    return docs


def read_geovirus(path: Path) -> list[Document]:
    """GeoVirus: ``<location>`` elements with offsets and lat/lon."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        gold = tuple(
            Span(int(loc.findtext("start")), int(loc.findtext("end")),
                 _float(loc.findtext("lat")), _float(loc.findtext("lon")))
            for loc in art.iter("location"))
        docs.append(Document(art.findtext("source") or str(len(docs)), art.findtext("text") or "", gold))
    return docs


GEOPARSING_CORPORA: dict[str, tuple[str, Callable[[Path], list[Document]]]] = {
    "GWN": ("GWN.xml", read_gwn),
    "LGL": ("lgl.xml", read_gaztag),
    "TR-News": ("TR-News.xml", read_gaztag),
    "GeoVirus": ("GeoVirus.xml", read_geovirus),
}
"""Corpus name to (file name, reader)."""


def corpus_dir(root: Path, sub: str) -> Path:
    """The folder holding one family of corpora (``root/sub`` or ``root`` itself)."""
    root = Path(root)
    for candidate in (root / sub, root):
        if any((candidate / f).is_file() for f in _MARKERS[sub]):
            return candidate
    raise CorpusMissing(
        f"no {sub} corpora found under {root}: pass --corpora with the shared corpora folder "
        f"(the one holding {sub}/), or set SITMAP_CORPORA")


_MARKERS = {
    "geoparsing": ("GWN.xml", "lgl.xml", "TR-News.xml", "GeoVirus.xml"),
    "ukraine": ("bellingcat_civharm_export_events.json", "ucdp_ged_ukraine.csv"),
}


def load_corpus(folder: Path, name: str, limit: int | None = None) -> list[Document]:
    """Read one geoparsing corpus by name, optionally only its first ``limit`` articles."""
    file_name, reader = GEOPARSING_CORPORA[name]
    path = folder / file_name
    if not path.is_file():
        raise CorpusMissing(f"{path}: corpus file not found")
    docs = reader(path)
    return docs[:limit] if limit else docs


# running the parser -------------------------------------------------------
def predicted_spans(text: str, gaz) -> list[Span]:
    """The parser's resolved places in ``text``, as spans with coordinates."""
    from geo.parse.mentions import find_mentions
    from geo.parse.resolve import resolve_mentions

    places = resolve_mentions(find_mentions(text, gaz), gaz)
    return [Span(p.start, p.end, p.lat, p.lon) for p in places]


def evaluate_corpus(docs: Sequence[Document], gaz) -> Tally:
    """Parse every document and add up its tally."""
    total = Tally()
    for doc in docs:
        total = total + score_document(doc.gold, predicted_spans(doc.text, gaz))
    return total


def _fmt(value: float, pct: bool = False) -> str:
    if value != value:  # nan
        return "–"
    return f"{100 * value:.1f}" if pct else f"{value:.2f}"


def geoparsing_table(results: dict[str, Tally]) -> str:
    """A Markdown table of every metric per corpus, plus the pooled row."""
    head = ("| corpus | articles' toponyms | P | R | F1 | acc@161 km % | end-to-end % | AUC | mean km |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for name, tally in results.items():
        s = summarise(tally)
        lines.append(
            f"| {name} | {s['gold']:,} | {_fmt(s['precision'])} | {_fmt(s['recall'])} | "
            f"{_fmt(s['f1'])} | {_fmt(s['acc161'], True)} | {_fmt(s['end_to_end'], True)} | "
            f"{_fmt(s['auc'])} | {s['mean_km']:.0f} |")
    return "\n".join(lines)


def run_geoparsing(corpora: Path, limit: int | None, names: Sequence[str] | None = None) -> dict[str, Tally]:
    """Evaluate each corpus, then pool TR-News, LGL and GWN."""
    from geo.gazetteer.loader import load_gazetteer

    folder = corpus_dir(corpora, "geoparsing")
    gaz = load_gazetteer()
    results: dict[str, Tally] = {}
    for name in names or GEOPARSING_CORPORA:
        results[name] = evaluate_corpus(load_corpus(folder, name, limit), gaz)
    pooled = [results[n] for n in COMBINED if n in results]
    if len(pooled) == len(COMBINED):
        results["TR-News+LGL+GWN"] = sum(pooled, Tally())
    return results


# ukraine events -----------------------------------------------------------
BELLINGCAT_TAG_TYPES: dict[str, str] = {
    **{area: "civilian_harm" for area in (
        "Residential", "Industrial", "Administrative", "Healthcare", "School or childcare",
        "Commercial", "Religious", "Cultural", "Roads/Highways/Transport", "Humanitarian",
        "Food/Food Infrastructure")},
    **{weapon: "strike" for weapon in (
        "HE rocket artillery", "HE artillery inc mortars", "Cluster munitions",
        "Incendiary munitions", "Cruise missile", "Ballistic missile", "Thermobaric munition",
        "Air strike", "Anti-air missile", "Loitering munition")},
}
"""Bellingcat tag titles that imply one of our event types (see the module docstring)."""

BELLINGCAT_NOT_STRIKE = frozenset({"Small arms", "Vehicle mounted weapon"})
"""Weapon tags that name a weapon that is not an explosive strike: the only tags that
make ``strike`` a known negative.  ``Unknown`` (and no weapon tag) leaves it unknown."""

BELLINGCAT_AREA_UNKNOWN = frozenset({"Undefined"})
"""An area tag that says nothing about whether the area was civilian."""

UCDP_VIOLENCE_TYPES: dict[int, str] = {1: "combat", 2: "combat", 3: "civilian_harm"}
"""UCDP ``type_of_violence`` to an agreement class."""

UCDP_UNKNOWN: dict[int, frozenset[str]] = {1: frozenset({"civilian_harm"}), 2: frozenset({"civilian_harm"})}
"""Classes a UCDP violence type says nothing about: state-based and non-state rows
count civilians killed in the fighting, so they neither assert nor deny civilian harm."""

CLASS_MEMBERS: dict[str, frozenset[str]] = {
    "strike": frozenset({"strike"}),
    "civilian_harm": frozenset({"civilian_harm"}),
    "combat": frozenset({"strike", "battle", "losses", "capture", "encirclement"}),
}
"""Agreement class to the event types of ours that satisfy it."""


@dataclass(frozen=True, slots=True)
class Row:
    """One Ukraine dataset row: text, true coordinates and implied types."""

    dataset: str
    row_id: str
    text: str
    lat: float
    lon: float
    labels: frozenset[str]
    classes: frozenset[str]  # every class this dataset's mapping can produce
    unknown: frozenset[str] = frozenset()  # classes the row's tags say nothing about


_BELLINGCAT_AREAS = frozenset({*(t for t, c in BELLINGCAT_TAG_TYPES.items() if c == "civilian_harm"),
                               "Military", "Undefined"})


def read_bellingcat(folder: Path) -> list[Row]:
    """Bellingcat civilian-harm events, their tags mapped through ``BELLINGCAT_TAG_TYPES``."""
    events = json.loads((folder / "bellingcat_civharm_export_events.json").read_text("utf-8"))
    tags = json.loads((folder / "bellingcat_civharm_export_associations.json").read_text("utf-8"))
    title = {t["id"]: t["title"] for t in tags}
    classes = frozenset(BELLINGCAT_TAG_TYPES.values())
    rows = []
    for ev in events:
        lat, lon = _float(ev.get("latitude")), _float(ev.get("longitude"))
        text = ": ".join(s.strip() for s in (ev.get("location") or "", ev.get("description") or "")
                         if s and s.strip())
        if lat is None or lon is None or not text:
            continue
        titles = [title.get(a) for a in ev.get("associations", [])]
        labels = frozenset(BELLINGCAT_TAG_TYPES[t] for t in titles if t in BELLINGCAT_TAG_TYPES)
        unknown = set()
        if "strike" not in labels and not any(t in BELLINGCAT_NOT_STRIKE for t in titles):
            unknown.add("strike")
        if "civilian_harm" not in labels and not any(
                t in _BELLINGCAT_AREAS and t not in BELLINGCAT_AREA_UNKNOWN for t in titles):
            unknown.add("civilian_harm")
        rows.append(Row("Bellingcat", ev["id"], text, lat, lon, labels, classes, frozenset(unknown)))
    return rows


def read_ucdp(folder: Path) -> list[Row]:
    """UCDP GED rows located to a place (``where_prec`` 1 or 2)."""
    import pandas as pd

    df = pd.read_csv(folder / "ucdp_ged_ukraine.csv", encoding="utf-8", encoding_errors="replace",
                     keep_default_na=False, dtype=str)
    df = df[df["where_prec"].isin(["1", "2"])]
    classes = frozenset(UCDP_VIOLENCE_TYPES.values())
    rows = []
    for r in df.itertuples(index=False):
        lat, lon = _float(r.latitude), _float(r.longitude)
        # several headlines are joined by ";": one per line, like a digest
        headlines = "\n".join(h.strip() for h in r.source_headline.split(";") if h.strip())
        text = ": ".join(s for s in (r.where_description.strip(), headlines) if s)
        if lat is None or lon is None or not text:
            continue
        violence = int(r.type_of_violence)
        label = UCDP_VIOLENCE_TYPES.get(violence)
        rows.append(Row("UCDP", r.id, text, lat, lon, frozenset({label} if label else ()), classes,
                        UCDP_UNKNOWN.get(violence, frozenset())))
    return rows


def predicted_classes(event_types: Iterable[str], classes: Iterable[str]) -> frozenset[str]:
    """The agreement classes a set of our event types satisfies."""
    types = set(event_types)
    return frozenset(c for c in classes if types & CLASS_MEMBERS[c])


def macro_f1(expected: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]],
             classes: Iterable[str],
             unknown: Sequence[frozenset[str]] | None = None) -> tuple[float, dict[str, float]]:
    """Multi-label macro-F1 over ``classes``, and the F1 of each class.

    With ``unknown``, a row is left out of a class its tags say nothing about
    (so a predicted type there is neither a hit nor a false alarm), and a
    class with no row known to be outside it is not scored (its precision
    cannot be measured).
    """
    masked = unknown is not None
    unknown = unknown if masked else [frozenset()] * len(expected)
    per_class = {}
    for c in sorted(classes):
        pairs = [(e, p) for e, p, u in zip(expected, predicted, unknown) if c not in u]
        tp = sum(c in e and c in p for e, p in pairs)
        fp = sum(c not in e and c in p for e, p in pairs)
        fn = sum(c in e and c not in p for e, p in pairs)
        if masked and all(c in e for e, _ in pairs):
            continue  # no row known not to be of this class: its precision cannot be measured
        per_class[c] = precision_recall_f1(tp, tp + fp, tp + fn)[2]
    return (float(np.mean(list(per_class.values()))) if per_class else float("nan")), per_class


def near_event(points: Sequence[tuple[float, float]], lat: float, lon: float,
               km: float = NEAR_KM) -> bool:
    """Whether any (lat, lon) point lies within ``km`` of (lat, lon)."""
    if not points:
        return False
    d = distance_km([p[0] for p in points], [p[1] for p in points], lat, lon)
    return bool(np.any(np.atleast_1d(d) <= km))


def nameable(text: str, lat: float, lon: float, gaz) -> bool:
    """Whether ``text`` names (capitalised) a gazetteer place within 25 km of (lat, lon)."""
    from geo.names import fold_text

    folded = fold_text(text)
    rows: list[int] = []
    for s, e, kid in gaz.boundary_matches(folded):  # whole words: no letter or digit either side
        if text[s].isupper():
            rows.extend(gaz.entries_for_key(kid)[0].tolist())
    return near_event([(gaz.lat[r], gaz.lon[r]) for r in rows], lat, lon)


@dataclass(slots=True)
class RowOutcome:
    """What the parse of one row gave, for scoring and for error listings."""

    row: Row
    hit: bool
    nameable: bool
    predicted: frozenset[str]
    places: tuple[str, ...]
    types: tuple[str, ...] = ()  # our event types, in parse order
    nearest_km: float | None = None  # the nearest local event, if any


def evaluate_row(row: Row, gaz) -> RowOutcome:
    """Parse a row's text and compare its events with the row."""
    from geo.parse.pipeline import parse_text

    result = parse_text(row.text, source=row.row_id, gazetteer=gaz)
    points = [(e.lat, e.lon) for e in result.events
              if e.lat is not None and e.place_kind not in ("country", "border")]
    nearest = None
    if points:
        d = distance_km([p[0] for p in points], [p[1] for p in points], row.lat, row.lon)
        nearest = float(np.min(np.atleast_1d(d)))
    return RowOutcome(row, nearest is not None and nearest <= NEAR_KM,
                      nameable(row.text, row.lat, row.lon, gaz),
                      predicted_classes((e.event_type for e in result.events), row.classes),
                      tuple(p.name for p in result.places),
                      tuple(e.event_type for e in result.events), nearest)


def ukraine_summary(outcomes: Sequence[RowOutcome]) -> dict[str, float | int | dict]:
    """Shares within 25 km and event-type agreement of a set of rows."""
    named = [o for o in outcomes if o.nameable]
    typed = [o for o in outcomes if o.row.labels]
    classes = set().union(*(o.row.classes for o in outcomes)) if outcomes else set()
    expected, predicted = [o.row.labels for o in typed], [o.predicted for o in typed]
    macro, per_class = macro_f1(expected, predicted, classes)
    known, known_per_class = macro_f1(expected, predicted, classes, [o.row.unknown for o in typed])
    return {
        "rows": len(outcomes), "within_25km": _share(o.hit for o in outcomes),
        "nameable_rows": len(named), "within_25km_nameable": _share(o.hit for o in named),
        "typed_rows": len(typed), "macro_f1": macro, "per_class": per_class,
        "macro_f1_known": known, "per_class_known": known_per_class,
    }


def _share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else float("nan")


def ukraine_table(summaries: dict[str, dict]) -> str:
    """A Markdown table of the Ukraine figures per dataset and pooled."""
    lines = ["| dataset | rows | within 25 km % | nameable rows | within 25 km of nameable % "
             "| typed rows | macro-F1 | F1 per class | macro-F1, known tags only | F1 per class, so |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for name, s in summaries.items():
        per = ", ".join(f"{c} {v:.2f}" for c, v in s["per_class"].items())
        known = ", ".join(f"{c} {v:.2f}" for c, v in s.get("per_class_known", {}).items())
        lines.append(f"| {name} | {s['rows']:,} | {_fmt(s['within_25km'], True)} | {s['nameable_rows']:,} | "
                     f"{_fmt(s['within_25km_nameable'], True)} | {s['typed_rows']:,} | "
                     f"{_fmt(s['macro_f1'])} | {per} | {_fmt(s.get('macro_f1_known', float('nan')))} | "
                     f"{known} |")
    return "\n".join(lines)


def failure_cases(outcomes: Sequence[RowOutcome], n: int) -> list[RowOutcome]:
    """The worst rows: nameable rows with no local event first, then those whose
    nearest event is farthest, then rows whose known types disagree."""
    missed = [o for o in outcomes if o.nameable and not o.hit]
    missed.sort(key=lambda o: (o.nearest_km is not None, -(o.nearest_km or 0.0), o.row.row_id))
    disagree = [o for o in outcomes if o.row.labels and o not in missed and any(
        (c in o.row.labels) != (c in o.predicted) for c in o.row.classes - o.row.unknown)]
    return (missed + disagree)[:n]


def failures_text(outcomes: dict[str, list[RowOutcome]], n: int) -> str:
    """A Markdown list of each dataset's ``n`` worst rows, with what the parse gave."""
    lines = []
    for name, rows in outcomes.items():
        lines.append(f"\n### {name}: worst {n}\n")
        for o in failure_cases(rows, n):
            where = "no local event" if o.nearest_km is None else f"nearest event {o.nearest_km:.0f} km"
            text = " ".join(o.row.text.split())
            text = text if len(text) <= 160 else text[:157] + "..."
            lines.append(f"- {o.row.row_id}: {where}; tags {sorted(o.row.labels)}, types "
                         f"{list(dict.fromkeys(o.types))}, places {list(dict.fromkeys(o.places))}: {text}")
    return "\n".join(lines)


def run_ukraine(corpora: Path, limit: int | None) -> dict[str, list[RowOutcome]]:
    """Evaluate each Ukraine dataset row by row."""
    from geo.gazetteer.loader import load_gazetteer

    folder = corpus_dir(corpora, "ukraine")
    gaz = load_gazetteer()
    out = {}
    for name, reader in (("Bellingcat", read_bellingcat), ("UCDP", read_ucdp)):
        try:
            rows = reader(folder)
        except FileNotFoundError as exc:
            raise CorpusMissing(f"{exc.filename}: dataset file not found") from None
        out[name] = [evaluate_row(r, gaz) for r in (rows[:limit] if limit else rows)]
    return out


# command line -------------------------------------------------------------
def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m evaluation",
                                 description="Score the parser on the shared public corpora.")
    ap.add_argument("suite", choices=("geoparsing", "ukraine", "claims", "multilingual", "parallel", "villages"))
    ap.add_argument("--table", type=Path, help="claims, parallel: the table to score (default: evaluation/data/claims.tsv, "
                         "evaluation/data/parallel.json)")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA,
                    help="the shared corpora folder (default: ../shared/corpora)")
    ap.add_argument("--limit", type=int, help="only the first N articles or rows of each corpus")
    ap.add_argument("--corpus", action="append", choices=list(GEOPARSING_CORPORA),
                    help="geoparsing: evaluate only this corpus (repeatable)")
    ap.add_argument("--split", choices=("all", "dev", "test"), default="all",
                    help="multilingual: the corpora's own dev or test documents only")
    ap.add_argument("--nominal", action="store_true",
                    help="multilingual: score \"the capital\" (столиця) as a prediction too (the corpora never mark it)")
    ap.add_argument("--failures", type=int, default=0, metavar="N",
                    help="ukraine: also list each dataset's N worst rows (missed places first); "
                         "claims: the first N sentences with a miss or a wrong attribute; "
                         "parallel: every report with a miss or an extra type")
    ap.add_argument("--places", action="store_true",
                    help="ukraine: resolve the datasets' own place strings instead (evaluation.places)")
    return ap.parse_args(argv)


def _claims(args: argparse.Namespace) -> str:
    from evaluation.claims import TABLE, claims_failures, claims_summary, claims_table, run_claims
    from geo.gazetteer.loader import load_gazetteer

    outcomes = run_claims(load_gazetteer(), args.table or TABLE)
    table = claims_table(claims_summary(outcomes))
    return table + ("\n\n" + claims_failures(outcomes, args.failures) if args.failures else "")


def _parallel(args: argparse.Namespace) -> str:
    from evaluation import parallel
    from geo.gazetteer.loader import load_gazetteer

    outcomes = parallel.run(load_gazetteer(), args.table or parallel.TABLE)
    return parallel.table(outcomes) + ("\n\n" + parallel.failures(outcomes) if args.failures else "")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.suite == "geoparsing":
            table = geoparsing_table(run_geoparsing(args.corpora, args.limit, args.corpus))
        elif args.suite == "multilingual":  # Ukrainian and Russian: evaluation.multilingual
            from evaluation import multilingual

            table = multilingual.table(multilingual.run(args.corpora, args.limit, args.split, args.nominal))
        elif args.suite == "claims":
            table = _claims(args)
        elif args.suite == "parallel":  # one report in three languages: evaluation.parallel
            table = _parallel(args)
        elif args.suite == "villages":  # notes written from the settlements table: evaluation.villages
            from evaluation import villages

            scores, missed = villages.run(args.limit or 400)
            table = villages.table(scores)
            if args.failures:
                table += "\n\n" + villages.failures_text(missed, args.failures)
        elif args.places:  # the coders' own place strings: evaluation.places
            from evaluation import places

            outcomes = places.run(args.corpora, args.limit)
            table = places.table(outcomes)
            if args.failures:
                table += "\n" + places.failures_text(outcomes, args.failures)
        else:
            outcomes = run_ukraine(args.corpora, args.limit)
            summaries = {name: ukraine_summary(o) for name, o in outcomes.items()}
            summaries["pooled"] = ukraine_summary([o for rows in outcomes.values() for o in rows])
            table = ukraine_table(summaries)
            if args.failures:
                table += "\n" + failures_text(outcomes, args.failures)
    except (CorpusMissing, ValueError) as exc:  # a missing corpus, a claims table that cannot be read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(table)
    print(f"\n({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
