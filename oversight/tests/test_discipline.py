"""The rules a discipline decision keeps, on both sides of every threshold and time limit; each refusal names
its rule and writes nothing."""

from datetime import date

from audit.models import AuditEntry
from core.errors import DomainError
from members.models import MemberEvent, Status
from members.rules import add_months
from oversight import services
from oversight.models import AppealOutcome, DisciplineDecision
from oversight.rules import Category, Form
from oversight.tests.world import DAY, OversightTestCase


class DisciplineTest(OversightTestCase):
    def decide(self, **kw):
        args = {"deciding_unit": self.cell_a1, "deciding_body": None, "form": Form.REPRIMAND, "member": self.old_a1,
                "votes_for": 5, "votes_total": 9, "violation_on": date(2025, 11, 3), "decision_number": "01-QĐ/CB",
                "decided_on": DAY, "reason": "Vi phạm Luật Thủy sản", "by": self.kiemtra_a}
        args.update(kw)
        return services.decide(**args)

    def refused(self, **kw) -> str:
        before = (DisciplineDecision.objects.count(), AuditEntry.objects.count(), MemberEvent.objects.count())
        with self.assertRaises(DomainError) as ctx:
            self.decide(**kw)
        after = (DisciplineDecision.objects.count(), AuditEntry.objects.count(), MemberEvent.objects.count())
        self.assertEqual(after, before, "a refusal wrote something")
        return ctx.exception.message

    def test_the_cell_reprimands_its_member_with_an_audit_entry(self):
        d = self.decide()
        self.assertEqual((d.deciding_level, d.deciding_name, d.subject_path), ("chi_bo", self.cell_a1.name,
                                                                              self.old_a1.org_path))
        self.assertTrue(AuditEntry.objects.filter(action="oversight.discipline.decided", object_id=str(d.pk)).exists())

    def test_the_cell_may_not_expel_and_the_message_cites_the_rule(self):
        message = self.refused(form=Form.EXPULSION, proposal_for=9, proposal_total=9)
        self.assertIn("Điều lệ Đảng 2011 Điều 36 khoản 1", message)
        self.assertIn("khai trừ", message)

    def test_the_cell_may_not_judge_a_task_given_by_a_higher_level(self):
        self.assertIn("cấp trên giao", self.refused(categories=[Category.HIGHER_TASK]))
        self.decide(categories=[Category.FORBIDDEN])

    def test_the_cell_may_not_judge_a_member_of_another_cell(self):
        self.assertIn("không sinh hoạt trong", self.refused(member=self.old_a2))

    def test_forms_by_subject(self):
        self.assertIn("Đảng viên dự bị chỉ có thể bị khiển trách, cảnh cáo",
                      self.refused(member=self.member_a1_prob, form=Form.REMOVAL, deciding_unit=self.commune_a,
                                   deciding_body=self.du_a))
        self.decide(member=self.member_a1_prob, form=Form.WARNING)
        self.assertIn("Tổ chức đảng chỉ có thể bị", self.refused(member=None, subject_unit=self.cell_a2,
                                                                 form=Form.EXPULSION, deciding_unit=self.commune_a,
                                                                 deciding_body=self.du_a))

    def test_removal_only_of_a_member_holding_a_post(self):
        commune = {"deciding_unit": self.commune_a, "deciding_body": self.du_a, "form": Form.REMOVAL}
        self.assertIn("không giữ chức vụ", self.refused(member=self.old_a1, **commune))
        d = self.decide(member=self.secretary_a1, **commune)
        self.assertEqual(d.form, Form.REMOVAL)

    def test_majority_more_than_half_both_sides(self):
        commune = {"deciding_unit": self.commune_a, "deciding_body": self.du_a}
        self.assertIn("quá một nửa", self.refused(votes_for=5, votes_total=10, **commune))
        self.decide(votes_for=6, votes_total=10, **commune)

    def test_the_cells_denominator_is_all_its_official_members_less_those_away(self):
        self.assertIn("có 9 đảng viên chính thức", self.refused(votes_for=6, votes_total=10))
        self.assertIn("ít nhất 9", self.refused(votes_for=5, votes_total=8))
        from members.choices import EventKind
        from members.services import record_event

        record_event(self.extras_a1[0], EventKind.EXCUSED, on=date(2026, 1, 5), by=None)
        self.assertIn("ít nhất 8", self.refused(votes_for=4, votes_total=7))
        self.decide(votes_for=5, votes_total=8)

    def test_expulsion_needs_two_thirds_proposing_and_ends_membership(self):
        commune = {"deciding_unit": self.commune_a, "deciding_body": self.du_a, "form": Form.EXPULSION}
        self.assertIn("hai phần ba", self.refused(proposal_for=5, proposal_total=9, **commune))
        self.assertIn("số đề nghị", self.refused(**commune))
        d = self.decide(proposal_for=6, proposal_total=9, effective_on=date(2026, 3, 5), **commune)
        self.old_a1.refresh_from_db()
        self.assertEqual(self.old_a1.status, Status.EXPELLED)
        event = MemberEvent.objects.get(member=self.old_a1, kind="khai_tru")
        self.assertEqual((event.on, event.decision_number), (date(2026, 3, 5), "01-QĐ/CB"))
        self.assertIsNone(d.lapses_on)

    def test_time_limit_five_years_for_reprimand_both_sides(self):
        self.assertIn("hết thời hiệu", self.refused(violation_on=date(2021, 3, 1)))
        self.assertIn("Quy định 69-QĐ/TW Điều 4", self.refused(violation_on=date(2021, 3, 1)))
        self.decide(violation_on=date(2021, 3, 2))

    def test_time_limit_ten_years_for_warning_and_none_for_expulsion(self):
        self.assertIn("10 năm", self.refused(form=Form.WARNING, violation_on=date(2016, 3, 1)))
        self.decide(form=Form.WARNING, violation_on=date(2016, 3, 2))
        self.decide(form=Form.EXPULSION, deciding_unit=self.commune_a, deciding_body=self.du_a, member=self.old_a2,
                    violation_on=date(2006, 5, 1), proposal_for=7, proposal_total=9)

    def test_deferral_and_new_violation_extend_the_time_limit(self):
        self.decide(violation_on=date(2021, 2, 27), deferred_days=3)
        self.decide(member=self.member_a1, violation_on=date(2020, 1, 1), new_violation_on=date(2022, 1, 1))

    def test_no_limit_for_internal_politics(self):
        self.decide(violation_on=date(2010, 1, 1), categories=[Category.INTERNAL_POLITICS])

    def test_dates_in_the_wrong_order_are_refused(self):
        self.assertIn("trước ngày vi phạm", self.refused(violation_on=date(2026, 3, 3)))
        self.assertIn("Ngày công bố", self.refused(effective_on=date(2026, 3, 1)))

    def test_a_second_decision_for_the_same_violation_is_refused(self):
        self.decide()
        self.assertIn("chỉ bị xử lý một lần", self.refused(form=Form.WARNING, deciding_unit=self.commune_a,
                                                            deciding_body=self.du_a))

    def test_inspection_commission_may_not_discipline_its_own_committee(self):
        message = self.refused(member=self.committee_a, deciding_unit=self.commune_a, deciding_body=self.ubkt_a)
        self.assertIn("cấp ủy viên cùng cấp", message)
        self.decide(member=self.committee_a, deciding_unit=self.commune_a, deciding_body=self.du_a)

    def test_an_officer_without_the_inspection_right_is_refused(self):
        self.assertIn("không có quyền", self.refused(by=self.xa_a))
        self.assertIn("không có quyền", self.refused(by=self.kiemtra_b))

    def test_appeal_within_one_month_both_sides(self):
        d = self.decide(effective_on=date(2026, 3, 10))
        with self.assertRaises(DomainError) as ctx:
            services.appeal(d, appealed_on=date(2026, 4, 11), appeal_to="UBKT Tỉnh ủy", by=self.kiemtra_a)
        self.assertIn("Điều 39", ctx.exception.message)
        d = services.appeal(d, appealed_on=date(2026, 4, 10), appeal_to="UBKT Tỉnh ủy", by=self.kiemtra_a)
        self.assertIsNone(d.lapses_on)
        self.assertTrue(d.in_force_on(date(2026, 4, 20)), "in force while the appeal is pending")
        d = services.settle_appeal(d, outcome=AppealOutcome.CANCELLED, on=date(2026, 5, 1), by=self.kiemtra_a)
        self.assertFalse(d.in_force_on(date(2026, 5, 2)))

    def test_lapse_twelve_months_after_announcement(self):
        d = self.decide(effective_on=date(2026, 3, 10))
        self.assertEqual(d.lapses_on, add_months(date(2026, 3, 10), 12))
        self.assertTrue(d.in_force_on(date(2027, 3, 9)))
        self.assertFalse(d.in_force_on(date(2027, 3, 10)))


