"""The titles: who may be proposed, the registry of recognised titles and decisions, certificates, decision tables."""
