"""What a diagram's expressions may build: refused at deploy when literals alone decide it, and at run time (a second
wall) when a form's values do, before the memory is taken; ordinary arithmetic and formatting still run.

Bad inputs tried (each refused, none allowed to allocate its result):
- `str(0) * 30000 * 50000` (1.5 GB from a 3-byte text: the finding), and the same from form values (`text * n * m`)
- `'%0999999999d' % 0` (a 1 GB padding in a format: the finding), a format read from the form (`fmt % 0`), and a
  width taken from the form (`'%0*d' % (width, 0)`)
- `'x' * 1000000 * 100`, `[0] * 10 ** 6 * 1000`, `name * n` with n from the form, `[0] * n`, `sum([row] * n, [])`
- `2 ** 10 ** 9` and `base ** exponent` from the form (a number of a billion bits)
- `round(5, -999999999)` (Python computes 10 ** 999999999: a hang, not memory)
- `sorted([n], key='x'.ljust)`: a text method handed to a helper, which calls it with a huge width (refused as a
  method, at deploy and by the evaluator)
- many results each under the limit in one expression (`(big, big, big, ...)` built from slices of a form value)
- `str(rows)` of a list holding the same long text many times (its printed form is far longer than the list)
- a script of forty lines `l{i+1} = [l{i}, l{i}]`: a few hundred bytes in memory, 2**40 items once saved (or
  printed, or compared): sizes count a part as often as it appears
- reaching internals or importing (`().__class__...`, `__import__`, `import os`), calls outside the helpers
  (`open`, `'a'.ljust(...)`), f-strings (`f'{0:0999999999}'`), and expressions nested too deep for the evaluator
"""
import tracemalloc
from xml.sax.saxutils import escape

import pytest

from engine.errors import DeploymentRefused, WorkflowFailed
from engine.workflow import expressions
from engine.workflow.parsing import parse_deployment
from engine.workflow.running import Decisions, Definition, Instance, _SafeEnvironment
from tests.support.diagrams import line_of

FILE = "bounded.bpmn"
# Evaluating a refused expression, the steps around it included, must stay well under this.
MEMORY_BOUND = 10_000_000


