"""Running a process instance: start or load it, complete a human step, fire its timers, cancel it, move it to a
newer version, and compact it after every step; its expressions and decision tables run in an allow-listed
environment."""
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import StandardLoopTask
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.errors import WorkflowFailed
from engine.workflow import expressions, serializing
from engine.workflow.parsing import DECIDE, Step, safe_xml, step_of
from engine.workflow.serializing import SERIALIZER
from engine.workflow.timer_clock import LOCAL_ZONE, running_at

# Tasks in these states have already copied their parent's data; a parent whose children are all
# past this point no longer needs its own. Not CANCELLED: a join cancels its early arrivals and later
# reads their parents' data.
# These are also the states of a task reached along a flow, as the dossier's trail records it (a waiting timer has
# not been: it may never fire).
_INHERITED = TaskState.READY | TaskState.STARTED | TaskState.COMPLETED
# A task in one of these states is a step the instance has reached: a version that changes it cannot take it over.
_REACHED = _INHERITED | TaskState.WAITING | TaskState.ERROR

# Timers whose waiting events carry their due time as an ISO 8601 value.
_DATED_TIMERS = {"TimeDateEventDefinition", "DurationTimerEventDefinition"}


@dataclass(frozen=True)
class OpenStep:
    task_id: str
    step: Step
    due_at: datetime | None = None


class _SafeEnvironment(BasePythonScriptEngineEnvironment):
    """Runs only allow-listed expressions and scripts, through the bounded evaluator: a second wall behind the deploy
    checks, refusing at run time what a form's values would make too large."""

    def evaluate(self, expression, context, external_context=None):
        return _refusing(expressions.evaluate, expression, {**context, **(external_context or {})})

    def execute(self, script, context, external_context=None):
        _refusing(expressions.execute, script, context, external_context or {})
        return True


def _refusing(run, *args):
    try:
        return run(*args)
    except expressions.UnsafeExpression as refusal:
        # Spiff words other errors as 'Error evaluating expression' alone: as one of its own, the reason is kept.
        raise WorkflowException(f"biểu thức bị từ chối: {refusal}") from refusal


class _ScriptEngine(PythonScriptEngine):
    """`decide` evaluates the dossier's decision table at once; other services are recorded, and the use case
    applies them in its transaction."""

    def __init__(self, decisions: "Decisions", facts: dict, now: datetime | None = None):
        super().__init__(environment=_SafeEnvironment())
        self.decisions, self.facts, self.now = decisions, facts, now
        self.requested_services: list[tuple[str, dict]] = []

    def validate(self, expression):
        if not expressions.parses(expression):
            raise SyntaxError(f"not an expression: {expression}")

    def call_service(self, task, operation_name, operation_params, **kwargs):
        if operation_name == DECIDE:
            task.data.update(self.facts)
            return json.dumps(self.decisions.engine(operation_params["decision"]["value"]).result(task))
        self.requested_services.append(
            (operation_name, {name: param["value"] for name, param in operation_params.items()}))
        return json.dumps(True)


class Definition:
    """A deployed process version, built once from its stored spec and shared by all its dossiers."""

    _built: dict[str, tuple] = {}

    def __init__(self, key: str, load_spec):
        """`key` names the version's content; `load_spec()` returns its stored spec, called only on a cache miss."""
        self.key, self.load_spec = key, load_spec

    @property
    def specs(self) -> tuple:
        if self.key not in self._built:
            own, called = serializing.process_specs(self.load_spec())
            self._built[self.key] = (SERIALIZER.from_dict(own),
                                     {name: SERIALIZER.from_dict(spec) for name, spec in called.items()})
        return self._built[self.key]

    def steps(self) -> dict[str, Step]:
        """Every human step of the process and of the processes it calls, by BPMN id."""
        process_spec, called = self.specs
        return {task_spec.bpmn_id: step_of(task_spec)
                for each in (process_spec, *called.values())
                for task_spec in each.task_specs.values() if isinstance(task_spec, UserTask)}


