"""The scenarios' fixtures: what a scenario has done so far (its `story`), and where its dossiers went for the path
coverage. Each step calls the engine's use cases (in memory, as the use case tests do; a scenario tagged @postgres on
PostgreSQL); a few go through the web pages. The step definitions shared by every feature are in features/steps/,
imported here so that pytest-bdd finds them; a feature's own steps are in its test module. A step whose action is
refused fails the scenario, unless the next step is "việc bị từ chối vì ..." (which checks the refusal's message)."""
import pytest

from engine.dossiers import tasks, viewing
from engine.errors import EngineError
from features.steps.common import *  # noqa: F403 - the step definitions are fixtures pytest-bdd looks up by name
from features.steps.common import REFUSED
from features.steps.pages import *  # noqa: F403
from features.steps.recognition import *  # noqa: F403
from tests.support.path_coverage import TRAILS


class Story:
    """What the scenario has done so far: the dossier, the last task acted on, the last refusal."""

    def __init__(self, officials, new_uow):
        self.officials, self.new_uow = officials, new_uow
        self.dossier_id = None
        self.earlier_dossier_id = None
        self.last_task = None
        self.refusal = None

    def open_task(self):
        """The dossier's one open task: a step acting on it fails if there is none (or several)."""
        open_tasks = viewing.get_dossier(self.dossier_id, self.officials.ministry, self.new_uow()).open_tasks
        assert len(open_tasks) == 1, f"hồ sơ {self.dossier_id} có việc đang mở: {[t.step_name for t in open_tasks]}"
        return open_tasks[0]

    def complete(self, official, values, task_id=None, uploads=None):
        """The official completes the task (default: the dossier's only open one). A refusal is kept for the next
        step, which must be the one saying the action was refused (`pytest_bdd_after_step`)."""
        task_id = task_id or self.open_task().id
        try:
            tasks.complete_task(task_id, official, values, self.new_uow(), uploads)
            self.last_task, self.refusal = task_id, None
        except EngineError as error:
            self.refusal = error

    def take_refusal(self) -> EngineError:
        """The refusal the last action met, for the step that says it was refused; none is an error."""
        refusal, self.refusal = self.refusal, None
        assert refusal is not None, "việc không bị từ chối"
        return refusal


@pytest.fixture(autouse=True)
def story(officials, new_uow):
    # Autouse, so the scenario's database is there before its steps run; its dossiers' trails feed the path coverage.
    yield Story(officials, new_uow)
    TRAILS.add_from(new_uow)


def pytest_bdd_after_step(request, scenario, step):
    """A step whose action was refused fails, unless the step after it is the one that says so."""
    refusal = request.getfixturevalue("story").refusal
    if refusal is None:
        return
    at = next(number for number, each in enumerate(scenario.steps) if each is step)
    following = scenario.steps[at + 1:at + 2]
    if not following or not following[0].name.startswith(REFUSED):
        pytest.fail(f'"{step.keyword} {step.name}" bị từ chối: {refusal}', pytrace=False)
