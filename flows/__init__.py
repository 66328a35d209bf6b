"""Prefect flows, file I/O, the warehouse build and the `wirehouse` CLI."""
