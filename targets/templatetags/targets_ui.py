from django import template

from targets.rules import Status, show

register = template.Library()
LABELS = dict(Status.choices)


@register.filter
def tshow(value, kind: str) -> str:
    """A target's value as Vietnamese write it (1.250; 95,5%; có)."""
    return show(value, kind)


@register.filter
def status_label(status: str) -> str:
    return LABELS.get(status, status)
