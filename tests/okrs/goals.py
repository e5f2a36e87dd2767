from tests import factories


def alerts_objective(cast, **extra):
    """An Engineering group objective in the current quarter, led by the member (by default the one
    the cycle-end and coach tests work on)."""
    fields = {
        "title": "Alerts reach the right person",
        "level": "group",
        "groups": [cast.engineering],
        "lead": cast.member,
    }
    return factories.objective(cast.owner, timeframe=cast.quarter, **{**fields, **extra})
