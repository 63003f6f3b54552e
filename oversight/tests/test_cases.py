"""Cases and petitions: their refusals, the organizations' discipline, and the work list on both sides of each
due date."""

from datetime import date, timedelta

from django.utils import timezone

from audit.models import AuditEntry
from core import worklist
from core.errors import DomainError
from members.rules import add_months
from oversight import petitions, services
from oversight.models import Case, DisciplineDecision, Handling, Outcome, Petition, PetitionKind
from oversight.rules import CaseType, Form
from oversight.tests.world import DAY, OversightTestCase


class CaseTest(OversightTestCase):
    def refused(self, fn, *args, **kw) -> str:
        before = (Case.objects.count(), Petition.objects.count(), AuditEntry.objects.count())
        with self.assertRaises(DomainError) as ctx:
            fn(*args, **kw)
        self.assertEqual((Case.objects.count(), Petition.objects.count(), AuditEntry.objects.count()), before)
        return ctx.exception.message

    def test_a_subject_outside_the_body_and_a_task_only_the_commission_has(self):
        self.assertIn("không thuộc", self.refused(services.open_case, self.du_a, case_type=CaseType.COMPLIANCE,
                                                  content="x", opened_on=DAY, subjects=[self.member_b1], by=None))
        self.assertIn("ủy ban kiểm tra", self.refused(services.open_case, self.du_a, case_type=CaseType.FINANCE,
                                                      content="x", opened_on=DAY, subjects=[self.cell_a1], by=None))
        self.assertIn("không có quyền", self.refused(services.open_case, self.ubkt_a, case_type=CaseType.FINANCE,
                                                     content="x", opened_on=DAY, subjects=[self.cell_a1],
                                                     by=self.xa_a))

    def test_a_case_keeps_its_subjects_name_and_place_after_a_move(self):
        from members.choices import EventKind
        from members.services import record_event

        case = services.open_case(self.ubkt_a, case_type=CaseType.SIGNS, content="x", opened_on=DAY,
                                  subjects=[self.old_a1], by=None)
        record_event(self.old_a1, EventKind.MOVED, on=date(2026, 4, 1), unit=self.cell_a2, by=None)
        subject = case.subjects.get()
        self.assertEqual((subject.unit_name, subject.unit_path), (self.cell_a1.name, self.cell_a1.path))

    def test_conclusion_dates(self):
        case = services.open_case(self.ubkt_a, case_type=CaseType.SIGNS, content="x", opened_on=DAY,
                                  subjects=[self.old_a1], by=None)
        self.assertIn("trước ngày bắt đầu", self.refused(services.conclude_case, case, concluded_on=DAY - timedelta(1),
                                                          violation=True, conclusion="x", by=None))
        services.conclude_case(case, concluded_on=DAY, violation=True, conclusion="x", by=None)
        self.assertIn("đã kết luận", self.refused(services.conclude_case, case, concluded_on=DAY, violation=False,
                                                  conclusion="x", by=None))

    def test_a_decision_before_its_case_is_refused(self):
        case = services.open_case(self.ubkt_a, case_type=CaseType.SIGNS, content="x", opened_on=DAY,
                                  subjects=[self.old_a1], by=None)
        with self.assertRaises(DomainError) as ctx:
            services.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=self.old_a1,
                            votes_for=5, votes_total=9, violation_on=date(2026, 1, 1), decision_number="1",
                            decided_on=DAY - timedelta(1), reason="x", case=case, by=None)
        self.assertIn("trước ngày bắt đầu cuộc kiểm tra", ctx.exception.message)

    def test_organizations_reprimanded_by_the_level_above_dissolved_by_the_one_above_that(self):
        common = {"votes_for": 5, "votes_total": 9, "violation_on": date(2026, 1, 1), "decided_on": DAY,
                  "reason": "x", "by": None, "member": None}
        with self.assertRaises(DomainError) as ctx:
            services.decide(deciding_unit=self.province, deciding_body=self.tu, form=Form.WARNING,
                            subject_unit=self.cell_a1, decision_number="1", **common)
        self.assertIn("Điều 37", ctx.exception.message)
        services.decide(deciding_unit=self.commune_a, deciding_body=self.du_a, form=Form.WARNING,
                        subject_unit=self.cell_a1, decision_number="2", **common)
        with self.assertRaises(DomainError):
            services.decide(deciding_unit=self.commune_a, deciding_body=self.du_a, form=Form.DISSOLUTION,
                            subject_unit=self.cell_a2, decision_number="3", proposal_for=9, proposal_total=9,
                            **common)
        d = services.decide(deciding_unit=self.province, deciding_body=self.tu, form=Form.DISSOLUTION,
                            subject_unit=self.cell_a2, decision_number="4", proposal_for=6, proposal_total=9,
                            **{**common, "violation_on": date(2026, 1, 2)})
        self.assertIsNone(d.lapses_on)


