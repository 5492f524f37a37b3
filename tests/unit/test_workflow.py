"""The engine on the shipped diagram: paths, constant-size return rounds, and diagrams refused at deploy."""
import uuid
from collections import Counter

import pytest
from SpiffWorkflow.task import Task

from engine.errors import DeploymentRefused
from engine.workflow.parsing import parse_deployment
from engine.workflow.running import Decisions, Definition, Instance
from tests.support import BPMN
from tests.support.diagrams import line_of

SOURCE = (BPMN / "candidate_list_recognition.bpmn").read_bytes()
MAIN = "candidate_list_recognition"


DECIDING_LEVEL = (BPMN / "decisions" / "deciding_level.dmn").read_text()
NATIONAL = Decisions({"deciding_level": ("test:national", lambda: ("deciding_level.dmn", DECIDING_LEVEL))})
FACTS = {"today": "2026-11-20"}
CONTEXT = {"year": 2026, "title": "family", "province": "01", "commune": "00070", "branch": "00070-01"}


@pytest.fixture(scope="module")
def definition():
    process = next(p for p in parse_deployment({"candidate_list_recognition.bpmn": SOURCE}) if p.process_id == MAIN)
    return Definition(f"test:{MAIN}", lambda: process.spec)


def start(definition, decisions=NATIONAL):
    return Instance.start(definition, CONTEXT, decisions, FACTS)


SERVICES = []


def run(definition, instance, fields, decisions=NATIONAL):
    """Complete the single open step with `fields`; reload from stored state as the next request would."""
    (step,) = instance.open_steps()
    instance.complete(step.task_id, fields)
    SERVICES[:] = instance.requested_services
    return Instance.load(definition, instance.dump(), decisions, FACTS), step.step.bpmn_id


def test_the_shipped_diagram_parses_with_lanes_and_forms():
    processes = {p.process_id: p for p in parse_deployment({"candidate_list_recognition.bpmn": SOURCE})}
    main = processes[MAIN]
    assert not main.called and processes["candidate_list_review_round"].called
    assert main.properties == {"title": "family clan community_village", "subject": "candidates",
                               "starter_kinds": "village"}
    assert {s.bpmn_id: s.submission_decision for s in main.steps if s.submission_decision} == {
        "prepare_candidate_list": "{title}_score", "revise_candidate_list": "{title}_score"}
    assert main.start_lane == "Chi hội"
    assert main.decisions == ("deciding_level",) and main.services == ("decide", "record_titles")
    lanes = {s.bpmn_id: (s.lane, s.form) for s in main.steps}
    assert lanes == {
        "prepare_candidate_list": ("Chi hội", "candidate_list.schema.json"),
        "verify": ("Xã", "verification.schema.json"),
        "revise_candidate_list": ("Chi hội", "candidate_list.schema.json"),
        "approve": ("Tỉnh", "approval.schema.json"),
        "decide_at_commune": ("Xã", "approval.schema.json"),
    }


@pytest.mark.parametrize(("decisions", "expected_steps", "outcome"), [
    (["approve", "approve"], ["prepare_candidate_list", "verify", "approve"], "approve"),
    (["return", None, "approve", "approve"],
     ["prepare_candidate_list", "verify", "revise_candidate_list", "verify", "approve"], "approve"),
    (["approve", "return", "approve", "approve"],
     ["prepare_candidate_list", "verify", "approve", "verify", "approve"], "approve"),
    (["reject"], ["prepare_candidate_list", "verify"], "reject"),
    (["approve", "reject"], ["prepare_candidate_list", "verify", "approve"], "reject"),
])
def test_every_path_ends_where_the_diagram_says(definition, decisions, expected_steps, outcome):
    instance, first = run(definition, start(definition), {})
    taken = [first]
    for decision in decisions:
        instance, step = run(definition, instance, {"decision": decision} if decision else {})
        taken.append(step)
    assert taken == expected_steps
    assert instance.finished and instance.data["decision"] == outcome
    assert SERVICES == ([("record_titles", {"deciding_level": "province"})] if outcome == "approve" else [])


