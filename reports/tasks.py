"""Report generation as a background task (django-tasks, database backend: `manage.py db_worker`)."""

from django_tasks import task

from reports.models import Report


@task()
def generate_report(report_id: int) -> str:
    from reports.services import run_generation

    # Claim with a compare-and-set, so a task delivered twice generates once.
    claimed = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(status=Report.Status.RUNNING)
    report = Report.objects.select_related("unit", "template", "created_by").get(pk=report_id)
    return run_generation(report).status if claimed else report.status
