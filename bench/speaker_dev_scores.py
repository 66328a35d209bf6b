"""Speaker accuracy and quotes P/R/F1 of speakers-only development sets, from cached spans.

    flock /tmp/heavy.lock .venv/bin/python bench/speaker_diff.py spans bench/dev_speakers6/articles \
        --every 1 --cache /tmp/speakers_dev_speakers6.pickle
    .venv/bin/python bench/speaker_dev_scores.py dev_speakers6 dev_speakers5 --cache-dir /tmp

bench/entity_gold_eval.py cannot load a `"scope": "speakers"` gold (no entities). Speakers are scored as
`bench/speaker_diff.py score` scores them (the quotes mart's speaker); a gold quote is found when a
predicted quote's text contains it or is contained in it; a predicted quote is right when it matches
any gold quote of its article (the sets list every quote).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from issue12_dev import _name, _norm, mart_speaker  # noqa: E402

from transforms.extraction import extract_article  # noqa: E402


def _match(a: str, b: str) -> bool:
    return _norm(a) in _norm(b) or _norm(b) in _norm(a)


def scores(dev: str, cache_dir: Path) -> dict:
    gold = json.loads((ROOT / "bench" / dev / "gold.json").read_text(encoding="utf-8"))
    rows = {key: rest for key, *rest in pickle.loads((cache_dir / f"speakers_{dev}.pickle").read_bytes())}
    ok = total = found_gold = pred = pred_ok = 0
    for key in sorted(gold):
        body, ner, sentences, published = rows[key]
        found = extract_article(body, ner or [], sentences, published).quotes
        for gq in gold[key]["quotes"]:
            total += 1
            want = gq["speaker"] if isinstance(gq["speaker"], list) else [gq["speaker"]]
            hits = [q for q in found if _match(gq["quote"], q.text)]
            found_gold += bool(hits)
            speaker = mart_speaker(hits[0]) if hits else None
            ok += bool(hits) and _name(speaker) in {_name(w) for w in want}
        pred += len(found)
        pred_ok += sum(any(_match(gq["quote"], q.text) for gq in gold[key]["quotes"]) for q in found)
    p, r = pred_ok / pred, found_gold / total
    return {
        "speaker_correct": ok,
        "gold_quotes": total,
        "speaker_accuracy": round(ok / total, 3),
        "quotes_precision": round(p, 3),
        "quotes_recall": round(r, 3),
        "quotes_f1": round(2 * p * r / (p + r), 3),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="folder names under bench/")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args(argv)
    print(json.dumps({s: scores(s, args.cache_dir) for s in args.sets}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
