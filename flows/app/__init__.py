"""What a user runs: the `wirehouse` command, the quiet Prefect session it runs flows in, and
the Streamlit dashboard."""
