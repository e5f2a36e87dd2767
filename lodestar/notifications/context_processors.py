from lodestar.notifications.services import unread_count


def unread_notifications(request):
    """The bell's count: a callable, so the template counts (one query) only where it draws the bell."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {"unread_notifications": lambda: unread_count(membership)}
