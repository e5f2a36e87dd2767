"""The person's API tokens: make one (its text is shown once), see when each was last used, revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.api import services
from lodestar.api.forms import TokenForm
from lodestar.api.models import ApiToken
from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.core.tokens import show_token_once, shown_once

NEW_TOKEN_KEY = "lodestar.new_api_token"


@require_http_methods(["GET", "POST"])
def tokens(request, org_slug):
    membership = request.membership
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, text = services.create_token(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            show_token_once(request, NEW_TOKEN_KEY, name=token.name, text=text)
            return redirect("api_tokens:tokens", org_slug=org_slug)
    new_token = shown_once(request, NEW_TOKEN_KEY)
    mine = ApiToken.objects.filter(organization_id=membership.organization_id, membership=membership)
    context = {"form": form, "tokens": list(mine), "new_token": new_token, "today": request.organization.today()}
    return render(request, "api/tokens.html", context, status=422 if form.errors else 200)


@require_POST
def token_revoke(request, org_slug, token_id):
    membership = request.membership
    token = ApiToken.objects.filter(
        organization_id=membership.organization_id, membership=membership, pk=as_id(token_id)
    ).first()
    if token is None:
        raise NotFound
    services.revoke_token(actor=membership, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: calls with it are refused from now on.") % {"name": token.name}
    )
    return redirect("api_tokens:tokens", org_slug=org_slug)
