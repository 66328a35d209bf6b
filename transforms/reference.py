"""Reference knowledge: wire agencies and entity aliases.

Built-in defaults live here so that `transforms` works with no files at all; a user's
additions (seeds/reference/*.csv) are read by flows/ and merged with `Reference.extend`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
from dataclasses import dataclass, field, replace

# Lower-cased spelling → canonical agency/outlet name. A byline naming one of these is a
# source, never an author.
AGENCIES: dict[str, str] = {
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "belta": "BelTA",
    "tass": "TASS",
    "itar-tass": "TASS",
    "xinhua": "Xinhua",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "dpa": "dpa",
    "upi": "UPI",
    "united press international": "UPI",
    "interfax": "Interfax",
    "pa": "PA",
    "pa media": "PA",
    "press association": "PA",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "yonhap": "Yonhap",
    "ria novosti": "RIA Novosti",
    "ria": "RIA Novosti",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "ukrinform": "Ukrinform",
    "pap": "PAP",
    "cna": "CNA",
    "aap": "AAP",
    "ani": "ANI",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ians": "IANS",
    # National agencies of Malaysia, Pakistan, the Philippines and the Gulf (their datelines:
    # `KUALA LUMPUR, June 12 (Bernama) --`).
    "bernama": "Bernama",
    "app": "APP",
    "associated press of pakistan": "APP",
    "pna": "PNA",
    "philippine news agency": "PNA",
    "wam": "WAM",
    "emirates news agency": "WAM",
    "spa": "SPA",
    "saudi press agency": "SPA",
    "qna": "QNA",
    "qatar news agency": "QNA",
    "kuna": "KUNA",
    "kuwait news agency": "KUNA",
    "gna": "GNA",
    "ghana news agency": "GNA",
    "sputnik": "Sputnik",
    "unian": "UNIAN",
}

# (alias, canonical name, label) — merged case-insensitively, punctuation-insensitively.
ALIASES: tuple[tuple[str, str, str], ...] = (
    ("NATO", "NATO", "ORG"),
    ("North Atlantic Treaty Organization", "NATO", "ORG"),
    ("North Atlantic Treaty Organisation", "NATO", "ORG"),
    ("NATO alliance", "NATO", "ORG"),
    ("US", "United States", "GPE"),
    ("U.S.", "United States", "GPE"),
    ("USA", "United States", "GPE"),
    ("U.S.A.", "United States", "GPE"),
    ("United States", "United States", "GPE"),
    ("United States of America", "United States", "GPE"),
    ("America", "United States", "GPE"),
    ("UK", "United Kingdom", "GPE"),
    ("U.K.", "United Kingdom", "GPE"),
    ("Britain", "United Kingdom", "GPE"),
    ("Great Britain", "United Kingdom", "GPE"),
    ("United Kingdom", "United Kingdom", "GPE"),
    ("EU", "European Union", "ORG"),
    ("E.U.", "European Union", "ORG"),
    ("European Union", "European Union", "ORG"),
    ("UN", "United Nations", "ORG"),
    ("U.N.", "United Nations", "ORG"),
    ("United Nations", "United Nations", "ORG"),
    ("Kiev", "Kyiv", "GPE"),
    ("Kyiv", "Kyiv", "GPE"),
    ("Soviet Union", "Soviet Union", "GPE"),
    ("USSR", "Soviet Union", "GPE"),
    ("U.S.S.R.", "Soviet Union", "GPE"),
    ("Pentagon", "Pentagon", "ORG"),
    ("Kremlin", "Kremlin", "ORG"),
    ("White House", "White House", "ORG"),
    ("Downing Street", "Downing Street", "ORG"),
    ("UN Security Council", "United Nations Security Council", "ORG"),
    ("United Nations Security Council", "United Nations Security Council", "ORG"),
    ("UNSC", "United Nations Security Council", "ORG"),
    # A `Security Council` with no owner in its words (`Russia's Security Council` has
    # one) is the UN's: see transforms.entities.
    ("Security Council", "United Nations Security Council", "ORG"),
    ("UN General Assembly", "United Nations General Assembly", "ORG"),
    ("IOC", "International Olympic Committee", "ORG"),
    ("International Olympic Committee", "International Olympic Committee", "ORG"),
    ("IMF", "International Monetary Fund", "ORG"),
    ("International Monetary Fund", "International Monetary Fund", "ORG"),
    ("OSCE", "OSCE", "ORG"),
    ("Organization for Security and Co-operation in Europe", "OSCE", "ORG"),
    ("Organization for Security and Cooperation in Europe", "OSCE", "ORG"),
    ("European Commission", "European Commission", "ORG"),
    ("Gazprom", "Gazprom", "ORG"),
    ("Nord Stream 2", "Nord Stream 2", "ORG"),
    ("Twitter", "Twitter", "ORG"),
    ("Facebook", "Facebook", "ORG"),
    ("Telegram", "Telegram", "ORG"),
    ("Baltics", "Baltic states", "LOC"),
    ("Baltic states", "Baltic states", "LOC"),
    ("Baltic countries", "Baltic states", "LOC"),
    ("Baltic nations", "Baltic states", "LOC"),
)

# The model's one-word ORGs that are a piece of a title (`U.S. Defense Secretary`,
# `Secretary of State`), never an organization on their own.
TITLE_WORDS: frozenset[str] = frozenset(
    """
    defense defence state interior foreign treasury justice health energy finance commerce
    labor labour education transport home secretary minister ministry president
    """.split()
)

# Names of political blocs that are neither a place with a country nor a nationality
# (`the West`, `Western leaders`): left out, as counting them would only add noise.
NOT_ENTITIES: frozenset[str] = frozenset(
    {"west", "western", "westerners", "the west"}
    # time zones (`by 1350 GMT`), which the model takes for organizations
    | {"gmt", "bst", "utc", "cet", "cest", "est", "edt", "pst", "pdt"}
)

# Transliteration variants of first names → the spelling shown (the most common in
# English-language news). Two spellings in one row are one name in an entity's key.
FIRST_NAME_VARIANTS: dict[str, str] = {
    "aleksandr": "Alexander",
    "alexandr": "Alexander",
    "alexander": "Alexander",
    "sergei": "Sergey",
    "sergey": "Sergey",
    "serguei": "Sergey",
    "sergej": "Sergey",
    "dmitry": "Dmitry",
    "dmitri": "Dmitry",
    "dmitriy": "Dmitry",
    "dmitrii": "Dmitry",
    "yevgeny": "Yevgeny",
    "evgeny": "Yevgeny",
    "evgeni": "Yevgeny",
    "evgenii": "Yevgeny",
    "yevgeni": "Yevgeny",
    "yevgeniy": "Yevgeny",
    "evgeniy": "Yevgeny",
    "yuri": "Yuri",
    "yury": "Yuri",
    "yuriy": "Yuri",
    "iurii": "Yuri",
    "andrei": "Andrei",
    "andrey": "Andrei",
    "alexei": "Alexei",
    "alexey": "Alexei",
    "aleksei": "Alexei",
    "aleksey": "Alexei",
    "nikolai": "Nikolai",
    "nikolay": "Nikolai",
    "mikhail": "Mikhail",
    "michail": "Mikhail",
    "maxim": "Maxim",
    "maksim": "Maxim",
    "arseniy": "Arseniy",
    "arseny": "Arseniy",
    "anatoly": "Anatoly",
    "anatoliy": "Anatoly",
    "anatolii": "Anatoly",
    "valery": "Valery",
    "valeriy": "Valery",
    "valerii": "Valery",
    "gennady": "Gennady",
    "gennadiy": "Gennady",
    "gennadi": "Gennady",
    "grigory": "Grigory",
    "grigoriy": "Grigory",
    "georgy": "Georgy",
    "georgiy": "Georgy",
    "vitaly": "Vitaly",
    "vitaliy": "Vitaly",
    "vitali": "Vitaly",
    "oleksiy": "Oleksiy",
    "oleksii": "Oleksiy",
    "olexiy": "Oleksiy",
    "serhiy": "Serhiy",
    "serhii": "Serhiy",
    "volodymyr": "Volodymyr",
    "wolodymyr": "Volodymyr",
    "petro": "Petro",
    "tatiana": "Tatiana",
    "tatyana": "Tatiana",
    "natalia": "Natalia",
    "natalya": "Natalia",
    "sviatlana": "Sviatlana",
    "svetlana": "Svetlana",
    "yulia": "Yulia",
    "yuliya": "Yulia",
}


@functools.lru_cache(maxsize=65536)
def alias_key(name: str) -> str:
    """The form two spellings must share to be the same name: case, dots, hyphens,
    apostrophes and spacing do not count (`U.S.` = `US`, `Nato` = `NATO`)."""
    kept = [ch.casefold() if ch.isalnum() else " " for ch in name.replace(".", "").replace("'", "").replace("’", "")]
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Reference:
    agencies: dict[str, str] = field(default_factory=lambda: dict(AGENCIES))
    # alias_key → (canonical name, label)
    aliases: dict[str, tuple[str, str]] = field(default_factory=lambda: {alias_key(a): (c, label) for a, c, label in ALIASES})
    # Aliases and names written in capitals (`NATO`, `US`, `U.S.`): kept in capitals when
    # a headline shouts (transforms.casing).
    acronyms: frozenset[str] = field(
        default_factory=lambda: frozenset(w for a, c, _ in ALIASES for w in (a, c) if _is_acronym(w))
    )

    # Pairs of names the archive-level identity step must never join (transforms.identity).
    never_merge: tuple[tuple[str, str], ...] = ()

    def extend(self, agencies_csv: str | None = None, aliases_csv: str | None = None) -> Reference:
        """A copy with the rows of user CSVs added (a user's row wins over a built-in one).

        agencies.csv columns: `name,canonical`; aliases.csv columns: `alias,canonical_name,label`
        and an optional `rule`: empty or `merge` makes `alias` a spelling of `canonical_name`
        (in every article, and across the archive); `never` keeps the entities named
        `alias` and `canonical_name` apart whatever rule would join them (label unused).
        """
        agencies = dict(self.agencies)
        aliases = dict(self.aliases)
        acronyms = set(self.acronyms)
        never = list(self.never_merge)
        for row in _csv_rows(agencies_csv, ("name", "canonical")):
            agencies[row["name"].strip().casefold()] = row["canonical"].strip()
        for row in _csv_rows(aliases_csv, ("alias", "canonical_name", "label")):
            rule = (row.get("rule") or "").strip().casefold() or "merge"
            if rule not in ("merge", "never"):
                raise ValueError(f"aliases.csv: rule must be empty, merge or never, not {row.get('rule')!r}")
            if rule == "never":
                never.append((row["alias"].strip(), row["canonical_name"].strip()))
                continue
            aliases[alias_key(row["alias"])] = (row["canonical_name"].strip(), row["label"].strip().upper())
            acronyms.update(w.strip() for w in (row["alias"], row["canonical_name"]) if _is_acronym(w.strip()))
        return replace(self, agencies=agencies, aliases=aliases, acronyms=frozenset(acronyms), never_merge=tuple(never))

    def merges_fingerprint(self) -> str:
        """A hash of every alias and never-merge row: the archive-level identity decided
        under another value is decided again (flows/warehouse/identity.py)."""
        rows = sorted(f"{a}\t{c}" for a, (c, _label) in self.aliases.items())
        rows += sorted(f"never\t{a}\t{b}" for a, b in self.never_merge)
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]

    def agency(self, name: str) -> str | None:
        return self.agencies.get(" ".join(name.split()).casefold().strip(" .,"))


def _is_acronym(word: str) -> bool:
    bare = word.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def _csv_rows(text: str | None, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not text:
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"reference CSV needs columns {', '.join(columns)}; missing {', '.join(missing)}")
    return [row for row in reader if any((v or "").strip() for v in row.values())]


DEFAULT_REFERENCE = Reference()

# First names whose bearer a gendered honorific rules in or out when a bare surname could
# be either of two people in one article (`Ms Johnson` after Boris and Karen Johnson).
FEMALE_FIRST_NAMES: frozenset[str] = frozenset(
    """
    alice angela ann anna anne annalena antonia barbara brigitte carrie catherine charlotte
    christine claire clara diana elena elizabeth ella emily emma eva evelyn florence frances
    gina hannah helen hillary ingrid irina jacinda jane janet jennifer jill joan julia
    kamala karen kate katherine kathleen kaja kristalina laura linda lisa liz liza lucy
    margaret maria marie marine mary melania michelle nancy natalia nicola olena olga
    patricia priti rachel rebecca sanna sarah sophie susan suella svetlana sviatlana
    tatiana theresa ursula valentina victoria yulia zuzana
    """.split()
)
MALE_FIRST_NAMES: frozenset[str] = frozenset(
    """
    alexander alexei andrei andrzej antony antonio ben bill boris charles dan david
    dmitry donald emmanuel edward francis frank gitanas george grant hunter ian jake jean
    jens joe john joseph josep justin keir kevin lloyd mark matteo michael mike mikhail
    nicolas olaf oleg pedro peter recep rishi robert sergey thomas tony viktor vladimir
    volodymyr william xi yuri
    """.split()
)
