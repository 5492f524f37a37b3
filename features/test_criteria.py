"""Scoring criteria as decision tables (criteria.feature)."""
from pytest_bdd import scenarios

scenarios("criteria.feature")
