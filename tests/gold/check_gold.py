#!/usr/bin/env python3
"""Check gold.json against the articles in articles/.

Run from anywhere: ``python tests/gold/check_gold.py [FOLDER]`` (FOLDER holds
articles/ and gold.json; default tests/gold, also tests/gold/heldout, tests/gold/unseen).
Exits 1 and lists every problem when the gold set is inconsistent; prints the counts
when it passes.

What is checked:
- every article has an entry and every entry an article;
- the body of each article is derived as README.md describes (header, captions
  and "Related article:" lines removed, whitespace runs collapsed to one space);
- every entity, date, amount and quote text occurs in the body, at word
  boundaries, in the order given (each list is matched left to right, without
  overlaps inside the list);
- every occurrence in any body of any annotated entity text is covered by an
  entity annotation (catches forgotten mentions);
- labels, canonical names, country codes, date values and resolutions, amount
  values, qualifiers and quote speakers are well formed and consistent;
- weekday and month-name dates agree with their values;
- optional fields: an entry's `body_start`/`body_end` (where the body starts and
  ends, for layouts without a `Month D, YYYY` date line), and an amount's
  `value_low`/`value_high` (ranges: `70,000-80,000`, `between 6 and 8 billion`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
GOLD = HERE / "gold.json"

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT"}
RESOLUTIONS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
QUALIFIERS = {None, "more than", "about", "up to"}
CURRENCIES = {
    "USD": ("$", "cent"),
    "EUR": ("euro", "€", "cent"),
    "GBP": ("£", "pound", "p", "pence"),
    "PLN": ("zlot", "zł"),
    "QAR": ("riyal", "QR"),
    "JPY": ("yen", "¥"),
    "ZAR": ("R", "rand", "c", "cent"),
    "PKR": ("Rs", "rupee"),
    "SGD": ("S$", "$"),
    "MYR": ("RM", "ringgit"),
    "PHP": ("P", "₱", "peso"),
    "NZD": ("$",),
    "AED": ("Dh", "dirham", "AED"),
    "SAR": ("riyal", "SR"),
    "JMD": ("$",),
    "TTD": ("TT$", "$"),
    "KES": ("Sh",),
    "NGN": ("N", "₦", "naira"),
    "UGX": ("Shs", "Sh", "USh"),
    "BWP": ("P", "pula"),
    "INR": ("₹", "Rs", "rupee"),
    "BDT": ("Tk", "taka"),
    "LKR": ("Rs", "rupee"),
    "IDR": ("Rp", "rupiah"),
    "THB": ("baht", "฿"),
    "VND": ("VND", "dong"),
    "KRW": ("won", "₩"),
    "CAD": ("C$", "$"),
    "AUD": ("A$", "$", "AU$"),
    "MXN": ("peso", "MX$"),
    "GYD": ("G$",),
    "ETB": ("birr", "Br"),
    "GHS": ("GH¢", "GH₵", "cedi"),
    "XCD": ("EC$",),
    "BBD": ("BD$", "BDS$", "Bds$"),
    "FJD": ("$", "FJ$"),
    "HKD": ("HK$",),
    "OMR": ("RO", "rial", "baisa"),
    "ZMW": ("K", "kwacha"),
    "TRY": ("₺", "lira", "TL"),
    "ILS": ("₪", "shekel", "NIS"),
    "UAH": ("₴", "hryvni"),
    "RUB": ("₽", "rubl", "roubl"),
    "SEK": ("kr", "kronor", "krona", "crown"),
    "NOK": ("kr", "krone"),
    "DKK": ("kr", "krone"),
    "PGK": ("K", "kina"),
    "KZT": ("tenge", "₸"),
    "UZS": ("soum", "so'm"),
}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DATE_LINE = re.compile(r"^({}) (\d{{1,2}}), (\d{{4}})$".format("|".join(MONTHS)))

# The seed articles do not follow the clean header layout: their body starts at
# a known sentence (everything before it is title, byline, date and caption).
BODY_START = {
    "000_aa6bcd202f01a6ed.txt": "U.S. and Belarusian defense chiefs held",
    "002_fb94ac4cff3d6708.txt": "As Russia conducts war games",
}
JUNK_PREFIXES = ("Related article:",)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
}
SCALE_WORDS = "thousand|million|billion|trillion|lakh|crore"
SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
    "m": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "bil": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
# Digits as written: `1,250,000`, South Asian `12,50,000`, space-grouped `50 000`, `8600`.
_NUM = r"(\d{1,3}(?:[, ]\d{2,3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
_WORD_SCALE = r"(?:\s+|-)((?:(?:thousand|million|billion|trillion|lakh|crore)\b\s*)+)"
_SHORT_SCALE = r"\s?(bn|bil|trn|tn|m|b)\b"
# A currency marker before the second number of a range: `R10-R15 million`, `Dh500 to Dh10,000`,
# `between Sh2 million and Sh3 million`, `Rs. 5 to Rs. 10`.
# A sum in pence or cents: its value is in pounds, dollars or euros.
_SUBUNIT = re.compile(r"^[^£$€]*\d(?:p|c|\s?pence|\s?cents?)$")
_THOUSANDTH = re.compile(r"^[^£$€]*\d\s?(?:baisas?|fils|millimes?)$")  # `300 baisas` → 0.3 OMR
_MARKER = r"(?:[^\d\s,]{1,4}\s?)?"


def split_article(name: str, raw: str, start: str | None = None, end: str | None = None) -> tuple[str, dt.date | None]:
    """Return (body, date from the date line or None) for one article file. `start`
    and `end` (a gold entry's body_start/body_end) cut the body where no date line does."""
    header_date = None
    start = start or BODY_START.get(name)
    if end:
        raw = raw[: raw.index(end)]
    if start:
        text = raw[raw.index(" ".join(start.split()[:1])) :]
        collapsed = " ".join(text.split())
        if not collapsed.startswith(start):
            text = raw[
                [
                    m.start()
                    for m in re.finditer(re.escape(start.split()[0]), raw)
                    if " ".join(raw[m.start() :].split()).startswith(start)
                ][0] :
            ]
    else:
        lines = raw.splitlines()
        # title, blank, optional "By ...", date line, blank, body
        for i, line in enumerate(lines[:6]):
            m = DATE_LINE.match(line.strip())
            if m:
                header_date = dt.date(int(m.group(3)), MONTHS.index(m.group(1)) + 1, int(m.group(2)))
                text = "\n".join(lines[i + 1 :])
                break
        else:
            raise ValueError(f"{name}: no date line in the header")
    kept = [line for line in text.splitlines() if not line.strip().startswith(JUNK_PREFIXES)]
    return " ".join(" ".join(kept).split()), header_date


def pattern(text: str) -> re.Pattern:
    """Literal text that must not start or end inside a word."""
    left = r"(?<!\w)" if re.match(r"\w", text) else ""
    right = r"(?!\w)" if re.search(r"\w$", text) else ""
    return re.compile(left + re.escape(text) + right)


def locate(texts: list[str], body: str, where: str, errors: list[str]) -> list[tuple[int, int]]:
    """Find each text in order, left to right, without overlaps."""
    spans, pos = [], 0
    for i, text in enumerate(texts):
        m = pattern(text).search(body, pos)
        if not m:
            anywhere = pattern(text).search(body)
            why = "out of order" if anywhere else "not in the body"
            errors.append(f"{where}[{i}] {text!r}: {why}")
            continue
        spans.append((m.start(), m.end()))
        pos = m.end()
    return spans


def _number(num: str) -> float:
    return float(num.replace(",", "").replace(" ", ""))


def _scale(words: str | None) -> float:
    """`lakh crore` -> 1e12: scale words written one after another multiply."""
    value = 1.0
    for word in (words or "").split():
        value *= SCALES[word.lower()]
    return value


def spelled_value(text: str) -> float | None:
    """The number an amount text states, e.g. '$1.5 billion' -> 1.5e9, 'Rs 1.2 lakh crore'
    -> 1.2e12, 'R50 000' -> 5e4; a compound amount's parts added up ('$11 billion 700
    million' -> 1.17e10)."""
    parts = re.findall(rf"(\d[\d,]*(?:\.\d+)?)\s+({SCALE_WORDS})\b", text)
    if len(parts) > 1 and re.search(rf"({SCALE_WORDS})\s+\d", text):
        return sum(float(n.replace(",", "")) * SCALES[s] for n, s in parts)
    m = re.search(_NUM + rf"(?:{_WORD_SCALE}|{_SHORT_SCALE})?", text)
    if m:
        return _number(m.group(1)) * _scale(m.group(2) or m.group(3))
    for word in re.findall(r"[A-Za-z]+", text):
        if word.lower() in NUMBER_WORDS and word.lower() != "a":
            return float(NUMBER_WORDS[word.lower()])
    return None


def spelled_range(text: str) -> tuple[float, float] | None:
    """The two ends of a range amount: '70,000-80,000' -> (70000, 80000); a scale word
    after the second number applies to both ('between 6 and 8 billion', '$4-5 billion');
    each end may carry its currency ('R10-R15 million', '$200m and $250m', 'between Sh2 million and
    Sh3 million')."""
    m = re.search(
        _NUM + rf"(?:{_WORD_SCALE}|{_SHORT_SCALE})?\s*(?:-|–|to|and)\s*{_MARKER}" + _NUM + rf"(?:{_WORD_SCALE}|{_SHORT_SCALE})?",
        text,
    )
    if not m:
        return None
    scale_high = _scale(m.group(5) or m.group(6))
    low, high = _number(m.group(1)), _number(m.group(4))
    # The second number's scale applies to the first unless the first is already the larger
    # as written (`Dh950,000 to Dh1.2 million`).
    scale_low = _scale(m.group(2) or m.group(3)) if (m.group(2) or m.group(3)) else scale_high if low < high else 1
    return _number(m.group(1)) * scale_low, _number(m.group(4)) * scale_high


def check_entities(name, body, ents, errors, seen_canon):
    where = f"{name} entities"
    for i, e in enumerate(ents):
        w = f"{where}[{i}] {e.get('text')!r}"
        if set(e) != {"text", "label", "canonical", "country"}:
            errors.append(f"{w}: keys {sorted(e)}")
            continue
        t = e["text"]
        if t != t.strip() or re.match(r"(?i)the ", t) or re.search(r"['’]s$", t):
            errors.append(f"{w}: not trimmed (leading 'the', trailing 's, spaces)")
        if e["label"] not in LABELS:
            errors.append(f"{w}: bad label {e['label']!r}")
        if not isinstance(e["canonical"], str) or not e["canonical"].strip():
            errors.append(f"{w}: empty canonical")
        c = e["country"]
        if e["label"] == "GPE" and not (isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c)):
            errors.append(f"{w}: GPE needs an alpha-2 country, got {c!r}")
        elif e["label"] == "LOC" and c is not None and not re.fullmatch(r"[A-Z]{2}", c):
            errors.append(f"{w}: LOC country must be alpha-2 or null, got {c!r}")
        elif e["label"] not in {"GPE", "LOC"} and c is not None:
            errors.append(f"{w}: only GPE/LOC carry a country")
        seen_canon[e["canonical"]].add((e["label"], c))
    return locate([e["text"] for e in ents], body, where, errors)


