"""CareerOS's URLs plus ``/bench/trivial``: a signed-in view that renders nothing, through the
same middleware (session, authentication, the request's RLS transaction) as every page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from careeros.urls import urlpatterns as site


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"signed in as {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site]
