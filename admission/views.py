def candidate_list(request):
    pass


def detail(request, pk):
    pass
