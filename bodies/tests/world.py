"""The named world (dangvu.testing) with bodies: commune A's committee and inspection commission, cell A1's
chi ủy, commune B's committee, the province's committee."""

from datetime import date

from bodies import services
from bodies.rules import BodyKind
from dangvu.testing import REFORM, BaseTestCase

DAY = date(2025, 9, 1)


class BodiesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def body(unit, kind, name, symbol, size=None, since=REFORM):
            return services.create_body(unit, kind=kind, name=name, symbol=symbol, size=size, valid_from=since,
                                        by=None)

        cls.tu = body(cls.province, BodyKind.COMMITTEE, "Tỉnh ủy Thử Nghiệm", "TU", 5, since=date(2015, 1, 1))
        cls.du_a = body(cls.commune_a, BodyKind.COMMITTEE, "Đảng ủy xã An Hòa", "ĐU", 3)
        cls.ubkt_a = body(cls.commune_a, BodyKind.INSPECTION, "Ủy ban Kiểm tra Đảng ủy xã An Hòa", "UBKTĐU", 3)
        cls.chi_uy_a1 = body(cls.cell_a1, BodyKind.CELL_COMMITTEE, "Chi ủy Chi bộ thôn An Phú", "CB", 2)
        cls.du_b = body(cls.commune_b, BodyKind.COMMITTEE, "Đảng ủy xã Bình Sơn", "ĐU", 3)
