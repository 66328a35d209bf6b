"""Issue 13: big files. Two measurements of a cold `wirehouse run`, its process tree's
memory sampled with psutil (bench/_common.py):

1. `jsonl`: one JSON Lines file of SIZE MB of records, for each size given (default 20
   and 200), generated into /tmp. Streamed record by record, the run's peak memory should
   not grow with the file. The records are German word salad (distinct bodies, so no
   duplicate links, and not English, so no NER: 200 MB of English through the model takes
   hours on 2 cores; NER's memory is per slice of records, the same at any file size),
   each about 600 characters of text and 17 kB of scraped page (ignored) around it.
2. `giant`: a folder with a 60 MB text file of repeated paragraphs under a valid header,
   a 500,000-character line and a few normal article files (the first seeds): every file
   must end in articles or rejects, in minutes. In the same invocation, as a baseline, the
   same seeds alone (what any run costs: start-up, Prefect's temporary server, the model),
   and the seeds with the long line only. Each run's CPU seconds (user + system, summed
   over the whole process tree, from RUSAGE_CHILDREN) are recorded next to its wall time:
   on a shared, loaded machine the CPU seconds are the number to trust.

    .venv/bin/python bench/big_files.py jsonl --sizes 20 200
    .venv/bin/python bench/big_files.py giant

Writes bench/results/big_files_<mode>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, mib, parse_wirehouse_output, run_sampled, wirehouse_cmd, wirehouse_env, write_result  # noqa: E402

WORDS = """
der die das und nicht mit sich auf für ist im dem den eine ein als auch es an werden aus er hat dass sie nach wird
bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde
sei regierung minister stadt land jahr woche montag dienstag mittwoch donnerstag freitag bericht zeitung polizei
gericht präsident kanzler bundestag wahl partei mehrheit haushalt steuer preis markt unternehmen bank euro prozent
milliarden millionen arbeit schule straße bahn flughafen hafen wetter regen sturm hochwasser feuerwehr krankenhaus
ärzte patienten studie forscher universität verkehr unfall fahrer bürger gemeinde rathaus bürgermeister sprecher
erklärte sagte teilte mit betonte kündigte an forderte lehnte ab warnte verwies berichtete meldete bestätigte
neue alte große kleine wichtige schwierige lange kurze erste letzte weitere deutsche europäische internationale
""".split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def make_jsonl(path: Path, megabytes: int, seed: int = 13) -> int:
    """Write about `megabytes` MB of distinct German records; returns the record count."""
    rng = random.Random(seed)
    target = megabytes * 10**6
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            paragraphs = ["Berlin (dpa) - " + " ".join(_sentence(rng) for _ in range(3))]
            paragraphs += [" ".join(_sentence(rng) for _ in range(2)) for _ in range(2)]
            # The page each story was scraped from rides along (as dumps often carry it): the
            # file is big, the text short, so a run over 200 MB takes minutes, not hours.
            page = "".join(
                f"<div class='teaser'><a href='/n/{rng.randrange(10**9)}'>{_sentence(rng)}</a></div>" for _ in range(120)
            )
            record = {
                "title": " ".join(rng.choice(WORDS) for _ in range(6)).capitalize(),
                "date": f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": "dpa",
                "text": "\n\n".join(paragraphs),
                "page_html": page,
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def make_giant_folder(folder: Path, *, giant: bool = True, long_line: bool = True, extras: bool = False) -> dict[str, int]:
    """The hostile folder of issue 13 (or, for the baselines, without its giant file or its
    long line); `extras` adds the inputs once held whole: a 1 MB gzip file that decompresses
    to 1 GB of NULs, a JSON Lines file with one 100 MB line between two records, and 10 MB
    of UTF-16 JSON Lines. Returns {file name: bytes}."""
    folder.mkdir(parents=True)
    if extras:
        with gzip.open(folder / "bomb.txt.gz", "wb", compresslevel=9) as gz:
            gz.write(b"Title: Bomb\nDate: 15 February 2022\n\n")
            for _ in range(1000):
                gz.write(b"\0" * 10**6)
        first, last = (
            json.dumps({"title": t, "date": "2022-02-15", "text": "Die Gespraeche in Minsk gingen weiter. " * 5})
            for t in ("Vorher", "Nachher")
        )
        with open(folder / "huge_line.jsonl", "w", encoding="utf-8") as fh:
            fh.write(first + '\n{"title": "Huge", "text": "')
            for _ in range(100):
                fh.write("Minsk talks continued as NATO officials met. " * 22_222)
            fh.write('"}\n' + last + "\n")
        make_jsonl(folder / "feed_utf16.jsonl", 5)
        text = (folder / "feed_utf16.jsonl").read_text(encoding="utf-8")
        (folder / "feed_utf16.jsonl").write_text(text, encoding="utf-16")
    paragraph = (
        "Officials in Minsk said on Tuesday that the joint exercises would continue until February 20, "
        "and that all troops would return to their bases afterwards, according to the defence ministry.\n\n"
    )
    if giant:
        with open(folder / "giant.txt", "w", encoding="utf-8") as fh:
            fh.write("Title: Exercises to continue\nDate: 15 February 2022\nSource: Reuters\n\n")
            for _ in range(60 * 10**6 // len(paragraph)):
                fh.write(paragraph)
    if long_line:
        (folder / "one_long_line.txt").write_text(
            "Long line\n\n" + ("Minsk talks continued as NATO officials met. " * 11_200)[:500_000] + "\n", encoding="utf-8"
        )
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:8]:
        shutil.copy(seed, folder / seed.name)
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir())}


def _run(input_dir: Path, scratch: Path, workers: int) -> dict:
    r = run_sampled(wirehouse_cmd(input_dir, scratch / "wh", workers), env=wirehouse_env())
    if r.returncode:
        raise SystemExit(f"wirehouse run failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
    parsed = parse_wirehouse_output(r.stdout, r.stderr)
    m = r.memory
    return {
        "wall_s": round(r.wall_s, 1),
        "cpu_s": round(r.cpu_user_s + r.cpu_sys_s, 1),
        "cpu_user_s": round(r.cpu_user_s, 1),
        "cpu_sys_s": round(r.cpu_sys_s, 1),
        "flow_time_s": parsed.get("flow_time_s"),
        "articles": parsed.get("articles"),
        "rejects": parsed.get("rejects"),
        "peak_single_rss_mib": mib(m.peak_single_rss),
        "peak_single_cmd": m.peak_single_cmd,
        "peak_tree_rss_mib": mib(m.peak_tree_rss),
        "peak_tree_pss_mib": mib(m.peak_tree_pss),
        "summary": r.stdout[-1500:],
    }


def _accounted(warehouse: Path, names: list[str]) -> dict[str, list[str]]:
    import duckdb

    con = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    rows = con.execute(
        "select file_path, 'article' from stg_articles union all select file_path, reason from stg_rejects"
    ).fetchall()
    con.close()
    out: dict[str, list[str]] = {name: [] for name in names}
    for path, what in rows:
        out.setdefault(Path(path).name, []).append(what)
    return {name: sorted(set(v)) for name, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["jsonl", "giant"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200], help="JSON Lines sizes in MB (jsonl)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--variants",
        type=int,
        nargs="+",
        default=[1, 2, 3, 4],
        help="giant: which runs (1 baseline, 2 long line, 3 giant, 4 giant + extras)",
    )
    args = parser.parse_args(argv)
    runs = []
    if args.mode == "jsonl":
        for size in args.sizes:
            scratch = Path(tempfile.mkdtemp(prefix=f"benchwh-jsonl{size}-", dir="/tmp"))
            try:
                (scratch / "in").mkdir()
                records = make_jsonl(scratch / "in" / "feed.jsonl", size)
                print(f"{size} MB: {records:,} records ...", flush=True)
                run = {"size_mb": size, "records": records, **_run(scratch / "in", scratch, args.workers)}
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            runs.append(run)
            print(
                f"  {run['wall_s']} s, {run['articles']} articles; largest process {run['peak_single_rss_mib']} MiB, "
                f"tree RSS {run['peak_tree_rss_mib']} MiB",
                flush=True,
            )
        if len(runs) >= 2:
            small, big = runs[0], runs[-1]
            print(
                f"largest process: {small['peak_single_rss_mib']} → {big['peak_single_rss_mib']} MiB "
                f"(×{big['peak_single_rss_mib'] / small['peak_single_rss_mib']:.2f}) for ×{big['size_mb'] / small['size_mb']:.0f} the file"
            )
    else:
        variants = [
            ("seeds only (baseline)", False, False, False),
            ("seeds + long line", False, True, False),
            ("giant folder", True, True, False),
            ("giant folder + bomb, 100 MB line, UTF-16 feed", True, True, True),
        ]
        for label, giant, long_line, extras in [v for i, v in enumerate(variants, start=1) if i in args.variants]:
            scratch = Path(tempfile.mkdtemp(prefix="benchwh-giant-", dir="/tmp"))
            try:
                sizes = make_giant_folder(scratch / "in", giant=giant, long_line=long_line, extras=extras)
                print(f"{label}: {len(sizes)} files, {sum(sizes.values()) / 1e6:.1f} MB ...", flush=True)
                run = {"variant": label, "files": sizes, **_run(scratch / "in", scratch, args.workers)}
                run["accounted"] = _accounted(scratch / "wh", list(sizes))
                run["every_file_accounted"] = all(run["accounted"].get(n) for n in sizes)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            runs.append(run)
            print(
                f"  {run['wall_s']} s wall, {run['cpu_s']} CPU s (user {run['cpu_user_s']}, sys {run['cpu_sys_s']}); "
                f"largest process {run['peak_single_rss_mib']} MiB, tree RSS {run['peak_tree_rss_mib']} MiB; "
                f"every file accounted for: {run['every_file_accounted']}",
                flush=True,
            )
        print(json.dumps(runs[-1]["accounted"], indent=1))
        base = runs[0]
        for run in runs[1:]:
            print(f"{run['variant']}: +{run['cpu_s'] - base['cpu_s']:.1f} CPU s over the baseline")
    path = write_result(
        f"big_files_{args.mode}",
        {
            "runs": runs,
            "load_average_at_end": list(os.getloadavg()),
            "command": "python bench/big_files.py " + " ".join(argv or sys.argv[1:]),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
