"""A person's own settings: their name, language and time zone. They are the account's, so they apply
in every organization the person belongs to; the page sits inside the organization the person came
from. There is no id in the URL: it always shows and changes the signed-in person's own settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lodestar.accounts.personal import PersonalSettingsForm
from lodestar.accounts.second_factor import has_second_factor
from lodestar.accounts.services import update_personal_settings
from lodestar.core.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def personal_settings(request, org_slug):
    user, organization = request.user, request.organization
    posted = request.POST if request.method == "POST" else None
    form = PersonalSettingsForm(posted, user=user, organization=organization)
    if posted is not None and form.is_valid():
        try:
            update_personal_settings(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Said in the language just chosen, as the next page will be.
            with translation.override(user.language or organization.language):
                messages.success(request, _("Your settings are saved."))
            return redirect("orgs:personal_settings", org_slug=org_slug)
    context = {
        "form": form,
        "now": timezone.localtime(),
        "time_zone": timezone.get_current_timezone_name(),
        "has_second_factor": has_second_factor(user),
    }
    return render(request, "orgs/personal_settings.html", context, status=422 if form.errors else 200)