def check_dates(name, body, published, dates, errors):  # noqa: C901
    where = f"{name} dates"
    for i, d in enumerate(dates):
        w = f"{where}[{i}] {d.get('text')!r}"
        if set(d) != {"text", "value", "resolution"}:
            errors.append(f"{w}: keys {sorted(d)}")
            continue
        res, val, text = d["resolution"], d["value"], d["text"]
        if res not in RESOLUTIONS or not re.fullmatch(RESOLUTIONS[res], str(val)):
            errors.append(f"{w}: value {val!r} does not fit resolution {res!r}")
            continue
        parts = [int(p) for p in val.split("-")]
        try:
            day = dt.date(*parts) if res == "day" else None
        except ValueError:
            errors.append(f"{w}: {val} is not a calendar date")
            continue
        for k, wd in enumerate(WEEKDAYS):
            if wd in text:
                if res != "day" or day.weekday() != k:
                    errors.append(f"{w}: {val} is not a {wd}")
                elif abs((day - published).days) > 7 and not re.search(r"\d", text):  # `Tuesday 18 March` may be further
                    errors.append(f"{w}: {val} is more than a week from {published}")
        for k, mon in enumerate(MONTHS):
            if re.search(rf"\b{mon}\b|\b{mon[:3]}\.", text) and (len(parts) < 2 or parts[1] != k + 1):
                errors.append(f"{w}: {val} is not in {mon}")
        if re.fullmatch(r"\d{4}", text) and val != text:
            errors.append(f"{w}: year text with value {val}")
    locate([d["text"] for d in dates], body, where, errors)


