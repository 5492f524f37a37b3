"""Diagrams drawn for the tests that more than one module runs: a branch's step with a deadline, and the shipped
list diagram as Camunda Modeler saves it after a designer inserted a step; the line of a part of a diagram, where a
refusal must point."""
from tests.support import BPMN

DEADLINE = "deadline"


def deadline_diagram(expression: str = DEADLINE) -> bytes:
    """A branch's step with a deadline (15/12, 17:00 in Vietnam): when it passes, the commune gets a task to chase
    it, and the branch can still submit (the timer does not interrupt)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="with_deadline" name="Có hạn nộp" isExecutable="true">
    <bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="title" value="family" />
    </spiffworkflow:properties></bpmn:extensionElements>
    <bpmn:laneSet id="ls">
      <bpmn:lane id="l1" name="Chi hội"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>set</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>submit</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>late</bpmn:flowNodeRef><bpmn:flowNodeRef>done</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2" name="Xã"><bpmn:flowNodeRef>chase</bpmn:flowNodeRef><bpmn:flowNodeRef>chased</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="set" name="Đặt hạn"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing>
      <bpmn:script>deadline = str(year) + '-12-15T17:00:00+07:00'</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="submit" name="Nộp báo cáo">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="due" value="deadline" />
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="late" name="Quá hạn" attachedToRef="submit" cancelActivity="false">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="late_timer">
        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">{expression}</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:userTask id="chase" name="Đôn đốc chi hội nộp báo cáo"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="chased"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="set" />
    <bpmn:sequenceFlow id="f1" sourceRef="set" targetRef="submit" />
    <bpmn:sequenceFlow id="f2" sourceRef="submit" targetRef="done" />
    <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="chase" />
    <bpmn:sequenceFlow id="f4" sourceRef="chase" targetRef="chased" />
  </bpmn:process>
</bpmn:definitions>""".encode()


CHECK_STEP = "Hội Khuyến học tỉnh kiểm tra danh sách"


def drawn_in_camunda_modeler() -> bytes:
    """What Camunda Modeler saves after the designer inserts the step on the flow to the province: its namespace,
    the task with its Camunda settings, the flow rewired, the shapes."""
    text = (BPMN / "candidate_list_recognition.bpmn").read_text()
    edits = [
        ('exporter="hand-written" exporterVersion="1"',
         'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0"'),
        ('<bpmn:flowNodeRef>approve</bpmn:flowNodeRef>',
         '<bpmn:flowNodeRef>Activity_check</bpmn:flowNodeRef>\n        <bpmn:flowNodeRef>approve</bpmn:flowNodeRef>'),
        ('sourceRef="deciding_level_gateway" targetRef="approve">',
         'sourceRef="deciding_level_gateway" targetRef="Activity_check">'),
        ('<bpmn:userTask id="approve" name="Phê duyệt, ra quyết định công nhận">',
         f'<bpmn:userTask id="Activity_check" name="{CHECK_STEP}" camunda:candidateGroups="province" '
         'camunda:formKey="camunda-forms:deployment:follow_up.schema.json">\n'
         '      <bpmn:incoming>flow_to_province</bpmn:incoming>\n'
         '      <bpmn:outgoing>Flow_checked</bpmn:outgoing>\n'
         '    </bpmn:userTask>\n'
         '    <bpmn:sequenceFlow id="Flow_checked" sourceRef="Activity_check" targetRef="approve" />\n'
         '    <bpmn:userTask id="approve" name="Phê duyệt, ra quyết định công nhận">'),
        ('<bpmn:incoming>flow_to_province</bpmn:incoming>\n      <bpmn:outgoing>flow_decided',
         '<bpmn:incoming>Flow_checked</bpmn:incoming>\n      <bpmn:outgoing>flow_decided'),
        ('<bpmndi:BPMNShape id="approve_di" bpmnElement="approve">',
         '<bpmndi:BPMNShape id="Activity_check_di" bpmnElement="Activity_check">\n'
         '        <dc:Bounds x="560" y="1035" width="100" height="80" />\n'
         '      </bpmndi:BPMNShape>\n'
         '      <bpmndi:BPMNEdge id="Flow_checked_di" bpmnElement="Flow_checked">\n'
         '        <di:waypoint x="660" y="1075" />\n'
         '        <di:waypoint x="700" y="1075" />\n'
         '      </bpmndi:BPMNEdge>\n'
         '      <bpmndi:BPMNShape id="approve_di" bpmnElement="approve">'),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode()


def line_of(diagram: str | bytes, part: str) -> int:
    """The line of a diagram's text that holds `part` (on one line only): where a refusal must point."""
    text = diagram.decode() if isinstance(diagram, bytes) else diagram
    (line,) = [number for number, content in enumerate(text.splitlines(), 1) if part in content]
    return line
