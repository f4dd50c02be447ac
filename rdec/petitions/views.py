from django.http import HttpResponse


def file_placeholder(request):  # replaced by the pages of the petitions module
    return HttpResponse(status=501)
