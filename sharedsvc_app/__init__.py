"""The Streamlit side of sharedsvc: cached queries, formatting, charts and controls."""