class Decisions:
    """The decision tables one dossier runs with, each built once per content and shared."""

    _built: dict[str, object] = {}

    def __init__(self, tables: dict[str, tuple[str, object]] | None = None):
        """`tables` maps a decision id to (content key, loader returning (file name, DMN text))."""
        self.tables = tables or {}

    def evaluate(self, decision_id: str, data: dict) -> dict:
        """The table's outputs for `data`, outside any process step (checking a submitted list)."""
        holder = _Evaluation(dict(data), _ScriptEngine(self, {}))
        try:
            return self.engine(decision_id).result(holder)
        except SpiffWorkflowException as error:
            raise WorkflowFailed(f"Bảng quyết định '{decision_id}' lỗi khi tính: {error}") from error

    def outline(self, decision_id: str) -> "TableOutline":
        """What the table reads and rules, as its designer labelled them, for showing before anything is checked."""
        table = self.engine(decision_id).decision_table
        thresholds = {entry.text.strip() for rule in table.rules for entry in rule.outputEntries
                      if entry.output.name == "threshold"}
        mark = thresholds.pop() if len(thresholds) == 1 else None
        return TableOutline(tuple(i.label for i in table.inputs if i.label),
                            tuple(rule.description for rule in table.rules if rule.description),
                            float(mark) if mark and _is_number(mark) else None)

    def engine(self, decision_id: str):
        if decision_id not in self.tables:
            raise WorkflowFailed(f"Hồ sơ không có bảng quyết định '{decision_id}'.")
        key, load = self.tables[decision_id]
        if key not in self._built:
            file_name, dmn = load()
            parser = SpiffBpmnParser()
            parser.add_dmn_xml(safe_xml(file_name, dmn.encode()).getroot(), file_name)
            self._built[key] = parser.get_engine(decision_id, None)
        return self._built[key]


@dataclass(frozen=True)
class TableOutline:
    inputs: tuple[str, ...]  # each input's label: "Nhóm tự học (0-40)"
    rules: tuple[str, ...]  # each rule's description: "Ví dụ: từ 70 điểm trở lên là đạt."
    pass_mark: float | None  # the one threshold every rule gives, if the table has a threshold output


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Evaluation:
    """What Spiff's DMN engine reads from a task (its data and script engine), for evaluations outside a process."""

    def __init__(self, data: dict, engine: "_ScriptEngine"):
        self.data = data
        self.workflow = self
        self.script_engine = engine


