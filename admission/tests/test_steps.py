"""The steps from the cell's vote to recognition: order, dates, thresholds, deadlines in working days, and the
member the ceremony creates through members.services."""

import io
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from admission import services
from admission.models import Proposal, Stage, StepKind
from admission.tests.world import VOTE, AdmissionTestCase
from audit.models import AuditEntry
from calendars.workdays import add_working_days
from core.errors import DomainError
from members import stats, tally
from members.models import EventKind, Member, Status

RECEIVED = date(2026, 1, 5)


class VoteTests(AdmissionTestCase):
    def test_two_thirds_of_the_official_members_on_the_day(self):
        self.assertEqual(services.official_members(self.cell_a1, VOTE), 5)  # the probationary one does not count
        c = self.make_candidate()
        failed = services.cell_vote(c, on=VOTE, votes_for=3, by=self.binh)  # 3 of 5 < 2/3
        self.assertFalse(failed.passed)
        c.refresh_from_db()
        self.assertEqual(c.stage, Stage.REGISTERED)
        passed = services.cell_vote(c, on=VOTE, votes_for=4, by=self.binh)  # 4 of 5 ≥ 2/3
        self.assertTrue(passed.passed)
        self.assertEqual((passed.votes_for, passed.eligible), (4, 5))
        c.refresh_from_db()
        self.assertEqual(c.stage, Stage.CELL_PROPOSED)

    def test_more_votes_than_official_members_is_refused_and_nothing_written(self):
        c = self.make_candidate()
        with self.assertRaisesMessage(DomainError, "lớn hơn số đảng viên chính thức"):
            services.cell_vote(c, on=VOTE, votes_for=6, by=self.binh)
        self.assertFalse(c.steps.exists())

    def test_after_three_failed_votes_the_file_is_referred_up(self):
        c = self.make_candidate()
        for day in (1, 2):
            services.cell_vote(c, on=VOTE + timedelta(days=day), votes_for=2, by=self.binh)
            c.refresh_from_db()
            self.assertEqual(c.stage, Stage.REGISTERED)
        services.cell_vote(c, on=VOTE + timedelta(days=3), votes_for=2, by=self.binh)
        c.refresh_from_db()
        self.assertEqual(c.stage, Stage.REFERRED)
        with self.assertRaisesMessage(DomainError, "Chưa thể ghi"):
            services.cell_vote(c, on=VOTE + timedelta(days=4), votes_for=5, by=self.binh)

    def test_the_grassroots_committee_needs_two_thirds_of_its_members(self):
        c = self.make_candidate()
        services.cell_vote(c, on=VOTE, votes_for=5, by=self.binh)
        with self.assertRaisesMessage(DomainError, "hãy nhập số cấp ủy viên"):
            services.grassroots_vote(c, on=VOTE, votes_for=5, by=self.binh)
        self.assertFalse(services.grassroots_vote(c, on=VOTE, votes_for=5, committee_size=9, by=self.binh).passed)
        self.assertTrue(services.grassroots_vote(c, on=VOTE, votes_for=6, committee_size=9, by=self.binh).passed)
        other = self.make_candidate(full_name="Võ Văn Bảy")
        services.cell_vote(other, on=VOTE, votes_for=5, by=self.binh)
        with self.assertRaisesMessage(DomainError, "lớn hơn số cấp ủy viên"):
            services.grassroots_vote(other, on=VOTE, votes_for=4, committee_size=3, by=self.binh)

    def test_the_committee_is_counted_from_the_posts_when_recorded(self):
        from bodies import services as bodies
        from bodies.rules import BodyKind, Title

        body = bodies.create_body(self.commune_a, kind=BodyKind.COMMITTEE, name="Đảng ủy xã An Hòa", valid_from=VOTE,
                                  by=None)
        for m in self.elders[:3]:
            bodies.add_post(body, m, title=Title.COMMITTEE_MEMBER, from_on=VOTE, by=None)
        self.assertEqual(services.committee_members(self.commune_a, VOTE), 3)
        c = self.make_candidate()
        services.cell_vote(c, on=VOTE, votes_for=5, by=self.binh)
        step = services.grassroots_vote(c, on=VOTE, votes_for=2, committee_size=40, by=self.binh)
        self.assertEqual((step.eligible, step.passed), (3, True))


