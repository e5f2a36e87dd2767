"""Forms parse what admins type; the strategy services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class StrategyForm(forms.Form):
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the company wants to be in a few years, in one or two sentences."),
    )
    mission = forms.CharField(
        label=_("Mission"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the company does, for whom, and why."),
    )


class PillarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
