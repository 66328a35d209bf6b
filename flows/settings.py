"""Where things are, and the settings a user can change (flags first, then environment)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transforms.reference import Reference

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"
DEFAULT_INPUT = PROJECT_ROOT / "seeds"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"
DB_NAME = "news.duckdb"
# A folder of this name at the top of an input folder holds reference CSVs, not articles.
REFERENCE_DIR = "reference"
DEFAULT_BATCH_SIZE = 200
# A batch also closes at this many bytes of input, so that a batch of long files holds
# no more text in a worker than a batch of short ones (bounded memory at any archive size).
BATCH_BYTES = 8 * 2**20
# Bigger files are rejected as too_large rather than read whole into memory; files of
# records (JSON Lines, JSON lists) are read record by record and have no limit.
DEFAULT_MAX_FILE_MB = 64
# One article's text, in units of 2**20 characters (transforms.article.MAX_ARTICLE_CHARS).
DEFAULT_MAX_ARTICLE_MB = 1
# The identity step's DuckDB cap and threads (identity_memory, identity_threads).
IDENTITY_MEMORY = "128MB"
IDENTITY_THREADS = 1


class WirehouseError(Exception):
    """An error the CLI reports as one line (no traceback)."""


def warehouse_dir(value: str | os.PathLike | None = None) -> Path:
    return Path(value or os.environ.get("WIREHOUSE_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()


def input_dir(value: str | os.PathLike | None = None) -> Path:
    return Path(value or os.environ.get("WIREHOUSE_INPUT") or DEFAULT_INPUT).expanduser().resolve()


def cache_dir() -> Path:
    """Where wirehouse keeps what depends on the installed code and models, not on any
    warehouse (ready-made worker state): $WIREHOUSE_CACHE_DIR, else $XDG_CACHE_HOME/wirehouse,
    else ~/.cache/wirehouse. One copy per machine and user, shared by every warehouse."""
    explicit = os.environ.get("WIREHOUSE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "wirehouse"


def build_memory() -> str:
    """DuckDB's memory cap while it builds the warehouse ($WIREHOUSE_BUILD_MEMORY)."""
    return os.environ.get("WIREHOUSE_BUILD_MEMORY") or "512MB"


def identity_memory() -> str:
    """DuckDB's memory cap for the archive-level identity step ($WIREHOUSE_IDENTITY_MEMORY):
    lower than the build's, since the step's peak is mostly DuckDB's buffer pool filling
    whatever cap it has (bench/RESULTS.md, "The identity step's memory")."""
    return os.environ.get("WIREHOUSE_IDENTITY_MEMORY") or IDENTITY_MEMORY


def identity_threads() -> int:
    """DuckDB's threads for the identity step ($WIREHOUSE_IDENTITY_THREADS)."""
    value = os.environ.get("WIREHOUSE_IDENTITY_THREADS")
    return int(value) if value else IDENTITY_THREADS


def skip_identity() -> bool:
    """$WIREHOUSE_SKIP_IDENTITY=1, for benchmarks only: the run decides no identity (every
    entity stays its own), to time a run without the archive-level step side by side."""
    return os.environ.get("WIREHOUSE_SKIP_IDENTITY") == "1"


# A Parquet part that a run replaced stays on disk this long (seconds) before garbage
# collection deletes it, so that a connection opened on an older database keeps finding the
# files its views read, and `--as-of` reaches the warehouse as it was at any time in this
# window (on a Delta store: the retention of `vacuum`, in whole hours). Seven days, Delta
# Lake's own default (`delta.deletedFileRetentionDuration`), so that another engine's
# VACUUM with its defaults keeps what this one keeps.
DEFAULT_GC_GRACE_S = 7 * 24 * 3600.0


def gc_grace_s() -> float:
    """$WIREHOUSE_GC_GRACE: seconds a replaced part is kept (default seven days)."""
    value = os.environ.get("WIREHOUSE_GC_GRACE")
    if not value:
        return DEFAULT_GC_GRACE_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise WirehouseError(f"WIREHOUSE_GC_GRACE={value!r} is not a number of seconds: give e.g. 604800 (seven days)")
    return seconds


def parquet_url(value: str | None = None) -> str | None:
    """Where the Parquet parts go, if not `<warehouse>/parquet`: any fsspec URL."""
    return value or os.environ.get("WIREHOUSE_PARQUET_URL") or None


def spacy_model(value: str | None = None) -> str:
    from transforms.nlp import DEFAULT_MODEL

    return value or os.environ.get("WIREHOUSE_SPACY_MODEL") or DEFAULT_MODEL


def database_path(warehouse: Path) -> Path:
    return warehouse / DB_NAME


def load_reference(input_dir: Path) -> Reference:
    """Built-in agencies and aliases, extended by `reference/agencies.csv` and
    `reference/aliases.csv` in the input folder, if present."""
    from transforms.reference import DEFAULT_REFERENCE

    folder = input_dir / REFERENCE_DIR

    def text(name: str) -> str | None:
        path = folder / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    try:
        return DEFAULT_REFERENCE.extend(agencies_csv=text("agencies.csv"), aliases_csv=text("aliases.csv"))
    except ValueError as exc:
        raise WirehouseError(f"{folder}: {exc}") from exc
