"""The only module that imports SpiffWorkflow: parse diagrams, run instances, store their state compactly.

A dossier's state is stored without its process spec (that lives once per version) and is compacted
after every step: finished loop rounds are dropped and finished tasks forget their data. So a dossier
returned 200 times keeps the same task tree as one returned once (a round leaves only its id, ~25 bytes).
"""
import ast
import json
import zlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from io import BytesIO
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import StandardLoopTask
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.defaults import ServiceTask
from SpiffWorkflow.util.task import TaskState

from engine import camunda, diagram_rules, expressions
from engine.diagram_rules import BPMN_NS
from engine.errors import DeploymentRefused, WorkflowFailed

SPIFF_VERSION = "3.2.0"
# Bump, with a data migration, whenever the stored shape changes (Spiff's own format or our compaction).
SERIALIZER_VERSION = f"spiff-{SPIFF_VERSION}/1.5/compact-1"
MAX_DIAGRAM_BYTES = 2_000_000
FORM_PROPERTY = "formJsonSchemaFilename"
# A step's property naming the decision table its submission must pass; "{title}" stands for the dossier's title.
SUBMISSION_DECISION_PROPERTY = "submission_decision"
# A step's property naming the process variable that holds its deadline (ISO 8601 with a time zone).
DUE_PROPERTY = "due"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# The service that evaluates a decision table while the process runs; every other service is deferred.
DECIDE = "decide"

# Tasks in these states have already copied their parent's data; a parent whose children are all
# past this point no longer needs its own. Not CANCELLED: a join cancels its early arrivals and later
# reads their parents' data.
# These are also the states of a task reached along a flow, as the dossier's trail records it (a waiting timer has
# not been: it may never fire).
_INHERITED = TaskState.READY | TaskState.STARTED | TaskState.COMPLETED
# A task in one of these states is a step the instance has reached: a version that changes it cannot take it over.
_REACHED = _INHERITED | TaskState.WAITING | TaskState.ERROR


# The instant a use case runs at: Spiff's timers read it instead of the system clock, so a sweep fires exactly
# what it found due, and scenarios move time instead of sleeping.
_NOW: ContextVar[datetime | None] = ContextVar("engine_now", default=None)


class _EngineTime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _NOW.get() or datetime.now(timezone.utc)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


_spiff_timer.datetime = _EngineTime
# A timer given without a time zone is Vietnam's (not the server's), for Spiff and for the due time we index.
_spiff_timer.LOCALTZ = timezone(timedelta(hours=7))
# Timers whose waiting events carry their due time as an ISO 8601 value.
_DATED_TIMERS = {"TimeDateEventDefinition", "DurationTimerEventDefinition"}


@dataclass(frozen=True)
class Step:
    """A human step as the diagram defines it."""

    bpmn_id: str
    name: str
    lane: str | None
    form: str | None
    documentation: str
    submission_decision: str | None = None
    due: str | None = None
    groups: str | None = None  # Camunda candidate groups: the role, where no lane names one


@dataclass(frozen=True)
class ParsedProcess:
    process_id: str
    name: str
    file: str
    spec: dict
    steps: tuple[Step, ...]
    called: bool  # only ever called by another process, so nobody starts it directly
    start_lane: str | None
    starter_groups: str | None  # Camunda candidate starter groups: the role, where no lane names one
    properties: dict
    services: tuple[str, ...]  # service task operators the process calls
    decisions: tuple[str, ...]  # decision tables it evaluates (service `decide`), resolved per dossier
    forms: dict[str, bytes] = field(default_factory=dict)  # forms drawn in the modeller (camunda:formData), as files


@dataclass(frozen=True)
class OpenStep:
    task_id: str
    step: Step
    due_at: datetime | None = None


# ---------------------------------------------------------------------------------------------- parsing

def _safe_xml(name: str, content: bytes):
    if len(content) > MAX_DIAGRAM_BYTES:
        raise DeploymentRefused(name, f"tệp lớn hơn {MAX_DIAGRAM_BYTES // 1_000_000} MB")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        tree = etree.parse(BytesIO(content), parser)
    except etree.XMLSyntaxError as error:
        raise DeploymentRefused(name, f"XML không hợp lệ: {error.msg}", line=error.lineno) from None
    if tree.docinfo.doctype:
        raise DeploymentRefused(name, "tệp có khai báo DOCTYPE; hãy xuất lại từ trình thiết kế", line=1)
    return tree


