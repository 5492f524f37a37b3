"""Reporting periods: opening them, each commune's and province's report, the figures and the national view."""