def diagram(script: str = "greeting = name", condition: str = "score * weight >= 70") -> str:
    """Start → a branch enters values → a script → a gateway whose condition leads to a second step (else the end)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="bounded" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="Chi hội">
      <bpmn:flowNodeRef>enter</bpmn:flowNodeRef><bpmn:flowNodeRef>passed</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="enter" name="Nhập" />
    <bpmn:scriptTask id="compute" name="Tính">
      <bpmn:script>{escape(script)}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gate" name="Đạt?" default="f_failed" />
    <bpmn:userTask id="passed" name="Đạt" />
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="enter" />
    <bpmn:sequenceFlow id="f1" sourceRef="enter" targetRef="compute" />
    <bpmn:sequenceFlow id="f2" sourceRef="compute" targetRef="gate" />
    <bpmn:sequenceFlow id="f_passed" name="đạt" sourceRef="gate" targetRef="passed">
      <bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_failed" sourceRef="gate" targetRef="e" />
    <bpmn:sequenceFlow id="f3" sourceRef="passed" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def started(text: str) -> Instance:
    (process,) = parse_deployment({FILE: text.encode()})
    return Instance.start(Definition(f"test:bounded:{hash(text)}", lambda: process.spec), {})


def submit(instance: Instance, fields: dict) -> list[str]:
    """Complete the open step with `fields`; the ids of the steps open after it."""
    (step,) = instance.open_steps()
    instance.complete(step.task_id, fields)
    return [s.step.bpmn_id for s in instance.open_steps()]


def peak_memory(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


FINDINGS = ["str(0) * 30000 * 50000", "'%0999999999d' % 0"]
CONSTANT_GROWTH = FINDINGS + [
    "'x' * 1000000 * 100", "[0] * 10 ** 6 * 1000", "2 ** 10 ** 9", "round(5, -999999999)", "('ab' * 60000)[1:]",
]


@pytest.mark.parametrize("source", CONSTANT_GROWTH)
def test_literal_growth_is_refused_at_deploy_in_a_script_with_file_line_and_element(source):
    text = diagram(script=f"greeting = {source}")
    with pytest.raises(DeploymentRefused) as caught:
        parse_deployment({FILE: text.encode()})
    refusal = caught.value
    assert "quá lớn" in refusal.reason
    assert (refusal.file, refusal.line, refusal.element) == (FILE, line_of(text, "<bpmn:script>"), "compute (Tính)")


@pytest.mark.parametrize("source", FINDINGS)
def test_the_findings_are_refused_at_deploy_in_a_condition_even_behind_a_short_circuit(source):
    text = diagram(condition=f"score > 1000 and len({source}) > 0")
    with pytest.raises(DeploymentRefused) as caught:
        parse_deployment({FILE: text.encode()})
    assert "quá lớn" in caught.value.reason
    assert (caught.value.line, caught.value.element) == (line_of(text, "<bpmn:conditionExpression>"),
                                                         "f_passed (đạt)")


# (script, what the form sends): a form's values make the result huge, so only run time can refuse it.
FROM_THE_FORM = [
    ("greeting = name * n", {"name": "Nguyễn Văn An", "n": 10_000_000}),
    ("greeting = text * n * m", {"text": "0", "n": 30_000, "m": 50_000}),
    ("greeting = fmt % 0", {"fmt": "%0999999999d"}),
    ("greeting = '%0*d' % (width, 0)", {"width": 999_999_999}),
    ("greeting = '%-*s|' % (width, name)", {"width": 999_999_999, "name": "An"}),
    ("greeting = [0] * n", {"n": 10_000_000}),
    ("greeting = sum([row] * n, [])", {"row": [0] * 1000, "n": 10_000}),
    ("greeting = base ** exponent", {"base": 10, "exponent": 10_000_000}),
    ("greeting = round(score, digits)", {"score": 5, "digits": -999_999_999}),
    ("rows = [name] * 50000\ngreeting = str(rows)", {"name": "Nguyễn Văn An"}),
    ("l0 = name\n" + "\n".join(f"l{i + 1} = [l{i}, l{i}]" for i in range(40)) + "\ngreeting = l40", {"name": "An"}),
    ("greeting = (name[1:], name[1:], name[1:], name[1:], name[1:], name[1:], name[1:], name[1:], name[1:], "
     "name[1:], name[1:], name[1:])", {"name": "a" * 99_999}),
]


@pytest.mark.parametrize(("script", "form"), FROM_THE_FORM)
def test_a_form_value_that_makes_a_result_huge_fails_cleanly_in_bounded_memory(script, form):
    instance = started(diagram(script=script))
    (step,) = instance.open_steps()
    failure = []

    def run():
        with pytest.raises(WorkflowFailed) as caught:
            instance.complete(step.task_id, {"score": 0, "weight": 1, **form})
        failure.append(str(caught.value))

    peak = peak_memory(run)
    assert "quá lớn" in failure[0], failure[0]
    assert peak < MEMORY_BOUND, f"{peak:,} bytes"


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="labels" name="Nhãn" namespace="t">
  <decision id="label" name="Nhãn">
    <decisionTable id="label_table" hitPolicy="UNIQUE">
      <input id="in_1" label="Điểm"><inputExpression id="in_1_expression"><text>score</text></inputExpression></input>
      <output id="out_1" label="Nhãn" name="label" />
      <rule id="rule_1">
        <inputEntry id="rule_1_in"><text>&gt;= 70</text></inputEntry>
        <outputEntry id="rule_1_out"><text>name * copies</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""


def test_a_decision_table_cell_is_bounded_too():
    tables = Decisions({"label": ("test:label", lambda: ("label.dmn", DMN))})
    assert tables.evaluate("label", {"score": 80, "name": "An", "copies": 3}) == {"label": "AnAnAn"}
    with pytest.raises(WorkflowFailed, match="quá lớn"):
        tables.evaluate("label", {"score": 80, "name": "An", "copies": 100_000_000})


ORDINARY = [
    ("score * weight", {"score": 8, "weight": 1.5}, 12.0),
    ("name * 3", {"name": "An"}, "AnAnAn"),
    ("name * n", {"name": "Nguyễn ", "n": 2}, "Nguyễn Nguyễn "),
    ("'%d' % 5", {}, "5"),
    ("'%5.1f|%-4s|%03d' % (score, name, n)", {"score": 7.25, "name": "An", "n": 7}, "  7.2|An  |007"),
    ("'%(name)s: %(score)d điểm' % data", {"data": {"name": "An", "score": 90}}, "An: 90 điểm"),
    ("'%s' % candidates", {"candidates": [{"name": "An", "score": 90}]}, "[{'name': 'An', 'score': 90}]"),
    ("[0] * 3", {}, [0, 0, 0]),
    ("(1, 2) * 2 + (3,)", {}, (1, 2, 1, 2, 3)),
    ("str(year) + '-12-15T17:00:00+07:00'", {"year": 2026}, "2026-12-15T17:00:00+07:00"),
    ("2 ** 10 + score ** 2", {"score": 3}, 1033),
    ("round(score / 3, 2)", {"score": 10}, 3.33),
    ("sum([[1], [2]], [])", {}, [1, 2]),
    ("sorted(names, key=len)[0]", {"names": ["Bình", "An"]}, "An"),
    ("name[1:] + name[:1]", {"name": "Anh"}, "nhA"),
    ("authority['deciding_level'] == 'province'", {"authority": {"deciding_level": "province"}}, True),
    ("score >= 70 and len(candidates) > 0", {"score": 80, "candidates": [1]}, True),
]


@pytest.mark.parametrize(("source", "data", "expected"), ORDINARY)
def test_ordinary_expressions_deploy_and_evaluate(source, data, expected):
    expressions.check(source)
    assert _SafeEnvironment().evaluate(source, data) == expected


def test_a_diagram_multiplying_a_score_and_a_name_runs_to_its_next_step():
    instance = started(diagram(script="greeting = 'Chào ' + name * 2\ntotal = score * weight\nif total > 100:\n"
                                      "    total = 100\nlabel = '%s: %05.1f' % (name, total)"))
    assert submit(instance, {"name": "An", "score": 80, "weight": 1.5}) == ["passed"]
    assert {k: instance.workflow.get_tasks(spec_name="passed")[0].data[k] for k in ("greeting", "total", "label")} == {
        "greeting": "Chào AnAn", "total": 100, "label": "An: 100.0"}


REACHING_IN = [
    ("().__class__.__base__.__subclasses__()", {}),
    ("x.__dict__", {"x": 1}),
    ("__import__('os')", {}),
    ("open('/etc/passwd')", {}),
    ("'a'.ljust(999999999)", {}),
    ("sorted([5], key=name.ljust)", {"name": "a"}),
    ("sorted([100000000], key='x'.ljust)", {}),
    ("f'{0:0999999999}'", {}),
    ("[c for c in name]", {"name": "abc"}),
]


@pytest.mark.parametrize(("source", "data"), REACHING_IN)
def test_internals_methods_and_imports_are_refused_at_deploy_and_by_the_evaluator_itself(source, data):
    with pytest.raises(expressions.UnsafeExpression):
        expressions.check(source)
    # The second wall: the evaluator refuses them even on a tree the check never saw.
    evaluator = expressions.Evaluator(data)
    with pytest.raises(expressions.UnsafeExpression):
        evaluator.evaluate(source)


def test_scripts_may_not_import_and_expressions_may_not_nest_without_end():
    with pytest.raises(expressions.UnsafeExpression, match="Import"):
        expressions.check("import os", "exec")
    with pytest.raises(expressions.UnsafeExpression, match="sâu"):
        expressions.check("x" + "+x" * 3000)
    with pytest.raises(expressions.UnsafeExpression, match="dài"):
        expressions.check("x + " * 5000 + "1")
