def organization(request):
    """The request's organization and membership for the navigation."""
    return {
        "organization": getattr(request, "organization", None),
        "membership": getattr(request, "membership", None),
    }
