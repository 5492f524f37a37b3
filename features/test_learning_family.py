"""The learning family's approval paths (learning_family.feature)."""
from pytest_bdd import scenarios

scenarios("learning_family.feature")
