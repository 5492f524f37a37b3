"""The layering the design card asks for, checked on the source."""
import ast
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("library", ["SpiffWorkflow", "simpleeval"])
def test_only_the_workflow_package_imports_spiffworkflow_and_its_evaluator(library):
    users = {str(p.relative_to(ROOT)) for p in _application_code() if library in imported_modules(p)}
    assert users and {user for user in users if not user.startswith("engine/workflow/")} == set()


# What runs or serializes a workflow: the workflow package's Instance and its moves.
_WORKFLOW_MOVES = {"complete", "fire_timers", "move_to", "move_refusal", "dump"}
STEP_RUNNER = "engine/dossiers/step_runner.py"


def step_runner_bypasses(path: Path) -> list[str]:
    """Lines of `path` that run or serialize a workflow, or write an audit row, other than by calling the step
    runner (`step_runner.complete(...)` is the way; `instance.complete(...)` is a bypass)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            bypass = (node.attr in _WORKFLOW_MOVES and owner not in ("step_runner", "json")
                      or node.attr == "Instance"
                      or node.attr in ("add", "add_all") and isinstance(node.value, ast.Attribute)
                      and node.value.attr == "audit")
        elif isinstance(node, ast.Name):
            bypass = node.id == "Instance"
        else:
            bypass = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "AuditRow"
        if bypass:
            found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno} "
                         f"{ast.unparse(node)}")
    return found


def test_only_the_step_runner_runs_a_workflow_or_writes_history():
    """Every use case that moves a dossier goes through engine/dossiers/step_runner.py (load, act, run on, tasks,
    history): no other module of the application touches a workflow instance or writes the audit."""
    offenders = [line for path in _application_code() if not str(path.relative_to(ROOT)).startswith("engine/workflow/")
                 and str(path.relative_to(ROOT)) != STEP_RUNNER for line in step_runner_bypasses(path)]
    assert offenders == [], f"call {STEP_RUNNER} instead:\n" + "\n".join(offenders)


def test_the_step_runner_check_sees_a_bypass(tmp_path):
    """The check above would catch a use case that loads and runs a workflow, or writes history, by itself."""
    bypass = tmp_path / "bypass.py"
    bypass.write_text("from engine.workflow import running\n"
                      "def act(uow, definition, state, row):\n"
                      "    instance = running.Instance.load(definition, state)\n"
                      "    instance.complete('t', {})\n"
                      "    uow.audit.add(AuditRow(action='complete'))\n"
                      "    return instance.dump()\n")
    assert sorted(line.split(" ", 1)[1] for line in step_runner_bypasses(bypass)) == sorted([
        "running.Instance", "instance.complete", "uow.audit.add", "AuditRow(action='complete')", "instance.dump"])


def _application_code() -> list[Path]:
    return [p for folder in ("engine", "web") for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


def test_bpmn_folder_holds_no_code():
    assert [p for p in (ROOT / "bpmn").rglob("*") if p.suffix in (".py", ".js", ".sh")] == []


def test_no_import_cycle_between_engine_modules():
    """Packages may lean on each other (dossiers run recognition's services, reporting opens dossiers), modules not
    in a circle: a cycle would make import order matter."""
    graph = {_module_name(p): _engine_imports(p) for p in (ROOT / "engine").rglob("*.py") if "migrations" not in p.parts}
    done, cycles = set(), []

    def visit(module: str, path: list[str]) -> None:
        for imported in graph.get(module, ()):
            if imported in path:
                cycles.append(path[path.index(imported):] + [imported])
            elif imported not in done:
                visit(imported, path + [imported])
        done.add(module)

    for module in graph:
        visit(module, [module])
    assert cycles == []


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _engine_imports(path: Path) -> set[str]:
    """The engine modules `path` imports (`from engine.x import y` counts as engine.x.y when y is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if (ROOT / (submodule.replace(".", "/") + ".py")).exists() else node.module)
    return found
