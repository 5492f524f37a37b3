"""Step definitions shared by every feature, one module an area; features/conftest.py imports them."""
