"""A workflow's stored state: Spiff's serializer, leaving out the spec (stored once per version).

A dossier's state is stored without its process spec and is compacted after every step (see running.Instance):
finished loop rounds are dropped and finished tasks forget their data. So a dossier returned 200 times keeps the same
task tree as one returned once (a round leaves only its id, ~25 bytes).
"""
import json
import zlib
from importlib import metadata
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

# The release whose format the stored state is in (pyproject pins it): another one must not run it.
SPIFF_VERSION = "3.2.0"
# The shape of the stored state (a dossier's workflow, a version's spec), stored with each: bump it whenever the shape
# changes (Spiff's own format or our compaction), with a step in state_upgrades.STEPS from the version before.
# 1: SpiffWorkflow 3.2.0's serializer format 1.5, without the spec, compacted.
STATE_VERSION = 1


def check_installed_spiff() -> None:
    """Refuse to run on another SpiffWorkflow than the one the stored state is written by."""
    installed = metadata.version("spiffworkflow")
    if installed != SPIFF_VERSION:
        raise RuntimeError(f"SpiffWorkflow {installed} is installed, but the stored workflow state is written by "
                           f"{SPIFF_VERSION}: install spiffworkflow=={SPIFF_VERSION} (pip install -e .), or upgrade "
                           "the stored state with the release that moves to the new version.")


def decode(state: bytes) -> dict:
    """A dossier's stored workflow state, as Spiff's serializer reads it."""
    return json.loads(zlib.decompress(state))


def encode(dct: dict) -> bytes:
    return zlib.compress(json.dumps(dct, separators=(",", ":")).encode(), 6)


def process_specs(stored: dict) -> tuple[dict, dict[str, dict]]:
    """A version's stored spec: the process's own and those of the processes it calls, as the serializer reads them."""
    return stored["spec"], stored["subprocess_specs"]


class _CompactWorkflowConverter(BpmnWorkflowConverter):
    """Leaves the specs out of the stored state and takes them, already built, when loading."""

    def to_dict(self, workflow):
        # Spiff's own to_dict would serialize the whole spec on every save only for us to drop it.
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, specs=None):
        if specs is None:
            return super().from_dict(dct)
        spec, subprocess_specs = specs
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build_serializer():
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _CompactWorkflowConverter
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


SERIALIZER = _build_serializer()
