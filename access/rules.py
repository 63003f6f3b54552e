"""Roles and what each may do within the subtree of its grant.

Not statutory: this is the house policy of who does what, kept in one visible map.
"""

from django.db import models


class Role(models.TextChoices):
    VIEWER = "xem", "Chỉ xem"
    ORGANIZATION = "to_chuc", "Cán bộ tổ chức"
    INSPECTION = "kiem_tra", "Cán bộ kiểm tra"
    CELL_SECRETARY = "bi_thu_chi_bo", "Bí thư chi bộ"
    ADMIN = "quan_tri", "Quản trị"


# Actions: view (read records), sensitive (see CCCD, religion, family), change (write member
# records), audit (read the audit log), inspect (oversight work), restructure (manage the tree: set up,
# rename, move, close, merge, split and import units below the grant), grant (give others access),
# manage_bodies (record bodies, posts, terms and congresses), documents (register documents, record their
# dissemination), manage_targets (set targets of resolutions and plans, cascade them, enter their values and
# the population).
# Organization officers keep the tree of their subtree themselves (issue 14 item 5): the province's
# officer for the units below the province when its standing committee decides, a commune's for its cells.
ROLE_ACTIONS: dict[str, set[str]] = {
    Role.VIEWER: {"view"},
    Role.ORGANIZATION: {"view", "sensitive", "change", "audit", "restructure", "manage_bodies", "documents",
                        "manage_targets"},
    Role.INSPECTION: {"view", "sensitive", "audit", "inspect"},
    Role.CELL_SECRETARY: {"view", "change", "audit", "documents"},
    Role.ADMIN: {"view", "sensitive", "change", "audit", "inspect", "restructure", "grant", "manage_bodies",
                 "documents", "manage_targets"},
}


def roles_allowing(action: str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]
