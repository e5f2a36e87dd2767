"""The admins' provisioning page: the SCIM base URL, tokens (made here and shown once, revoked
here), when each was last used, and what the identity provider provisioned."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.responses import denied
from lodestar.core.tokens import show_token_once, shown_once
from lodestar.scim import services
from lodestar.scim.forms import TokenForm
from lodestar.scim.models import ScimGroup, ScimToken, ScimUser

NEW_TOKEN_KEY = "lodestar.new_scim_token"


def _admins_only(request):
    return denied(request, _("Only admins can manage provisioning."))


@require_http_methods(["GET", "POST"])
def settings_page(request, org_slug):
    membership = request.membership
    if not membership.is_admin:
        return _admins_only(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, text = services.create_token(
                actor=membership, organization=request.organization, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            show_token_once(request, NEW_TOKEN_KEY, name=token.name, text=text)
            return redirect("scim:settings", org_slug=org_slug)
    organization_id = membership.organization_id
    context = {
        "form": form,
        "tokens": list(ScimToken.objects.filter(organization_id=organization_id).select_related("created_by__user")),
        "new_token": shown_once(request, NEW_TOKEN_KEY),
        "base_url": request.build_absolute_uri(reverse("scim_root")),
        "people_count": ScimUser.objects.filter(organization_id=organization_id, deleted_at__isnull=True).count(),
        "group_count": ScimGroup.objects.filter(organization_id=organization_id).count(),
    }
    return render(request, "scim/settings.html", context, status=422 if form.errors else 200)


@require_POST
def token_revoke(request, org_slug, scim_token_id):
    membership = request.membership
    token = ScimToken.objects.filter(organization_id=membership.organization_id, pk=as_id(scim_token_id)).first()
    if token is None:
        raise NotFound
    if not membership.is_admin:
        return _admins_only(request)
    services.revoke_token(actor=membership, token=token)
    messages.success(
        request,
        _("The token “%(name)s” is revoked: the identity provider's calls with it are refused from now on.")
        % {"name": token.name},
    )
    return redirect("scim:settings", org_slug=org_slug)