def _check_unique_ids(name: str, tree) -> None:
    # Spiff looks ids up document-wide: a duplicate makes it fail with a message naming neither element.
    seen = {}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        element_id = element.get("id")
        if element_id is None:
            continue
        if element_id in seen:
            first = seen[element_id]
            raise DeploymentRefused(
                name, f"mã '{element_id}' dùng cho hai phần tử: {etree.QName(first).localname} "
                      f"(dòng {first.sourceline}) và {etree.QName(element).localname}; hãy đổi một mã",
                line=element.sourceline, element=element_id)
        seen[element_id] = element


# Every place SpiffWorkflow evaluates text from a diagram, by (namespace, tag): how it runs it.
_EXPRESSION_TAGS = {
    **{(BPMN_NS, tag): "eval" for tag in ("conditionExpression", "loopCondition", "completionCondition",
                                           "loopCardinality", "condition", "timeDate", "timeDuration", "timeCycle")},
    (BPMN_NS, "script"): "exec",
    (SPIFF_NS, "preScript"): "exec",
    (SPIFF_NS, "postScript"): "exec",
    (SPIFF_NS, "messagePayload"): "eval",
}


def _expressions_in(tree):
    """(element, source, mode) for every expression of a diagram, texts and service parameters alike."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        mode = _EXPRESSION_TAGS.get((qname.namespace, qname.localname))
        if mode and (element.text or "").strip():
            yield element, element.text.strip(), mode
        elif (qname.namespace, qname.localname) == (SPIFF_NS, "parameter") and element.get("value"):
            yield element, element.get("value"), "eval"


def _check_expressions(name: str, tree) -> None:
    for element, source, mode in _expressions_in(tree):
        try:
            expressions.check(source, mode)
        except expressions.UnsafeExpression as error:
            owner = next(e for e in element.iterancestors()
                         if e.get("id") and etree.QName(e).namespace == BPMN_NS)
            raise DeploymentRefused.at(name, owner, f"biểu thức bị từ chối: {error}",
                                       line=element.sourceline) from None


def _check_decision_cells(name: str, tree) -> None:
    """DMN cells are Python too: input and output expressions as they are, input entries as tests on a value."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or etree.QName(element).localname != "text":
            continue
        cell = element.getparent()
        kind = etree.QName(cell).localname
        source = (element.text or "").strip()
        if kind not in ("inputExpression", "inputEntry", "outputEntry") or source in ("", "-"):
            continue
        try:
            if kind == "inputEntry":
                _check_input_entry(source.replace("?", "value"))
            else:
                expressions.check(source)
        except expressions.UnsafeExpression as error:
            raise DeploymentRefused(name, f"ô bảng quyết định bị từ chối: {error}", line=element.sourceline,
                                    element=cell.get("id")) from None


def _check_input_entry(source: str) -> None:
    # Spiff reads "> 50" as "value > 50" and "'a'" as "value == 'a'": check whichever it will run.
    try:
        ast.parse(source, mode="eval")
    except SyntaxError:
        source = f"value {source}"
    expressions.check(source)


def _refusal(error: ValidationException, fallback_file: str) -> DeploymentRefused:
    element = error.id + (f" ({error.name})" if error.name else "") if error.id else None
    return DeploymentRefused(error.file_name or fallback_file, str(error).rstrip(". "),
                             line=error.line_number or None, element=element)


