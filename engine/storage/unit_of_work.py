"""One use case, one transaction: leaving the block without commit() rolls everything back. A use case that only
reads enters `uow.reading()`: on PostgreSQL each statement stands alone, with no BEGIN and ROLLBACK round trips around
them (a token check, the inbox: two of their three or four round trips)."""
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
        self.read_only = False

    def reading(self) -> "UnitOfWork":
        """This unit of work for a use case that reads (a single-row write such as a token's last use may still be
        committed: it stands alone too). SQLite keeps its transaction: its BEGIN costs no round trip."""
        self.read_only = True
        return self

    def __enter__(self) -> "UnitOfWork":
        self.session = self.session_factory()
        if self.read_only and self.session.get_bind().dialect.name == "postgresql":
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
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
        # Closing rolls back whatever was not committed and hands the connection back, in one pass.
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


def commit_or_conflict(uow: UnitOfWork, message: str) -> None:
    """Commit; a unique key taken by a concurrent transaction becomes a Conflict the caller can retry."""
    try:
        uow.commit()
    except IntegrityError:
        raise Conflict(message) from None