def check_amounts(name, body, amounts, errors):  # noqa: C901
    where = f"{name} amounts"
    for i, a in enumerate(amounts):
        w = f"{where}[{i}] {a.get('text')!r}"
        if set(a) - {"value_low", "value_high"} != {"text", "value", "unit", "qualifier"}:
            errors.append(f"{w}: keys {sorted(a)}")
            continue
        if ("value_low" in a) != ("value_high" in a):
            errors.append(f"{w}: a range needs both value_low and value_high")
            continue
        if "value_low" in a:
            low, high = spelled_range(a["text"]) or (None, None)
            if (low, high) != (a["value_low"], a["value_high"]) or a["value"] != a["value_low"]:
                errors.append(
                    f"{w}: range {a['value_low']}-{a['value_high']} (value {a['value']}) but the text says {low}-{high}"
                )
        if not isinstance(a["value"], (int, float)) or isinstance(a["value"], bool):
            errors.append(f"{w}: value must be a number")
            continue
        if a["qualifier"] not in QUALIFIERS:
            errors.append(f"{w}: bad qualifier {a['qualifier']!r}")
        unit = a["unit"]
        if unit in CURRENCIES or re.fullmatch(r"[A-Z]{3}", str(unit)):
            if not any(sym in a["text"] for sym in (*CURRENCIES.get(unit, ()), unit)):
                errors.append(f"{w}: no {unit} marker in the text")
        elif not isinstance(unit, str) or not a["text"].endswith(unit):
            errors.append(f"{w}: text must end with the unit {unit!r}")
        stated = a["value_low"] if "value_low" in a else spelled_value(a["text"])
        readings = {stated}
        if stated is not None and re.match(r"(?:-|−|minus )\d", a["text"]):
            readings.add(-stated)  # `-5C`, `minus 20 degrees`
        if stated is not None and unit in CURRENCIES and _SUBUNIT.search(a["text"]):
            readings.add(stated / 100)  # `185p`, `12 cents` given in the currency's main unit (1.85 GBP)
        if stated is not None and unit in CURRENCIES and _THOUSANDTH.search(a["text"]):
            readings.add(stated / 1000)
        if not any(x is not None and abs(x - a["value"]) <= 1e-6 * max(1, abs(a["value"])) for x in readings):
            errors.append(f"{w}: value {a['value']} but the text says {stated}")
    locate([a["text"] for a in amounts], body, where, errors)


