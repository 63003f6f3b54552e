"""The import pages: the template, the upload, the job page that polls its progress until finished,
the error table and the error report, a dry run, and a job seen only by its own user."""

import io
import shutil
import tempfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from access.rules import Role
from dangvu.testing import BaseTestCase, VisibilityMixin, make_user
from members.models import ImportJob, Member

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"]


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đảng viên"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("danh-sach.xlsx", out.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class ImportPageTests(VisibilityMixin, BaseTestCase):
    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=media, TASKS=IMMEDIATE)
        override.enable()
        self.addCleanup(override.disable)
        self.code = f"#{self.cell_a1.pk}"  # a cell without a code is named by its id

    def good_row(self, name="Hoàng Văn Mới") -> list:
        return [name, "Nam", date(1990, 4, 2), "001090000001", self.code, "Chính thức", date(2015, 6, 1)]

    def upload(self, file, user=None, unit=None, dry_run=False, run=True):
        """Post the upload form; with `run` the task runs at once (immediate backend, after commit)."""
        self.client.force_login(user or self.binh)
        data = {"file": file, "unit": (unit or self.commune_a).pk}
        if dry_run:
            data["dry_run"] = "on"
        with self.captureOnCommitCallbacks(execute=run):
            return self.client.post(reverse("members-import"), data)

    def test_the_page_offers_the_template_and_the_units_binh_may_change(self):
        self.client.force_login(self.binh)
        response = self.client.get(reverse("members-import"))
        self.assertContains(response, reverse("members-import-template"))
        self.assertContains(response, "Tệp Excel (.xlsx) hoặc CSV (.csv)")
        self.assertContains(response, "“CSV UTF-8 (Comma delimited) (*.csv)”")
        self.assertContains(response, 'accept=".xlsx,.csv,')
        units = list(response.context["form"].fields["unit"].queryset)
        self.assertEqual(units, [self.commune_a, self.cell_a1, self.cell_a2])
        template = self.client.get(reverse("members-import-template"))
        self.assertEqual(load_workbook(io.BytesIO(template.content)).sheetnames[:2], ["Đảng viên", "Danh mục"])

    def test_a_file_with_errors_shows_each_error_and_writes_nothing(self):
        bad = self.good_row("Đinh Văn Sai")
        bad[2] = "31/02/1990"
        bad[3] = "00109000001"
        response = self.upload(xlsx([self.good_row(), bad]))
        job = ImportJob.objects.get()
        self.assertEqual(job.state, ImportJob.State.INVALID)
        self.assertRedirects(response, reverse("members-import-job", args=[job.pk]))
        page = self.client.get(response.url)
        self.assertContains(page, "Có lỗi, chưa ghi gì")
        self.assertContains(page, '<td data-label="Cột">Ngày sinh</td><td data-label="Giá trị">31/02/1990</td>')
        self.assertContains(page, "Số CCCD phải có đúng 12 chữ số (đang có 11).")
        self.assertContains(page, reverse("members-import-errors", args=[job.pk]))
        self.assertNotContains(page, 'hx-trigger="every 1s"')
        self.assertEqual([e["row"] for e in page.context["errors"]], [3, 3])
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())
        report = self.client.get(reverse("members-import-errors", args=[job.pk]))
        sheet = load_workbook(io.BytesIO(report.content))["Lỗi"]
        self.assertEqual([c.value for c in sheet[2]][:4], [3, "C3", "Ngày sinh", "31/02/1990"])

    def test_a_good_file_creates_the_members_and_says_so(self):
        response = self.upload(xlsx([self.good_row()]))
        page = self.client.get(response.url)
        self.assertContains(page, "Đã nhập xong")
        self.assertEqual(page.context["job"].created_count, 1)
        self.assertContains(page, "Thêm mới vào Chi bộ thôn An Phú")
        self.assertEqual(Member.objects.get(full_name="Hoàng Văn Mới").unit, self.cell_a1)

    def test_a_dry_run_tells_what_would_change_and_writes_nothing(self):
        page = self.client.get(self.upload(xlsx([self.good_row()]), dry_run=True).url)
        self.assertContains(page, "Đã kiểm tra (chạy thử), chưa ghi")
        self.assertContains(page, "Sẽ thêm mới")
        self.assertFalse(Member.objects.filter(full_name="Hoàng Văn Mới").exists())

    def test_a_csv_goes_through_the_same_form_task_and_report(self):
        header = ";".join(HEADERS)
        good = ";".join(["Hoàng Văn Mới", "Nam", "02/04/1990", "001090000001", self.code, "Chính thức", "01/06/2015"])
        bad = good.replace("Hoàng Văn Mới", "Đinh Văn Sai").replace("02/04/1990", "31/02/1990").replace(
            "001090000001", "")
        content = "\ufeff" + "\r\n".join([header, good, bad]) + "\r\n"
        page = self.client.get(self.upload(SimpleUploadedFile("ds.csv", content.encode(), "text/csv")).url)
        self.assertContains(page, "Có lỗi, chưa ghi gì")
        self.assertContains(page, '<td data-label="Cột">Ngày sinh</td><td data-label="Giá trị">31/02/1990</td>')
        job = ImportJob.objects.get()
        report = self.client.get(reverse("members-import-errors", args=[job.pk]))
        self.assertIn("không có thật", load_workbook(io.BytesIO(report.content))["Đảng viên"]["C3"].comment.text)
        content = "\ufeff" + "\r\n".join([header, good]) + "\r\n"
        page = self.client.get(self.upload(SimpleUploadedFile("ds.csv", content.encode(), "text/csv")).url)
        self.assertContains(page, "Đã nhập xong")
        self.assertEqual(Member.objects.get(citizen_id="001090000001").full_name, "Hoàng Văn Mới")

    def test_a_file_that_is_neither_xlsx_nor_csv_is_named_as_such(self):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        page = self.client.get(self.upload(SimpleUploadedFile("ds.csv", png, "text/csv")).url)
        self.assertContains(page, "Tệp không phải Excel .xlsx hay CSV")

    def test_while_the_job_runs_the_fragment_polls_every_second(self):
        response = self.upload(xlsx([self.good_row()]), run=False)  # no worker: the job stays queued
        page = self.client.get(response.url)
        self.assertContains(page, 'hx-trigger="every 1s"')
        self.assertContains(page, 'role="progressbar"')
        fragment = self.client.get(response.url, HTTP_HX_REQUEST="true")
        self.assertTrue(fragment.content.decode().lstrip().startswith('<section id="tien-do"'))
        self.assertContains(fragment, 'hx-trigger="every 1s"')
        ImportJob.objects.update(state=ImportJob.State.DONE)
        finished = self.client.get(response.url, HTTP_HX_REQUEST="true")
        self.assertNotContains(finished, "hx-trigger")  # polling stops
        self.assertContains(finished, "Đã nhập xong")

    def test_a_job_is_seen_only_by_its_user(self):
        job_url = self.upload(xlsx([self.good_row()])).url
        self.client.force_login(self.an)  # sees commune A, but did not start this import
        self.assertEqual(self.client.get(job_url).status_code, 404)
        self.assert_page_hidden_from_dung(job_url)
        job = ImportJob.objects.get()
        self.assert_page_hidden_from_dung(reverse("members-import-errors", args=[job.pk]))

    def test_binh_cannot_import_into_commune_b(self):
        response = self.upload(xlsx([self.good_row()]), unit=self.commune_b)
        self.assertEqual(response.status_code, 200)
        self.assertIn("unit", response.context["form"].errors)
        self.assertFalse(ImportJob.objects.exists())

    def test_a_missing_file_is_explained(self):
        self.client.force_login(self.binh)
        response = self.client.post(reverse("members-import"), {"unit": self.commune_a.pk})
        self.assertEqual(response.context["form"].errors["file"], ["Hãy chọn tệp Excel (.xlsx) hoặc CSV (.csv) cần nhập."])

    @override_settings(MEMBER_IMPORT_MAX_BYTES=1000)
    def test_a_file_over_the_limit_is_refused_on_the_form(self):
        response = self.upload(xlsx([self.good_row()]))
        self.assertIn("quá giới hạn", response.context["form"].errors["file"][0])
        self.assertFalse(ImportJob.objects.exists())

    def test_a_viewer_may_not_import(self):
        self.client.force_login(make_user("xem", self.commune_a, Role.VIEWER))
        self.assertEqual(self.client.get(reverse("members-import")).status_code, 403)
        self.assertEqual(self.client.get(reverse("members-import-template")).status_code, 403)

    def test_dungs_template_holds_nothing_of_commune_a(self):
        self.client.force_login(self.dung)
        content = self.client.get(reverse("members-import-template")).content
        wb = load_workbook(io.BytesIO(content))
        self.assert_no_trace_of_a(" ".join(str(c.value) for ws in wb for r in ws.iter_rows() for c in r if c.value))

    @override_settings(DEBUG=False)
    def test_the_pages_render_with_debug_off(self):
        self.client.force_login(self.binh)
        self.assertEqual(self.client.get(reverse("members-import")).status_code, 200)
        page = self.client.get(self.upload(xlsx([self.good_row()])).url)
        self.assertContains(page, "Đã nhập xong")
