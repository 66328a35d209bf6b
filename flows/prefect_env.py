"""Prefect settings for a quiet, offline local run (filled in below)."""
import contextlib

@contextlib.contextmanager
def quiet_prefect():
    yield
