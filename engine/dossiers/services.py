"""The services a diagram's service task may call (its spiffworkflow:serviceTaskOperator id); a deployment that
names any other is refused. Each takes a ServiceCall."""
from engine.recognition.registry import record_titles
from engine.reporting.commune_reports import open_commune_dossiers, remind
from engine.reporting.figures import record_figures

SERVICES = {"record_titles": record_titles, "open_commune_dossiers": open_commune_dossiers,
            "remind": remind, "record_report_figures": record_figures,
            # Its name in the annual report's versions deployed before reports other than the annual one.
            "record_commune_report": record_figures}
