import hashlib
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from access.rules import Role, roles_allowing
from core.scoping import ScopedQuerySet
from core.tree import collapse
from orgs.models import OrgUnit


class HeldGrant(NamedTuple):
    """A grant as a request holds it (`Grant.grants_of`): what scoping and the header need."""

    role: str
    path: str
    unit_name: str
    unit_id: int

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class GrantQuerySet(ScopedQuerySet):
    scope_fields = ("unit__path",)


class Grant(models.Model):
    """`user` may act as `role` over `unit` and its whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grants", verbose_name="tổ chức")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="grant_unique")]
        verbose_name = "quyền"
        verbose_name_plural = "quyền"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    @classmethod
    def grants_of(cls, user) -> list["HeldGrant"]:
        """The user's grants, highest unit first: role, unit path and the unit's name for the header.

        Every request of every page asks this (scoping and the header), so it is one plain statement
        rather than a queryset compiled each time (half a millisecond, as much as a tally read)."""
        with connection.cursor() as c:
            c.execute(f"SELECT g.role, u.path, u.short_name, u.name, u.id FROM {cls._meta.db_table} g"
                      f" JOIN {OrgUnit._meta.db_table} u ON u.id = g.unit_id WHERE g.user_id = %s"
                      " ORDER BY u.path, g.role", [user.pk])
            return [HeldGrant(role, path, short or name, pk) for role, path, short, name, pk in c.fetchall()]

    @staticmethod
    def prefixes_from(grants: list["HeldGrant"], action: str) -> list[str]:
        """The path prefixes those grants give for `action`."""
        roles = set(roles_allowing(action))
        return collapse(g.path for g in grants if g.role in roles)

    @classmethod
    def prefixes_for(cls, user, action: str) -> list[str]:
        return cls.prefixes_from(cls.grants_of(user), action)


LAST_USED_STEP = timedelta(minutes=5)  # how fresh "last used" is kept


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def valid(self, now=None):
        """The tokens not yet expired: the one rule of which keys open the API."""
        return self.filter(expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "mã truy cập API"

    def __str__(self) -> str:
        return f"token #{self.pk} of {self.user}"

    @classmethod
    def issue(cls, user) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=_hash(key), expires_at=timezone.now() + settings.API_TOKEN_LIFETIME)
        return key

    @classmethod
    def user_for(cls, key: str):
        """The active user behind a valid, unexpired key, else None.

        `last_used_at` is written only once it is LAST_USED_STEP old: every API call asks this, and
        writing each time made every API read a write and a commit."""
        now = timezone.now()
        token = (
            cls.objects.valid(now).select_related("user")
            .filter(key_hash=_hash(key or ""), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_STEP:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
