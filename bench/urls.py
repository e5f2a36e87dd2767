from django.urls import path

from bench.reference import reference_page
from lodestar.urls import urlpatterns as lodestar_urlpatterns

urlpatterns = [path("<slug:org_slug>/bench/reference/", reference_page, name="bench_reference"), *lodestar_urlpatterns]
