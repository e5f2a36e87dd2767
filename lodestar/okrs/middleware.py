"""``?timeframe=<id>`` travels with the links of every organization page (the navigation's timeframe
switcher). Whatever page it reaches, an id that is not one of the organization's timeframes
answers 404, as every foreign id does; the timeframe found is kept for the page that uses it."""

from lodestar.okrs.access import access_timeframe


class ChosenTimeframeMiddleware:
    """After lodestar.orgs.middleware.OrganizationMiddleware, which sets ``request.membership``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "timeframe_is_a_form_field", False):
            return
        if getattr(request, "membership", None) is not None and request.GET.get("timeframe"):
            request.chosen_timeframe = access_timeframe(request.membership, request.GET["timeframe"])


def timeframe_is_a_form_field(view):
    """For a view that checks ``timeframe`` as a field of the form it is sent (the live coach):
    the middleware leaves the value to the form."""
    view.timeframe_is_a_form_field = True
    return view
