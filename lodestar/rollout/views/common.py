"""What the rollout views share: the refusal page and running a button's service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.responses import denied


def runs_rollout_only(request):
    return denied(request, _("Only admins and OKR ambassadors run the rollout."))


def carry_out(request, action, done: str, *, back):
    """A button: the service decides (403 with its reason, or its validation message), then back."""
    try:
        action()
    except NotAllowed as error:
        return denied(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back
    messages.success(request, done)
    return back
