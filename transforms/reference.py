"""Reference knowledge: wire agencies and entity aliases.

Built-in defaults live here so that `transforms` works with no files at all; a user's
additions (seeds/reference/*.csv) are read by flows/ and merged with `Reference.extend`.
"""

from __future__ import annotations

import csv
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
)


def alias_key(name: str) -> str:
    """The form two spellings must share to be the same name: case, dots, hyphens,
    apostrophes and spacing do not count (`U.S.` = `US`, `Nato` = `NATO`)."""
    kept = [ch.casefold() if ch.isalnum() else " " for ch in name.replace(".", "").replace("'", "").replace("’", "")]
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Reference:
    agencies: dict[str, str] = field(default_factory=lambda: dict(AGENCIES))
    # alias_key → (canonical name, label)
    aliases: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {alias_key(a): (c, label) for a, c, label in ALIASES}
    )

    def extend(self, agencies_csv: str | None = None, aliases_csv: str | None = None) -> "Reference":
        """A copy with the rows of user CSVs added (a user's row wins over a built-in one).

        agencies.csv columns: `name,canonical`; aliases.csv columns: `alias,canonical_name,label`.
        """
        agencies = dict(self.agencies)
        aliases = dict(self.aliases)
        for row in _csv_rows(agencies_csv, ("name", "canonical")):
            agencies[row["name"].strip().casefold()] = row["canonical"].strip()
        for row in _csv_rows(aliases_csv, ("alias", "canonical_name", "label")):
            aliases[alias_key(row["alias"])] = (row["canonical_name"].strip(), row["label"].strip().upper())
        return replace(self, agencies=agencies, aliases=aliases)

    def agency(self, name: str) -> str | None:
        return self.agencies.get(" ".join(name.split()).casefold().strip(" .,"))


def _csv_rows(text: str | None, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not text:
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"reference CSV needs columns {', '.join(columns)}; missing {', '.join(missing)}")
    return [row for row in reader if any((v or "").strip() for v in row.values())]


DEFAULT_REFERENCE = Reference()