@dataclass
class Instance:
    """One running process: a SpiffWorkflow workflow plus the services it asked for."""

    workflow: BpmnWorkflow
    engine: _ScriptEngine
    # What this run reached: element ids, and "source>target" for each flow taken (kept before compaction forgets
    # finished rounds); the caller adds it to the dossier's trail.
    trail: set[str] = field(default_factory=set)

    @classmethod
    def start(cls, definition: Definition, data: dict, decisions: Decisions | None = None,
              facts: dict | None = None, now: datetime | None = None) -> "Instance":
        """A new instance; `facts` (e.g. today's date) are given to every decision it evaluates; `now` is the
        instant its timers compare with."""
        process_spec, called = definition.specs
        engine = _ScriptEngine(decisions or Decisions(), facts or {}, now)
        workflow = BpmnWorkflow(process_spec, called, script_engine=engine)
        workflow.get_next_task(spec_name="Start").data.update(data)
        instance = cls(workflow, engine)
        instance._advance()
        return instance

    @classmethod
    def load(cls, definition: Definition, state: bytes, decisions: Decisions | None = None,
             facts: dict | None = None, now: datetime | None = None) -> "Instance":
        dct = serializing.decode(state)
        engine = _ScriptEngine(decisions or Decisions(), facts or {}, now)
        workflow = SERIALIZER.registry.restore(dct, specs=definition.specs)
        workflow.script_engine = engine
        return cls(workflow, engine)

    def dump(self) -> bytes:
        return serializing.encode(SERIALIZER.to_dict(self.workflow))

    def _tasks(self):
        # The task dictionaries directly: Spiff's tree iterator costs more than the whole step.
        for each in (self.workflow, *self.workflow.subprocesses.values()):
            yield from each.tasks.values()

    def open_steps(self) -> list[OpenStep]:
        return [_open_step(task) for task in self._tasks() if task.state == TaskState.READY and task.task_spec.manual]

    def complete(self, task_id: str, fields: dict) -> None:
        """Run one ready human task with the submitted fields, then everything automatic after it."""
        task = self.workflow.get_task_from_id(UUID(task_id))
        task.set_data(**fields)
        self._guard(task.run)
        self._advance()

    def cancel(self) -> None:
        """End the instance where it stands: every step not yet finished is cancelled, none runs."""
        self._guard(self.workflow.cancel)

    def move_refusal(self, target: Definition) -> str | None:
        """Why this instance cannot go on under `target`'s version: a step it has already reached (done, open or
        waiting) is removed or changed there, or a process it runs is gone. None: it can move."""
        return self._refusal(*self._diff(target))

    def move_to(self, target: Definition) -> str | None:
        """Go on under `target`'s version unless `move_refusal` would say why not (then say it, and stay): steps
        not yet reached follow the new diagram; then run on as far as the process goes by itself."""
        top, called = self._diff(target)
        refusal = self._refusal(top, called)
        if refusal:
            return refusal
        new_spec, new_called = target.specs
        migrate_workflow(top, self.workflow, new_spec)
        for sp_id, diff in called.items():
            subprocess = self.workflow.subprocesses[sp_id]
            migrate_workflow(diff, subprocess, new_called[subprocess.spec.name])
        self.workflow.subprocess_specs = new_called
        self._advance()
        return None

    def _refusal(self, top, called) -> str | None:
        passed = sorted({f"{task.task_spec.bpmn_id} ({task.task_spec.bpmn_name or task.task_spec.bpmn_id})"
                         for diff in (top, *filter(None, called.values())) for task in (*diff.removed, *diff.changed)
                         if task.state & _REACHED and task.task_spec.bpmn_id})
        gone = sorted(self.workflow.subprocesses[sp_id].spec.name for sp_id, diff in called.items() if diff is None)
        if gone:
            return f"phiên bản mới không còn quy trình {', '.join(gone)} mà hồ sơ đang chạy"
        if passed:
            return f"hồ sơ đã tới các bước mà phiên bản mới sửa hoặc bỏ: {', '.join(passed)}"
        return None

    def _diff(self, target: Definition):
        new_spec, new_called = target.specs
        return diff_workflow(SERIALIZER.registry, self.workflow, new_spec, new_called)

    def next_timer_due(self) -> datetime | None:
        """When the earliest timer this instance waits on falls due (UTC), or None."""
        dues = [_utc(event.value) for event in self.workflow.waiting_events()
                if event.event_type in _DATED_TIMERS and event.value]
        return min(dues, default=None)

    def fire_timers(self) -> None:
        """Fire every timer due at the instance's `now`, then run on as far as the process goes by itself."""
        self._guard(self.workflow.refresh_timers)
        self._advance()

    @property
    def finished(self) -> bool:
        return self.workflow.completed

    @property
    def data(self) -> dict:
        return self.workflow.last_task.data if self.workflow.last_task else {}

    @property
    def requested_services(self) -> list[tuple[str, dict]]:
        """The deferred services this step asked for, each with its evaluated parameters."""
        return self.engine.requested_services

    def _advance(self) -> None:
        self._guard(self.workflow.do_engine_steps)
        self._record_trail()
        self._compact()

    def _record_trail(self) -> None:
        for task in self._tasks():
            bpmn_id = task.task_spec.bpmn_id
            if not bpmn_id or not task.state & _INHERITED:
                continue
            self.trail.add(bpmn_id)
            source = task.parent
            while source is not None and not source.task_spec.bpmn_id:
                source = source.parent
            # A loop's rounds carry the loop's id: not a flow of the diagram.
            if source is not None and source.task_spec.bpmn_id != bpmn_id:
                self.trail.add(f"{source.task_spec.bpmn_id}>{bpmn_id}")

    def _guard(self, action) -> None:
        try:
            with running_at(self.engine.now):
                action()
        # Spiff lets a diagram's bad values through as ValueError, TypeError or a bare Exception ('Invalid duration').
        except Exception as error:  # noqa: BLE001
            raise WorkflowFailed(f"Quy trình lỗi khi chạy: {error}") from error

    def _compact(self) -> None:
        workflow = self.workflow
        for task in [t for t in self._tasks() if isinstance(t.task_spec, StandardLoopTask)]:
            _drop_finished_rounds(workflow, task)
        keep = {id(w.last_task) for w in (workflow, *workflow.subprocesses.values()) if w.last_task}
        for task in self._tasks():
            if task.state == TaskState.COMPLETED and task.data and id(task) not in keep \
                    and all(c.has_state(_INHERITED) for c in task.children):
                task.data = {}


def _open_step(task) -> OpenStep:
    step = step_of(task.task_spec)
    if step.due is None:
        return OpenStep(str(task.id), step)
    value = task.data.get(step.due)
    try:
        return OpenStep(str(task.id), step, _utc(value) if value else None)
    except (TypeError, ValueError):
        raise WorkflowFailed(f"Hạn của bước '{step.name}' (biến {step.due}) không phải ngày giờ ISO 8601: "
                             f"{value!r}.") from None


def _utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).astimezone(timezone.utc)


def _drop_finished_rounds(workflow: BpmnWorkflow, loop_task) -> None:
    # Each finished round was merged into the loop task already: its subprocess and task are dead weight.
    for child in list(loop_task.children):
        finished = child.has_state(TaskState.COMPLETED) and child is not child.workflow.last_task
        if finished and child.id in workflow.subprocesses:
            workflow.delete_subprocess(child)
            loop_task.children = [c for c in loop_task.children if c is not child]
            child.workflow.tasks.pop(child.id, None)
