"""The ordered chain of upgrades of stored workflow state, as spiff-arena keeps its serializer migrations: the step
registered under version N brings a dossier's state and a version's spec from N to N+1, so state written by any
earlier release reaches serializing.STATE_VERSION one step at a time. Empty while the shape is still version 1."""
import copy
from collections.abc import Callable
from dataclasses import dataclass

from engine.workflow import serializing


@dataclass(frozen=True)
class UpgradeStep:
    """From one state version to the next: what changes, and how for each kind of stored state."""

    what: str
    dossier_state: Callable[[bytes], bytes]  # a dossier's stored workflow state, read and written as it is stored
    process_spec: Callable[[dict], dict]  # a process version's stored spec


STEPS: dict[int, UpgradeStep] = {}


class CannotUpgrade(Exception):
    """Stored state this code cannot bring to its version (newer than the code, or no step from it)."""


def upgrade_dossier_state(state: bytes, version: int) -> bytes:
    """A dossier's stored state brought from `version` to the current one."""
    for step in _steps_from(version):
        state = step.dossier_state(state)
    return state


def upgrade_process_spec(spec: dict, version: int) -> dict:
    """A process version's stored spec brought from `version` to the current one (a new dict: the stored one is not
    changed in place, so the change is seen and a failed step leaves it as it was)."""
    spec = copy.deepcopy(spec)
    for step in _steps_from(version):
        spec = step.process_spec(spec)
    return spec


def _steps_from(version: int) -> list[UpgradeStep]:
    current = serializing.STATE_VERSION
    if version > current:
        raise CannotUpgrade(f"lưu ở phiên bản {version}, mới hơn phần mềm này ({current})")
    missing = [v for v in range(version, current) if v not in STEPS]
    if missing:
        raise CannotUpgrade(f"không có bước nâng cấp từ phiên bản {missing[0]} (dữ liệu ghi trước khi có số phiên bản)")
    return [STEPS[v] for v in range(version, current)]
