"""`visible_to`: the one way every scoped query gets its rows.

A grant on a unit covers the unit's whole subtree, so what a user may see is a handful of path
prefixes; a scoped queryset keeps the rows whose path lies under one of them. Each scoped model
names its path field(s) in `scope_fields`. The prefixes come from `access.Grant`, looked up
through the app registry because `core` sits below every app and imports none of them.
"""

from django.apps import apps
from django.db import models

from core.tree import subtree_q, within_any_q


def scope_prefixes(user, action: str = "view") -> list[str] | None:
    """Path prefixes `user` may use for `action`; None means everything (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache = user.__dict__.setdefault("_scope_cache", {})
    if action not in cache:
        cache[action] = apps.get_model("access", "Grant").prefixes_from(held_grants(user), action)
    return cache[action]


def held_grants(user) -> list:
    """The user's grants (`access.models.HeldGrant`: role, unit path, unit name), highest unit first,
    read once per request: one query for every action a page asks about and for its header."""
    if user is None or not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_scope_cache", {})
    if "_grants" not in cache:
        cache["_grants"] = apps.get_model("access", "Grant").grants_of(user)
    return cache["_grants"]


def can(user, action: str, path: str) -> bool:
    prefixes = scope_prefixes(user, action)
    return prefixes is None or any(path.startswith(p) for p in prefixes)


def can_anywhere(user, action: str) -> bool:
    """Whether `user` may do `action` on some part of the tree (to offer a menu item or a page)."""
    prefixes = scope_prefixes(user, action)
    return prefixes is None or bool(prefixes)


class ScopedQuerySet(models.QuerySet):
    scope_fields: tuple[str, ...] = ()

    def visible_to(self, user, action: str = "view"):
        prefixes = scope_prefixes(user, action)
        if prefixes is None:
            return self
        fields = self.scope_fields or self.model.scope_fields
        return self.filter(within_any_q(fields, prefixes))

    def visible_subtree(self, user, prefix: str, action: str = "view", field: str | None = None):
        """Rows under `prefix` that `user` may see: one range when the whole subtree is in reach.

        A grant covers whole subtrees, so if the subtree's root is visible every row under it is,
        and adding the grant's own (wider) range would only make the database scan more of the
        index (SQLite searches by the first range and checks the second row by row).
        """
        field = field or (self.scope_fields or self.model.scope_fields)[0]
        rows = self if can(user, action, prefix) else self.visible_to(user, action)
        return rows.filter(subtree_q(field, prefix))
