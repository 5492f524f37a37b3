"""The workflow core: SpiffWorkflow and SQLAlchemy, no web framework."""
