"""The named world (dangvu.testing) with what oversight needs: the inspection officer `kiemtra_a` and the
organization officer `xa_a` of commune A, the bodies that decide (the province's inspection commission, commune
A's committee and inspection commission, cell A1's chi ủy), and members admitted long ago."""

from datetime import date

from access.rules import Role
from bodies import services as bodies_services
from bodies.rules import BodyKind, Title
from dangvu.testing import BaseTestCase, make_member, make_user

SINCE = date(2000, 1, 1)
DAY = date(2026, 3, 2)


class OversightTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def body(unit, kind, name, symbol):
            return bodies_services.create_body(unit, kind=kind, name=name, symbol=symbol, valid_from=SINCE, by=None)

        cls.kiemtra_a = make_user("kiemtra_a", cls.commune_a, Role.INSPECTION)
        cls.kiemtra_b = make_user("kiemtra_b", cls.commune_b, Role.INSPECTION)
        cls.xa_a = make_user("xa_a", cls.commune_a, Role.ORGANIZATION)
        cls.kiemtra_tinh = make_user("kiemtra_tinh", cls.province, Role.INSPECTION)
        cls.ubkt_tu = body(cls.province, BodyKind.INSPECTION, "Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU")
        cls.tu = body(cls.province, BodyKind.COMMITTEE, "Tỉnh ủy Thử Nghiệm", "TU")
        cls.du_a = body(cls.commune_a, BodyKind.COMMITTEE, "Đảng ủy xã An Hòa", "ĐU")
        cls.ubkt_a = body(cls.commune_a, BodyKind.INSPECTION, "Ủy ban Kiểm tra Đảng ủy xã An Hòa", "UBKTĐU")
        cls.chi_uy_a1 = body(cls.cell_a1, BodyKind.CELL_COMMITTEE, "Chi ủy Chi bộ thôn An Phú", "CB")
        cls.du_b = body(cls.commune_b, BodyKind.COMMITTEE, "Đảng ủy xã Bình Sơn", "ĐU")
        cls.ubkt_b = body(cls.commune_b, BodyKind.INSPECTION, "Ủy ban Kiểm tra Đảng ủy xã Bình Sơn", "UBKTĐU")
        cls.old_a1 = make_member(cls.cell_a1, "Hoàng Văn Em", admitted_on=date(2005, 3, 1))
        cls.old_a2 = make_member(cls.cell_a2, "Vũ Thị Gấm", admitted_on=date(2006, 4, 1))
        cls.secretary_a1 = make_member(cls.cell_a1, "Đỗ Văn Hùng", admitted_on=date(2004, 1, 1))
        cls.post = bodies_services.add_post(cls.chi_uy_a1, cls.secretary_a1, title=Title.SECRETARY,
                                            from_on=date(2020, 1, 1), by=None)
        # Cell A1 has 9 official members on DAY (member_a1 becomes official only on 01/7/2026): the denominator of
        # its votes (services.cell_vote_bounds).
        cls.extras_a1 = [make_member(cls.cell_a1, f"Đảng viên An Phú {i}", admitted_on=date(2010, 1, 4))
                         for i in range(1, 8)]
        cls.committee_a = make_member(cls.cell_a2, "Bùi Văn Khoa", admitted_on=date(2003, 1, 1))
        bodies_services.add_post(cls.du_a, cls.committee_a, title=Title.COMMITTEE_MEMBER, from_on=date(2021, 1, 1),
                                 by=None)