class OrderTests(AdmissionTestCase):
    def test_steps_out_of_order_are_refused(self):
        c = self.make_candidate()
        with self.assertRaisesMessage(DomainError, "Chưa thể ghi “cấp có thẩm quyền nhận hồ sơ"):
            services.receive(c, on=VOTE, by=self.binh)
        services.cell_vote(c, on=VOTE, votes_for=5, by=self.binh)
        with self.assertRaisesMessage(DomainError, "nghị quyết đảng ủy cơ sở"):  # the step it needs first
            services.receive(c, on=VOTE, by=self.binh)

    def test_a_day_before_the_previous_step_or_in_the_future_is_refused(self):
        c = self.make_candidate()
        services.cell_vote(c, on=VOTE, votes_for=5, by=self.binh)
        with self.assertRaisesMessage(DomainError, "trước bước trước đó"):
            services.grassroots_vote(c, on=VOTE - timedelta(days=1), votes_for=3, committee_size=3, by=self.binh)
        with self.assertRaisesMessage(DomainError, "chưa đến"):
            services.grassroots_vote(c, on=timezone.localdate() + timedelta(days=1), votes_for=3, committee_size=3,
                                     by=self.binh)
        self.assertEqual(c.steps.count(), 1)

    def test_a_grassroots_cell_has_no_grassroots_committee_step(self):
        from dangvu.testing import make_unit
        from orgs.models import Kind

        cell = make_unit(self.commune_a, "Chi bộ Trạm Y tế", Kind.GRASSROOTS_CELL)
        elders = self.elders
        from members.services import record_event

        for m in elders[:3]:
            record_event(m, EventKind.MOVED, on=date(2015, 1, 1), unit=cell, by=None)
        c = self.make_candidate(unit=cell, helpers=[])
        services.cell_vote(c, on=VOTE, votes_for=3, by=self.binh)
        self.assertNotIn(StepKind.GRASSROOTS_VOTE, services.next_steps(c))
        services.receive(c, on=VOTE, by=self.binh)

    def test_reading_and_other_communes_cannot_write(self):
        c = self.make_candidate()
        for user in (self.viewer, self.dung):
            with self.assertRaisesMessage(DomainError, "không có quyền"):
                services.cell_vote(c, on=VOTE, votes_for=5, by=user)


class DeadlineTests(AdmissionTestCase):
    def test_the_decision_is_due_60_working_days_after_receipt_and_may_be_extended_once_by_30(self):
        c = self.to_submitted(self.make_candidate())
        due = add_working_days(RECEIVED, 60)
        self.assertEqual(c.due_on, due)
        self.assertEqual(c.stage, Stage.SUBMITTED)
        self.assertIn("Ban Thường vụ Đảng ủy xã/phường", c.steps.get(kind=StepKind.RECEIVED).note)
        with self.assertRaisesMessage(DomainError, "lý do gia hạn"):
            services.extend(c, on=due, by=self.binh)
        services.extend(c, on=due, note="Chờ kết quả thẩm tra bổ sung", by=self.binh)  # on the last day: in time
        c.refresh_from_db()
        self.assertEqual(c.due_on, add_working_days(due, 30))
        with self.assertRaisesMessage(DomainError, "chỉ cho gia hạn một lần"):
            services.extend(c, on=due, note="lần nữa", by=self.binh)

    def test_an_extension_after_the_deadline_is_refused(self):
        c = self.to_submitted(self.make_candidate())
        late = c.due_on + timedelta(days=1)
        with self.assertRaisesMessage(DomainError, "Hạn đã hết"):
            services.extend(c, on=late, note="muộn", by=self.binh)

    def test_the_ceremony_within_30_working_days_of_receiving_the_decision(self):
        c = self.to_submitted(self.make_candidate())
        services.decide(c, on=date(2026, 2, 10), received_on=date(2026, 2, 11), number="120-QĐ/ĐU", by=self.binh)
        c.refresh_from_db()
        due = add_working_days(date(2026, 2, 11), 30)
        self.assertEqual((c.stage, c.due_on), (Stage.DECIDED, due))
        with self.assertRaisesMessage(DomainError, "cần ý kiến đồng ý của cấp ủy cấp trên"):
            services.ceremony(c, on=due + timedelta(days=1), by=self.binh)
        services.ceremony(c, on=due, by=self.binh)  # the last day is in time
        c.refresh_from_db()
        self.assertEqual(c.stage, Stage.PROBATION)

    def test_a_late_ceremony_with_the_consent_noted(self):
        c = self.to_submitted(self.make_candidate())
        services.decide(c, on=date(2026, 2, 10), number="120-QĐ/ĐU", by=self.binh)
        c.refresh_from_db()
        services.ceremony(c, on=c.due_on + timedelta(days=1), note="Đồng ý của BTV Tỉnh ủy, CV 9-CV/TU", by=self.binh)

    def test_refused_by_the_competent_committee(self):
        c = self.to_submitted(self.make_candidate())
        services.refuse(c, on=date(2026, 2, 10), number="5-TB/ĐU", by=self.binh)
        c.refresh_from_db()
        self.assertEqual((c.stage, c.due_on), (Stage.REFUSED, None))


