"""Lodestar's select widget template (options inline, no include per option) writes what Django's
own templates write: the same options, groups, attributes and selection."""

from django import forms
from django.forms.renderers import DjangoTemplates


class Choices(forms.Form):
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("x", "X <b>"), ("Group", [("1", "one"), ("2", "two")])], initial="2"
    )
    several = forms.MultipleChoiceField(choices=[("1", "one"), ("2", "two")], initial=["1", "2"], required=False)
    marked = forms.ChoiceField(choices=[("1", "one")], widget=forms.Select(attrs={"disabled": True, "data-x": "y"}))


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


def test_lodestars_select_template_is_the_one_used():
    origin = Choices().renderer.get_template("django/forms/widgets/select.html").origin.name
    assert origin.endswith("lodestar/templates/django/forms/widgets/select.html")


def test_selects_render_as_django_renders_them():
    ours, djangos = Choices(), Choices(renderer=DjangoTemplates())
    for name in ("grouped", "several", "marked"):
        assert _lines(ours[name].as_widget()) == _lines(djangos[name].as_widget())
    assert '<option value="2" selected>two</option>' in ours["grouped"].as_widget()
    assert "X &lt;b&gt;" in ours["grouped"].as_widget()
