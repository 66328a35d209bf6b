"""The DuckDB warehouse: the build from sql/ (staging views, marts, data tests, then the swap),
the archive-wide steps that run in DuckDB (duplicate linking, one identity per entity), the
read-only way in, and the data dictionary and exports."""
