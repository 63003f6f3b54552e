from django.http import Http404


def index(request):
    raise Http404


case_detail = discipline_detail = petition_detail = lambda request, pk: index(request)  # noqa: E731
