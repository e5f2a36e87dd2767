"""An organization's rule "require a second factor": who must have one, and leading those who must
but have none to set one up before anything else in that organization.

Each organization's own rule applies while a person is in it: someone in two organizations meets
the stricter rule when they enter the stricter one, and only there. The set-up pages, sign-out and
the account pages live outside every organization (/accounts/) and stay reachable. The REST API
authenticates with personal tokens, not with a signed-in session's second factor: it is not
affected (an admin revokes tokens on the people page).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from lodestar.accounts.second_factor import has_second_factor
from lodestar.orgs.models import SecondFactorPolicy, second_factor_required

# Where the person was going when they were sent to set up a second factor; the set-up pages offer
# to continue there once they have one.
RETURN_TO = "lodestar.second_factor.return_to"


def must_set_up_second_factor(membership) -> bool:
    """Whether this person must set up a second factor before going on in this organization."""
    policy = membership.organization.second_factor_required_for
    if policy == SecondFactorPolicy.NOBODY or not second_factor_required(policy, membership.role):
        return False
    return not has_second_factor(membership.user)


def return_to(request) -> str | None:
    """The organization page a person was sent away from, if they may go back (a path of this site)."""
    path = request.session.get(RETURN_TO)
    if path and url_has_allowed_host_and_scheme(path, allowed_hosts=None) and path.startswith("/"):
        return path
    return None


class SecondFactorMiddleware:
    """After OrganizationMiddleware: every page of an organization that requires a second factor of
    this person, who has none, sends them to the set-up page with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = getattr(request, "membership", None)
        if membership is None or not must_set_up_second_factor(membership):
            return self.get_response(request)
        organization = membership.organization
        if request.method == "GET" and not request.headers.get("HX-Request"):
            request.session[RETURN_TO] = request.get_full_path()
        else:  # a form or a page's partial: come back to the organization's home page
            request.session[RETURN_TO] = reverse("okrs:home", kwargs={"org_slug": organization.slug})
        if organization.second_factor_required_for == SecondFactorPolicy.EVERYONE:
            text = _("%(organization)s asks everyone to sign in with a second factor. Set one up to continue.")
        else:
            text = _(
                "%(organization)s asks its admins and owners to sign in with a second factor. Set one up to continue."
            )
        messages.warning(request, text % {"organization": organization.name}, fail_silently=True)
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(reverse("mfa_index"))
        return redirect("mfa_index")
