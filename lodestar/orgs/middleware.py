"""Binds each request under /<org_slug>/ to that organization.

The person must be an active member (else 404, so outsiders learn nothing), the
organization scope is entered for the whole request, and language and time zone
follow the person's settings, then the organization's, for that request alone.
"""

import zoneinfo

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django_scopes import scope

from lodestar.core.scoping import all_organizations, organization_scope
from lodestar.orgs.models import Membership


class OrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organization = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if "admin" in match.app_names:
            # The Django admin is for platform operators and spans organizations by design.
            with all_organizations():
                return self.get_response(request)
        org_slug = match.kwargs.get("org_slug")
        if org_slug is None:
            # No organization, no organization-owned data: any such query here raises.
            with scope():
                return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        with all_organizations():  # this lookup is what decides the organization; it is limited to the user
            membership = (
                Membership.objects.filter(organization__slug=org_slug, user=request.user, is_active=True)
                .select_related("organization")
                .first()
            )
        if membership is None:
            raise Http404  # unknown organization and "not yours" look the same
        organization = membership.organization
        user = request.user
        language = user.language or organization.language
        time_zone = zoneinfo.ZoneInfo(user.time_zone or organization.time_zone)
        # Overridden for this request only: the thread serves the next one in that one's own settings.
        with organization_scope(organization), translation.override(language), timezone.override(time_zone):
            request.organization, request.membership = organization, membership
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)  # LocaleMiddleware would name its own
        return response
