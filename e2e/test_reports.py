import io
import re
import zipfile

import pytest

from e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_binh_generates_commune_as_quarterly_report_and_downloads_the_word_file(world, live_server, page, settings,
                                                                                 tmp_path, monkeypatch):
    from reports.tests.helpers import IMMEDIATE, test_indicators

    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setenv("SOFFICE", "soffice-not-installed")  # the Word file is what this test reads
    with test_indicators():
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, live_server, "binh")
        page.wait_for_url(f"{live_server.url}/to-chuc/")
        page.goto(f"{live_server.url}/bao-cao/moi/")
        page.select_option("#id_unit", label="Đảng bộ xã An Hòa")
        page.select_option("#id_template", label="Sơ kết công tác xây dựng Đảng quý")
        page.fill("#id_period_start", "01/10/2025")
        page.fill("#id_period_end", "31/12/2025")
        page.get_by_role("button", name="Lập báo cáo").click()
        page.wait_for_url(re.compile(r"/bao-cao/\d+/$"))
        page.fill("#id_ket_qua", "Các chi bộ sinh hoạt đều đặn.")
        page.get_by_role("button", name="Lưu các mục").click()
        page.get_by_role("button", name="Tạo tệp báo cáo").click()
        assert "chưa cài LibreOffice" in page.locator("main").inner_text()
        with page.expect_download() as info:
            page.locator("#tai-docx").click()
        data = open(info.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "ĐẢNG BỘ XÃ AN HÒA" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert re.search(r"Số 01-BC/\S+", text)
    assert "Tổng số đảng viên: 3." in text  # a1, a1_prob, a2
    assert "Các chi bộ sinh hoạt đều đặn." in text
