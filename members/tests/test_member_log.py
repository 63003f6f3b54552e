"""Every change to a member shows on the member's page ("Nhật ký thay đổi hồ sơ"), by whatever path
it came: the edit form (the photo too), and an import, which writes one entry with its counts that
each member it created or updated links to."""

from datetime import date

from django.urls import reverse

from audit.models import AuditEntry, AuditMention
from dangvu.testing import REFORM
from members.models import EventKind, ImportJob, Member
from members.services import record_event
from members.tests.test_import import ImportTestCase, cccd, row, xlsx
from members.tests.test_pages_forms import MediaTestCase, png, profile_of

EMPTY_LOG = "Chưa có thay đổi nào được ghi."


class PhotoLogTests(MediaTestCase):
    def test_adding_replacing_and_removing_the_photo_each_write_an_entry_on_the_member_page(self):
        self.client.force_login(self.binh)
        edit, page = (reverse(name, args=[self.member_a1.pk]) for name in ("members-edit", "members-detail"))
        for data in ({"photo": png()}, {"photo": png((6, 6))}, {"remove_photo": "on"}):
            response = self.client.post(edit, profile_of(Member.objects.get(pk=self.member_a1.pk), **data))
            self.assertRedirects(response, page)
        entries = AuditEntry.objects.filter(action="members.member.updated", object_id=str(self.member_a1.pk))
        changes = [e.changes() for e in entries.order_by("id")]
        self.assertEqual([[key for key, *_ in c] for c in changes], [["photo"], ["photo"], ["photo"]])
        (_, none, first), (_, was, second), (_, last, gone) = (c[0] for c in changes)
        self.assertEqual((none, was, last, gone), ("", first, second, ""))
        self.assertNotEqual(first, second)
        self.assertTrue(first.endswith(".png"), first)
        log = self.client.get(page).context["audit_entries"]
        self.assertEqual([e.readable[0][0] for e in log], ["Ảnh", "Ảnh", "Ảnh"])


class ImportLogTests(ImportTestCase):
    def import_two_new_and_one_update(self) -> ImportJob:
        Member.objects.filter(pk=self.member_a1.pk).update(citizen_id=cccd(7, date(1980, 5, 17)))
        headers = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng",
                   "Điện thoại"]
        rows = [[*row(), ""], [*row("Đinh Thị Hoa", "Nữ", citizen_id=cccd(2, female=True), code="A2"), ""],
                ["Nguyễn Văn Ánh", "Nam", date(1980, 5, 17), cccd(7, date(1980, 5, 17)), "A1", "Chính thức",
                 REFORM, "0912 345 678"]]
        job = self.run_job(xlsx(rows, headers))
        self.assertEqual((job.state, job.created_count, job.updated_count), (ImportJob.State.DONE, 2, 1), job.errors)
        return job

    def log(self, user, member: Member) -> list[AuditEntry]:
        self.client.force_login(user)
        response = self.client.get(reverse("members-detail", args=[member.pk]))
        self.assertEqual(response.status_code, 200)
        entries = response.context["audit_entries"]
        (self.assertNotContains if entries else self.assertContains)(response, EMPTY_LOG)
        return entries

    def test_the_import_writes_one_entry_with_its_counts_named_as_it_ended(self):
        job = self.import_two_new_and_one_update()
        entry = AuditEntry.objects.get(action="members.import.done")
        self.assertEqual(entry.object_repr, "danh-sach.xlsx (Đã nhập xong)")
        self.assertEqual(entry.after, {"file": "danh-sach.xlsx", "created": 2, "updated": 1, "unchanged": 0})
        self.assertEqual(entry.note, job.message)
        self.assertEqual(entry.label, "Nhập đảng viên từ tệp")
        self.assertEqual(AuditMention.objects.filter(entry=entry).count(), 3)

    def test_each_member_it_created_or_updated_shows_the_import_on_their_page(self):
        self.import_two_new_and_one_update()
        created = Member.objects.get(citizen_id=cccd(1))
        log = self.log(self.binh, created)
        self.assertEqual([e.action for e in log], ["members.import.done"])
        self.assertIn(("Số đảng viên mới", "—", "2"), log[0].readable)
        updated = self.log(self.binh, Member.objects.get(pk=self.member_a1.pk))
        self.assertEqual({e.action for e in updated}, {"members.import.done", "members.member.updated"})
        self.assertEqual(self.log(self.binh, self.member_a2), [])  # a member the import did not touch

    def test_a_cell_secretary_sees_that_the_commune_import_wrote_her_member_but_not_its_counts(self):
        self.import_two_new_and_one_update()
        mine = Member.objects.get(citizen_id=cccd(1))  # in chi's cell A1
        log = self.log(self.chi, mine)
        self.assertEqual([(e.action, e.actor_name, e.readable, e.note) for e in log],
                         [("members.import.done", "binh", [], "")])
        # The other new member is in cell A2, outside chi's reach; its page is hers to see not at all.
        other = Member.objects.get(citizen_id=cccd(2, female=True))
        self.client.force_login(self.chi)
        self.assertEqual(self.client.get(reverse("members-detail", args=[other.pk])).status_code, 404)

    def test_dung_sees_no_trace_of_commune_a_s_import_on_a_member_moved_to_his_commune(self):
        self.import_two_new_and_one_update()
        member = Member.objects.get(citizen_id=cccd(1))
        record_event(member, EventKind.MOVED, on=date(2026, 1, 1), unit=self.cell_b1, by=self.an)
        self.assertEqual([e.action for e in self.log(self.an, member)][-1], "members.import.done")
        log = self.log(self.dung, member)
        self.assertNotIn("members.import.done", [e.action for e in log])
        self.assertNotIn("danh-sach.xlsx", " ".join(f"{e.object_repr} {e.note}" for e in log))
