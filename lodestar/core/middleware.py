"""Answers every view gives the same way, in one place.

``NotAllowed`` (the person may see the thing but may not do this to it), raised by a view or by
the service or access helper it calls, becomes the 403 page with the reason. It runs inside the
organization's scope and the person's language (see settings.MIDDLEWARE), so the page is drawn
like any other. htmx requests get the same page: a 403 is not swapped in, as before. The API
answers ``NotAllowed`` itself (lodestar.api) and never lets it reach here.
"""

from django.utils.translation import gettext

from lodestar.core.errors import NotAllowed
from lodestar.core.responses import denied


class NotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return denied(request, str(exception) or gettext("You may not do this."))
        return None
