"""The event log and its projections: SQLite by default, PostgreSQL in production.

``EventLog`` (``eventlog``) is the append-only, ordered log every other view is
folded from; ``projections`` keeps current call and agent state tables next to
it; ``export`` writes events to Parquet or CSV for analytics and WFM. The schema
changes only through the Alembic migrations under ``migrations``.
"""
