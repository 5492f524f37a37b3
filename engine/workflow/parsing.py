"""Reading a designer's files into process specs: safe XML, the deploy checks (allow-listed expressions, unique ids,
what would break at run time, what Camunda Modeler writes), and the specs as stored with each version."""
import ast
import json
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask

from engine.errors import DeploymentRefused
from engine.workflow import camunda, deploy_rules, expressions
from engine.workflow.deploy_rules import BPMN_NS
from engine.workflow.serializing import SERIALIZER

MAX_DIAGRAM_BYTES = 2_000_000
FORM_PROPERTY = "formJsonSchemaFilename"
# A step's property naming the decision table its submission must pass; "{title}" stands for the dossier's title.
SUBMISSION_DECISION_PROPERTY = "submission_decision"
# A step's property naming the process variable that holds its deadline (ISO 8601 with a time zone).
DUE_PROPERTY = "due"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# The service that evaluates a decision table while the process runs; every other service is deferred.
DECIDE = "decide"


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
    lines: dict[str, int] = field(default_factory=dict)  # each element's line in `file`, by id: where a refusal points

def safe_xml(name: str, content: bytes):
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


def _refusal(error: ValidationException, fallback_file: str, tree=None) -> DeploymentRefused:
    reason, line = str(error).rstrip(". "), error.line_number or None
    if not error.id and line and tree is not None:
        # The schema check names a line only: the element there is the one to change.
        at_line = next((e for e in tree.iter() if isinstance(e.tag, str) and e.sourceline == line and e.get("id")),
                       None)
        if at_line is not None:
            return DeploymentRefused.at(error.file_name or fallback_file, at_line, reason)
    element = error.id + (f" ({error.name})" if error.name else "") if error.id else None
    return DeploymentRefused(error.file_name or fallback_file, reason, line=line, element=element)


def parse_deployment(files: dict[str, bytes]) -> list[ParsedProcess]:
    """Validate and parse the .bpmn files of one deployment; raise DeploymentRefused naming file and line."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    trees, camunda_steps = {}, {}
    for name, content in sorted(files.items()):
        if not name.endswith((".bpmn", ".dmn")):
            continue
        tree = safe_xml(name, content)
        _check_unique_ids(name, tree)
        try:
            if name.endswith(".dmn"):
                _check_decision_cells(name, tree)
                parser.add_dmn_xml(tree.getroot(), name)
            else:
                _check_expressions(name, tree)
                deploy_rules.check(name, tree)
                camunda_steps.update(camunda.steps(name, tree))
                parser.add_bpmn_xml(tree, name)
        except ValidationException as error:
            raise _refusal(error, name, tree) from None
        trees[name] = tree
    diagrams = {name: tree for name, tree in trees.items() if name.endswith(".bpmn")}
    if not diagrams:
        raise DeploymentRefused("(deployment)", "không có tệp .bpmn nào")
    deploy_rules.check_calls(diagrams)
    return [_parse_process(parser, process_id, camunda_steps) for process_id in parser.get_process_ids()]


@dataclass(frozen=True)
class ParsedDecision:
    decision_id: str
    name: str


def parse_decisions(name: str, content: bytes) -> list[ParsedDecision]:
    """Validate a .dmn file (safe XML, allow-listed cells, a table Spiff can run) and list its decisions."""
    tree = safe_xml(name, content)
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
    tree = process_parser.node.getroottree()
    lines = {element.get("id"): element.sourceline for element in tree.iter()
             if isinstance(element.tag, str) and element.get("id")}
    try:
        spec = parser.get_spec(process_id)
        called_specs = parser.get_subprocess_specs(process_id)
    except ValidationException as error:
        raise _refusal(error, process_parser.filename, tree) from None
    except SpiffWorkflowException as error:
        raise DeploymentRefused(process_parser.filename, str(error), line=lines[process_id],
                                element=process_id) from None
    for each in (spec, *called_specs.values()):
        _add_camunda(each, camunda_steps)
        _refuse_cycle_timers(each, process_parser.filename, lines)
    called = any(process_id in _called_ids(parser, other) for other in parser.get_process_ids() if other != process_id)
    steps = tuple(step_of(task_spec) for each in (spec, *called_specs.values())
                  for task_spec in each.task_specs.values() if isinstance(task_spec, UserTask))
    start_lane = next((t.lane for t in spec.task_specs.values() if isinstance(t, StartEvent)), None)
    service_tasks = [t for each in (spec, *called_specs.values()) for t in each.task_specs.values()
                     if isinstance(t, ServiceTask)]
    services = tuple(sorted({t.operation_name for t in service_tasks}))
    decisions = tuple(sorted({_decision_of(t, process_parser.filename, lines) for t in service_tasks
                              if t.operation_name == DECIDE}))
    serialized = {
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(s) for name, s in called_specs.items()},
    }
    drawn_forms = {said["form"]: json.dumps(said["form_data"], ensure_ascii=False).encode()
                   for (container, _), said in camunda_steps.items()
                   if "form_data" in said and container in (spec.name, *called_specs)}
    return ParsedProcess(process_id, process_parser.get_name(), process_parser.filename, serialized, steps, called,
                         start_lane, camunda.starter_groups(process_parser.node), _process_properties(process_parser),
                         services, decisions, drawn_forms, lines)


def _refuse_cycle_timers(spec, file: str, lines: dict[str, int]) -> None:
    """The sweep finds timers by their next due time, which a repeating (timeCycle) timer does not give."""
    for task_spec in spec.task_specs.values():
        if isinstance(getattr(task_spec, "event_definition", None), CycleTimerEventDefinition):
            raise DeploymentRefused(file, "hẹn giờ lặp lại (timeCycle) chưa được hỗ trợ; dùng timeDate (một thời "
                                          "điểm) hoặc timeDuration (một khoảng)",
                                    line=lines.get(task_spec.bpmn_id),
                                    element=f"{task_spec.bpmn_id} ({task_spec.bpmn_name})")


def _decision_of(task_spec, file: str, lines: dict[str, int]) -> str:
    """The decision a `decide` service task names: a literal string, so it can be resolved before running."""
    source = task_spec.operation_params.get("decision", {}).get("value", "")
    try:
        decision = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        decision = None
    if not isinstance(decision, str) or not decision:
        raise DeploymentRefused(file, f"dịch vụ '{DECIDE}' cần tham số decision là một chuỗi, ví dụ 'deciding_level'",
                                line=lines.get(task_spec.bpmn_id),
                                element=f"{task_spec.bpmn_id} ({task_spec.bpmn_name})")
    return decision


def _called_ids(parser, process_id) -> set[str]:
    try:
        return set(parser.get_subprocess_specs(process_id))
    except SpiffWorkflowException:
        return set()


def step_of(task_spec) -> Step:
    properties = (task_spec.extensions or {}).get("properties", {})
    return Step(task_spec.bpmn_id, task_spec.bpmn_name or task_spec.bpmn_id, task_spec.lane,
                properties.get(FORM_PROPERTY), task_spec.documentation or "",
                properties.get(SUBMISSION_DECISION_PROPERTY), properties.get(DUE_PROPERTY),
                properties.get("candidateGroups"))
