"""One blueprint per area: the officials' pages by area, the JSON API and the Camunda deployment API."""
from web.views import api, designers, dossiers, engine_rest, inbox, jobs, organisation, registry, reports

BLUEPRINTS = (organisation.bp, inbox.bp, dossiers.bp, registry.bp, reports.bp, designers.bp, jobs.bp, api.bp,
              engine_rest.bp)
# Programs send a token in a header (a session sends its CSRF token in one too), so form CSRF does not apply.
CSRF_EXEMPT = (api.bp, engine_rest.bp)
