"""The scenarios' path coverage counts a flow only when a dossier took it, and names the flows none took."""
from tests.path_coverage import Trails, coverage, report
from tests.support import BPMN

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
