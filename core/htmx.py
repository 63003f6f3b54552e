"""htmx helpers shared by every app's pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.views import redirect_to_login
from django_htmx.http import HttpResponseClientRedirect


def login_required(view):
    """Django's login_required, except that an htmx request of an expired session sends the whole
    page to the login form instead of swapping the login form into a fragment (a tree node, a table)."""
    page_view = django_login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            login = redirect_to_login(request.htmx.current_url_abs_path or request.get_full_path())
            return HttpResponseClientRedirect(login.url)
        return page_view(request, *args, **kwargs)

    return wrapper


def partial_or_page(request, template: str, partial: str) -> str:
    """The template to render: the whole page, or only `partial` for an htmx request that swaps
    a fragment (a boosted link loads a whole page, so it gets the page)."""
    if request.htmx and not request.htmx.boosted:
        return f"{template}#{partial}"
    return template
