"""bandit over the application (the targets of [tool.bandit] in pyproject.toml): every finding is fixed or justified on
its line (`# nosec BXXX: why it is safe`), every such comment names its check and says why, and every module of the
targets is scanned. Bad inputs tried: a planted `subprocess.call(command, shell=True)` (found), and comments that
silence without naming a check or without a reason (refused)."""
import json
import re
import subprocess
import sys
import tomllib

import pytest

from tests.support import ROOT

SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bandit"]
TARGETS = SETTINGS["targets"]
# A justification as bandit reads it (it stops at the first id or name it knows) and as a reader needs it.
JUSTIFIED = re.compile(r"#\s*nosec B\d{3}(?:,\s*B\d{3})*: \S.*$")


def bandit(*targets: str, cwd=ROOT) -> dict:
    """bandit's JSON report on `targets`, with this project's settings."""
    run = subprocess.run([sys.executable, "-m", "bandit", "-q", "-f", "json", "-c", str(ROOT / "pyproject.toml"),
                          "-r", *targets], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert run.stdout, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert report["errors"] == [], report["errors"]
    return report


def code_of(finding: dict) -> str:
    return (ROOT / finding["filename"]).read_text().splitlines()[finding["line_number"] - 1].strip()


def described(finding: dict) -> str:
    where = f"{finding['filename']}:{finding['line_number']}"
    return f"{where} {finding['test_id']} {finding['issue_text']}: {code_of(finding)}"


def test_every_finding_in_the_application_is_fixed_or_justified_on_its_line():
    report = bandit(*TARGETS)
    assert not report["results"], "bandit's findings, to fix or justify with # nosec BXXX: why\n" + "\n".join(
        described(finding) for finding in report["results"])


def test_every_module_of_the_application_is_scanned():
    scanned = set(bandit(*TARGETS)["metrics"]) - {"_totals"}
    modules = {str(path.relative_to(ROOT)) for target in TARGETS for path in (ROOT / target).rglob("*.py")}
    assert modules and modules <= scanned, sorted(modules - scanned)


def test_a_planted_finding_is_found(tmp_path):
    (tmp_path / "planted.py").write_text("import subprocess\n\n\ndef run(command):\n"
                                         "    return subprocess.call(command, shell=True)\n")
    assert "B602" in [finding["test_id"] for finding in bandit("planted.py", cwd=tmp_path)["results"]]


def nosec_comments() -> list[tuple[str, str]]:
    return [(f"{path.relative_to(ROOT)}:{number}", line.strip())
            for target in TARGETS for path in sorted((ROOT / target).rglob("*.py"))
            for number, line in enumerate(path.read_text().splitlines(), start=1) if re.search(r"#\s*nosec", line)]


def test_every_nosec_names_its_check_and_says_why():
    comments = nosec_comments()
    assert comments  # the justified findings are there to be read
    assert [where for where, line in comments if not JUSTIFIED.search(line)] == []


@pytest.mark.parametrize("line", ["x = 1  # nosec", "x = 1  # nosec B105", "x = 1  # nosec: trusted",
                                  "x = 1  # nosec B105:"])
def test_a_nosec_without_its_check_or_its_reason_is_refused(line):
    assert not JUSTIFIED.search(line)