def parse_deployment(files: dict[str, bytes]) -> list[ParsedProcess]:
    """Validate and parse the .bpmn files of one deployment; raise DeploymentRefused naming file and line."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    trees, camunda_steps = {}, {}
    for name, content in sorted(files.items()):
        if not name.endswith((".bpmn", ".dmn")):
            continue
        tree = _safe_xml(name, content)
        _check_unique_ids(name, tree)
        try:
            if name.endswith(".dmn"):
                _check_decision_cells(name, tree)
                parser.add_dmn_xml(tree.getroot(), name)
            else:
                _check_expressions(name, tree)
                diagram_rules.check(name, tree)
                camunda_steps.update(camunda.steps(name, tree))
                parser.add_bpmn_xml(tree, name)
        except ValidationException as error:
            raise _refusal(error, name) from None
        trees[name] = tree
    diagrams = {name: tree for name, tree in trees.items() if name.endswith(".bpmn")}
    if not diagrams:
        raise DeploymentRefused("(deployment)", "không có tệp .bpmn nào")
    diagram_rules.check_calls(diagrams)
    return [_parse_process(parser, process_id, camunda_steps) for process_id in parser.get_process_ids()]


@dataclass(frozen=True)
class ParsedDecision:
    decision_id: str
    name: str


def parse_decisions(name: str, content: bytes) -> list[ParsedDecision]:
    """Validate a .dmn file (safe XML, allow-listed cells, a table Spiff can run) and list its decisions."""
    tree = _safe_xml(name, content)
    _check_unique_ids(name, tree)
    _check_decision_cells(name, tree)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_dmn_xml(tree.getroot(), name)
        decisions = [ParsedDecision(decision_id, dmn.get_name() or decision_id)
                     for decision_id, dmn in parser.dmn_parsers.items()]
        for decision in decisions:
            parser.get_engine(decision.decision_id, None)
    except ValidationException as error:
        raise _refusal(error, name) from None
    if not decisions:
        raise DeploymentRefused(name, "tệp không có bảng quyết định (decision) nào")
    return decisions


def _process_properties(process_parser) -> dict:
    """Spiff's properties of the process, then Camunda's for what Spiff's do not say."""
    found = process_parser.node.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property",
        namespaces={"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS})
    return {**camunda.properties(process_parser.node), **{node.get("name"): node.get("value") for node in found}}


# What Camunda says of a step, under the property Spiff's diagrams give it.
_CAMUNDA_STEP = {"form": FORM_PROPERTY, "due": DUE_PROPERTY, "groups": "candidateGroups"}


def _add_camunda(spec, camunda_steps: dict) -> None:
    """Camunda's form, deadline, candidate groups and properties of each user task go with its spec's properties
    (stored with the version), where the diagram's Spiff properties do not say otherwise."""
    for task_spec in spec.task_specs.values():
        said = camunda_steps.get((spec.name, task_spec.bpmn_id)) if isinstance(task_spec, UserTask) else None
        if said:
            extensions = task_spec.extensions if isinstance(task_spec.extensions, dict) else {}
            properties = extensions.setdefault("properties", {})
            for key, value in said.items():
                if key != "form_data":
                    properties.setdefault(_CAMUNDA_STEP.get(key, key), value)
            task_spec.extensions = extensions


def _parse_process(parser: SpiffBpmnParser, process_id: str, camunda_steps: dict) -> ParsedProcess:
    process_parser = parser.get_process_parser(process_id)
    try:
        spec = parser.get_spec(process_id)
        called_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        raise _refusal(error, process_parser.filename) from None
    except SpiffWorkflowException as error:
        raise DeploymentRefused(process_parser.filename, str(error), element=process_id) from None
    for each in (spec, *called_specs.values()):
        _add_camunda(each, camunda_steps)
        _refuse_cycle_timers(each, process_parser.filename)
    called = any(process_id in _called_ids(parser, other) for other in parser.get_process_ids() if other != process_id)
    steps = tuple(_step(task_spec) for each in (spec, *called_specs.values())
                  for task_spec in each.task_specs.values() if isinstance(task_spec, UserTask))
    start_lane = next((t.lane for t in spec.task_specs.values() if isinstance(t, StartEvent)), None)
    service_tasks = [t for each in (spec, *called_specs.values()) for t in each.task_specs.values()
                     if isinstance(t, ServiceTask)]
    services = tuple(sorted({t.operation_name for t in service_tasks}))
    decisions = tuple(sorted({_decision_of(t, process_parser.filename) for t in service_tasks
                              if t.operation_name == DECIDE}))
    serialized = {
        "spec": _SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: _SERIALIZER.to_dict(s) for name, s in called_specs.items()},
    }
    drawn_forms = {said["form"]: json.dumps(said["form_data"], ensure_ascii=False).encode()
                   for (container, _), said in camunda_steps.items()
                   if "form_data" in said and container in (spec.name, *called_specs)}
    return ParsedProcess(process_id, process_parser.get_name(), process_parser.filename, serialized, steps, called,
                         start_lane, camunda.starter_groups(process_parser.node), _process_properties(process_parser),
                         services, decisions, drawn_forms)


def _refuse_cycle_timers(spec, file: str) -> None:
    """The sweep finds timers by their next due time, which a repeating (timeCycle) timer does not give."""
    for task_spec in spec.task_specs.values():
        if isinstance(getattr(task_spec, "event_definition", None), _spiff_timer.CycleTimerEventDefinition):
            raise DeploymentRefused(file, "hẹn giờ lặp lại (timeCycle) chưa được hỗ trợ; dùng timeDate (một thời "
                                          "điểm) hoặc timeDuration (một khoảng)",
                                    element=f"{task_spec.bpmn_id} ({task_spec.bpmn_name})")


def _decision_of(task_spec, file: str) -> str:
    """The decision a `decide` service task names: a literal string, so it can be resolved before running."""
    source = task_spec.operation_params.get("decision", {}).get("value", "")
    try:
        decision = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        decision = None
    if not isinstance(decision, str) or not decision:
        raise DeploymentRefused(file, f"dịch vụ '{DECIDE}' cần tham số decision là một chuỗi, ví dụ 'deciding_level'",
                                element=f"{task_spec.bpmn_id} ({task_spec.bpmn_name})")
    return decision


