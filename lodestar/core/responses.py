"""Answers every view shares."""

from django.shortcuts import render


def denied(request, message: str):
    """The page for a person who may see something but not do this to it: 403 with the reason."""
    return render(request, "denied.html", {"message": message}, status=403)
