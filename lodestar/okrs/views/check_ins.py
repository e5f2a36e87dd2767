"""Checking in on a key result: inline from My goals and the objective page (HTMX), or a plain form post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lodestar.core.errors import NotAllowed
from lodestar.okrs import services
from lodestar.okrs.access import access_key_result
from lodestar.okrs.forms import CheckInForm


@require_http_methods(["GET", "POST"])
def check_in(request, org_slug, key_result_id):
    """Record a check-in: a plain form post from My goals, or this page on its own."""
    membership = request.membership
    key_result = access_key_result(membership, key_result_id)
    form = CheckInForm(
        request.POST or None, key_result=key_result, automatic_status=request.organization.automatic_status
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_check_in(actor=membership, key_result=key_result, **form.reading())
        except ValidationError as error:
            _add_service_errors(form, error)
        except NotAllowed as error:
            context = {"form": form, "key_result": key_result, "denied": error}
            return render(request, "okrs/check_in.html", context, status=403)
        else:
            messages.success(request, _("Checked in on “%(title)s”.") % {"title": key_result.title})
            return redirect("okrs:home", org_slug=org_slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "okrs/check_in.html", {"form": form, "key_result": key_result}, status=status)


def _add_service_errors(form, error: ValidationError) -> None:
    """Show the service's messages next to the fields they name (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