def _called_ids(parser, process_id) -> set[str]:
    try:
        return set(parser.get_subprocess_specs(process_id))
    except SpiffWorkflowException:
        return set()


def _step(task_spec) -> Step:
    properties = (task_spec.extensions or {}).get("properties", {})
    return Step(task_spec.bpmn_id, task_spec.bpmn_name or task_spec.bpmn_id, task_spec.lane,
                properties.get(FORM_PROPERTY), task_spec.documentation or "",
                properties.get(SUBMISSION_DECISION_PROPERTY), properties.get(DUE_PROPERTY),
                properties.get("candidateGroups"))


# ---------------------------------------------------------------------------------------------- running

class _SafeEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates only allow-listed expressions, with no real builtins: a second wall behind deploy checks."""

    def evaluate(self, expression, context, external_context=None):
        scope = {**context, **(external_context or {})}
        return eval(expressions.compiled(expression, "eval"),  # noqa: S307
                    {"__builtins__": expressions.SAFE_BUILTINS}, scope)

    def execute(self, script, context, external_context=None):
        scope = {"__builtins__": expressions.SAFE_BUILTINS}
        exec(expressions.compiled(script, "exec"), scope, context)  # noqa: S102
        return True


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


class _CompactWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the specs out of the stored state and takes them, already built, when loading."""

    def to_dict(self, workflow):
        # Spiff's own to_dict would serialize the whole spec on every save only for us to drop it.
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, specs=None):
        if specs is None:
            return super().from_dict(dct)
        spec, subprocess_specs = specs
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build_serializer():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _CompactWorkflowConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


_SERIALIZER = _build_serializer()


class Definition:
    """A deployed process version, built once from its stored spec and shared by all its dossiers."""

    _built: dict[str, tuple] = {}

    def __init__(self, key: str, load_spec):
        """`key` names the version's content; `load_spec()` returns its stored spec, called only on a cache miss."""
        self.key, self.load_spec = key, load_spec

    @property
    def specs(self) -> tuple:
        if self.key not in self._built:
            spec = self.load_spec()
            self._built[self.key] = (
                _SERIALIZER.from_dict(spec["spec"]),
                {name: _SERIALIZER.from_dict(s) for name, s in spec["subprocess_specs"].items()},
            )
        return self._built[self.key]

    def steps(self) -> dict[str, Step]:
        """Every human step of the process and of the processes it calls, by BPMN id."""
        process_spec, called = self.specs
        return {task_spec.bpmn_id: _step(task_spec)
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

    def engine(self, decision_id: str):
        if decision_id not in self.tables:
            raise WorkflowFailed(f"Hồ sơ không có bảng quyết định '{decision_id}'.")
        key, load = self.tables[decision_id]
        if key not in self._built:
            file_name, dmn = load()
            parser = SpiffBpmnParser()
            parser.add_dmn_xml(_safe_xml(file_name, dmn.encode()).getroot(), file_name)
            self._built[key] = parser.get_engine(decision_id, None)
        return self._built[key]


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
        dct = json.loads(zlib.decompress(state))
        engine = _ScriptEngine(decisions or Decisions(), facts or {}, now)
        workflow = _SERIALIZER.registry.restore(dct, specs=definition.specs)
        workflow.script_engine = engine
        return cls(workflow, engine)

    def dump(self) -> bytes:
        return zlib.compress(json.dumps(_SERIALIZER.to_dict(self.workflow), separators=(",", ":")).encode(), 6)

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
        return diff_workflow(_SERIALIZER.registry, self.workflow, new_spec, new_called)

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
        token = _NOW.set(self.engine.now)
        try:
            action()
        # Spiff lets a diagram's bad values through as ValueError, TypeError or a bare Exception ('Invalid duration').
        except Exception as error:  # noqa: BLE001
            raise WorkflowFailed(f"Quy trình lỗi khi chạy: {error}") from error
        finally:
            _NOW.reset(token)

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
    step = _step(task.task_spec)
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
    return (moment if moment.tzinfo else moment.replace(tzinfo=_spiff_timer.LOCALTZ)).astimezone(timezone.utc)


def _drop_finished_rounds(workflow: BpmnWorkflow, loop_task) -> None:
    # Each finished round was merged into the loop task already: its subprocess and task are dead weight.
    for child in list(loop_task.children):
        finished = child.has_state(TaskState.COMPLETED) and child is not child.workflow.last_task
        if finished and child.id in workflow.subprocesses:
            workflow.delete_subprocess(child)
            loop_task.children = [c for c in loop_task.children if c is not child]
            child.workflow.tasks.pop(child.id, None)
