"""The Streamlit dashboard: the queries behind every panel (`queries.py`) and the page
(`page.py`) that `wirehouse dashboard` serves."""
