"""Repositories: every query of the engine lives here, one module per group of tables, scoped by the caller's
unit where it reads for one."""
