"""The process designers' page: deploy diagrams and forms from an external modeller, see every version and its
dossiers, move running dossiers to the newest version."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from engine.designing import deployments, moving_dossiers
from engine.errors import DeploymentRefused
from web import forms
from web.engine_access import official, uow

bp = Blueprint("designers", __name__)


@bp.route("/deployments", methods=["GET", "POST"])
@login_required
def deployments_page():
    """Upload diagrams, decision tables and forms as one deployment; list the versions with their dossiers."""
    deployments.check_deployer(official())
    status = 200
    if request.method == "POST":
        try:
            results = deployments.deploy(forms.deployment_files(request.files), official(), uow())
        except DeploymentRefused as error:
            flash(f"Không triển khai (không lưu gì): {error}", "error")
            status = 422
        else:
            flash("Đã triển khai: " + "; ".join(
                f"{r.process_id} phiên bản {r.version}" + ("" if r.created else " (không đổi)") for r in results),
                "success")
            return redirect(url_for("designers.deployments_page"))
    return render_template("deployments.html", versions=deployments.list_versions(official(), uow())), status


@bp.route("/deployments/<process_id>/migration", methods=["GET", "POST"])
@login_required
def migration_page(process_id: str):
    """Which running dossiers can move to the newest version (a dry run); the designer then moves them."""
    apply = request.method == "POST"
    migration = moving_dossiers.migrate_dossiers(process_id, official(), uow(), apply=apply)
    if apply:
        flash(f"Đã chuyển {len(migration.movable)} hồ sơ sang phiên bản {migration.to_version}.", "success")
        return redirect(url_for("designers.migration_page", process_id=process_id))
    return render_template("migration.html", migration=migration)
