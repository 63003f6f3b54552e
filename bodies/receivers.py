"""Bodies end with their organization: when a unit closes (or is merged or split away), its bodies, the posts
in them and its running term end on its last day (sent inside the restructuring transaction). A post
ends with its holder's membership: the day the member died, left or was transferred out."""

from datetime import timedelta

from django.dispatch import receiver

from audit.services import record
from bodies.models import Body, Post, Term
from bodies.services import sync_positions
from members import signals as member_signals
from orgs import signals


def end_bodies_of(unit, on) -> None:
    last = on - timedelta(days=1)
    holders = list({p.member for p in Post.objects.filter(body__unit=unit, to_on__isnull=True).select_related("member")})
    Post.objects.filter(body__unit=unit).filter(to_on__isnull=True).update(to_on=last)
    Term.objects.filter(unit=unit, ends_on__isnull=True).update(ends_on=last)
    for body in Body.objects.filter(unit=unit, valid_to__isnull=True):
        body.valid_to = last
        body.save(update_fields=["valid_to"])
        record("bodies.body.ended", actor=None, obj=body, unit_path=unit.path, unit_name=unit.name,
               after={"valid_to": last.isoformat()}, note=f"Kết thúc cùng “{unit.name}”")
    for member in holders:
        sync_positions(member)


@receiver(signals.unit_closing)
def end_bodies_on_close(sender, unit, on, **kwargs):
    end_bodies_of(unit, on)


@receiver(signals.unit_merged)
def end_bodies_on_merge(sender, source, target, on, **kwargs):
    end_bodies_of(source, on)


@receiver(member_signals.member_left)
def end_posts_of_member(sender, member, on, kind, **kwargs):
    for post in Post.objects.filter(member=member, to_on__isnull=True).select_related("body__unit"):
        post.to_on = max(on, post.from_on)
        post.save(update_fields=["to_on"])
        record("bodies.post.ended", actor=None, obj=post, unit_path=post.body.unit.path, unit_name=post.body.unit.name,
               after={"to_on": post.to_on.isoformat()}, note="Thôi giữ chức cùng ngày ra khỏi danh sách đảng viên")
    sync_positions(member)
