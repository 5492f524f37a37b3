"""One use case, one transaction: leaving the block without commit() rolls everything back."""
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.clock import SystemClock
from engine.errors import Conflict
from engine.storage.repositories.dossiers import (AttachmentRepository, AuditRepository, DossierRepository,
                                                  TaskRepository)
from engine.storage.repositories.organisation import TokenRepository, UnitRepository, UserRepository
from engine.storage.repositories.processes import DecisionTableRepository, ProcessRepository
from engine.storage.repositories.registry import RecognitionDecisionRepository, TitleRepository
from engine.storage.repositories.reporting import ReportingPeriodRepository, ReportValueRepository, TargetRepository


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], clock=None):
        self.session_factory = session_factory
        self.clock = clock or SystemClock()

    def __enter__(self) -> "UnitOfWork":
        self.session = self.session_factory()
        self.units = UnitRepository(self.session)
        self.users = UserRepository(self.session)
        self.tokens = TokenRepository(self.session)
        self.processes = ProcessRepository(self.session)
        self.decision_tables = DecisionTableRepository(self.session)
        self.dossiers = DossierRepository(self.session)
        self.tasks = TaskRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.titles = TitleRepository(self.session)
        self.decisions = RecognitionDecisionRepository(self.session)
        self.attachments = AttachmentRepository(self.session)
        self.periods = ReportingPeriodRepository(self.session)
        self.report_values = ReportValueRepository(self.session)
        self.targets = TargetRepository(self.session)
        return self

    def __exit__(self, *exc_info) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


def commit_or_conflict(uow: UnitOfWork, message: str) -> None:
    """Commit; a unique key taken by a concurrent transaction becomes a Conflict the caller can retry."""
    try:
        uow.commit()
    except IntegrityError:
        raise Conflict(message) from None