class PetitionTest(OversightTestCase):
    def test_petition_refusals_and_closing(self):
        with self.assertRaises(DomainError) as ctx:
            petitions.receive_petition(self.ubkt_a, kind=PetitionKind.COMPLAINT, received_on=DAY, content="x",
                                      member=self.old_a1, by=None)
        self.assertIn("người gửi", ctx.exception.message)
        p = petitions.receive_petition(self.ubkt_a, kind=PetitionKind.COMPLAINT, received_on=DAY, content="x",
                                      member=self.old_a1, sender="A", by=None)
        self.assertEqual((p.handling, p.due_on), (Handling.ACCEPTED, DAY + timedelta(days=90)))
        with self.assertRaises(DomainError):
            petitions.close_petition(p, outcome=Outcome.TRUE, closed_on=DAY - timedelta(1), by=None)
        p = petitions.close_petition(p, outcome=Outcome.PARTLY, closed_on=DAY, routed_to="UBKT Tỉnh ủy", by=None)
        self.assertEqual(p.handling, Handling.ROUTED)


class WorkListTest(OversightTestCase):
    def kinds(self, user, today):
        return [i for i in worklist.collect(user, today) if i.kind.startswith("oversight.")]

    def test_each_kind_on_both_sides_of_its_horizon(self):
        today = timezone.localdate()
        services.open_case(self.ubkt_a, case_type=CaseType.SIGNS, content="x", opened_on=today - timedelta(5),
                           due_on=today + timedelta(31), subjects=[self.old_a1], by=None)
        self.assertEqual(self.kinds(self.kiemtra_a, today), [])
        self.assertEqual(len(self.kinds(self.kiemtra_a, today + timedelta(1))), 1)
        self.assertEqual(self.kinds(self.xa_a, today + timedelta(1)), [])
        self.assertEqual(self.kinds(self.kiemtra_b, today + timedelta(1)), [])

    def test_appeal_and_petition_due(self):
        today = timezone.localdate()
        petitions.receive_petition(self.ubkt_a, kind=PetitionKind.RECOMMENDATION, received_on=today - timedelta(1),
                                  content="x", member=self.old_a1, sender="A", by=None)  # due in 29 days
        self.assertEqual([i.kind for i in self.kinds(self.kiemtra_a, today)], ["oversight.petition"])
        appealed = add_months(today, -3) + timedelta(days=31)
        total = services.cell_vote_bounds(self.cell_a1, appealed - timedelta(10))[1]
        d = services.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=self.old_a1,
                            votes_for=total // 2 + 1, votes_total=total, violation_on=appealed - timedelta(60),
                            decision_number="1",
                            decided_on=appealed - timedelta(10), reason="x", by=None)
        services.appeal(d, appealed_on=appealed, appeal_to="ĐU", by=None)
        due = add_months(appealed, 3)  # Điều lệ Điều 39.8: three months to answer
        self.assertNotIn("oversight.appeal", [i.kind for i in self.kinds(self.kiemtra_a, due - timedelta(31))])
        self.assertIn("oversight.appeal", [i.kind for i in self.kinds(self.kiemtra_a, due - timedelta(30))])
        self.assertEqual(DisciplineDecision.objects.count(), 1)


class RepeatAndNoticeTest(OversightTestCase):
    def test_a_new_violation_stops_the_lapse_only_while_in_force(self):
        d = services.decide(deciding_unit=self.cell_a1, deciding_body=None, form=Form.REPRIMAND, member=self.old_a1,
                            votes_for=5, votes_total=9, violation_on=date(2024, 1, 1), decision_number="1",
                            decided_on=date(2025, 1, 10), reason="x", by=None)
        with self.assertRaises(DomainError) as ctx:
            services.record_new_violation(d, on=date(2026, 1, 10), by=None)
        self.assertIn("hết hiệu lực", ctx.exception.message)
        d = services.record_new_violation(d, on=date(2026, 1, 9), by=None)
        self.assertIsNone(d.lapses_on)

    def test_state_notice_five_days_both_sides(self):
        on_time = petitions.record_state_notice(self.old_a1, issuer="UBND xã", measure="Khiển trách",
                                               decided_on=date(2026, 3, 2), received_on=date(2026, 3, 7), by=None)
        late = petitions.record_state_notice(self.old_a1, issuer="UBND xã", measure="Cảnh cáo",
                                            decided_on=date(2026, 3, 2), received_on=date(2026, 3, 8), by=None)
        self.assertEqual((on_time.days_late, late.days_late), (0, 1))
        response = self.api(self.kiemtra_a, "get", "/api/v1/state-notices")
        self.assertEqual(response.json()["count"], 2)
        self.assertEqual(self.api(self.xa_a, "get", "/api/v1/state-notices").json()["count"], 0)
        self.client.force_login(self.kiemtra_a)
        self.assertContains(self.client.get("/kiem-tra/thong-bao/"), "chậm 1 ngày")
