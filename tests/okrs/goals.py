from tests import factories


def alerts_objective(cast, **extra):
    """The Engineering group's objective the cycle-end and coach tests work on, led by the member."""
    return factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Alerts reach the right person",
        level="group",
        groups=[cast.engineering],
        lead=cast.member,
        **extra,
    )
