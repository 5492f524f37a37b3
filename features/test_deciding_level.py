"""Who decides, as an effective-dated decision table (deciding_level.feature)."""
from pytest_bdd import scenarios

scenarios("deciding_level.feature")
