"""Background work as officials, administrators and load balancers see it: the jobs an official asked for and the
files they made; for an administrator every job (the dead-letter list first) and a retry; the health endpoint saying
whether the database, the broker and the workers answer."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.exc import SQLAlchemyError

from engine.jobs import dead_letters, health, results
from engine.model import JobStatus, Role
from web import exports
from web.engine_access import app_engine, official, uow

bp = Blueprint("jobs", __name__)


@bp.route("/jobs")
@login_required
def jobs_page():
    """An administrator: the jobs of one status, the dead-letter list by default (`?status=all`: every status).
    Anyone else: the jobs they asked for."""
    if official().role != Role.ADMIN:
        return render_template("jobs.html", jobs=results.my_jobs(official(), uow()), status=None, statuses=[])
    status = request.args.get("status", JobStatus.DEAD)
    shown = None if status not in set(JobStatus) else status
    return render_template("jobs.html", jobs=dead_letters.list_jobs(official(), uow(), shown), status=status,
                           statuses=list(JobStatus))


@bp.route("/jobs/<int:job_id>")
@login_required
def job_page(job_id: int):
    """How a job I asked for stands, with its file once made (the page reloads itself while the job waits)."""
    return render_template("job.html", progress=results.job_progress(job_id, official(), uow()))


@bp.route("/jobs/<int:job_id>/file")
@login_required
def job_file(job_id: int):
    """The file a job I asked for made."""
    name, media_type, content = results.job_file(job_id, official(), uow())
    return exports.send(content, media_type, name)


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@login_required
def retry(job_id: int):
    """Queue a dead job again."""
    dead_letters.retry_job(job_id, official(), uow())
    flash(f"Đã đưa việc nền {job_id} vào hàng chờ chạy lại.", "success")
    return redirect(url_for("jobs.jobs_page"))


@bp.route("/health")
def health_check():
    """200 when the database, the broker and a worker answer (or jobs run in this process); 503 naming what does
    not. Public: it says nothing about dossiers or officials."""
    engine = app_engine()
    try:
        database = health.database_health(engine.uow())
    except SQLAlchemyError as error:
        database = {"ok": False, "error": type(error).__name__}
    answer = {"database": database, **engine.dispatcher.health()}
    healthy = all(part["ok"] for part in answer.values())
    return jsonify({"ok": healthy, **answer}), 200 if healthy else 503
