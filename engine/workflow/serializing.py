"""A workflow's stored state: Spiff's serializer, leaving out the spec (stored once per version).

A dossier's state is stored without its process spec and is compacted after every step (see running.Instance):
finished loop rounds are dropped and finished tasks forget their data. So a dossier returned 200 times keeps the same
task tree as one returned once (a round leaves only its id, ~25 bytes).
"""
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

SPIFF_VERSION = "3.2.0"
# Bump, with a data migration, whenever the stored shape changes (Spiff's own format or our compaction).
SERIALIZER_VERSION = f"spiff-{SPIFF_VERSION}/1.5/compact-1"


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