def counting(work: Counter, name: str):
    """Spiff's Task.<name>, counting its calls in `work`."""
    real = getattr(Task, name)

    def counted(self, *args, **kwargs):
        work[name] += 1
        return real(self, *args, **kwargs)
    return counted


def test_two_hundred_return_rounds_stay_small_and_do_the_same_work(definition, monkeypatch):
    # The work a round does, counted rather than timed: tasks built (loading the stored state, and running on),
    # tasks run, and changes of task state.
    work = Counter()
    for name in ("__init__", "run", "_set_state"):
        monkeypatch.setattr(Task, name, counting(work, name))
    instance, _ = run(definition, start(definition), {})
    sizes, task_counts, work_per_round = [], [], []
    for _ in range(200):
        work.clear()
        instance, _ = run(definition, instance, {"decision": "return", "comment": "Bổ sung"})
        instance, _ = run(definition, instance, {})
        work_per_round.append(dict(work))
        sizes.append(len(instance.dump()))
        task_counts.append(len(instance.workflow.get_tasks()))
    # From the second round on (the first starts from a tree the review round has not yet run in), every round
    # does exactly the same work: a loop left in the tree would make each round build and walk more tasks.
    second, *later = work_per_round[1:]
    assert all(round_work == second for round_work in later), (second, later[-1])
    instance, _ = run(definition, instance, {"decision": "approve"})
    instance, _ = run(definition, instance, {"decision": "approve"})
    assert instance.finished and SERVICES == [("record_titles", {"deciding_level": "province"})]
    # The task tree does not grow with rounds; the stored state grows only by a round id (~25 bytes).
    assert task_counts[-1] == task_counts[0]
    assert sizes[-1] < 10_000 and sizes[-1] - sizes[0] < 40 * 200


def broken(old: str, new: str) -> str:
    text = SOURCE.decode()
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("diagram", "message", "at", "element"), [
    (broken('<bpmn:startEvent id="start"', '<bpmn:startEvent id="start" <'), "XML không hợp lệ",
     '<bpmn:startEvent id="start" <', None),
    (broken('id="flow_start"', 'id="prepare_candidate_list"'),
     "mã 'prepare_candidate_list' dùng cho hai phần tử: userTask (dòng "
     + str(line_of(SOURCE.decode(), '<bpmn:userTask id="prepare_candidate_list"')) + ") và sequenceFlow",
     '<bpmn:sequenceFlow id="prepare_candidate_list"', "prepare_candidate_list"),
    (broken("decision == 'reject'</bpmn:conditionExpression>",
            "__import__('os').system('id')</bpmn:conditionExpression>"), "__import__", "__import__('os')",
     "flow_rejected (không công nhận)"),
    (broken("decision == 'approve'</bpmn:conditionExpression>",
            "().__class__.__base__.__subclasses__()</bpmn:conditionExpression>"), "__subclasses__", "__subclasses__",
     "flow_approved (công nhận)"),
    (broken('<bpmn:callActivity id="review_round"', '<bpmn:callActivity id="review_round" bogus="1"'),
     "attribute 'bogus'", 'bogus="1"', "review_round (Thẩm định và quyết định)"),
    (broken('<spiffworkflow:property name="formJsonSchemaFilename" value="candidate_list.schema.json" />',
            '<spiffworkflow:property name="formJsonSchemaFilename" value="candidate_list.schema.json" />'
            '</spiffworkflow:properties><spiffworkflow:preScript>import os</spiffworkflow:preScript>'
            '<spiffworkflow:properties>'), "Import", "<spiffworkflow:preScript>import os",
     "prepare_candidate_list (Lập danh sách đề nghị)"),
    (broken('value="authority[\'deciding_level\']" />', 'value="open(\'/etc/passwd\').read()" />'),
     "chỉ được gọi", "open('/etc/passwd')", "record_in_registry (Ghi vào sổ danh hiệu)"),
    (broken('<bpmn:sequenceFlow id="flow_start"', '<bpmn:userTask id="orphan" name="Bước lạc" />\n'
                                                  '<bpmn:sequenceFlow id="flow_start"'),
     "không có đường nào từ sự kiện bắt đầu", '<bpmn:userTask id="orphan"', "orphan (Bước lạc)"),
    (broken("""<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == 'reject'</bpmn:conditionExpression>""",
            ""), "không có điều kiện và không phải lối mặc định", '<bpmn:sequenceFlow id="flow_rejected"',
     "flow_rejected (không công nhận)"),
    (broken('calledElement="candidate_list_review_round"', 'calledElement="no_such_round"'),
     "gọi quy trình 'no_such_round' không có trong lần triển khai này", 'calledElement="no_such_round"',
     "review_round (Thẩm định và quyết định)"),
])
def test_broken_diagrams_are_refused_with_file_line_and_element(diagram, message, at, element):
    with pytest.raises(DeploymentRefused) as caught:
        parse_deployment({"candidate_list_recognition.bpmn": diagram.encode()})
    refusal = caught.value
    assert message in refusal.reason
    assert (refusal.file, refusal.line, refusal.element) == ("candidate_list_recognition.bpmn",
                                                             line_of(diagram, at), element)


