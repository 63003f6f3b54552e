"""What `targets` adds to the pages of lower apps through `core.hooks` (they never import us)."""

from django.template.loader import render_to_string

from core import hooks


def unit_section(request, unit) -> str:
    return render_to_string("targets/_unit_link.html", {"unit": unit}, request=request)


def demo() -> None:
    from targets.demo import load_targets_demo

    load_targets_demo()


def register() -> None:
    hooks.add("unit-section", unit_section)
    hooks.add("demo", demo)
