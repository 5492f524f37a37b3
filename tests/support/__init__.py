"""What the tests share: `fixtures` (the pytest plugin: databases, the clock, officials, the app), `databases` (the
databases a test runs on), `builders` (dossiers and reports brought to a step, HTTP helpers), `diagrams` (diagrams
drawn for a test) and `path_coverage` (the plugin reporting which flows the scenarios took). No test module imports
another: what two of them need is here."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BPMN = ROOT / "bpmn"
