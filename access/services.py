import logging

from django.db import transaction

from access.models import ApiToken, Grant
from audit.services import record
from core.errors import DomainError
from core.scoping import can

log = logging.getLogger(__name__)


@transaction.atomic
def grant_role(user, unit, role: str, *, by) -> Grant:
    if not unit.is_open:
        raise DomainError(f"“{unit.name}” đã kết thúc hoạt động; không thể cấp quyền trên tổ chức này.")
    if by is not None and not can(by, "grant", unit.path):
        raise DomainError(f"Bạn không có quyền cấp quyền trên “{unit.name}”.")
    grant, created = Grant.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record("access.grant.created", actor=by, obj=grant, unit_path=unit.path, unit_name=unit.name,
               after={"user": user.get_username(), "role": role})
    return grant


@transaction.atomic
def revoke_grant(grant: Grant, *, by) -> None:
    if by is not None and not can(by, "grant", grant.unit.path):
        raise DomainError("Bạn không có quyền thu hồi quyền này.")
    record("access.grant.revoked", actor=by, obj=grant, unit_path=grant.unit.path, unit_name=grant.unit.name,
           before={"user": grant.user.get_username(), "role": grant.role})
    grant.delete()


def change_password(form) -> int:
    """Save a valid `PasswordChangeForm` and end the user's API tokens; how many were ended.

    A token issued under the old password must not outlive it (someone who learned the password
    may have taken one). Sessions on other devices end by themselves: Django checks a hash of the
    password on every request. Not in the audit log, which records changes to the party's records;
    the server log keeps it."""
    with transaction.atomic():
        user = form.save()
        ended, _ = ApiToken.objects.filter(user=user).delete()
    log.info("password changed by %s; %d API token(s) ended", user.get_username(), ended)
    return ended
