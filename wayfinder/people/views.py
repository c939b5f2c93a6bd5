from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def dashboard(request):
    return HttpResponse("todo")


person_list = person_create = person_detail = person_edit = dashboard
