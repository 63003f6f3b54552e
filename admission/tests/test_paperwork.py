"""The papers: numbered in the issuer's register in the step's transaction, rendered in the party layout."""

import io
from datetime import date

from django.urls import reverse
from docx import Document as Docx

from admission import services
from admission.models import StepKind
from admission.tests.world import VOTE, AdmissionTestCase
from bodies import services as bodies
from bodies.rules import BodyKind
from documents.models import Document


def text_of(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


class PaperworkTests(AdmissionTestCase):
    def test_the_cells_resolution_gets_the_cells_next_number_and_a_failed_vote_none(self):
        first, second = self.make_candidate(), self.make_candidate(full_name="Võ Văn Hai")
        failed = services.cell_vote(first, on=VOTE, votes_for=3, by=self.binh)
        self.assertEqual((failed.number, failed.document_id), ("", None))
        a = services.cell_vote(first, on=VOTE, votes_for=5, by=self.binh)
        b = services.cell_vote(second, on=VOTE, votes_for=4, by=self.binh)
        self.assertEqual((a.number, b.number), ("01-NQ/CB", "02-NQ/CB"))
        self.assertEqual(Document.objects.get(pk=b.document_id).unit, self.cell_a1)

    def test_a_typed_number_is_kept_and_no_register_number_taken(self):
        step = services.cell_vote(self.make_candidate(), on=VOTE, votes_for=5, number="15-NQ/CB", by=self.binh)
        self.assertEqual((step.number, step.document_id), ("15-NQ/CB", None))
        self.assertFalse(Document.objects.exists())

    def test_the_admission_decision_is_numbered_by_the_communes_standing_committee(self):
        bodies.create_body(self.commune_a, kind=BodyKind.STANDING, name="Ban Thường vụ Đảng ủy xã An Hòa",
                           valid_from=date(2025, 7, 1), by=None)
        c = self.to_submitted(self.make_candidate())
        step = services.decide(c, on=date(2026, 2, 10), by=self.binh)
        self.assertEqual(step.number, "01-QĐ/BTVĐU")
        document = Document.objects.get(pk=step.document_id)
        self.assertEqual((document.unit, document.issued_on), (self.commune_a, date(2026, 2, 10)))

    def test_the_word_files_of_the_resolution_and_the_decision(self):
        from bodies.rules import Title

        chi_uy = bodies.create_body(self.cell_a1, kind=BodyKind.CELL_COMMITTEE, name="Chi ủy Chi bộ thôn An Phú",
                                    valid_from=date(2025, 7, 1), by=None)
        bodies.add_post(chi_uy, self.elders[3], title=Title.SECRETARY, from_on=date(2025, 7, 1), by=None)
        c = self.to_submitted(self.make_candidate(hometown="xã An Hòa, tỉnh Thử Nghiệm"))
        services.decide(c, on=date(2026, 2, 10), by=self.binh)
        self.client.force_login(self.binh)
        vote = c.steps.get(kind=StepKind.CELL_VOTE)
        response = self.client.get(reverse("admission-paper", args=[c.pk, vote.pk]))
        self.assertEqual(response.status_code, 200)
        text = text_of(response.content)
        for words in ("NGHỊ QUYẾT", "Đề nghị kết nạp đảng viên", "Số 01-NQ/CB", "ĐẢNG CỘNG SẢN VIỆT NAM",
                      "Võ Thị Hạnh", "5; số đảng viên tán thành kết nạp: 5", "T/M CHI BỘ", "Đảng bộ xã An Hòa", "Hồ Thị Bốn"):
            self.assertIn(words, text)
        decision = c.steps.get(kind=StepKind.DECIDED)
        text = text_of(self.client.get(reverse("admission-paper", args=[c.pk, decision.pk])).content)
        for words in ("QUYẾT ĐỊNH", "Về việc kết nạp đảng viên", "Số 01-QĐ/ĐU", "Điều 1. Kết nạp quần chúng Võ Thị Hạnh",
                      "12 tháng", "T/M BAN THƯỜNG VỤ"):
            self.assertIn(words, text)
        received = c.steps.get(kind=StepKind.RECEIVED)
        self.assertEqual(self.client.get(reverse("admission-paper", args=[c.pk, received.pk])).status_code, 404)
        self.client.force_login(self.dung)
        self.assertEqual(self.client.get(reverse("admission-paper", args=[c.pk, vote.pk])).status_code, 404)
