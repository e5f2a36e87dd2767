from django.utils.functional import SimpleLazyObject

from lodestar.okrs.models import Timeframe


def timeframes(request):
    """The organization's timeframes for the navigation's timeframe switcher (queried when drawn)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "timeframe_choices": SimpleLazyObject(
            lambda: list(
                Timeframe.objects.filter(organization_id=membership.organization_id).values(
                    "id", "name", "is_current", "state"
                )
            )
        )
    }
