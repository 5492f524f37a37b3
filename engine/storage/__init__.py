"""Storage: connections, tables, repositories (every query), the unit of work, Alembic migrations."""
