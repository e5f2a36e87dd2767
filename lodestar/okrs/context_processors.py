from django.utils.functional import SimpleLazyObject

from lodestar.okrs.models import Timeframe
from lodestar.okrs.selectors import pick_current_timeframe

_FIELDS = ("name", "is_current", "state", "starts_on", "ends_on")


def timeframes(request):
    """The organization's timeframes for the navigation's timeframe switcher, and the current one
    (shown as chosen on pages that are not about one timeframe). Queried once, when drawn."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}

    def choices():
        loaded = getattr(request, "organization_timeframes", None)  # by views.common.selected_timeframe
        if loaded is not None:
            rows = [{field: getattr(tf, field) for field in _FIELDS} | {"id": tf.pk} for tf in loaded]
        else:
            rows = list(Timeframe.objects.filter(organization_id=membership.organization_id).values("id", *_FIELDS))
        rows.sort(key=lambda row: (-row["starts_on"].toordinal(), row["ends_on"]))
        current = pick_current_timeframe(rows, request.organization.today())
        for row in rows:
            row["is_default"] = row is current
        return rows

    return {"timeframe_choices": SimpleLazyObject(choices)}
