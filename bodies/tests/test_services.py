"""The rules a post, a term and a congress keep: each refusal names what is wrong and writes nothing."""

from datetime import date

from audit.models import AuditEntry
from bodies import congresses, services
from bodies.models import Congress, Post, Term
from bodies.rules import Title
from bodies.tests.world import DAY, BodiesTestCase
from core.errors import DomainError
from members import quality
from members.models import Member
from orgs.models import OrgUnit


class PostRulesTest(BodiesTestCase):
    def refused(self, *args, **kwargs) -> str:
        before = (Post.objects.count(), AuditEntry.objects.count())
        with self.assertRaises(DomainError) as ctx:
            services.add_post(*args, **kwargs)
        self.assertEqual((Post.objects.count(), AuditEntry.objects.count()), before, "a refusal wrote something")
        return ctx.exception.message

    def test_a_post_is_written_with_its_audit_entry_and_fills_the_party_positions(self):
        post = services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        self.assertTrue(AuditEntry.objects.filter(action="bodies.post.created", object_id=str(post.pk)).exists())
        self.member_a1.refresh_from_db()
        self.assertEqual(self.member_a1.party_positions, "Bí thư Đảng ủy xã An Hòa")

    def test_a_body_of_another_organization_is_refused(self):
        message = self.refused(self.du_b, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.an,
                               unit=self.commune_a)
        self.assertIn("Đảng ủy xã Bình Sơn", message)
        self.assertIn("Đảng bộ xã An Hòa", message)

    def test_two_secretaries_of_one_body_on_the_same_day_are_refused(self):
        services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        message = self.refused(self.du_a, self.member_a2, title=Title.SECRETARY, from_on=date(2025, 10, 1),
                               by=self.binh)
        self.assertIn("Nguyễn Văn Ánh", message)
        self.assertIn("một bí thư", message)

    def test_more_posts_than_the_body_size_are_refused(self):
        services.add_post(self.chi_uy_a1, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        services.add_post(self.chi_uy_a1, self.member_a1_prob, title=Title.DEPUTY, from_on=DAY, by=self.binh)
        other = Member.objects.get(pk=self.member_a2.pk)
        message = self.refused(self.chi_uy_a1, other, title=Title.COMMITTEE_MEMBER, from_on=DAY, by=self.binh)
        self.assertIn("không phải đảng viên", message)  # A2's member is not in cell A1: that rule comes first
        in_cell = self.make_cell_member()
        message = self.refused(self.chi_uy_a1, in_cell, title=Title.COMMITTEE_MEMBER, from_on=DAY, by=self.binh)
        self.assertIn("chỉ có 2 thành viên", message)

    def make_cell_member(self):
        from dangvu.testing import make_member

        return make_member(self.cell_a1, "Đỗ Văn Em")

    def test_a_post_ending_before_it_starts_is_refused(self):
        message = self.refused(self.du_a, self.member_a1, title=Title.COMMITTEE_MEMBER, from_on=DAY,
                               to_on=date(2025, 8, 1), by=self.binh)
        self.assertIn("trước ngày bắt đầu", message)

    def test_someone_not_a_member_of_the_organization_then_is_refused(self):
        message = self.refused(self.du_a, self.member_b1, title=Title.COMMITTEE_MEMBER, from_on=DAY, by=self.an)
        self.assertIn("Phạm Thị Dung", message)
        # a member of the province's subtree, but not yet admitted in 2020
        message = self.refused(self.tu, self.member_a1, title=Title.COMMITTEE_MEMBER, from_on=date(2020, 11, 1),
                               by=self.an)
        self.assertIn("01/11/2020", message)

    def test_a_cell_secretary_may_not_record_posts(self):
        message = self.refused(self.chi_uy_a1, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.chi)
        self.assertIn("không có quyền", message)

    def test_ending_a_post_frees_the_seat_and_the_positions_follow(self):
        post = services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        services.end_post(post, to_on=date(2025, 9, 30), by=self.binh)
        services.add_post(self.du_a, self.member_a2, title=Title.SECRETARY, from_on=date(2025, 10, 1), by=self.binh)
        self.assertEqual(Post.objects.filter(body=self.du_a, to_on__isnull=True).get().member, self.member_a2)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).party_positions, "")  # the post's text goes with it
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).party_positions, "Bí thư Đảng ủy xã An Hòa")

    def test_unmatched_free_text_positions_are_kept_and_listed_in_the_quality_page(self):
        Member.objects.filter(pk=self.member_a2.pk).update(party_positions="Tổ trưởng tổ đảng cũ")
        services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        rows = [p for p in quality.problems(self.commune_a, self.binh) if "Chức vụ Đảng" in p.problem]
        self.assertEqual([p.member_id for p in rows], [self.member_a2.pk])
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).party_positions, "Tổ trưởng tổ đảng cũ")
        self.assertEqual(quality.problems(self.commune_b, self.dung), [])


