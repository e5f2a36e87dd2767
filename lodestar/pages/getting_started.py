"""The getting-started checklist's one button: an admin hides it from their home page. The checklist
itself is drawn on the home page by the ``{% getting_started %}`` tag (templatetags/getting_started.py)."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from lodestar.pages.checklist import hide_getting_started


@require_POST
def hide(request, org_slug):
    hide_getting_started(actor=request.membership)
    if request.htmx:
        return HttpResponse("")  # the card swaps itself out
    return redirect("okrs:home", org_slug=org_slug)
