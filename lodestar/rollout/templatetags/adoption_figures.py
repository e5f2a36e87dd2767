"""The adoption dashboard's table rows, built in Python: a large organization has dozens of
rollout groups of eight linked figures each, and as template nodes (a {% blocktranslate %} or an
include per figure) they cost more than the rest of the page."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from lodestar.core.templatetags.lodestar import percent

register = template.Library()
_translated: dict[tuple[str, str], str] = {}


def _(message: str) -> str:
    """gettext, once per message and language: the catalogues do not change while a process runs."""
    key = (get_language(), message)
    if key not in _translated:
        _translated[key] = gettext(message)
    return _translated[key]


@register.filter
def out_of(part: int, whole: int) -> str:
    """``7 of 12``."""
    return _("%(done)s of %(of)s") % {"done": part, "of": whole}


def _share(ratio: float | None) -> str:
    return "–" if ratio is None else percent(ratio)


def _note(text: str) -> str:
    return f'<span class="cell-note">{escape(text)}</span>'


def _hidden(text: str) -> str:
    return f'<span class="visually-hidden"> {escape(text)}</span>'


@register.simple_tag
def segment_cells(segment) -> str:
    """A segment's figures as table cells (the head: partials/segment_head.html), each a link to
    the people behind it (``segment.people_link`` ends in ``measure=``). Every text is escaped
    here, once, rather than per placeholder: a hundred rows' worth of format_html adds up."""
    f, link = segment.figures, escape(segment.people_link)
    cells = (
        ("people", f.people, ""),
        ("with_goals", f.with_goals, _note(_share(f.with_goals_ratio) if f.people else "–")),
        (
            "draft_leads",
            f"{f.drafts}{_hidden(_('(show their leads)'))}",
            _note(_("%(number)s in a round") % {"number": f.drafts_in_round}),
        ),
        (
            "unaligned_leads",
            f"{escape(out_of(f.aligned, f.group_objectives))}{_hidden(_('(show the leads of those not aligned)'))}",
            _note(_share(f.aligned_ratio)),
        ),
        ("checked_in_7", escape(out_of(f.checked_in_7, f.expected)), _note(_share(f.checked_in_7_ratio))),
        ("checked_in_14", escape(out_of(f.checked_in_14, f.expected)), _note(_share(f.checked_in_14_ratio))),
        ("never_checked_in", f.never_checked_in, ""),
    )
    return mark_safe(  # every text above went through escape()
        "".join(
            f'<td class="figure"><a href="{link}{measure}">{value}</a>{note}</td>' for measure, value, note in cells
        )
    )