class CongressTest(BodiesTestCase):
    def test_a_held_congress_ends_the_term_before_and_opens_its_own_the_next_day(self):
        congresses.create_term(self.commune_a, label="2020-2025", starts_on=date(2025, 7, 1), by=self.binh)
        c = congresses.save_congress(self.commune_a, term_label="2025–2030", held_from=date(2025, 8, 20),
                                     held_to=date(2025, 8, 21), delegates_summoned=100, delegates_present=98,
                                     by=self.binh)
        terms = list(Term.objects.filter(unit=self.commune_a).order_by("starts_on"))
        self.assertEqual([(t.label, t.starts_on, t.ends_on) for t in terms],
                         [("2020–2025", date(2025, 7, 1), date(2025, 8, 21)),
                          ("2025–2030", date(2025, 8, 22), None)])
        self.assertEqual(c.term, terms[1])
        self.assertTrue(AuditEntry.objects.filter(action="bodies.congress.held", object_id=str(c.pk)).exists())

    def test_a_congress_before_the_previous_term_began_is_refused(self):
        congresses.create_term(self.commune_a, label="2025–2027", starts_on=date(2025, 8, 1), by=self.binh)
        with self.assertRaises(DomainError) as ctx:
            congresses.save_congress(self.commune_a, term_label="2027–2032", held_from=date(2025, 7, 20),
                                     held_to=date(2025, 7, 21), by=self.binh)
        self.assertIn("01/08/2025", ctx.exception.message)
        self.assertFalse(Congress.objects.exists())
        self.assertEqual(Term.objects.count(), 1)

    def test_the_organizations_that_have_and_have_not_held_their_congress(self):
        congresses.save_congress(self.commune_a, term_label="2025–2030", held_from=date(2025, 8, 20),
                                 held_to=date(2025, 8, 21), by=self.an)
        congresses.save_congress(self.commune_b, term_label="2025–2030", planned_on=date(2026, 3, 1), by=self.an)
        units = OrgUnit.objects.visible_to(self.an).subtree(self.province).exclude(pk=self.province.pk)
        done = congresses.progress(units, "2025–2030")
        self.assertEqual([u for u, _c in done.held], [self.commune_a])
        self.assertEqual([u for u, _c in done.not_held], [self.commune_b])
        mine = congresses.progress(OrgUnit.objects.visible_to(self.dung), "2025–2030")
        self.assertEqual([u for u, _c in mine.not_held], [self.commune_b])
        self.assertEqual(mine.held, [])


class TermLengthTest(BodiesTestCase):
    def test_the_expected_end_follows_the_configured_length_per_kind(self):
        commune = congresses.create_term(self.commune_a, label="2025–2030", starts_on=date(2025, 8, 22), by=None)
        cell_before = congresses.create_term(self.cell_a2, label="2022–2025", starts_on=date(2022, 7, 1), by=None)
        self.assertEqual(commune.expected_end, date(2030, 8, 21))
        self.assertEqual(cell_before.expected_end, date(2024, 12, 31))  # twice per five years before 01/7/2025
        with self.settings(BODIES_RULES={"term_years": {"chi_bo": 5}}):
            self.assertEqual(cell_before.expected_end, date(2027, 6, 30))


class EndWithTheUnitTest(BodiesTestCase):
    def test_a_member_who_dies_holds_no_post_from_that_day(self):
        from members.services import record_event

        post = services.add_post(self.du_a, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        services.add_post(self.du_b, self.member_b1, title=Title.SECRETARY, from_on=DAY, by=self.an)
        record_event(self.member_a1, "tu_tran", on=date(2026, 9, 2), by=self.binh)
        post.refresh_from_db()
        self.assertEqual(post.to_on, date(2026, 9, 2))
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).party_positions, "")
        self.assertIsNone(Post.objects.get(member=self.member_b1).to_on)  # only the holder's posts end
        self.assertTrue(AuditEntry.objects.filter(action="bodies.post.ended", object_id=str(post.pk)).exists())

    def test_closing_a_cell_ends_its_chi_uy_posts_and_term_on_its_last_day(self):
        from orgs.services import close_unit

        services.add_post(self.chi_uy_a1, self.member_a1, title=Title.SECRETARY, from_on=DAY, by=self.binh)
        congresses.create_term(self.cell_a1, label="2025–2030", starts_on=DAY, by=None)
        Member.objects.filter(unit=self.cell_a1).update(unit=self.cell_a2)  # so the cell may close
        close_unit(self.cell_a1, on=date(2026, 1, 1), by=self.admin)
        self.chi_uy_a1.refresh_from_db()
        last = date(2025, 12, 31)
        self.assertEqual(self.chi_uy_a1.valid_to, last)
        self.assertEqual(Post.objects.get(body=self.chi_uy_a1).to_on, last)
        self.assertEqual(Term.objects.get(unit=self.cell_a1).ends_on, last)
        self.assertEqual(Member.objects.get(pk=self.member_a1.pk).party_positions, "")
