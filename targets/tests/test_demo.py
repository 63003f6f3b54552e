from django.test import TestCase

from bodies.demo import load_bodies_demo
from dangvu.testing import make_user
from members.demo import load_demo
from orgs.models import OrgUnit
from targets import tables
from targets.demo import load_targets_demo
from targets.models import Target
from targets.rules import Status


class DemoTests(TestCase):
    def test_the_demo_loads_once_with_targets_met_and_not_met(self):
        load_demo()
        load_bodies_demo()
        self.assertTrue(load_targets_demo())
        self.assertFalse(load_targets_demo())
        province = OrgUnit.objects.get(code="DEMO-SN")
        tinh = make_user("tinh_test", province)
        table = tables.rows(tables.unit_targets(province, tinh, 2025), 2025, tinh, depth=1)
        status = {r.target.name: r.status for r in table}
        self.assertEqual(status["Kết nạp đảng viên mới"], Status.NOT_ACHIEVED)  # 47 + 30 of 80
        self.assertEqual(status["Thu nhập bình quân đầu người"], Status.EXCEEDED)
        self.assertEqual(status["Tỷ lệ hộ nghèo"], Status.NOT_ACHIEVED)
        self.assertEqual(tables.summary(table).text, "3/6 chỉ tiêu chưa đạt")
        share = Target.objects.get(name="Tỷ lệ đảng viên so với dân số")
        [row] = tables.rows([share], 2026, tinh)
        self.assertAlmostEqual(float(row.value), 3.9, delta=0.05)
