"""Diagram expressions: what a designer may write, and the escapes that must be refused."""
import pytest
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.workflow import expressions
from engine.workflow.running import _SafeEnvironment

ALLOWED = [
    "decision == 'return'",
    "score >= 70 and len(candidates) > 0",
    "decision in ('approve', 'reject')",
    "max(scores) if scores else 0",
    "data['year'] + 1",
    "[0] * n",
]
REFUSED = [
    ("__import__('os').system('id')", "__import__"),
    ("().__class__.__base__.__subclasses__()", "__subclasses__"),
    ("open('/etc/passwd').read()", "chỉ được gọi"),
    ("getattr(x, 'y')", "chỉ được gọi"),
    ("(lambda: 1)()", "Lambda"),
    ("[c for c in candidates]", "ListComp"),
    ("__builtins__", "bắt đầu bằng '_'"),
    ("x.__dict__", "__dict__"),
    ("decision ==", "cú pháp sai"),
    ("'x' * 1000000 * 100", "kết quả quá lớn"),
    ("score > 10000000000", "quá lớn"),
    ("'{0.__class__}'.format(x)", "chỉ được gọi"),
]


@pytest.mark.parametrize("source", ALLOWED)
def test_allowed_expressions_pass(source):
    expressions.check(source)


@pytest.mark.parametrize(("source", "reason"), REFUSED)
def test_escapes_are_refused_with_a_reason(source, reason):
    with pytest.raises(expressions.UnsafeExpression, match=reason.replace("(", r"\(")):
        expressions.check(source)


def test_scripts_may_not_import():
    with pytest.raises(expressions.UnsafeExpression, match="Import"):
        expressions.check("import os\nos.system('id')", "exec")
    expressions.check("total = score + 10\nif total > 100:\n    total = 100", "exec")


def test_runtime_has_no_real_builtins_even_if_a_check_were_bypassed():
    environment = _SafeEnvironment()
    assert environment.evaluate("len(items) + 1", {"items": [1, 2]}) == 3
    with pytest.raises(SpiffWorkflowException, match="__import__"):
        environment.evaluate("__import__('os')", {})
    # Past the check, names outside the helpers simply do not exist.
    with pytest.raises(NameError):
        expressions.Evaluator({}).evaluate("open")


def test_script_results_land_in_the_task_data():
    context = {"score": 95}
    _SafeEnvironment().execute("total = score + 10\nif total > 100:\n    total = 100", context)
    assert context["total"] == 100
