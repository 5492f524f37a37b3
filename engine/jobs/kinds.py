"""Every kind of job a worker runs, by the name the outbox stores. A job is a function of a JobCall returning what
the job's row keeps as its result; it runs in the job's transaction (in which the job is marked done), and every job
that moves a dossier does it through the step runner."""
from engine.recognition.batch_files import certificate_batch, registry_export
from engine.reporting.fan_out import open_commune_reports

KINDS = {"open_commune_reports": open_commune_reports, "certificate_batch": certificate_batch,
         "registry_export": registry_export}
JOB_KIND_LABELS = {"open_commune_reports": "Mở báo cáo của các xã", "certificate_batch": "In giấy công nhận",
                   "registry_export": "Xuất sổ danh hiệu ra Excel"}
