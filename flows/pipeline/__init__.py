"""The run: the Prefect flow (`ingest.py`) and what its steps use while a run is under way —
the run lock, a clean stop on SIGTERM/Ctrl-C, the workers' ready-made model state, NER reuse,
compaction of small parts, progress on the terminal and the run's summary."""
