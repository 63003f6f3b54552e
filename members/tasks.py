"""The member import as a background task (django-tasks, database backend: `manage.py db_worker`).

`start_import()` keeps the upload (xlsx or CSV) under MEDIA_ROOT/imports/ and queues
`import_members`, which runs `run_import()`: check the whole file (`importer.validate`), then, if
nothing is wrong and it is not a dry run, write it (`importwrite.apply`). The job's progress is
written as plain UPDATEs outside any transaction while the file is checked, so the page's progress
bar moves; the write itself is one short transaction at the end (on SQLite it holds the only write
lock).
"""

import logging
import re
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from core.errors import DomainError
from core.scoping import can
from members import importer, importwrite
from members.models import ImportJob
from members.sheetreader import too_big_message
from orgs.models import OrgUnit

logger = logging.getLogger(__name__)


def start_import(file, user, unit: OrgUnit, dry_run: bool = False) -> ImportJob:
    """Keep the uploaded file and queue its import; the returned job then tells how it goes."""
    if not can(user, "change", unit.path):
        raise DomainError(f"Bạn không có quyền cập nhật đảng viên của “{unit.name}”.", field="unit")
    if file.size > settings.MEMBER_IMPORT_MAX_BYTES:  # refuse before keeping a huge upload
        raise DomainError(too_big_message(file.size), field="file")
    name = (getattr(file, "name", "") or "tep-nhap.xlsx").replace("\\", "/").rsplit("/", 1)[-1]
    job = ImportJob(user=user, unit=unit, org_path=unit.path, original_name=name[:255], dry_run=dry_run)
    job.file.save(_stored_name(name), file, save=False)
    job.save()
    # Queue once the job row is committed, or the worker could look for it before it exists.
    transaction.on_commit(lambda: import_members.enqueue(job.pk))
    return job


def _stored_name(name: str) -> str:
    """A fresh name with the extension the user's file had (.xlsx, .csv…), so that a file in the
    folder says what it is; the reader tells the format from the content, whatever the name says."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    stem = uuid.uuid4().hex
    return f"{stem}.{extension}" if re.fullmatch(r"[a-z0-9]{1,8}", extension) else stem


@task()
def import_members(job_id: int) -> str:
    # Claim the job with a compare-and-set, so a task delivered twice imports once.
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(state=ImportJob.State.RUNNING)
    job = ImportJob.objects.select_related("user", "unit").get(pk=job_id)
    return run_import(job).state if claimed else job.state


def _progress(job: ImportJob, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def run_import(job: ImportJob) -> ImportJob:
    """Check the job's file and, if nothing is wrong and it is not a dry run, write it."""
    State = ImportJob.State
    _progress(job, state=State.RUNNING, processed_rows=0, message="Đang kiểm tra tệp…")
    try:
        with job.file.open("rb") as f:
            result = importer.validate(f, job.user, job.unit, progress=lambda done, total: _progress(
                job, processed_rows=done, total_rows=total))
        if not result.ok:
            _progress(job, state=State.INVALID, errors=list(result.errors), message=result.summary(),
                      errors_left_out=result.errors.left_out,
                      total_rows=result.total_rows, processed_rows=result.total_rows, finished_at=timezone.now())
        else:
            importwrite.save_changes(job, result.changes)
            if job.dry_run:
                _progress(job, state=State.CHECKED, message="Chạy thử: " + result.summary(),
                          total_rows=result.total_rows, processed_rows=result.total_rows,
                          created_count=len(result.creates), updated_count=len(result.updates),
                          unchanged_count=result.unchanged, finished_at=timezone.now())
            else:
                _progress(job, message="Đang ghi vào cơ sở dữ liệu…")
                importwrite.apply(result, user=job.user, unit=job.unit, job=job)
    except IntegrityError:
        # Checked, then someone else wrote a clashing row (a CCCD) before our write: nothing was written.
        logger.warning("import %s collided with a concurrent write", job.pk, exc_info=True)
        _progress(job, state=State.FAILED, finished_at=timezone.now(),
                  message="Trong lúc nhập, dữ liệu đã thay đổi ở nơi khác (ví dụ một số CCCD vừa được ghi); chưa ghi "
                          "gì. Hãy tải tệp lên lại.")
    except Exception:  # a bug must end the job, not leave it "running" forever
        logger.exception("import %s failed", job.pk)
        _progress(job, state=State.FAILED, finished_at=timezone.now(),
                  message="Lỗi hệ thống khi nhập; chưa ghi gì. Hãy thử lại hoặc báo quản trị hệ thống.")
    job.refresh_from_db()
    return job
