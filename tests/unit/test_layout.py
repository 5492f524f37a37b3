"""The layering the design card asks for, checked on the source."""
import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_engine_imports_neither_flask_nor_web():
    offenders = {str(p.relative_to(ROOT)): imported_modules(p) & {"flask", "flask_login", "flask_wtf", "web",
                                                                   "werkzeug"}
                 for p in (ROOT / "engine").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_workflow_py_imports_spiffworkflow():
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "engine").rglob("*.py")
                   if "SpiffWorkflow" in imported_modules(p))
    assert users == ["engine/workflow.py"]


def test_bpmn_folder_holds_no_code():
    assert [p for p in (ROOT / "bpmn").rglob("*") if p.suffix in (".py", ".js", ".sh")] == []
