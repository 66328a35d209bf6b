"""Write a folder (default /tmp/transliterated): ~60 very short articles naming the same people and
places in the spellings different outlets use (Zelensky/Zelenskyy/Zelenskiy,
Aleksandr/Alexander Lukashenko, Kiev/Kyiv, Erdoğan/Erdogan …), full name first and the
surname after, plus expected_groups.json. A measuring corpus for bench/alias_merges.py,
not a unit-test fixture. The people and places are real; the events are invented.

    .venv/bin/python bench/make_transliterated.py [--out /tmp/transliterated]   # deterministic

Generated, not committed: benchmarks take a corpus folder as an argument.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from pathlib import Path

OUT = Path("/tmp/transliterated")

# canonical -> (label, full spellings, short forms, role used before the name)
PEOPLE = {
    "Volodymyr Zelensky": (
        ["Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy"],
        ["Zelensky", "Zelenskyy", "Zelenskiy"],
        "Ukrainian President",
    ),
    "Alexander Lukashenko": (
        ["Alexander Lukashenko", "Aleksandr Lukashenko", "Alexandr Lukashenko"],
        ["Lukashenko"],
        "Belarusian leader",
    ),
    "Sergey Lavrov": (["Sergey Lavrov", "Sergei Lavrov"], ["Lavrov"], "Russian Foreign Minister"),
    "Dmitry Peskov": (["Dmitry Peskov", "Dmitri Peskov"], ["Peskov"], "Kremlin spokesman"),
    "Vladimir Putin": (["Vladimir Putin"], ["Putin"], "Russian President"),
    "Recep Tayyip Erdoğan": (
        ["Recep Tayyip Erdoğan", "Recep Tayyip Erdogan", "Tayyip Erdogan"],
        ["Erdoğan", "Erdogan"],
        "Turkish President",
    ),
    "Pedro Sánchez": (["Pedro Sánchez", "Pedro Sanchez"], ["Sánchez", "Sanchez"], "Spanish Prime Minister"),
    "Lech Wałęsa": (["Lech Wałęsa", "Lech Walesa"], ["Wałęsa", "Walesa"], "former Polish president"),
    "Dmytro Kuleba": (["Dmytro Kuleba", "Dmitry Kuleba"], ["Kuleba"], "Ukrainian Foreign Minister"),
    "Oleksii Reznikov": (["Oleksii Reznikov", "Oleksiy Reznikov", "Alexei Reznikov"], ["Reznikov"], "Ukrainian Defence Minister"),
    "Vitali Klitschko": (["Vitali Klitschko", "Vitaliy Klitschko", "Vitaly Klitschko"], ["Klitschko"], "Kyiv Mayor"),
    "Mykhailo Podolyak": (["Mykhailo Podolyak", "Mykhaylo Podolyak", "Mikhail Podolyak"], ["Podolyak"], "presidential adviser"),
    "Joe Biden": (["Joe Biden"], ["Biden"], "U.S. President"),
    "Antony Blinken": (["Antony Blinken"], ["Blinken"], "Secretary of State"),
    "Olaf Scholz": (["Olaf Scholz"], ["Scholz"], "German Chancellor"),
    "Emmanuel Macron": (["Emmanuel Macron"], ["Macron"], "French President"),
    "Jens Stoltenberg": (["Jens Stoltenberg"], ["Stoltenberg"], "NATO Secretary General"),
    "Boris Johnson": (["Boris Johnson"], [], "British Prime Minister"),
}
PLACES = {
    "Kyiv": ["Kyiv", "Kiev"],
    "Kharkiv": ["Kharkiv", "Kharkov"],
    "Odesa": ["Odesa", "Odessa"],
    "Mykolaiv": ["Mykolaiv", "Nikolaev", "Mykolayiv"],
    "Zaporizhzhia": ["Zaporizhzhia", "Zaporozhye"],
    "Luhansk": ["Luhansk", "Lugansk"],
    "Gdańsk": ["Gdańsk", "Gdansk"],
    "Kraków": ["Kraków", "Krakow"],
    "Donbas": ["Donbas", "Donbass"],
    "Austria": ["Austria"],
    "Australia": ["Australia"],
}
APART = [
    ("Vladimir Putin", "Dmitry Peskov"),
    ("Kyiv", "Kharkiv"),
    ("Austria", "Australia"),
    ("Joe Biden", "Antony Blinken"),
    ("Dmitry Peskov", "Dmytro Kuleba"),
    ("Sergey Lavrov", "Oleksii Reznikov"),
    ("Odesa", "Kraków"),
]
OUTLETS = ["Reuters", "AP", "AFP", "Kyiv Post", "Notes from Poland", "BelTA", "The Guardian", "Daily Sabah", "El País in English"]

OPENERS = [
    "{role} {full} said on {day} that talks in {place} would continue.",
    "{role} {full} arrived in {place} on {day} for a one-day visit.",
    "{role} {full} spoke by telephone with {role2} {full2} on {day}.",
    "{role} {full} warned on {day} that the situation around {place} was getting worse.",
    "In {place}, {role} {full} met aid workers on {day}.",
]
MIDDLES = [
    "{short} told reporters that no decision had been taken.",
    '"We will not give up," {short} said.',
    "Officials close to {short} said a second meeting was possible.",
    "{short} and {short2} disagreed on the timing of a ceasefire.",
    "Later, {short2} said the meeting had been useful.",
    "Shelling was reported near {place2} overnight.",
    "{short} is expected to travel to {place2} next week.",
    "The visit was the first by {short2} since the war began.",
]
CLOSERS = [
    "Neither side gave further details.",
    "The talks will resume in {place2}, officials said.",
    "{short} did not take questions.",
    "A statement from the office of {short2} gave no date.",
]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def main() -> None:
    import argparse

    global OUT
    parser = argparse.ArgumentParser(description="Write the transliterated alias-merge corpus.")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (default: %(default)s)")
    OUT = parser.parse_args().out
    rng = random.Random(12)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    used: dict[str, set[str]] = {c: set() for c in [*PEOPLE, *PLACES]}
    names = list(PEOPLE)
    day0 = dt.date(2022, 3, 1)
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    for i in range(60):
        a, b = rng.sample(names, 2)
        full_a, full_b = rng.choice(PEOPLE[a][0]), rng.choice(PEOPLE[b][0])
        short_a = rng.choice(PEOPLE[a][1]) if PEOPLE[a][1] else full_a
        short_b = rng.choice(PEOPLE[b][1]) if PEOPLE[b][1] else full_b
        pa, pb = rng.sample(list(PLACES), 2)
        place_a, place_b = rng.choice(PLACES[pa]), rng.choice(PLACES[pb])
        date = day0 + dt.timedelta(days=3 * i + rng.randrange(3))
        fields = {
            "role": PEOPLE[a][2],
            "full": full_a,
            "short": short_a,
            "role2": PEOPLE[b][2],
            "full2": full_b,
            "short2": short_b,
            "place": place_a,
            "place2": place_b,
            "day": weekdays[(date.weekday() - 1) % 7],
        }
        opener = rng.choice(OPENERS)
        if "{full2}" not in opener:
            # the second person is introduced in full before any short form
            opener += " " + rng.choice(["{role2} {full2} was also present.", "{full2}, the {role2}, joined by video link."])
        sentences = [opener, *rng.sample(MIDDLES, rng.randint(1, 3)), rng.choice(CLOSERS)]
        body = " ".join(s.format(**fields) for s in sentences)
        for canon, form in ((a, full_a), (b, full_b)):
            used[canon].add(form)
        for canon, forms in PLACES.items():
            used[canon].update(f for f in forms if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", body))
        for canon, form in ((a, short_a), (b, short_b)):
            if form in body:
                used[canon].add(form)
        title = f"{full_a.split()[-1]} and {full_b.split()[-1]}: {place_a} talks"
        outlet = OUTLETS[i % len(OUTLETS)]
        text = f"{title}\n\nBy {outlet}\n{date:%B} {date.day}, {date.year}\n\n{body}\n"
        (OUT / _ascii(f"{i:03d}_{pa.lower()[:6]}_{a.split()[-1].lower()[:8]}.txt")).write_text(text, encoding="utf-8")
    groups = [
        {"canonical": c, "label": "PERSON" if c in PEOPLE else ("LOC" if c == "Donbas" else "GPE"), "aliases": sorted(used[c])}
        for c in sorted(used)
        if used[c]
    ]
    (OUT / "expected_groups.json").write_text(
        json.dumps(
            {
                "about": "Each group: the spellings this corpus uses for one entity; they should come out as ONE entity id. "
                "apart: pairs whose spellings must never share an id. Written by make_transliterated.py.",
                "groups": groups,
                "apart": [{"a": x, "b": y} for x, y in APART if used[x] and used[y]],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {len(list(OUT.glob('*.txt')))} articles, {len(groups)} groups")


if __name__ == "__main__":
    main()
