"""The SCIM 2.0 service (included at /scim/v2/ by lodestar.urls): the token names the organization."""

from django.urls import path, re_path

from lodestar.scim.endpoint import scim

urlpatterns = [
    path("", scim, name="scim_root"),
    re_path(r"^(?P<path>.+)$", scim, name="scim"),
]
