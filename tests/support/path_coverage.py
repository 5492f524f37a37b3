"""Path coverage of the Gherkin scenarios (a pytest plugin, named in the root conftest.py): which sequence flows and
tasks of each shipped diagram the scenarios' dossiers took (their trails, gathered in TRAILS by the scenarios' `story`),
as a summary line per diagram and an HTML report drawing each diagram with the covered flows in green and the others
in red. A run of every scenario fails when a flow of a shipped diagram is taken by none."""
import html
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from engine.storage.tables import DossierRow, ProcessVersionRow
from tests.support import ROOT

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TASKS = ("task", "userTask", "serviceTask", "scriptTask", "businessRuleTask", "callActivity", "manualTask",
         "sendTask", "receiveTask", "subProcess")


class Trails:
    """What every scenario's dossiers took, by diagram file: element ids and "source>target" flows."""

    def __init__(self):
        self.by_diagram: dict[str, set[str]] = {}

    def add_from(self, new_uow) -> None:
        with new_uow() as uow:
            query = select(ProcessVersionRow.diagram_file, DossierRow.trail).join(
                ProcessVersionRow, ProcessVersionRow.id == DossierRow.process_version_id)
            for diagram_file, trail in uow.session.execute(query):
                self.by_diagram.setdefault(diagram_file, set()).update(trail or ())


@dataclass(frozen=True)
class Coverage:
    diagram: str
    flows: dict[str, bool]  # flow id: taken by some scenario
    tasks: dict[str, bool]  # task id: reached by some scenario
    names: dict[str, str]  # element id: its name, to say what is missing

    @property
    def percent(self) -> float:
        return 100.0 * sum(self.flows.values()) / len(self.flows) if self.flows else 100.0

    @property
    def missing(self) -> list[str]:
        return [f"{flow} ({self.names[flow]})" for flow, taken in self.flows.items() if not taken]


def coverage(path: Path, trail: set[str]) -> Coverage:
    tree = etree.parse(str(path))
    flows, tasks, names = {}, {}, {}
    for element in tree.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != BPMN_NS:
            continue
        kind, element_id = etree.QName(element).localname, element.get("id")
        if kind == "sequenceFlow":
            flows[element_id] = f"{element.get('sourceRef')}>{element.get('targetRef')}" in trail
            names[element_id] = f"{element.get('sourceRef')} → {element.get('targetRef')}"
        elif kind in TASKS:
            tasks[element_id] = element_id in trail
            names[element_id] = element.get("name") or element_id
    return Coverage(path.name, flows, tasks, names)


def report(shipped: list[Path], trails: Trails, folder: Path) -> list[Coverage]:
    """Write the HTML report (one page per diagram and an index) and return each diagram's coverage."""
    folder.mkdir(parents=True, exist_ok=True)
    results = [coverage(path, trails.by_diagram.get(path.name, set())) for path in shipped]
    vendor = ROOT / "web" / "static" / "vendor" / "bpmn-js"
    rows = []
    for path, result in zip(shipped, results):
        page = folder / f"{path.stem}.html"
        page.write_text(_diagram_page(path, result, vendor))
        rows.append(f'<tr><td><a href="{page.name}">{html.escape(result.diagram)}</a></td>'
                    f"<td>{sum(result.flows.values())}/{len(result.flows)}</td><td>{result.percent:.0f} %</td>"
                    f"<td>{sum(result.tasks.values())}/{len(result.tasks)}</td>"
                    f"<td>{html.escape(', '.join(result.missing))}</td></tr>")
    (folder / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>Độ phủ đường đi của kịch bản</title>'
        "<h1>Độ phủ đường đi của các kịch bản Gherkin</h1><table border=1 cellpadding=4>"
        "<tr><th>Sơ đồ</th><th>Luồng đã đi</th><th>%</th><th>Bước đã tới</th><th>Luồng chưa kịch bản nào đi</th></tr>"
        + "".join(rows) + "</table>")
    (folder / "coverage.json").write_text(json.dumps(
        {r.diagram: {"percent": round(r.percent, 1), "missing": r.missing} for r in results}, ensure_ascii=False,
        indent=1))
    return results


def _diagram_page(path: Path, result: Coverage, vendor: Path) -> str:
    marks = json.dumps({"taken": [f for f, t in result.flows.items() if t],
                        "missed": [f for f, t in result.flows.items() if not t],
                        "reached": [t for t, r in result.tasks.items() if r]})
    return f"""<!doctype html><meta charset="utf-8"><title>{html.escape(result.diagram)}</title>
<link rel="stylesheet" href="{vendor.as_uri()}/diagram-js.css"><link rel="stylesheet" href="{vendor.as_uri()}/bpmn-js.css">
<style>#d{{height:90vh}} .taken path{{stroke:#2e7d32!important;stroke-width:3px!important}}
.missed path{{stroke:#c62828!important;stroke-width:3px!important}}
.reached .djs-visual>:nth-child(1){{fill:#c8e6c9!important}}</style>
<h1>{html.escape(result.diagram)}: {result.percent:.0f} % luồng</h1><div id="d"></div>
<script src="{vendor.as_uri()}/bpmn-navigated-viewer.production.min.js"></script>
<script>const xml = {json.dumps(path.read_text())}; const marks = {marks};
const viewer = new BpmnJS({{container: "#d"}});
viewer.importXML(xml).then(() => {{ const canvas = viewer.get("canvas");
  for (const [kind, ids] of Object.entries(marks)) (ids || []).forEach((id) => canvas.addMarker(id, kind));
  canvas.zoom("fit-viewport"); }});</script>"""


TRAILS = Trails()
REPORT = ROOT / "reports" / "path-coverage"
COVERAGE = pytest.StashKey[list]()


def _whole_suite(config) -> bool:
    """Every scenario ran (the whole suite, or the features folder, with no -k or -m choosing a part): only then is
    a flow no scenario took a failure."""
    if config.option.keyword or config.option.markexpr:
        return False
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS or any(
        Path(arg).resolve() in (ROOT, ROOT / "features") for arg in config.args)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    """Path coverage of the scenarios, written under reports/; the whole suite fails if a flow of a shipped diagram
    is taken by no scenario."""
    if not TRAILS.by_diagram:
        return
    results = report(sorted((ROOT / "bpmn").glob("*.bpmn")), TRAILS, REPORT)
    session.config.stash[COVERAGE] = results
    if _whole_suite(session.config) and any(result.missing for result in results):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    results = config.stash.get(COVERAGE, None)
    if results is None:
        return
    whole = _whole_suite(config)
    terminalreporter.section("độ phủ đường đi của kịch bản (luồng đã đi / tổng)")
    for result in results:
        missing = f"; chưa kịch bản nào đi: {', '.join(result.missing)}" if whole and result.missing else ""
        terminalreporter.write_line(f"{result.diagram}: {sum(result.flows.values())}/{len(result.flows)} "
                                    f"({result.percent:.0f} %){missing}")
    terminalreporter.write_line(f"báo cáo: {REPORT / 'index.html'}" + ("" if whole else
                                " (chỉ chạy một phần kịch bản: không kiểm độ phủ)"))
