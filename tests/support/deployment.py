"""A deployment's database as the tests of several processes drive and check it, with the system's clock (as the
processes they start run): its officials and tokens, a reporting period, its jobs, dossiers and history."""
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from engine.clock import today_in_vietnam
from engine.dossiers.workflows import decisions_for, definition, facts
from engine.jobs.dispatchers import inline_units_of_work
from engine.model import Role, TaskStatus
from engine.organisation import accounts, tokens
from engine.reporting import periods
from engine.storage.database import make_engine, make_session_factory
from engine.storage.tables import AuditRow, DossierRow, HumanTaskRow, JobRow
from engine.workflow.running import Instance
from tests.support.builders import PASSWORD


class Deployment:
    def __init__(self, database_url: str):
        self.url = database_url
        self.new_uow = inline_units_of_work(make_session_factory(make_engine(database_url)))
        self.today = today_in_vietnam(self.new_uow().clock)

    def official(self, username: str, role: Role, unit: str | None):
        return accounts.create_user(username, PASSWORD, role, unit, self.new_uow())

    def token(self, official) -> str:
        return tokens.create_token(official, "test", ["read", "act"], 1, self.new_uow()).secret

    def open_annual_period(self, ministry) -> None:
        periods.open_reporting_period("annual_models", self.today.year, ministry, self.new_uow(),
                                      province_deadline=self.today + timedelta(days=20))

    def commune_deadline(self) -> str:
        return (self.today + timedelta(days=10)).isoformat()

    def jobs(self) -> list[JobRow]:
        with self.new_uow() as uow:
            return list(uow.session.scalars(select(JobRow).order_by(JobRow.id)))

    def commune_reports(self, province: str | None = None) -> tuple[int, int]:
        """(commune reports of the province, or of every province; distinct communes among them)."""
        row = DossierRow
        where = [row.title == "annual_models", row.commune_code != row.province_code]
        with self.new_uow() as uow:
            return tuple(uow.session.execute(select(func.count(), func.count(row.commune_code.distinct())).where(
                *where, *([row.province_code == province] if province else []))).one())

    def communes(self, province: str | None = None) -> int:
        with self.new_uow() as uow:
            return sum(len(uow.units.communes_of(code)) for code in
                       ([province] if province else [p.code for p in uow.units.provinces()]))

    def audited(self, action: str) -> Counter:
        """How many history entries of `action` each dossier has."""
        with self.new_uow() as uow:
            return Counter(uow.session.scalars(select(AuditRow.dossier_id).where(AuditRow.action == action)))

    def states_that_do_not_load(self) -> list[str]:
        """Every dossier's stored workflow loaded as the step runner loads it; its open steps must be its open
        tasks. What does not hold, one line a dossier."""
        problems = []
        with self.new_uow() as uow:
            open_tasks = {}
            for dossier_id, task_id in uow.session.execute(select(HumanTaskRow.dossier_id, HumanTaskRow.id).where(
                    HumanTaskRow.status == TaskStatus.OPEN)):
                open_tasks.setdefault(dossier_id, set()).add(task_id)
            for dossier in uow.session.scalars(select(DossierRow).order_by(DossierRow.id)):
                version = uow.processes.get(dossier.process_version_id)
                try:
                    instance = Instance.load(definition(version), dossier.state, decisions_for(uow, dossier),
                                             facts(uow), uow.clock.now())
                except Exception as error:  # noqa: BLE001 - what fails to load is the finding
                    problems.append(f"{dossier.id}: {type(error).__name__}: {error}")
                    continue
                steps = {step.task_id for step in instance.open_steps()}
                if steps != open_tasks.get(dossier.id, set()):
                    problems.append(f"{dossier.id}: open steps {steps} but open tasks {open_tasks.get(dossier.id)}")
        return problems
