"""What the rollout views share: the refusal page and running a button's service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.responses import denied


def runs_rollout_only(request):
    return denied(request, _("Only admins and OKR ambassadors run the rollout."))


def carry_out(request, action, done: str, *, back):
    """A button: the service decides (its refusal reaches the 403 page, its validation message comes
    back as a message), then back."""
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    messages.success(request, done)
    return back
