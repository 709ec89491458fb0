"""Alembic migration environment and scripts of the study store (run by hill_dash.store.migrate)."""