class CeremonyAndRecognitionTests(AdmissionTestCase):
    CEREMONY = date(2025, 3, 10)

    def admitted(self):
        c = self.make_candidate(registered_on=date(2024, 1, 10), application_on=date(2024, 10, 1),
                                cv_on=date(2024, 10, 1), mass_comment_on=date(2024, 10, 1),
                                residence_comment_on=date(2024, 10, 1), verified_on=date(2024, 10, 1),
                                introduction_on=date(2024, 10, 1), citizen_id="")
        self.to_submitted(c, vote=date(2024, 12, 2), received=date(2024, 12, 10))
        services.decide(c, on=date(2025, 2, 20), number="88-QĐ/ĐU", by=self.binh)
        services.ceremony(c, on=self.CEREMONY, by=self.binh)
        c.refresh_from_db()
        return c

    def test_the_ceremony_makes_a_probationary_member_of_the_cell_in_the_same_step(self):
        c = self.admitted()
        m = c.member
        self.assertEqual((m.status, m.unit, m.admitted_on, m.full_name), (Status.PROBATIONARY, self.cell_a1,
                                                                          self.CEREMONY, "Võ Thị Hạnh"))
        self.assertEqual(m.events.get().decision_number, "88-QĐ/ĐU")
        self.assertEqual(c.probation_ends_on, date(2026, 3, 10))
        self.assertEqual(c.due_on, add_working_days(date(2026, 3, 10), 30))
        self.assertTrue(AuditEntry.objects.filter(action="members.member.created", object_id=str(m.pk)).exists())
        self.assertTrue(AuditEntry.objects.filter(action="admission.candidate.le_ket_nap").exists())
        self.assertEqual(tally.check(), [])

    def test_a_refused_member_creation_rolls_the_ceremony_back(self):
        c = self.make_candidate(citizen_id="")
        self.to_submitted(c)
        services.decide(c, on=date(2026, 2, 10), number="120-QĐ/ĐU", by=self.binh)
        # The cell closed since: create_member refuses, and the candidate stays where it was.
        from orgs.models import OrgUnit

        OrgUnit.objects.filter(pk=self.cell_a1.pk).update(valid_to=date(2026, 2, 11))
        with self.assertRaises(DomainError):
            services.ceremony(c, on=date(2026, 2, 20), by=self.binh)
        c.refresh_from_db()
        self.assertEqual((c.stage, c.member), (Stage.DECIDED, None))
        self.assertFalse(Member.objects.filter(full_name="Võ Thị Hạnh").exists())

    def test_recognition_vote_waits_for_the_end_of_probation(self):
        c = self.admitted()
        with self.assertRaisesMessage(DomainError, "Chưa hết 12 tháng dự bị"):
            services.recognition_vote(c, on=date(2026, 3, 9), votes_for=5, by=self.binh)
        self.assertTrue(services.recognition_vote(c, on=date(2026, 3, 10), votes_for=4, by=self.binh).passed)
        c.refresh_from_db()
        self.assertEqual((c.stage, c.due_on), (Stage.RECOG_CELL, add_working_days(date(2026, 3, 10), 30)))

    def test_recognized_as_official_from_the_day_probation_ended(self):
        c = self.admitted()
        official_before = stats.rollup([self.province], self.an)[self.province.pk].official
        services.recognition_vote(c, on=date(2026, 4, 1), votes_for=5, by=self.binh)
        services.recognition_grassroots_vote(c, on=date(2026, 4, 8), votes_for=3, committee_size=3, by=self.binh)
        services.recognize(c, on=date(2026, 6, 1), number="140-QĐ/ĐU", by=self.binh)  # late: still from 10/3
        c.refresh_from_db()
        m = Member.objects.get(pk=c.member_id)
        self.assertEqual((c.stage, m.status, m.recognized_on), (Stage.RECOGNIZED, Status.OFFICIAL, date(2026, 3, 10)))
        self.assertEqual(stats.rollup([self.province], self.an)[self.province.pk].official, official_before + 1)
        before = stats.rollup([self.cell_a1], self.an, on=date(2026, 3, 9))[self.cell_a1.pk]
        on_day = stats.rollup([self.cell_a1], self.an, on=date(2026, 3, 10))[self.cell_a1.pk]
        self.assertEqual(on_day.official, before.official + 1)
        self.assertEqual(on_day.probationary, before.probationary - 1)
        out = io.StringIO()
        call_command("tally", "--check", stdout=out)
        self.assertEqual(tally.check(), [], out.getvalue())
        # The recognition decision, numbered in the commune's register, says "official from 10/03/2026".
        from admission.paperwork import render
        from admission.tests.test_paperwork import text_of

        step = c.steps.get(kind=StepKind.RECOGNIZED)
        self.assertEqual(step.number, "140-QĐ/ĐU")
        text = text_of(render(c, step)[1])
        self.assertIn("là đảng viên chính thức kể từ ngày 10/03/2026", text)
        self.assertIn("Về việc công nhận đảng viên chính thức", text)

    def test_an_unfit_member_is_struck_off_the_probationary_list(self):
        c = self.admitted()
        services.recognition_vote(c, on=date(2026, 4, 1), votes_for=5, proposal=Proposal.STRIKE_OFF, by=self.binh)
        services.recognition_grassroots_vote(c, on=date(2026, 4, 8), votes_for=3, committee_size=3, by=self.binh)
        with self.assertRaisesMessage(DomainError, "bạn không cấp số trong sổ văn bản của “Đảng bộ xã An Hòa”"):
            services.strike_off(c, on=date(2026, 4, 20), number=" ", by=self.chi)  # a cell's secretary
        services.strike_off(c, on=date(2026, 4, 20), number="141-QĐ/ĐU", by=self.binh)
        c.refresh_from_db()
        m = Member.objects.get(pk=c.member_id)
        self.assertEqual((c.stage, m.status), (Stage.STRUCK_OFF, Status.STRUCK_OFF))
        self.assertEqual(m.events.last().kind, EventKind.STRUCK_OFF)
        self.assertEqual(tally.check(), [])

    def test_recognition_decision_due_30_working_days_and_extended_once(self):
        c = self.admitted()
        services.recognition_vote(c, on=date(2026, 4, 1), votes_for=5, by=self.binh)
        c.refresh_from_db()
        due = add_working_days(date(2026, 4, 1), 30)
        self.assertEqual(c.due_on, due)
        services.extend_recognition(c, on=due, note="Bổ sung nhận xét", by=self.binh)
        c.refresh_from_db()
        self.assertEqual(c.due_on, add_working_days(due, 30))

    def test_recognition_without_the_grassroots_resolution_is_out_of_order(self):
        c = self.admitted()
        services.recognition_vote(c, on=date(2026, 4, 1), votes_for=5, by=self.binh)
        with self.assertRaisesMessage(DomainError, "Chưa thể ghi"):
            services.recognize(c, on=date(2026, 4, 20), number="1", by=self.binh)

    def test_a_former_member_is_readmitted_on_their_own_record(self):
        from members.models import LeaveReason
        from members.services import record_event

        former = self.elders[4]
        record_event(former, EventKind.STRUCK_OFF, on=date(2020, 1, 6), by=None, reason=LeaveReason.OTHER)
        former.refresh_from_db()
        c = self.make_candidate(full_name=former.full_name, birth_date=former.birth_date, former_member=former,
                                introducer_2=self.elders[3], citizen_id="")
        services.cell_vote(c, on=VOTE, votes_for=4, by=self.binh)
        services.grassroots_vote(c, on=VOTE, votes_for=3, committee_size=3, by=self.binh)
        services.receive(c, on=RECEIVED, by=self.binh)
        services.decide(c, on=date(2026, 2, 10), number="120-QĐ/ĐU", by=self.binh)
        services.ceremony(c, on=date(2026, 2, 20), by=self.binh)
        c.refresh_from_db()
        former.refresh_from_db()
        self.assertEqual((c.member, former.status), (former, Status.PROBATIONARY))
        self.assertEqual(former.events.last().kind, EventKind.READMITTED)
        self.assertEqual(Member.objects.filter(full_name=former.full_name).count(), 1)
