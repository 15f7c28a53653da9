"""Parse output of this tree against another (the code before a change), over the shared corpora.

    python -m evaluation.output_diff --base ../wt-base [--corpora DIR] [--limit N]

Both trees run their own ``python -m geo parse --jsonl`` on the same texts: every
article of the geoparsing corpora and the text of every Bellingcat and UCDP row the
Ukraine evaluation reads.  A result of format 2 (areas by reference, a place once with
its mentions) is turned back into format 1 (``geo.exchange.layers.inline_areas``)
before the two are compared, so what is left is every other difference.  Confidences
are compared to a relative 1e-9 as well as exactly (their softmax sum may add in
another order).  Exit status 0 when nothing else differs, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluation.evaluate import (DEFAULT_CORPORA, GEOPARSING_CORPORA, CorpusMissing,  # noqa: E402
                                 corpus_dir, load_corpus, read_bellingcat, read_ucdp)
from geo.exchange.layers import inline_areas  # noqa: E402


def corpus_records(corpora: Path, limit: int | None = None) -> list[dict]:
    """``{id, text}`` for every text of the shared corpora, in a fixed order."""
    records = []
    folder = corpus_dir(corpora, "geoparsing")
    for name in GEOPARSING_CORPORA:
        for n, doc in enumerate(load_corpus(folder, name)):
            records.append({"id": f"{name}:{n}", "text": doc.text})
    ukraine = corpus_dir(corpora, "ukraine")
    for row in [*read_bellingcat(ukraine), *read_ucdp(ukraine)]:
        records.append({"id": f"{row.dataset}:{row.row_id}", "text": row.text})
    return records[:limit] if limit else records


def run_tree(tree: Path, src: Path, out: Path) -> None:
    """``python -m geo parse --jsonl`` of ``tree``, on its own code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-m", "geo", "parse", "--jsonl", str(src), "--out", str(out)],
                   cwd=tree, env=env, check=True)


def as_format_1(doc: dict) -> dict:
    return inline_areas(doc) if doc.get("format", 1) >= 2 else doc


def differences(a, b, path: str = "") -> tuple[list[str], int]:
    """Where ``a`` and ``b`` differ (paths), and how many confidences differ only within 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        out, close = [], 0
        if list(a) != list(b):
            out.append(f"{path}: keys {list(a)} != {list(b)}")
        for k in a.keys() & b.keys():
            d, c = differences(a[k], b[k], f"{path}.{k}")
            out += d
            close += c
        return out, close
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"], 0
        out, close = [], 0
        for i, (x, y) in enumerate(zip(a, b)):
            d, c = differences(x, y, f"{path}[{i}]")
            out += d
            close += c
        return out, close
    if a == b and type(a) is type(b):
        return [], 0
    if path.endswith(".confidence") and isinstance(a, float) and isinstance(b, float) \
            and math.isclose(a, b, rel_tol=1e-9):
        return [], 1
    return [f"{path}: {a!r:.80} != {b!r:.80}"], 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=Path, required=True, help="the other tree (a git worktree)")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--show", type=int, default=10, help="differences to print")
    args = ap.parse_args(argv)
    try:
        records = corpus_records(args.corpora, args.limit)
    except CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        outs = {}
        for label, tree in (("base", args.base.resolve()), ("this", ROOT)):
            outs[label] = Path(tmp) / f"{label}.jsonl"
            run_tree(tree, src, outs[label])
        base = outs["base"].read_text("utf-8").split("\n")[:-1]  # not splitlines: U+2028 is text
        this = outs["this"].read_text("utf-8").split("\n")[:-1]
    same = exact = close_only = 0
    shown = []
    for line_a, line_b in zip(base, this):
        a, b = as_format_1(json.loads(line_a)), as_format_1(json.loads(line_b))
        diffs, close = differences(a, b)
        if diffs:
            shown += [f"{a['id']}{d}" for d in diffs][: max(0, args.show - len(shown))]
        else:
            same += 1
            exact += close == 0
            close_only += close > 0
    print(f"texts: {len(records):,} (base gave {len(base):,} results, this tree {len(this):,})")
    print(f"identical once format 2 is read as format 1: {same:,} "
          f"({exact:,} exactly, {close_only:,} with confidences equal within 1e-9 only)")
    print(f"different: {min(len(base), len(this)) - same:,}")
    for d in shown:
        print("  " + d)
    return 0 if same == len(records) == len(base) == len(this) else 1


if __name__ == "__main__":
    raise SystemExit(main())
