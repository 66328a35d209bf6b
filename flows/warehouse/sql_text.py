"""SQL literals for text the warehouse code puts into DuckDB statements (paths, comments):
the one place that quotes them."""


def sql_string(text: str) -> str:
    """A DuckDB string literal for any text."""
    return "'" + text.replace("'", "''") + "'"


def sql_list(items: list[str]) -> str:
    """A DuckDB list literal of strings, e.g. the Parquet files for `read_parquet`."""
    return "[" + ", ".join(sql_string(item) for item in items) + "]"
