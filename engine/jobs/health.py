"""Use case: whether the database answers, and how the outbox stands (jobs waiting too long, dead jobs)."""
from engine.jobs.outbox import RELAY_GRACE
from engine.storage.unit_of_work import UnitOfWork


def database_health(uow: UnitOfWork) -> dict:
    """{"ok", "waiting": queued jobs older than the relay's grace, "oldest_waiting_seconds", "dead"}; raises what the
    database raises when it does not answer."""
    with uow.reading():
        now = uow.clock.now()
        waiting, oldest, dead = uow.jobs.backlog(now - RELAY_GRACE)
    return {"ok": True, "waiting": waiting, "dead": dead,
            "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else None}
