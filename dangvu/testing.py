"""The tiny named world every test lives in (STYLE.md §10).

A province with two communes. **an** is the province's organization officer and sees both;
**binh** is commune A's officer; **chi** is the secretary of cell A1; **dung** is commune B's
officer and must see nothing of A; **admin** administers the province (restructuring).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.test import TestCase

from access.models import ApiToken, Grant
from access.rules import Role
from members.models import Gender, Status
from members.services import create_member
from orgs.models import Kind
from orgs.services import create_unit

PASSWORD = "mat-khau-thu-nghiem"
# Units are dated early enough for the histories tests give their members: what happened in a unit must
# fall on a day it existed (members.services.unit_date_problems), and tests admit members decades ago.
FOUNDED = date(1990, 1, 1)
REFORM = date(2025, 7, 1)


def make_user(username: str, unit=None, role: str = Role.ORGANIZATION, **kw):
    user = get_user_model().objects.create_user(username, password=PASSWORD, **kw)
    if unit is not None:
        Grant.objects.create(user=user, unit=unit, role=role)
    return user


def make_unit(parent, name: str, kind: str = Kind.CELL, on: date = FOUNDED, **kw):
    return create_unit(parent, kind=kind, name=name, on=on, by=None, **kw)


def make_member(unit, full_name: str = "Nguyễn Văn An", **kw):
    """A member admitted into `unit` on the reform day, or the day it was founded if later (official a
    year later, if official)."""
    fields = {
        "gender": Gender.MALE,
        "birth_date": date(1980, 5, 17),
        "status": Status.OFFICIAL,
        "admitted_on": max(unit.valid_from, REFORM),
    }
    fields.update(kw)
    return create_member(unit=unit, full_name=full_name, by=None, **fields)


def build_world(target) -> None:
    """Create the named world as attributes of `target` (a TestCase class or any object)."""
    t = target
    t.province = make_unit(None, "Đảng bộ tỉnh Thử Nghiệm", Kind.PROVINCE, on=FOUNDED, issuer_abbr="TU")
    t.commune_a = make_unit(t.province, "Đảng bộ xã An Hòa", Kind.COMMUNE, short_name="Xã An Hòa")
    t.commune_b = make_unit(t.province, "Đảng bộ xã Bình Sơn", Kind.COMMUNE, short_name="Xã Bình Sơn")
    t.cell_a1 = make_unit(t.commune_a, "Chi bộ thôn An Phú")
    t.cell_a2 = make_unit(t.commune_a, "Chi bộ thôn An Lạc")
    t.cell_b1 = make_unit(t.commune_b, "Chi bộ thôn Bình Tây")
    t.member_a1 = make_member(t.cell_a1, "Nguyễn Văn Ánh")
    t.member_a1_prob = make_member(t.cell_a1, "Trần Thị Bình", gender=Gender.FEMALE, status=Status.PROBATIONARY)
    t.member_a2 = make_member(t.cell_a2, "Lê Văn Cường")
    t.member_b1 = make_member(t.cell_b1, "Phạm Thị Dung", gender=Gender.FEMALE)
    t.an = make_user("an", t.province)
    t.binh = make_user("binh", t.commune_a)
    t.chi = make_user("chi", t.cell_a1, Role.CELL_SECRETARY)
    t.dung = make_user("dung", t.commune_b)
    t.admin = make_user("admin", t.province, Role.ADMIN)


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)

    def api(self, user, method: str, url: str, **kwargs):
        """Call the API as `user` with a fresh bearer token."""
        token = ApiToken.issue(user)
        call = getattr(self.client, method.lower())
        return call(url, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kwargs)


class VisibilityMixin:
    """Every list, detail, export and count test checks that dung (commune B) sees nothing of A."""

    def assert_page_hidden_from_dung(self, url: str) -> None:
        self.client.force_login(self.dung)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 404, f"{url} must be 404 for a sibling-commune officer")

    def assert_api_hidden_from_dung(self, url: str) -> None:
        response = self.api(self.dung, "get", url)
        self.assertEqual(response.status_code, 404, f"{url} must be 404 for a sibling-commune officer")

    def assert_no_trace_of_a(self, content: bytes | str) -> None:
        """A list or count rendered for dung names nothing of commune A."""
        text = content.decode() if isinstance(content, bytes) else content
        for name in ("An Hòa", "An Phú", "An Lạc", "Nguyễn Văn Ánh", "Trần Thị Bình", "Lê Văn Cường"):
            self.assertNotIn(name, text, f"dung can see “{name}” of commune A")
