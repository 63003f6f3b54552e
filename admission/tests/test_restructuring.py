"""Candidates follow the tree: a cell moved to commune B takes its candidates out of A's sight; a merged cell's
candidates go to the cell it joins; a cell with candidates before their ceremony does not close."""

from datetime import date

from admission.models import Candidate
from admission.tests.world import AdmissionTestCase
from core.errors import DomainError
from orgs.services import close_unit, merge_units, move_unit


class RestructuringTests(AdmissionTestCase):
    def test_a_moved_cell_takes_its_candidates(self):
        c = self.make_candidate()
        move_unit(self.cell_a1, self.commune_b, on=date(2026, 1, 1), by=None)
        self.cell_a1.refresh_from_db()
        c.refresh_from_db()
        self.assertEqual(c.org_path, self.cell_a1.path)
        self.assertFalse(Candidate.objects.visible_to(self.binh).exists())
        self.assertTrue(Candidate.objects.visible_to(self.dung).filter(pk=c.pk).exists())

    def test_a_merged_cells_candidates_go_to_the_cell_it_joins(self):
        c = self.make_candidate()
        merge_units(self.cell_a1, self.cell_a2, on=date(2026, 1, 1), by=None)
        c.refresh_from_db()
        self.assertEqual((c.unit, c.org_path), (self.cell_a2, self.cell_a2.path))

    def test_a_cell_with_candidates_before_their_ceremony_does_not_close(self):
        from dangvu.testing import make_unit

        cell = make_unit(self.commune_a, "Chi bộ thôn An Mới")  # no members: only the candidate holds it
        self.make_candidate(unit=cell, helpers=[])
        with self.assertRaisesMessage(DomainError, "còn 1 người đang được xem xét kết nạp"):
            close_unit(cell, on=date(2026, 1, 1), by=None)
