"""Throughput of ``python -m geo parse --jsonl`` on Ukrainian and Russian text, on one core.

Run from the repository root::

    python benchmarks/cyrillic_throughput.py [--corpora ../shared/corpora] [--repeat 3]

The texts are every document of ner-uk (Ukrainian) and FactRuEval-2016
(Russian), read in place.  Sitmap runs through the real batch command
(``geo.__main__.main`` with ``parse --jsonl``, in this process), the whole
parse: places and events.  The peer, measured in the same run and taking turns
with it round by round, is the naive way to read inflected names: pymorphy3's
analysis of every word of the same texts (its first parse, no gazetteer look-up
at all).  Best of ``--repeat`` rounds each.  The Cyrillic name forms are made
(or read from their cache) before timing; the time to make them from nothing,
once per gazetteer, is printed apart.

Target (issue 17): at least 50,000 words/s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.throughput import _timed, one_core  # noqa: E402
from evaluation.evaluate import DEFAULT_CORPORA, CorpusMissing  # noqa: E402
from evaluation.multilingual import read_factru, read_ner_uk  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


def texts_of(corpora: Path) -> dict[str, list[str]]:
    root = Path(corpora) / "multilingual" if (Path(corpora) / "multilingual").is_dir() else Path(corpora)
    return {"uk": [d.text for d in read_ner_uk(root / "ner-uk")],
            "ru": [d.text for d in read_factru(root / "factruEval-2016")]}


def forms_from_nothing() -> float:
    """Seconds to make the Cyrillic name forms without their cache (what a new gazetteer costs once)."""
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse import cyrillic_forms

    gaz = load_gazetteer()
    t0 = time.perf_counter()
    cyrillic_forms._index_from(*cyrillic_forms._build_forms(gaz))
    return time.perf_counter() - t0


def time_all(texts: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    from geo.__main__ import main
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse.cyrillic import form_index
    from geo.parse.language import analyser

    form_index(load_gazetteer())  # made or read from its cache before timing
    morph = {lang: analyser(lang) for lang in texts}
    best = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang, docs in texts.items():
            src, out = Path(tmp) / f"{lang}.jsonl", Path(tmp) / f"{lang}.out.jsonl"
            src.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                                   for i, t in enumerate(docs)), "utf-8")
            words = [w.lower() for t in docs for w in _WORD.findall(t)]

            def sitmap(src=src, out=out) -> None:
                if main(["parse", "--jsonl", str(src), "--out", str(out)]) != 0:
                    raise RuntimeError("geo parse --jsonl failed")

            def pymorphy(words=words, m=morph[lang]) -> None:
                for w in words:
                    m.parse(w)[0].normal_form

            for name in (f"sitmap {lang}", f"pymorphy3 {lang}"):
                best[name] = (math.inf, math.inf)
            for _ in range(repeat):
                for name, run in ((f"sitmap {lang}", sitmap), (f"pymorphy3 {lang}", pymorphy)):
                    best[name] = min(best[name], _timed(run))
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    one_core()
    try:
        texts = texts_of(args.corpora)
    except CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    best = time_all(texts, args.repeat)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"one core (load average {load}); best of {args.repeat} rounds")
    print("                         words   words/s by wall (s)        by CPU (s)")
    for lang, docs in texts.items():
        words = sum(len(t.split()) for t in docs)
        for who in ("sitmap", "pymorphy3"):
            wall, cpu = best[f"{who} {lang}"]
            label = f"{who} {lang}" + (" (peer)" if who == "pymorphy3" else "")
            print(f"{label:20s} {words:9,d}  {words / wall:10,.0f} ({wall:5.2f})  {words / cpu:10,.0f} ({cpu:5.2f})")
        ratio = best[f"pymorphy3 {lang}"][1] / best[f"sitmap {lang}"][1]
        print(f"ratio sitmap/pymorphy3 {lang} (CPU): {ratio:.2f}x")
    print(f"Cyrillic name forms made from nothing: {forms_from_nothing():.1f} s (once per gazetteer; cached)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
