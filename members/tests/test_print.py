"""Word files as they print: each generated .docx rendered to PDF by LibreOffice (headless), then its
text read back with pdftotext, so a date, number or party-card number broken over two lines shows.

The binaries are Debian's `libreoffice-writer-nogui` and `poppler-utils`; `make test` installs them
(scripts/test.sh), SOFFICE and PDFTOTEXT name others.
"""

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from django.test import TestCase

from core.text import vn_date
from dangvu.testing import make_member, make_unit
from members.exporter import export_docx
from members.models import Member, Status
from orgs.models import Kind

ON = date(2026, 11, 23)
# Long Vietnamese names, positions and notes: the columns of text must wrap, never the dates.
NAMES = ["Nguyễn Thị Phương Thảo Nguyên", "Trần Văn Hùng", "Lê Hoàng Nguyễn Bảo Khánh Linh", "Phạm Đức Anh"]
POSITIONS = ["Phó Bí thư Chi bộ, Trưởng ban Công tác Mặt trận thôn", "", "Chi ủy viên", "Bí thư Chi đoàn"]


def binary(env: str, default: str) -> str:
    found = shutil.which(os.environ.get(env, default))
    if found is None:
        raise AssertionError(f"Thiếu {default} ({env}): chạy `make test` để cài, hoặc đặt {env}.")
    return found


def printed_text(docx: bytes) -> str:
    """The text of the PDF LibreOffice prints from `docx`, laid out as on the page."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.docx"
        path.write_bytes(docx)
        # A profile of its own: a LibreOffice already running (another test run) would take the job otherwise.
        subprocess.run([binary("SOFFICE", "soffice"), f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(path)],
                       check=True, capture_output=True, timeout=180)
        pdf = path.with_suffix(".pdf")
        assert pdf.exists(), "LibreOffice did not write the PDF"
        out = subprocess.run([binary("PDFTOTEXT", "pdftotext"), "-layout", str(pdf), "-"], check=True,
                             capture_output=True, timeout=60)
        return out.stdout.decode()


class PrintedWordListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        commune = make_unit(None, "Đảng bộ xã An Hòa", Kind.COMMUNE, short_name="Xã An Hòa")
        cls.cell = make_unit(commune, "Chi bộ Giáo viên Tự nhiên")
        cls.members = []
        for i, name in enumerate(NAMES):
            status = Status.PROBATIONARY if i == 1 else Status.OFFICIAL
            cls.members.append(make_member(
                cls.cell, name, birth_date=date(1990 + i, 3, 7 + i), admitted_on=date(2015 + i, 12, 19 + i),
                status=status, position=POSITIONS[i], party_card_number="" if i == 1 else f"{9876543 + i:08d}"))

    def test_no_date_or_number_breaks_when_libreoffice_prints_the_list(self):
        text = printed_text(export_docx(Member.objects.filter(unit=self.cell), self.cell, ON))
        lines = text.splitlines()
        whole = {m.group() for line in lines for m in re.finditer(r"\d[\d/]*", line)}
        expected = {str(n) for n in range(1, len(NAMES) + 1)}
        for m in self.members:
            expected |= {vn_date(m.birth_date), vn_date(m.admitted_on), vn_date(m.recognized_on)}
            expected.add(m.party_card_number)
        expected.discard("")
        missing = sorted(expected - whole)
        self.assertFalse(missing, f"split over two lines when printed: {missing}\n{text}")
        # And no piece of one: every other run of digits is the date the list is made on.
        pieces = {w for w in whole - expected if "/" in w or len(w) >= 3} - {vn_date(ON), str(ON.year)}
        self.assertFalse(pieces, f"pieces of dates or numbers: {sorted(pieces)}\n{text}")
