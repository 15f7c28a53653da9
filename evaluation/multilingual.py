"""Place recognition in Ukrainian and Russian text: ner-uk and FactRuEval-2016, read in place.

``python -m evaluation multilingual [--corpora DIR] [--limit N] [--split all|dev|test] [--nominal]``

Definitions
-----------
Gold spans
    ner-uk: every ``LOC`` span of the brat ``.ann`` files.  FactRuEval-2016
    (devset and testset): every mention of a ``Location`` or ``LocOrg``
    object, from its first span's start to its last span's end ("Москвы" in
    "мэрии Москвы" is a LocOrg: a place standing for its government).
In scope
    A gold span is scored for recall when it names a settlement, an oblast or
    region, or a country: some reading of it names a gazetteer place of kind
    ``city``, ``admin1``, ``region`` or ``country``.  The readings are the
    span as written, its case forms as the parser knows them, and every
    dictionary form pymorphy3 gives each of its words (all parses, not the
    first), so a span the parser's forms miss but the dictionary maps is in
    scope, and counts as a miss.  Rivers, streets, squares, "Землі" (Earth)
    are out of scope.
Recognition
    Predicted places (``find_mentions`` then ``resolve_mentions``, less borders
    and "the capital", "столиця": no corpus marks a common noun that stands for a
    place, so those could only count as false; ``--nominal`` scores them too) and gold
    spans are paired one to one by overlap, largest first.  Precision is
    pairs with in-scope gold over predictions, leaving out predictions that
    overlap only out-of-scope gold (a river the parser took for a town is
    neither right nor wrong here); a prediction overlapping no gold LOC, or a
    person or organisation, is a false positive.  Recall is pairs over
    in-scope gold spans.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.evaluate import CorpusMissing, Document, Span, overlap_pairs, precision_recall_f1

CORPORA = ("ner-uk", "factRuEval-2016")
_PLACE_KINDS = frozenset({"city", "admin1", "region", "country"})


@dataclass(slots=True)
class Counts:
    gold: int = 0  # in-scope gold spans
    gold_all: int = 0  # every gold LOC span
    predicted: int = 0  # predictions scored (not only on out-of-scope gold)
    matched: int = 0
    docs: int = 0


# readers --------------------------------------------------------------------------------
def read_ner_uk(folder: Path, split: str = "all") -> list[Document]:
    """ner-uk documents (``split``: ``all``, or the corpus's own ``dev`` or ``test`` list)."""
    if not folder.is_dir():
        raise CorpusMissing(f"{folder}: ner-uk folder not found")
    wanted = _ner_uk_split(folder, split)
    docs = []
    for ann in sorted(folder.glob("*/*.ann")):
        if wanted is not None and ann.stem not in wanted:
            continue
        text = ann.with_suffix(".txt").read_text("utf-8")
        gold = []
        for line in ann.read_text("utf-8").splitlines():
            # "T1<TAB>LOC<TAB>112<TAB>119<TAB>України" (the README's brat form has spaces)
            parts = line.split("\t", 1)
            if len(parts) < 2 or not parts[0].startswith("T"):
                continue
            fields = parts[1].replace("\t", " ").split(" ")
            if fields[0] == "LOC" and len(fields) >= 3 and fields[1].isdigit() and fields[2].isdigit():
                gold.append(Span(int(fields[1]), int(fields[2])))
        docs.append(Document(ann.stem, text, tuple(gold)))
    return docs


def _ner_uk_split(folder: Path, split: str) -> set[str] | None:
    if split == "all":
        return None
    path = folder / "dev-test-split.txt"
    if not path.is_file():
        raise CorpusMissing(f"{path}: split file not found")
    names, current = {"dev": set(), "test": set()}, None
    for line in path.read_text("utf-8").split():
        if line in ("DEV", "TEST"):
            current = line.lower()
        elif current:
            names[current].add(line)
    return names[split]


def read_factru(folder: Path, split: str = "all") -> list[Document]:
    """FactRuEval-2016 documents of ``devset`` and ``testset`` (``split``: all, dev, test)."""
    subs = {"all": ("devset", "testset"), "dev": ("devset",), "test": ("testset",)}[split]
    if not all((folder / s).is_dir() for s in subs):
        raise CorpusMissing(f"{folder}: FactRuEval-2016 devset/testset not found")
    docs = []
    for sub in subs:
        for txt in sorted((folder / sub).glob("book_*.txt")):
            text = txt.read_text("utf-8")
            spans = {}
            for line in txt.with_suffix(".spans").read_text("utf-8").splitlines():
                p = line.split()
                if len(p) >= 4:
                    spans[p[0]] = (int(p[2]), int(p[2]) + int(p[3]))
            gold = []
            for line in txt.with_suffix(".objects").read_text("utf-8").splitlines():
                p = line.split("#")[0].split()
                if len(p) >= 3 and p[1] in ("Location", "LocOrg"):
                    ends = [spans[i] for i in p[2:] if i in spans]
                    if ends:
                        gold.append(Span(min(s for s, _ in ends), max(e for _, e in ends)))
            docs.append(Document(f"{sub}/{txt.stem}", text, tuple(sorted(set(gold), key=lambda g: (g.start, g.end)))))
    return docs


# scope ----------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_][\w'’ʼ-]*")


@functools.lru_cache(maxsize=None)
def _places_named(gaz, surface: str) -> bool:
    """Whether some reading of ``surface`` names a settlement, oblast, region or country."""
    from geo.names import normalise
    from geo.parse.cyrillic import analyses, form_index
    from geo.parse.inflection import languages_of

    index = form_index(gaz)
    key = normalise(surface.replace(" .", ".").replace(" - ", "-"))
    readings = {key}
    words = _WORD.findall(key)
    lemmas = []
    for w in words:
        opts = {w}
        for lang in languages_of(w):
            opts |= {n for n, _ in analyses(w, lang)}
        lemmas.append(opts)
    if lemmas:
        readings |= lemmas[-1] if len(words) == 1 else {" ".join([*words[:-1], lm]) for lm in lemmas[-1]}
        readings |= {lm for opts in lemmas for lm in opts if len(words) <= 2}
    for r in readings:
        rows = _rows_of(gaz, index, r)
        if any(gaz.kind[row] in _PLACE_KINDS for row in rows):
            return True
    return False


def _rows_of(gaz, index, key: str) -> list[int]:
    import bisect

    i = bisect.bisect_left(index.forms, key)
    if i < len(index.forms) and index.forms[i] == key:
        return [r for reading in (index.names[i], index.adjectives[i]) if reading for r in reading.rows]
    kid = gaz.key_id(key)
    return gaz.entries_for_key(kid)[0].tolist() if kid is not None else []


# scoring --------------------------------------------------------------------------------
def predicted_spans(text: str, gaz, nominal: bool = False) -> list[Span]:
    """The parser's places in ``text``, less borders and, unless ``nominal``, "the capital"
    ("столиця", "столицы"): the corpora mark names, and neither marks a common noun that
    stands for a place, so those predictions could only ever count as false."""
    from geo.parse.mentions import find_mentions
    from geo.parse.resolve import resolve_mentions

    mentions = find_mentions(text, gaz)
    capital = {(m.start, m.end) for m in mentions if m.kind_hint == "capital"}
    return [Span(p.start, p.end, p.lat, p.lon) for p in resolve_mentions(mentions, gaz)
            if p.kind != "border" and (nominal or (p.start, p.end) not in capital)]


def score_document(doc: Document, predicted: Sequence[Span], gaz) -> Counts:
    """Counts for one document (see the module's definitions)."""
    in_scope = [_places_named(gaz, doc.text[g.start:g.end]) for g in doc.gold]
    pairs = overlap_pairs(doc.gold, predicted)
    paired = {pi: gi for gi, pi in pairs}
    counts = Counts(gold=sum(in_scope), gold_all=len(doc.gold), docs=1)
    for pi, p in enumerate(predicted):
        gi = paired.get(pi)
        if gi is not None and in_scope[gi]:
            counts.matched += 1
            counts.predicted += 1
        elif gi is not None or any(min(g.end, p.end) > max(g.start, p.start) for g in doc.gold):
            continue  # on a gold LOC out of scope (a river, a street), or on one already paired
        else:
            counts.predicted += 1
    return counts


def evaluate(docs: Sequence[Document], gaz, nominal: bool = False) -> Counts:
    total = Counts()
    for doc in docs:
        c = score_document(doc, predicted_spans(doc.text, gaz, nominal), gaz)
        total.gold += c.gold
        total.gold_all += c.gold_all
        total.predicted += c.predicted
        total.matched += c.matched
        total.docs += c.docs
    return total


def run(corpora: Path, limit: int | None = None, split: str = "all", nominal: bool = False) -> dict[str, Counts]:
    from geo.gazetteer.loader import load_gazetteer

    root = Path(corpora) / "multilingual" if (Path(corpora) / "multilingual").is_dir() else Path(corpora)
    gaz = load_gazetteer()
    readers = {"ner-uk (uk)": lambda: read_ner_uk(root / "ner-uk", split),
               "FactRuEval-2016 (ru)": lambda: read_factru(root / "factruEval-2016", split)}
    out = {}
    for name, reader in readers.items():
        docs = reader()
        out[name] = evaluate(docs[:limit] if limit else docs, gaz, nominal)
    return out


def table(results: dict[str, Counts]) -> str:
    lines = ["| corpus | documents | gold LOC | in scope | predicted | matched | precision | recall | F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, c in results.items():
        p, r, f = precision_recall_f1(c.matched, c.predicted, c.gold)
        lines.append(f"| {name} | {c.docs} | {c.gold_all} | {c.gold} | {c.predicted} | {c.matched} | "
                     f"{p:.3f} | {r:.3f} | {f:.3f} |")
    return "\n".join(lines)
