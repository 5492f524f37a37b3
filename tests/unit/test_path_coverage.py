"""The scenarios' path coverage counts a flow only when a dossier took it, names the flows none took, and fails a run
of every scenario that leaves one untaken."""
import pytest

from tests.support import BPMN, ROOT
from tests.support.path_coverage import Trails, coverage, report

NATIONAL = BPMN / "annual_models_national_report.bpmn"


def test_a_flow_no_trail_took_is_missing_and_one_taken_is_covered(tmp_path):
    none = coverage(NATIONAL, set())
    assert (none.percent, none.missing) == (0.0, ["flow_opened (national_opened → compile_national_report)",
                                                  "flow_compiled (compile_national_report → compiled)"])
    half = coverage(NATIONAL, {"national_opened>compile_national_report", "compile_national_report"})
    assert (half.percent, half.tasks) == (50.0, {"compile_national_report": True})
    assert half.missing == ["flow_compiled (compile_national_report → compiled)"]
    trails = Trails()
    trails.by_diagram[NATIONAL.name] = {"national_opened>compile_national_report",
                                        "compile_national_report>compiled"}
    (full,) = report([NATIONAL], trails, tmp_path)
    assert full.percent == 100.0 and full.missing == []
    assert "100 %" in (tmp_path / "index.html").read_text()
    page = (tmp_path / "annual_models_national_report.html").read_text()
    assert '"taken": ["flow_opened", "flow_compiled"]' in page and '"missed": []' in page


# A suite of its own, which pytester runs in another process (so that its trails and its report stay its own): its
# one test says the scenarios took every flow of every shipped diagram, but those in UNTAKEN.
TINY_CONFTEST = """
from pathlib import Path

from tests.support import path_coverage

path_coverage.REPORT = Path(__file__).parent / "report"
"""
TINY_SCENARIOS = """
from lxml import etree

from tests.support import BPMN
from tests.support.path_coverage import BPMN_NS, TRAILS


def test_the_scenarios_took_their_flows():
    for diagram in BPMN.glob("*.bpmn"):
        flows = etree.parse(str(diagram)).iter(f"{{{BPMN_NS}}}sequenceFlow")
        TRAILS.by_diagram[diagram.name] = {f"{f.get('sourceRef')}>{f.get('targetRef')}" for f in flows} - UNTAKEN
"""


@pytest.mark.parametrize(("untaken", "exit_code", "summary"), [
    ({"compile_national_report>compiled"}, pytest.ExitCode.TESTS_FAILED,
     ("annual_models_national_report.bpmn: 1/2 (50 %); chưa kịch bản nào đi: "
      "flow_compiled (compile_national_report → compiled)")),
    (set(), pytest.ExitCode.OK, "annual_models_national_report.bpmn: 2/2 (100 %)"),
])
def test_a_run_of_every_scenario_fails_when_a_shipped_flow_is_taken_by_none(pytester, monkeypatch, untaken,
                                                                          exit_code, summary):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeini("[pytest]\ntestpaths = .\n")
    pytester.makepyfile(conftest=TINY_CONFTEST, test_scenarios=f"UNTAKEN = {untaken!r}\n" + TINY_SCENARIOS)
    run = pytester.runpytest_subprocess("-p", "tests.support.path_coverage", "-p", "no:cacheprovider", timeout=120)
    assert run.ret == exit_code
    run.assert_outcomes(passed=1)  # its test passed: the run fails for the untaken flow alone
    assert [line for line in run.outlines if line.startswith("annual_models_national_report.bpmn:")] == [summary]
    assert ("chưa kịch bản nào đi" in run.stdout.str()) == bool(untaken)
