import io
from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    """Imports run inside the request (no worker in tests); uploads go to a temporary folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path


def test_binh_finds_a_member_without_diacritics_edits_the_phone_and_sees_the_audit_entry(world, live_server, page):
    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/")
    results = page.locator("#ket-qua")
    assert "Lê Văn Cường" in results.inner_text()

    # Typing refreshes the list in place: the page is not reloaded (the marker survives).
    page.evaluate("window.stillHere = true")
    page.fill("input[name=q]", "nguyen van anh")
    # A locator's wait, not wait_for_function: that one evaluates a string, which the page's CSP forbids.
    expect(results).not_to_contain_text("Lê Văn Cường")
    assert "Nguyễn Văn Ánh" in results.inner_text()
    assert page.evaluate("window.stillHere") is True
    assert "q=nguyen%20van%20anh" in page.url  # the address keeps the search (back, reload, share)

    page.get_by_role("link", name="Nguyễn Văn Ánh").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{world.member_a1.pk}/")
    page.get_by_role("link", name="Sửa hồ sơ").click()
    page.fill("input[name=phone]", "0987 654 321")
    page.get_by_role("button", name="Lưu thay đổi").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/{world.member_a1.pk}/")
    main = page.locator("main").inner_text()
    assert "Đã lưu hồ sơ của Nguyễn Văn Ánh." in main
    assert "0987 654 321" in page.locator("section.card", has_text="Sơ yếu lý lịch").inner_text()
    audit = page.locator("#nhat-ky").inner_text()
    assert "Sửa hồ sơ đảng viên" in audit
    assert "Điện thoại" in audit and "0987 654 321" in audit


def test_binh_uploads_a_file_with_errors_and_reads_the_report_in_the_page(world, live_server, page, immediate_tasks):
    wb = Workbook()
    ws = wb.active
    ws.title = "Đảng viên"
    ws.append(["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng"])
    ws.append(["Hoàng Văn Mới", "Nam", date(1990, 4, 2), "00109000001", f"#{world.cell_a1.pk}", "Chính thức",
               date(2015, 6, 1)])
    ws.append(["Đinh Thị Hoa", "Nữ", "31/02/1991", "", f"#{world.cell_a1.pk}", "Chính thức", date(2016, 6, 1)])
    content = io.BytesIO()
    wb.save(content)

    log_in(page, live_server, "binh")
    page.wait_for_url(f"{live_server.url}/to-chuc/")
    page.goto(f"{live_server.url}/dang-vien/nhap/")
    page.set_input_files("input[name=file]", files=[
        {"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": content.getvalue()}])
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(f"{live_server.url}/dang-vien/nhap/*/")
    page.get_by_text("Có lỗi, chưa ghi gì").wait_for()
    report = page.locator("#tien-do").inner_text()
    assert "Số CCCD phải có đúng 12 chữ số (đang có 11)." in report
    assert "31/02/1991" in report
    assert page.get_by_role("link", name="Tải tệp báo lỗi (.xlsx)").is_visible()
    from members.models import Member

    assert not Member.objects.filter(full_name__in=["Hoàng Văn Mới", "Đinh Thị Hoa"]).exists()
