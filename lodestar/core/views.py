from django.http import HttpResponse
from django.shortcuts import render


def healthz(request):
    """Liveness probe for load balancers; does nothing beyond the middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


def denied(request, message: str):
    """The page for a person who may see something but not do this to it: 403 with the reason."""
    return render(request, "denied.html", {"message": message}, status=403)
