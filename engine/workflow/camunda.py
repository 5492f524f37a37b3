"""What Camunda Modeler (Camunda 7 platform) writes that means something here, read off a diagram's XML:
`camunda:properties` (a process's title or report, a step's decision table), a user task's `camunda:formKey` (a JSON
Schema form sent with the deployment) or `camunda:formData` (a form drawn in the modeller, made into one),
`camunda:dueDate` (the variable holding its deadline, `${name}`), `camunda:candidateGroups` (the role that takes the
step when no lane names one) and a process's `camunda:candidateStarterGroups` (the role that opens it). Everything
else Camunda writes is kept in the stored file and has no effect."""
import re

from lxml import etree

from engine.errors import DeploymentRefused
from engine.workflow.deploy_rules import BPMN_NS, CONTAINERS

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
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
        container = next(a for a in task.iterancestors() if etree.QName(a).localname in CONTAINERS)
        step = dict(properties(task))
        form_key = task.get(f"{{{CAMUNDA_NS}}}formKey")
        drawn = _form_data(name, task)
        if form_key and drawn:
            raise DeploymentRefused.at(name, task, "bước có cả camunda:formKey và camunda:formData; giữ một")
        if form_key:
            step["form"] = _form_file(name, task, form_key)
        elif drawn:
            step["form"] = f"{name.rsplit('.', 1)[0]}.{task.get('id')}.form.json"
            step["form_data"] = drawn
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


# Camunda 7's form field types, as JSON Schema.
_FIELD_TYPES = {"string": {"type": "string", "maxLength": 2000}, "long": {"type": "integer"},
                "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
                "enum": {"type": "string"}}
# Camunda's validation constraints, by field type, as JSON Schema keywords.
_CONSTRAINTS = {("long", "min"): "minimum", ("long", "max"): "maximum", ("string", "minlength"): "minLength",
                ("string", "maxlength"): "maxLength"}


def _form_data(name: str, task) -> dict | None:
    """The JSON Schema of a user task's `camunda:formData`: each field with its label, type, enum values and
    validation (required, min, max, minlength, maxlength)."""
    namespaces = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}
    fields = task.xpath("./bpmn:extensionElements/camunda:formData/camunda:formField", namespaces=namespaces)
    if not fields:
        return None
    properties, required = {}, []
    for field in fields:
        kind, field_id = field.get("type") or "string", field.get("id")
        if kind not in _FIELD_TYPES or not field_id:
            raise DeploymentRefused.at(name, field if field.get("id") else task,
                                       f"trường biểu mẫu kiểu '{kind}' chưa được hỗ trợ; dùng một trong: "
                                       f"{', '.join(_FIELD_TYPES)} (và mỗi trường cần id)")
        schema = {**_FIELD_TYPES[kind], "title": field.get("label") or field_id}
        if kind == "enum":
            schema["oneOf"] = [{"const": value.get("id"), "title": value.get("name") or value.get("id")}
                               for value in field.xpath("./camunda:value", namespaces=namespaces)]
        for constraint in field.xpath("./camunda:validation/camunda:constraint", namespaces=namespaces):
            limit = _CONSTRAINTS.get((kind, constraint.get("name")))
            if constraint.get("name") == "required":
                required.append(field_id)
            elif limit and (constraint.get("config") or "").lstrip("-").isdigit():
                schema[limit] = int(constraint.get("config"))
            elif constraint.get("name") != "readonly":
                raise DeploymentRefused.at(name, field, f"ràng buộc '{constraint.get('name')}' "
                                                        f"({constraint.get('config')}) không dùng được cho kiểu {kind}")
        properties[field_id] = schema
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": task.get("name") or task.get("id"),
            "type": "object", "properties": properties, "required": required, "additionalProperties": False}
