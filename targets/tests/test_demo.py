"""The demo's targets (targets/demo.py), as `make run` loads them through the load_demo command after the
documents' demo: the same 82-KH/TU, commune A's own plan, B without one."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from documents.models import Document
from orgs.models import OrgUnit
from targets import tables
from targets.demo import load_targets_demo
from targets.models import Target
from targets.rules import Status


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.tinh = get_user_model().objects.get(username="tinh")
        cls.province = OrgUnit.objects.get(code="DEMO-SN")

    def test_a_second_run_adds_nothing_and_the_documents_are_the_documents_demos(self):
        n = Target.objects.count()
        self.assertFalse(load_targets_demo())
        self.assertEqual(Target.objects.count(), n)
        plan = Document.objects.get(unit=self.province, doc_type="KH", number=82, issuer="TU")
        self.assertEqual(Document.objects.filter(doc_type="KL", number=21, issuer="TW").count(), 1)
        a, b = (OrgUnit.objects.get(parent=self.province, short_name=name) for name in ("Xã An Hòa", "Xã Bình Sơn"))
        self.assertEqual(Document.objects.filter(unit=a, implements=plan).count(), 1)
        self.assertFalse(Document.objects.filter(unit=b, implements=plan).exists())  # no plan yet: the lineage lists B
        parts = Target.objects.filter(parent__document=plan, parent__name="Kết nạp đảng viên mới")
        self.assertEqual({t.unit: t.document for t in parts}, {a: Document.objects.get(unit=a, implements=plan),
                                                              b: plan})

    def test_the_province_sees_targets_met_and_not_met(self):
        table = tables.rows(tables.unit_targets(self.province, self.tinh, 2025), 2025, self.tinh)
        status = {r.target.name: r.status for r in table}
        self.assertEqual(status["Kết nạp đảng viên mới"], Status.NOT_ACHIEVED)  # 47 + 30 of 80
        self.assertEqual(status["Thu nhập bình quân đầu người"], Status.EXCEEDED)
        self.assertEqual(status["Tỷ lệ hộ nghèo"], Status.NOT_ACHIEVED)
        self.assertEqual(tables.summary(table).text, "3/6 chỉ tiêu chưa đạt")
        [share] = tables.rows([Target.objects.get(name="Tỷ lệ đảng viên so với dân số")], 2026, self.tinh)
        self.assertAlmostEqual(float(share.value), 3.9, delta=0.05)
        r = self.client
        r.force_login(self.tinh)
        self.assertContains(r.get(f"/chi-tieu/to-chuc/{self.province.pk}/?nam=2025"), "3/6 chỉ tiêu chưa đạt")
