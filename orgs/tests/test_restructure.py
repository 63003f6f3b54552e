from datetime import date, timedelta

from audit.models import AuditEntry
from core.errors import DomainError
from dangvu.testing import BaseTestCase, make_member
from members.models import Member
from members.stats import rollup
from orgs.models import OrgUnit
from orgs.services import close_unit, merge_units, move_unit, rename_unit, split_unit

MERGE_DAY = date(2026, 1, 1)
DAY_BEFORE = MERGE_DAY - timedelta(days=1)


class MergeTests(BaseTestCase):
    def test_merge_moves_members_and_children_and_closes_the_source(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        self.cell_a2.refresh_from_db()
        self.assertEqual(self.cell_a2.valid_to, DAY_BEFORE)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).unit, self.cell_a1)
        self.assertEqual(Member.objects.get(pk=self.member_a2.pk).org_path, self.cell_a1.path)

    def test_merge_keeps_the_closed_cell_in_the_tree_as_of_the_day_before(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        before = OrgUnit.objects.open_on(DAY_BEFORE).filter(parent=self.commune_a)
        after = OrgUnit.objects.open_on(MERGE_DAY).filter(parent=self.commune_a)
        self.assertIn(self.cell_a2, before)
        self.assertNotIn(self.cell_a2, after)

    def test_counts_as_of_before_and_after_a_merge(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        then = rollup([self.cell_a1, self.cell_a2, self.commune_a], self.an, on=DAY_BEFORE)
        now = rollup([self.cell_a1, self.cell_a2, self.commune_a], self.an, on=MERGE_DAY)
        self.assertEqual((then[self.cell_a1.pk].total, then[self.cell_a2.pk].total), (2, 1))
        self.assertEqual((now[self.cell_a1.pk].total, now[self.cell_a2.pk].total), (3, 0))
        self.assertEqual(then[self.commune_a.pk].total, 3)
        self.assertEqual(now[self.commune_a.pk].total, 3)

    def test_merge_writes_one_audit_entry_seen_by_an_and_binh_not_dung(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        entries = AuditEntry.objects.filter(action="orgs.unit.merged")
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries[0].after["members_moved"], 1)
        self.assertTrue(entries.visible_to(self.an, "view").exists())
        self.assertTrue(entries.visible_to(self.binh, "view").exists())
        self.assertFalse(entries.visible_to(self.dung, "view").exists())

    def test_merge_of_a_commune_moves_its_cells_with_their_members(self):
        merge_units(self.commune_b, self.commune_a, on=MERGE_DAY, by=self.admin)
        self.cell_b1.refresh_from_db()
        self.assertEqual(self.cell_b1.parent, self.commune_a)
        self.assertTrue(self.cell_b1.path.startswith(self.commune_a.path))
        self.assertEqual(Member.objects.get(pk=self.member_b1.pk).org_path, self.cell_b1.path)
        # as of the day before, cell B1 was still under commune B
        self.assertEqual(self.cell_b1.version_on(DAY_BEFORE).parent, self.commune_b)
        then = rollup([self.commune_a, self.commune_b], self.an, on=DAY_BEFORE)
        self.assertEqual((then[self.commune_a.pk].total, then[self.commune_b.pk].total), (3, 1))

    def test_merging_into_itself_is_refused(self):
        with self.assertRaisesMessage(DomainError, "chính nó"):
            merge_units(self.cell_a1, self.cell_a1, on=MERGE_DAY, by=self.admin)

    def test_merging_into_a_closed_unit_is_refused_and_changes_nothing(self):
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        with self.assertRaisesMessage(DomainError, "đã kết thúc hoạt động"):
            merge_units(self.cell_b1, self.cell_a2, on=MERGE_DAY, by=self.admin)
        self.assertEqual(Member.objects.get(pk=self.member_b1.pk).unit, self.cell_b1)

    def test_binh_cannot_merge_a_cell_of_commune_b(self):
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            merge_units(self.cell_b1, self.cell_a1, on=MERGE_DAY, by=self.binh)


class MoveTests(BaseTestCase):
    def test_move_rewrites_paths_of_the_subtree_and_its_members(self):
        move_unit(self.cell_a1, self.commune_b, on=MERGE_DAY, by=self.admin)
        self.cell_a1.refresh_from_db()
        self.assertTrue(self.cell_a1.path.startswith(self.commune_b.path))
        self.assertEqual(self.cell_a1.depth, 2)
        self.assertEqual(Member.objects.filter(org_path=self.cell_a1.path).count(), 2)
        self.assertEqual(AuditEntry.objects.filter(action="orgs.unit.moved").count(), 1)

    def test_moving_a_unit_under_its_own_descendant_is_refused(self):
        with self.assertRaisesMessage(DomainError, "cấp dưới"):
            move_unit(self.commune_a, self.cell_a1, on=MERGE_DAY, by=self.admin)
        self.commune_a.refresh_from_db()
        self.assertEqual(self.commune_a.parent, self.province)

    def test_binh_cannot_move_a_cell_out_to_commune_b_and_nothing_changes(self):
        with self.assertRaisesMessage(DomainError, "không có quyền"):
            move_unit(self.cell_a1, self.commune_b, on=MERGE_DAY, by=self.binh)
        self.cell_a1.refresh_from_db()
        self.assertEqual(self.cell_a1.parent, self.commune_a)
        self.assertFalse(AuditEntry.objects.filter(action="orgs.unit.moved").exists())

    def test_a_date_in_the_future_is_refused(self):
        with self.assertRaisesMessage(DomainError, "sau ngày hôm nay"):
            move_unit(self.cell_a1, self.commune_b, on=date.today() + timedelta(days=2), by=self.admin)


class CloseRenameSplitTests(BaseTestCase):
    def test_closing_a_cell_with_members_is_refused(self):
        with self.assertRaisesMessage(DomainError, "còn 2 đảng viên"):
            close_unit(self.cell_a1, on=MERGE_DAY, by=self.admin)

    def test_closing_an_empty_cell_keeps_it_in_history(self):
        empty = split_unit(self.cell_a1, [{"name": "Chi bộ mới", "members": []}], on=MERGE_DAY, by=self.admin)[0]
        close_unit(empty, on=MERGE_DAY + timedelta(days=1), by=self.admin)
        empty.refresh_from_db()
        self.assertEqual(empty.valid_to, MERGE_DAY)
        self.assertTrue(empty.is_open_on(MERGE_DAY))

    def test_rename_keeps_the_old_name_as_of_the_day_before(self):
        rename_unit(self.cell_a1, name="Chi bộ thôn An Phú Mới", on=MERGE_DAY, by=self.admin)
        self.assertEqual(self.cell_a1.version_on(DAY_BEFORE).name, "Chi bộ thôn An Phú")
        self.assertEqual(self.cell_a1.version_on(MERGE_DAY).name, "Chi bộ thôn An Phú Mới")

    def test_split_moves_the_chosen_members_to_the_new_unit(self):
        extra = make_member(self.cell_a1, "Võ Văn Em")
        new = split_unit(self.cell_a1, [{"name": "Chi bộ thôn An Phú 2", "members": [extra.pk]}],
                         on=MERGE_DAY, by=self.admin)[0]
        self.assertEqual(new.parent, self.commune_a)
        self.assertEqual(Member.objects.get(pk=extra.pk).unit, new)
        self.assertEqual(AuditEntry.objects.filter(action="orgs.unit.split").count(), 1)
        self.assertFalse(AuditEntry.objects.filter(action="orgs.unit.created", object_id=str(new.pk)).exists())


class BackdatedMergeTests(BaseTestCase):
    def test_a_member_admitted_after_a_backdated_merge_date_follows_the_merge(self):
        late = make_member(self.cell_a2, "Hồ Văn Muộn", admitted_on=date(2026, 3, 1), status="du_bi")
        merge_units(self.cell_a2, self.cell_a1, on=MERGE_DAY, by=self.admin)
        late.refresh_from_db()
        self.assertEqual(late.unit, self.cell_a1)
        self.assertEqual(list(late.events.values_list("kind", "unit")), [("ket_nap", self.cell_a1.pk)])
        self.assertEqual(rollup([self.cell_a1], self.an, on=date(2026, 3, 1))[self.cell_a1.pk].total, 4)
