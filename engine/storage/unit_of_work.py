"""One use case, one transaction: leaving the block without commit() rolls everything back. A use case that only
reads enters `uow.reading()`: on PostgreSQL each statement stands alone, with no BEGIN and ROLLBACK round trips around
them (a token check, the inbox: two of their three or four round trips). A use case given a unit of work that is
already in its block joins that transaction (a job composing the use cases it runs): only the outermost block
commits, rolls back and ends it."""
import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from engine.clock import SystemClock
from engine.errors import Conflict
from engine.storage.repositories.dossiers import (AttachmentRepository, AuditRepository, DossierRepository,
                                                  TaskRepository)
from engine.storage.repositories.drafts import DraftRepository
from engine.storage.repositories.jobs import JobRepository
from engine.storage.repositories.organisation import TokenRepository, UnitRepository, UserRepository
from engine.storage.repositories.processes import DecisionTableRepository, ProcessRepository
from engine.storage.repositories.registry import RecognitionDecisionRepository, TitleRepository
from engine.storage.repositories.reporting import ReportingPeriodRepository, ReportValueRepository, TargetRepository
from engine.storage.repositories.saved_filters import SavedFilterRepository

log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], clock=None, dispatcher=None):
        self.session_factory = session_factory
        self.clock = clock or SystemClock()
        self.read_only = False
        # What runs the jobs this transaction asks for (engine.jobs.outbox.Dispatcher); None leaves them queued for
        # the periodic relay.
        self.dispatcher = dispatcher
        self.jobs_to_relay: list[int] = []
        self._committed_jobs: list[int] = []
        self._depth = 0  # blocks entered and not left: above 1, a use case joined the caller's transaction

    def reading(self) -> "UnitOfWork":
        """This unit of work for a use case that reads (a single-row write such as a token's last use may still be
        committed: it stands alone too). SQLite keeps its transaction: its BEGIN costs no round trip."""
        self.read_only = self.read_only or not self._depth
        return self

    def __enter__(self) -> "UnitOfWork":
        self._depth += 1
        if self._depth > 1:
            return self
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
        self.drafts = DraftRepository(self.session)
        self.periods = ReportingPeriodRepository(self.session)
        self.report_values = ReportValueRepository(self.session)
        self.targets = TargetRepository(self.session)
        self.jobs = JobRepository(self.session)
        self.saved_filters = SavedFilterRepository(self.session)
        self.jobs_to_relay = []
        return self

    def __exit__(self, *exc_info) -> None:
        self._depth -= 1
        if self._depth:
            return
        # Closing rolls back whatever was not committed and hands the connection back, in one pass.
        self.session.close()
        # Relayed once the transaction is over: a job never runs before what asked for it is committed.
        committed, self._committed_jobs = self._committed_jobs, []
        if committed and self.dispatcher is not None:
            try:
                self.dispatcher.relay(committed)
            # The use case's work is committed and must not fail now: the jobs stay queued for the periodic relay.
            except Exception:  # noqa: BLE001
                log.exception("Chưa chuyển được việc nền %s cho bộ xử lý; sẽ chuyển lại sau.", committed)

    def rollback(self) -> None:
        """Undo what the transaction wrote so far and go on in a fresh one (a refused step keeps its typed work as a
        draft, without the step's half-done writes). Only the outermost block may: a joined use case raises."""
        if self._depth > 1:
            raise RuntimeError("a use case joined to its caller's transaction cannot roll it back")
        self.session.rollback()
        self.jobs_to_relay = []

    def commit(self) -> None:
        if self._depth > 1:
            return  # the outermost block commits the whole transaction, or none of it
        self.session.commit()
        self._committed_jobs += self.jobs_to_relay
        self.jobs_to_relay = []


def commit_or_conflict(uow: UnitOfWork, message: str) -> None:
    """Commit; a unique key taken by a concurrent transaction becomes a Conflict the caller can retry."""
    try:
        uow.commit()
    except IntegrityError:
        raise Conflict(message) from None