class SeedTwoTest(OversightTestCase):
    """Seed 002: three members disciplined by three bodies in 2021, with their reasons."""

    def test_the_three_decisions_are_recorded(self):
        on = date(2021, 9, 15)
        common = {"votes_for": 5, "votes_total": 9, "violation_on": date(2021, 5, 1), "decided_on": on,
                  "by": self.kiemtra_tinh}
        a = services.decide(deciding_unit=self.province, deciding_body=self.ubkt_tu, form=Form.REPRIMAND,
                            member=self.old_a2, categories=[Category.LEADERSHIP], decision_number="12-QĐ/UBKTTU",
                            reason="Buông lỏng công tác lãnh đạo, để cấp dưới thực hiện sai", **common)
        b = services.decide(deciding_unit=self.commune_a, deciding_body=self.du_a, form=Form.WARNING,
                            member=self.secretary_a1, categories=[Category.FORBIDDEN], decision_number="05-QĐ/ĐU",
                            reason="Vi phạm những điều đảng viên không được làm", **common)
        c = services.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=self.old_a1,
                            categories=[Category.LAW], decision_number="01-QĐ/CB",
                            reason="Vi phạm Luật Thủy sản", **common)
        self.assertEqual([x.deciding_level for x in (a, b, c)], ["tren_co_so", "co_so", "chi_bo"])
        # In 2021 a commune's committee was a grassroots committee: it could not expel.
        with self.assertRaises(DomainError) as ctx:
            services.decide(deciding_unit=self.commune_a, deciding_body=self.du_a, form=Form.EXPULSION,
                            member=self.member_a2, proposal_for=9, proposal_total=9, decision_number="06-QĐ/ĐU",
                            reason="x", **common)
        self.assertIn("Điều lệ Đảng 2011 Điều 36 khoản 2", ctx.exception.message)
