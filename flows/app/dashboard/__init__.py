"""The Streamlit dashboard: the queries behind every panel (`queries.py`), the charts and the
article HTML made from their rows (`charts.py`, `article_html.py`), the search box's results
(`search_results.py`), the page (`page.py`) and how `wirehouse dashboard` serves it (`server.py`)."""
