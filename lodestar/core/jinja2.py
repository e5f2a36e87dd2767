"""Lodestar's Jinja2 environment: the engine of our own pages and components (docs/architecture.md,
"Rendering"). Django's engine keeps allauth's templates, the form widgets, e-mails and the admin.

What a template finds besides its context:

- ``_()``, ``gettext()``, ``ngettext()``, ``pgettext()`` and ``{% trans %}`` through Django's
  translations (new-style: ``_("%(name)s", name=…)`` formats and escapes), so a ported template
  keeps its msgids and German needs no new work;
- ``url(name, **kwargs)`` (reverse), ``org_url(name, some_id=…)`` (one reverse per page, not per
  row), ``static(path)`` and the components of ``core/templatetags/lodestar.py``:
  ``progress_bar()``, ``status_pill()``, ``avatar()``; filters ``percent``, ``percent_number``,
  ``figure``, ``date`` and ``number``;
- what the context processors give (settings.TEMPLATES): ``request``, ``organization``,
  ``messages``, ``csp_nonce``, ``LANGUAGE_CODE``, … and ``csrf_input``/``csrf_token``, made once
  per page (``page_csrf``).

Numbers and dates print localised as in Django's templates (``{{ 1234.5 }}`` is "1234,5" in
German): the environment's ``finalize`` localises them. Apps whose functions templates need
register them in their ``AppConfig.ready`` with ``register(globals=…, filters=…)``; core knows no app.
"""

import datetime
import functools
from decimal import Decimal

import jinja2
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from lodestar.core.templatetags import lodestar as tags

_app_globals: dict[str, object] = {}
_app_filters: dict[str, object] = {}
_built = False


def register(*, globals: dict | None = None, filters: dict | None = None) -> None:
    """An app's template functions, from its ``AppConfig.ready`` (environments copy them when built)."""
    if _built:
        raise RuntimeError("Register template functions in AppConfig.ready, before the first template renders.")
    _app_globals.update(globals or {})
    _app_filters.update(filters or {})


class LoudUndefined(jinja2.Undefined):
    """A missing variable is false in a test (``{% if check_in_form %}``), as in Django's templates,
    but printing or looping over one raises: a typo fails the test instead of drawing nothing
    (development and tests; production prints nothing, like Django)."""

    __slots__ = ()
    __str__ = __iter__ = __len__ = jinja2.Undefined._fail_with_undefined_error


_LOCALISED = (int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def _localised(value):
    """What Django's engine does to every printed value: local time, then the language's format."""
    if type(value) in _LOCALISED:
        return formats.localize(timezone.template_localtime(value))
    return value


def date(value, format=None):
    """Django's ``|date`` filter: ``value|date("DATE_FORMAT")``, "" for None."""
    if value in (None, ""):
        return ""
    return formats.date_format(timezone.template_localtime(value), format)


def number(value, decimal_pos=None, grouping=False):
    """A number in the language's format: ``value|number(1)`` → "3,5" in German."""
    return formats.number_format(value, decimal_pos, force_grouping=grouping)


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


@jinja2.pass_context
def org_url(context, name, **argument):
    return tags.org_url(context, name, **argument)


def page_csrf(request) -> dict:
    """``csrf_input`` and ``csrf_token`` for one page, made once: Django's ``get_token`` masks a new
    token at every call (the Jinja2 backend's own ``csrf_input`` calls it once per form printed).
    Lazy, so a page without a form sets no CSRF cookie; kept on the request for the bridge."""
    if request is None:
        return {}
    bound = getattr(request, "_lodestar_csrf", None)
    if bound is None:
        token = lazy(functools.cache(lambda: get_token(request)), str)()
        field = lazy(
            functools.cache(lambda: format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)),
            SafeString,
        )()
        bound = request._lodestar_csrf = {"csrf_input": field, "csrf_token": token}
    return bound


def csrf(request) -> dict:
    """Context processor of the Jinja2 engine (listed last, so it replaces the backend's own)."""
    return page_csrf(request)


def environment(*, loud_undefined: bool = False, **options) -> jinja2.Environment:
    """settings.TEMPLATES' Jinja2 ``environment``."""
    global _built
    _built = True
    if loud_undefined:
        options["undefined"] = LoudUndefined
    env = jinja2.Environment(**options, extensions=["jinja2.ext.i18n"], finalize=_localised)
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=url,
        org_url=org_url,
        static=static,
        progress_bar=tags.progress_bar,
        status_pill=tags.status_pill,
        avatar=tags.avatar,
        **_app_globals,
    )
    env.filters.update(
        percent=tags.percent,
        percent_number=tags.percent_number,
        figure=tags.figure,
        date=date,
        number=number,
        **_app_filters,
    )
    return env
