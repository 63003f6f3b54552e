"""What `admission` adds to the pages of lower apps through `core.hooks` (they never import us): the member's
admission file on the member's page, the unit's candidates on the unit's page, and the demo's candidates."""

from django.template.loader import render_to_string

from core import hooks


def member_section(request, member) -> str:
    from admission.models import Candidate

    c = Candidate.objects.filter(member=member).first()
    if c is None:
        return ""
    return render_to_string("admission/_member_section.html", {"c": c}, request=request)


def unit_section(request, unit) -> str:
    return render_to_string("admission/_unit_link.html", {"unit": unit}, request=request)


def demo() -> None:
    from admission.demo import load_admission_demo

    load_admission_demo()


def register() -> None:
    hooks.add("member-section", member_section)
    hooks.add("unit-section", unit_section)
    hooks.add("demo", demo)
