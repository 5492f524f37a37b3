"""Every kind of job a worker runs, by the name the outbox stores: a function of the job's unit of work (its
transaction, in which the job is marked done) and its parameters, returning what the job's row keeps as its result.
Every job that moves a dossier does it through the step runner."""
from engine.reporting.fan_out import open_commune_reports

KINDS = {"open_commune_reports": open_commune_reports}
