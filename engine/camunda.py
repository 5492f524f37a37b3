"""What Camunda Modeler (Camunda 7 platform) writes that means something here, read off a diagram's XML:
`camunda:properties` (a process's title or report, a step's decision table), a user task's `camunda:formKey` (a JSON
Schema form sent with the deployment), `camunda:dueDate` (the variable holding its deadline, `${name}`),
`camunda:candidateGroups` (the role that takes the step when no lane names one) and a process's
`camunda:candidateStarterGroups` (the role that opens it). Everything else Camunda writes is kept in the stored file
and has no effect."""
import re

from lxml import etree

from engine.errors import DeploymentRefused

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
# Where Camunda Modeler puts a form sent with the deployment, before its file name.
_FORM_PREFIXES = ("camunda-forms:deployment:", "deployment:")
_VARIABLE = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}|([A-Za-z_][A-Za-z0-9_]*)")


def properties(element) -> dict[str, str]:
    """The `camunda:properties` of a process or task element."""
    found = element.xpath("./bpmn:extensionElements/camunda:properties/camunda:property",
                          namespaces={"bpmn": BPMN_NS, "camunda": CAMUNDA_NS})
    return {node.get("name"): node.get("value") for node in found if node.get("name")}


def starter_groups(process_element) -> str | None:
    return process_element.get(f"{{{CAMUNDA_NS}}}candidateStarterGroups")


def steps(name: str, tree) -> dict[tuple[str, str], dict[str, str]]:
    """{(process or sub-process id, user task id): what Camunda says of the step}: `form`, `due`, `groups` and its
    properties, each only where the diagram gives it."""
    found = {}
    for task in tree.iter(f"{{{BPMN_NS}}}userTask"):
        container = next(a for a in task.iterancestors() if etree.QName(a).localname in _CONTAINERS)
        step = dict(properties(task))
        form_key = task.get(f"{{{CAMUNDA_NS}}}formKey")
        if form_key:
            step["form"] = _form_file(name, task, form_key)
        due = task.get(f"{{{CAMUNDA_NS}}}dueDate")
        if due:
            step["due"] = _variable(name, task, due)
        groups = task.get(f"{{{CAMUNDA_NS}}}candidateGroups")
        if groups:
            step["groups"] = groups
        if step:
            found[(container.get("id"), task.get("id"))] = step
    return found


def _form_file(name: str, task, form_key: str) -> str:
    file = next((form_key[len(p):] for p in _FORM_PREFIXES if form_key.startswith(p)), form_key)
    if not file.endswith(".json") or "/" in file or ":" in file:
        raise DeploymentRefused.at(name, task, f"camunda:formKey '{form_key}' phải là tên một tệp biểu mẫu JSON "
                                               "Schema (.json) gửi kèm lần triển khai, ví dụ "
                                               "camunda-forms:deployment:verification.schema.json")
    return file


def _variable(name: str, task, due: str) -> str:
    match = _VARIABLE.fullmatch(due.strip())
    if match is None:
        raise DeploymentRefused.at(name, task, f"camunda:dueDate '{due}' phải là tên biến giữ hạn (ISO 8601 có "
                                               "múi giờ), ví dụ ${province_deadline}")
    return match.group(1) or match.group(2)

