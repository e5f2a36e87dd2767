from django.http import HttpResponse


def healthz(request):
    """Liveness probe for load balancers; does nothing beyond the middleware stack."""
    return HttpResponse("ok", content_type="text/plain")
