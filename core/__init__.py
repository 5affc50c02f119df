"""Shared infrastructure: settings, database, migrations, audited writes and accounts.

Nothing in this package imports Streamlit; the domain packages build on it.
"""
