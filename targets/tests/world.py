"""The named world (dangvu.testing) with the documents targets hang on: 21-KL/TW, the province's plan
82-KH/TU implementing it, and the plans of communes A (25-KH/ĐU) and B (31-KH/ĐU) implementing that."""

import io
from datetime import date

from openpyxl import Workbook

from dangvu.testing import BaseTestCase
from documents.models import Document
from targets import services
from targets.models import TargetGroup
from targets.rules import Direction, Kind


def make_document(unit, doc_type, number, issuer, on, title, implements=None):
    return Document.objects.create(unit=unit, doc_type=doc_type, number=number, issuer=issuer, issued_on=on,
                                   title=title, implements=implements)


def group(code: str) -> TargetGroup:
    return TargetGroup.objects.get(code=code)


def workbook(rows, header=("Nhóm", "Tên chỉ tiêu", "Loại", "Chiều", "Đơn vị tính", "Năm", "Kế hoạch", "Kết quả",
                           "Minh chứng")) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "chi-tieu.xlsx"
    return out


class TargetsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kl21 = make_document(None, "KL", 21, "TW", date(2021, 10, 25),
                                 "Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị")
        cls.plan = make_document(cls.province, "KH", 82, "TU", date(2021, 12, 10), "Kế hoạch thực hiện Kết luận 21",
                                 implements=cls.kl21)
        cls.plan_a = make_document(cls.commune_a, "KH", 25, "ĐU", date(2022, 1, 5), "Kế hoạch thực hiện 82-KH/TU",
                                   implements=cls.plan)
        cls.plan_b = make_document(cls.commune_b, "KH", 31, "ĐU", date(2022, 1, 6), "Kế hoạch thực hiện 82-KH/TU",
                                   implements=cls.plan)

    def target(self, unit=None, plans=None, kind=Kind.COUNT, direction=Direction.AT_LEAST, name="Kết nạp đảng viên",
               document=None, **kw):
        return services.create_target(document=document or self.plan, unit=unit or self.province,
                                      group=group(kw.pop("group", "xay_dung_dang")), name=name, kind=kind,
                                      direction=direction, plans=plans or {2024: 100}, by=None, **kw)
