"""Deployment rules that need the whole process (lanes and roles): a refused deployment names file, element and what
to change, and stores nothing. The rules read off the XML alone are in tests/unit/test_workflow.py."""
from pathlib import Path

import pytest

from engine import deployments
from engine.errors import DeploymentRefused
from tests.integration.test_use_cases import snapshot

MODELER_FILE = Path(__file__).parents[1] / "fixtures" / "camunda_modeler_family.bpmn"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('<bpmn:lane id="Lane_commune" name="Xã">', '<bpmn:lane id="Lane_commune" name="Kế toán">',
     "lane 'Kế toán' không ứng với vai trò nào (Chi hội, Xã, Tỉnh, Bộ)"),
    ("<bpmn:flowNodeRef>Activity_verify</bpmn:flowNodeRef>", "", "bước nằm ngoài lane"),
])
def test_a_step_no_role_can_take_is_refused(new_uow, officials, old, new, message):
    text = MODELER_FILE.read_text()
    assert old in text
    before = snapshot(new_uow)
    with pytest.raises(DeploymentRefused) as refused:
        deployments.deploy({"family.bpmn": text.replace(old, new).encode()}, officials.designer, new_uow())
    assert message in refused.value.reason
    assert (refused.value.file, refused.value.element) == ("family.bpmn", "Activity_verify (Xã xem danh sách)")
    assert snapshot(new_uow) == before