def test_a_deployment_without_a_diagram_is_refused():
    with pytest.raises(DeploymentRefused) as caught:
        parse_deployment({"notes.txt": b"x"})
    refusal = caught.value
    assert (refusal.file, refusal.line, refusal.element, refusal.reason) == (
        "(deployment)", None, None, "không có tệp .bpmn nào")


def test_entity_tricks_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&b;</bpmn:definitions>')
    with pytest.raises(DeploymentRefused, match="DOCTYPE") as doctype:
        parse_deployment({"bomb.bpmn": bomb})
    assert (doctype.value.file, doctype.value.line, doctype.value.element) == (
        "bomb.bpmn", line_of(bomb.decode(), "<!DOCTYPE"), None)
    with pytest.raises(DeploymentRefused, match="lớn hơn") as huge:
        parse_deployment({"huge.bpmn": b" " * 3_000_000})
    assert (huge.value.file, huge.value.line, huge.value.element) == ("huge.bpmn", None, None)


THREE_WAY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="three_way" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="Chi hội">
      <bpmn:flowNodeRef>a</bpmn:flowNodeRef><bpmn:flowNodeRef>b</bpmn:flowNodeRef><bpmn:flowNodeRef>c</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>after</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s" />
    <bpmn:parallelGateway id="split" />
    <bpmn:userTask id="a" /><bpmn:userTask id="b" /><bpmn:userTask id="c" />
    <bpmn:parallelGateway id="join" />
    <bpmn:userTask id="after" />
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="split" />
    <bpmn:sequenceFlow id="fa" sourceRef="split" targetRef="a" /><bpmn:sequenceFlow id="fa2" sourceRef="a" targetRef="join" />
    <bpmn:sequenceFlow id="fb" sourceRef="split" targetRef="b" /><bpmn:sequenceFlow id="fb2" sourceRef="b" targetRef="join" />
    <bpmn:sequenceFlow id="fc" sourceRef="split" targetRef="c" /><bpmn:sequenceFlow id="fc2" sourceRef="c" targetRef="join" />
    <bpmn:sequenceFlow id="f9" sourceRef="join" targetRef="after" />
    <bpmn:sequenceFlow id="f10" sourceRef="after" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def test_compaction_keeps_what_a_join_will_read():
    (process,) = parse_deployment({"three_way.bpmn": THREE_WAY.encode()})
    definition = Definition("test:three_way", lambda: process.spec)
    instance = Instance.start(definition, {})
    for name in ("a", "b", "c"):
        step = next(s for s in instance.open_steps() if s.step.bpmn_id == name)
        instance.complete(step.task_id, {name: f"from {name}"})
        instance = Instance.load(definition, instance.dump())
    (after,) = instance.open_steps()
    task = instance.workflow.get_task_from_id(uuid.UUID(after.task_id))
    assert {k: task.data[k] for k in "abc"} == {"a": "from a", "b": "from b", "c": "from c"}
