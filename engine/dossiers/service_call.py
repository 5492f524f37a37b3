"""What a service that a diagram's step calls receives: the dossier, the step's parameters, and what the step
runner lets it do besides changing rows (open other dossiers, write the dossier's history)."""
from collections.abc import Callable
from dataclasses import dataclass

from engine.storage.tables import DossierRow, HumanTaskRow
from engine.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ServiceCall:
    uow: UnitOfWork
    dossier: DossierRow
    params: dict
    # open_dossier(version, proposer, values, context): another dossier, opened by the system
    open_dossier: Callable[..., tuple]
    # record(action, payload): an entry in this dossier's history, written by the system
    record: Callable[[str, dict], None]
    # The tasks this step opened: not yet written, so a query of the open tasks does not find them.
    opened: tuple[HumanTaskRow, ...] = ()
