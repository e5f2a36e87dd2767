"""Domain errors raised by services and access helpers.

Views and the API translate them: ``NotAllowed`` becomes 403, ``NotFound`` 404,
and Django's ``ValidationError`` a form error or 422.
"""

from django.http import Http404


class NotAllowed(Exception):
    """The acting person may see the object but may not do this to it."""


class NotFound(Http404):
    """Missing, or belonging to another organization, or not visible: indistinguishable on purpose."""


def as_id(value) -> int:
    """A database id from untrusted input; anything else is simply not found."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise NotFound from None
    if not 0 < number < 2**63:
        raise NotFound
    return number