def check_quotes(name, body, quotes, canonicals, errors):
    where = f"{name} quotes"
    for i, q in enumerate(quotes):
        w = f"{where}[{i}] {q.get('quote', '')[:30]!r}"
        if set(q) != {"quote", "speaker", "verb"}:
            errors.append(f"{w}: keys {sorted(q)}")
            continue
        if q["quote"] != q["quote"].strip() or q["quote"].endswith(","):
            errors.append(f"{w}: quote not trimmed")
        if q["quote"][:1] in "\"'“”‘’" or q["quote"][-1:] in "\"'“”‘’":
            errors.append(f"{w}: quote marks left in the quote")
        if q["speaker"] is not None and q["speaker"] not in canonicals:
            errors.append(f"{w}: speaker {q['speaker']!r} is no entity of this article")
        if q["verb"] is not None and not pattern(q["verb"]).search(body):
            errors.append(f"{w}: verb {q['verb']!r} not in the body")
    locate([q["quote"] for q in quotes], body, where, errors)


def main(argv: list[str] | None = None) -> int:  # noqa: C901
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]).resolve() if argv else HERE
    articles_dir, gold_path = folder / "articles", folder / "gold.json"
    if not gold_path.is_file() or not articles_dir.is_dir():
        print(f"{folder}: no gold.json and articles/ here; give a gold folder", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    files = {p.name for p in articles_dir.glob("*.txt")}
    errors: list[str] = []
    for missing in sorted(files - set(gold)):
        errors.append(f"{missing}: article without gold entry")
    for extra in sorted(set(gold) - files):
        errors.append(f"{extra}: gold entry without article")

    bodies, covered = {}, {}
    seen_canon: dict[str, set] = defaultdict(set)
    for name in sorted(set(gold) & files):
        entry = gold[name]
        if set(entry) - {"body_start", "body_end"} != {"published_date", "entities", "dates", "amounts", "quotes"}:
            errors.append(f"{name}: keys {sorted(entry)}")
            continue
        try:
            body, header_date = split_article(
                name, (articles_dir / name).read_text(encoding="utf-8"), entry.get("body_start"), entry.get("body_end")
            )
        except (ValueError, IndexError) as exc:
            errors.append(f"{name}: {exc or 'body_start/body_end not found'}")
            continue
        bodies[name] = body
        published = dt.date.fromisoformat(entry["published_date"])
        if header_date and header_date != published:
            errors.append(f"{name}: published_date {published} but the date line says {header_date}")
        covered[name] = check_entities(name, body, entry["entities"], errors, seen_canon)
        check_dates(name, body, published, entry["dates"], errors)
        check_amounts(name, body, entry["amounts"], errors)
        canonicals = {e["canonical"] for e in entry["entities"]}
        check_quotes(name, body, entry["quotes"], canonicals, errors)

    for canon, variants in sorted(seen_canon.items()):
        if len(variants) > 1:
            errors.append(f"canonical {canon!r} has several (label, country): {sorted(variants, key=str)}")

    # Every occurrence of any annotated surface text, in any article, must be annotated.
    surfaces = {e["text"] for entry in gold.values() for e in entry.get("entities", [])}
    for name, body in bodies.items():
        spans = covered[name]
        for text in sorted(surfaces):
            for m in pattern(text).finditer(body):
                if not any(s <= m.start() and m.end() <= e for s, e in spans):
                    ctx = body[max(0, m.start() - 30) : m.end() + 30]
                    errors.append(f"{name}: unannotated {text!r} in ...{ctx}...")

    if errors:
        print("\n".join(errors))
        print(f"\n{len(errors)} problem(s)")
        return 1

    labels = Counter(e["label"] for entry in gold.values() for e in entry["entities"])
    print(f"articles: {len(gold)}")
    print(f"entity mentions: {sum(labels.values())} " + ", ".join(f"{k} {labels[k]}" for k in sorted(LABELS)))
    print(f"distinct canonical entities: {len(seen_canon)}")
    dates, amounts, quotes = (sum(len(entry[k]) for entry in gold.values()) for k in ("dates", "amounts", "quotes"))
    print(f"dates: {dates}, amounts: {amounts}, quotes: {quotes}")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
