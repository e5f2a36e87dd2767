"""What rendering design issue 25 should take, measured in-process on the bench database
(`.venv/bin/python bench/render_probe.py [--people 10000 1000] [--repeat 30]`).

1. Rows: the real card and row templates of My goals, a group page (the group with the most
   objectives this quarter), an objective page and the alignment map, given the exact context the
   page built (captured from a real request of the busy member), rendered by
   (a) Django's engine as before the move to Jinja2 (bench/probe_templates/django keeps the Django
   versions of the components since ported); (b) the Jinja2 templates (the ported components in the
   apps' jinja2/ folders, the map's ports in bench/probe_templates/jinja2) through Lodestar's
   environment (lodestar/core/jinja2.py); (c) Django's engine with `{% url %}`/`{% org_url %}` replaced by
   URL prefixes computed once per page; (d) Jinja2 with those prefixes. The prefix variants are made
   from (a)'s and (b)'s templates by rewriting the URL tags, nothing else. Every variant's rows are
   checked against (a)'s. Times are CPU time of this thread (two cores shared with other work).
   Django's rows are drawn inside base.html, as on every page, and base.html alone is subtracted:
   Django's engine renders the same partial up to several times slower when it is reached from a
   small template than from base.html (printed below as "by how it is reached"); Jinja2 does not.
2. "Other": cProfile over requests to the reference page and real pages; the pieces (middleware,
   sessions, i18n, reverse, context processors) by cumulative time, the top "other" functions by
   own time, and the navigation (base.html with an empty page, context processors run afresh).
3. Fragment caching: 50 objective cards rendered, against 50 fragment-cache hits (DB cache as
   configured, inside a transaction that is rolled back, and local memory).
4. Inventory for a move to Jinja2: templates, includes, custom tags, allauth overrides, tests that
   read `response.context` or templates used.

Reads only: the bench database is shared (nothing is written but cache rows that are rolled back).
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.page_profile import bucket  # noqa: E402
from bench.run import DEFAULT_DATABASE, REFERENCE, SERVER_ENVIRONMENT  # noqa: E402

PROBE_TEMPLATES = ROOT / "bench" / "probe_templates"
PAGE_TEMPLATES = {  # page → the page's own template, whose context the rows are drawn with
    "home": "okrs/home.html",
    "group": "directory/group.html",
    "objective": "okrs/objective.html",
    "map": "okrs/map.html",
}
PREFIXED = (  # the templates whose URL tags become prefixes (c, d)
    "okrs/partials/objective_card.html",
    "okrs/partials/key_result_row.html",
    "okrs/partials/map_node.html",
    "components/check_in_form.html",
)
DJANGO_URL = re.compile(
    r"""\{% (?:url '(?P<name>[\w:]+)' org_slug=organization\.slug|org_url "(?P<name2>[\w:]+)") \w+=(?P<id>[\w.]+) %\}"""
)
JINJA_URL = re.compile(
    r"""(?P<open>\{\{ |= )(?:url\('(?P<name>[\w:]+)', org_slug=organization\.slug, |org_url\("(?P<name2>[\w:]+)", )\w+=(?P<id>[\w.]+)\)"""
)
MARKER = 918273645546372819


def setup_django() -> None:
    os.environ.update(
        DATABASE_URL=os.environ.get("DATABASE_URL", DEFAULT_DATABASE),
        DJANGO_SETTINGS_MODULE="lodestar.settings",
        DEBUG="false",
        SECRET_KEY=SERVER_ENVIRONMENT["SECRET_KEY"],
    )
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"  # the reference page


def mean_ms(work: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    return interleaved_ms({"": work}, repeat, clock)[""]


def cpu_ms(works: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """CPU time (this thread's): rendering waits on nothing, and other processes share the two cores."""
    return interleaved_ms(works, repeat, time.thread_time)


def interleaved_ms(
    works: dict[str, Callable[[], object]], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Mean ms of each piece of work, taken in turns so that a busy moment of the machine hits all alike."""
    times = {name: [] for name in works}
    for round_ in range(repeat + 3):  # three rounds to warm up
        for name, work in works.items():
            started = clock()
            work()
            if round_ >= 3:
                times[name].append(clock() - started)
    return {name: statistics.mean(values) * 1000 for name, values in times.items()}


# --- the pages and their contexts -------------------------------------------------------------


def probe_pages(organization) -> tuple[object, dict[str, str]]:
    """The busy member and {page: path}: My goals, the group with most objectives this quarter, the
    busy member's objective, the alignment map."""
    from django.db.models import Count

    from lodestar.demo.pages import active_timeframe, busy_member, busy_members_objective
    from lodestar.okrs.models import ObjectiveGroup

    person = busy_member(organization)
    timeframe = active_timeframe(organization)
    group = (
        ObjectiveGroup.objects.filter(organization=organization, objective__timeframe_id=timeframe)
        .values("group_id")
        .annotate(n=Count("id"))
        .order_by("-n", "group_id")
        .first()
    )
    slug = organization.slug
    return person, {
        "home": f"/{slug}/",
        "group": f"/{slug}/groups/{group['group_id']}/?timeframe={timeframe}",
        "objective": f"/{slug}/objectives/{busy_members_objective(organization, person).pk}/",
        "map": f"/{slug}/map/",
    }


def captured_contexts(client, paths: dict[str, str]) -> dict[str, dict]:
    """{page: the flattened context its page template was rendered with} from one real request each."""
    from django.test.signals import template_rendered
    from django.test.utils import setup_test_environment, teardown_test_environment

    captured = {}

    def keep(sender, template, context, **kwargs):
        for page, name in PAGE_TEMPLATES.items():
            if template.name == name and page not in captured:
                captured[page] = context.flatten()

    setup_test_environment()
    template_rendered.connect(keep)
    try:
        for path in paths.values():
            assert client.get(path).status_code == 200, path
    finally:
        template_rendered.disconnect(keep)
        teardown_test_environment()
    return captured


def row_count(page: str, context: dict) -> int:
    """Objective cards and key result rows (or map nodes) the page's rows draw."""
    if page == "objective":
        return len(context["card"].key_results)
    if page == "map":

        def nodes(level):
            return sum(1 + nodes(node.children if node.opened else []) for node in level or [])

        the_map = context["map"]
        return sum(nodes(section.nodes) for section in (the_map.company, the_map.unaligned, the_map.beyond_sight))
    return sum(1 + len(card.key_results) for card in context["objectives"])


# --- the four renderers -----------------------------------------------------------------------


def url_parts(name: str) -> tuple[str, str]:
    """(prefix with the organization slug as {}, suffix) of a URL that takes the slug and one id."""
    from django.urls import NoReverseMatch, reverse

    for argument in ("objective_id", "key_result_id", "group_id", "membership_id"):
        try:
            url = reverse(name, kwargs={"org_slug": "ORGSLUG", argument: MARKER})
        except NoReverseMatch:
            continue
        prefix, suffix = url.split(str(MARKER))
        return prefix.replace("ORGSLUG", "{}"), suffix
    raise NoReverseMatch(name)


class Prefixes:
    """The URL tags of the PREFIXED templates, rewritten as prefix + id + suffix, and the prefixes a
    page computes once (url_prefix in the context)."""

    def __init__(self):
        self.names: dict[str, tuple[str, str]] = {}

    def key(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = url_parts(name)
        return name.replace(":", "_")

    def django(self, source: str) -> str:
        def replace(match):
            name = match["name"] or match["name2"]
            key = self.key(name)
            return f"{{{{ url_prefix.{key} }}}}{{{{ {match['id']} }}}}{self.names[name][1]}"

        return DJANGO_URL.sub(replace, source)

    def jinja(self, source: str) -> str:
        def replace(match):
            name = match["name"] or match["name2"]
            key = self.key(name)
            return f"{match['open']}url_prefix.{key} ~ {match['id']} ~ '{self.names[name][1]}'"

        return JINJA_URL.sub(replace, source)

    def for_page(self, organization_slug: str) -> dict[str, str]:
        return {name.replace(":", "_"): prefix.format(organization_slug) for name, (prefix, _) in self.names.items()}


def rewritten(directory: Path, sources: dict[str, str], transform: Callable[[str], str]) -> Path:
    for name, source in sources.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(transform(source))
    return directory


def django_engine(*first_dirs: Path):
    """An engine configured like the project's, with first_dirs searched before its own."""
    from django.template import Engine, engines

    real = engines["django"].engine
    return Engine(
        dirs=[*map(str, first_dirs), *real.dirs],
        app_dirs=True,
        libraries=real.libraries,
        builtins=[module for module in real.builtins if module not in Engine.default_builtins],
        autoescape=True,
    )


def jinja_backend(*dirs: Path):
    """Django's Jinja2 backend with Lodestar's environment (lodestar/core/jinja2.py), dirs searched
    before the project's Jinja2 folders."""
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2

    return Jinja2(
        {
            "NAME": "probe-jinja2",
            "DIRS": [*map(str, dirs), *engines["jinja2"].template_dirs],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "lodestar.core.jinja2.environment", "auto_reload": False},
        }
    )


def jinja_context(context: dict, **extra) -> dict:
    """The page's context for a Jinja2 template, with the CSRF field made once per page: the backend's
    own ``csrf_input`` is a lazy string that masks a new token at every use (once per check-in form)."""
    from django.template.backends.utils import csrf_input

    return {**context, **extra, "csrf_input": csrf_input(context["request"])}


def rows_of(html: str) -> str:
    """What a driver (probe_templates/*/probe/) draws between its markers, without the page around it."""
    return html.split("<!--rows-->", 1)[1].split("<!--/rows-->", 1)[0]


def same_markup(one: str, other: str) -> bool:
    """The same rows but for how an apostrophe or a quote is escaped and the CSRF token's mask."""

    def normal(html):
        html = rows_of(html)
        html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "csrf", html)
        for entity, char in (("&#x27;", "'"), ("&#39;", "'"), ("&quot;", '"'), ("&#34;", '"')):
            html = html.replace(entity, char)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    return normal(one) == normal(other)


def measure_rows(organization, contexts: dict[str, dict], repeat: int, workdir: Path) -> list[dict]:
    """Per page: the rows through (a)–(d), and the whole page template through Django (as today,
    with the navigation; for scale)."""
    from django.template import engines
    from django.utils import translation

    real = engines["django"].engine
    prefixes = Prefixes()
    drivers = PROBE_TEMPLATES / "django"
    django_sources = {
        name: Path(django_engine(drivers).get_template(name).origin.name).read_text() for name in PREFIXED
    }
    ported = jinja_backend(PROBE_TEMPLATES / "jinja2").env
    jinja_sources = {name: Path(ported.get_template(name).filename).read_text() for name in PREFIXED}
    engines_ = {
        "a": django_engine(drivers),
        "b": jinja_backend(PROBE_TEMPLATES / "jinja2"),
        "c": django_engine(rewritten(workdir / "django", django_sources, prefixes.django), drivers),
        "d": jinja_backend(rewritten(workdir / "jinja2", jinja_sources, prefixes.jinja), PROBE_TEMPLATES / "jinja2"),
    }
    rows = []
    for page, context in contexts.items():
        translation.activate(context.get("LANGUAGE_CODE", "en"))
        templates = {variant: engine.get_template(f"probe/{page}.html") for variant, engine in engines_.items()}
        renders = renderers(templates, context, lambda: prefixes.for_page(organization.slug))
        same = {}
        for language in ("en", "de"):  # German: do the ported msgids find their translations?
            with translation.override(language):
                reference = renders["a"]()
                same[language] = "".join(v for v, render in renders.items() if same_markup(reference, render())) or "-"
        renders["page"] = renderers({"a": real.get_template(PAGE_TEMPLATES[page])}, context, dict)["a"]
        renders["base"] = renderers({"a": real.get_template("base.html")}, context, dict)["a"]
        ms = cpu_ms(renders, repeat)
        for variant in "ac":  # Django's rows are drawn inside base.html (probe_templates/django/probe/)
            ms[variant] -= ms["base"]
        rows.append({"page": page, "rows": row_count(page, context), "ms": ms, "same": same})
    translation.deactivate()
    return rows


def renderers(templates: dict, context: dict, url_prefix: Callable[[], dict]) -> dict[str, Callable[[], str]]:
    """How each variant renders: Django's with a Context of the page's (flattened) context, Jinja2's
    with a dict; the prefix variants with the URL prefixes computed once per render."""
    from django.template import Context

    def extra(variant) -> dict:
        return {"url_prefix": url_prefix()} if variant in "cd" else {}

    def django(template, variant):
        return lambda: template.render(Context({**context, **extra(variant)}, autoescape=True))

    def jinja(template, variant):
        return lambda: template.render(jinja_context(context, **extra(variant)))

    kinds = {"a": django, "b": jinja, "c": django, "d": jinja}
    return {variant: kinds[variant](template, variant) for variant, template in templates.items()}


def nesting_effect(context: dict, repeat: int) -> dict[str, float]:
    """The map's company section (one template, the same context), rendered alone, included from a
    one-line template, inside a two-line parent, inside base.html; Django's engine and Jinja2."""
    from django.template import Context, engines

    real = engines["django"].engine
    jinja = jinja_backend(PROBE_TEMPLATES / "jinja2")
    section = "okrs/partials/map_section.html"
    page = {**context, "section": context["map"].company, "title": "", "text": ""}
    small_parent = real.from_string("<main>{% block content %}{% endblock %}</main>")
    wrappers = {
        "alone": real.get_template(section),
        "included": real.from_string(f'{{% include "{section}" %}}'),
        "in a small parent": real.from_string(f'{{% extends parent %}}{{% block content %}}{{% include "{section}" %}}{{% endblock %}}'),
        "in base.html": real.from_string(f'{{% extends "base.html" %}}{{% block content %}}{{% include "{section}" %}}{{% endblock %}}'),
        "base.html alone": real.get_template("base.html"),
    }  # fmt: skip
    works = {
        f"Django, {name}": (lambda t=t: t.render(Context({**page, "parent": small_parent})))
        for name, t in wrappers.items()
    }
    alone, included = jinja.get_template(section), jinja.from_string(f'{{% include "{section}" %}}')
    works["Jinja2, alone"] = lambda: alone.render(jinja_context(page))
    works["Jinja2, included"] = lambda: included.render(jinja_context(page))
    return cpu_ms(works, repeat)


# --- "other" per request ----------------------------------------------------------------------

PIECES = (  # where middleware, sessions, i18n, URL reversing and context processors live
    "/django/middleware/",
    "/django/contrib/sessions/",
    "/django/contrib/auth/",
    "/django/contrib/messages/",
    "/django/utils/translation/",
    "/django/urls/",
    "/django/utils/csp.py",
    "/django/template/context_processors.py",
    "/whitenoise/",
    "/allauth/",
    "/django_htmx/",
    "middleware.py",
    "context_processors.py",
    "/lodestar/okrs/page_timeframe.py",
    "/lodestar/orgs/second_factor.py",
    "/lodestar/notifications/services.py",
)


def profile_requests(client, path: str, requests: int) -> dict:
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    wall = mean_ms(lambda: client.get(path), requests)
    queries = counted_queries(lambda: client.get(path))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    profiled = sum(own for (_, _, own, _, _) in stats.values()) * 1000 / requests
    functions = [
        {
            "where": f"{_short(filename)}:{line} {name}",
            "filename": filename,
            "calls": calls / requests,
            "own": own * 1000 / requests,
            "cumulative": cumulative * 1000 / requests,
        }
        for (filename, line, name), (_, calls, own, cumulative, _) in stats.items()
    ]
    pieces = [
        function
        for function in functions
        if any(part in function["filename"] for part in PIECES)
        and function["cumulative"] < profiled / 2  # wrappers around the whole request nest everything
    ]
    other = [function for function in functions if bucket(function["filename"]) == "other"]
    return {
        "wall": wall,
        "profiled": profiled,
        "queries": queries,
        "pieces": sorted(pieces, key=lambda function: -function["cumulative"])[:15],
        "other": sorted(other, key=lambda function: -function["own"])[:15],
        "reverse": next((f for f in functions if f["where"].startswith("django/urls/base.py") and f["where"].endswith(" reverse")), None),
        "gettext": sum(f["calls"] for f in functions if f["filename"].endswith("django/utils/translation/__init__.py") and f["where"].rsplit(" ", 1)[1] in ("gettext", "ngettext", "pgettext")),
    }  # fmt: skip


def counted_queries(work: Callable[[], object]) -> int:
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        work()
    return count


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename.rsplit("/", 1)[-1]


def navigation_ms(context: dict, repeat: int) -> tuple[float, float, int]:
    """base.html with an empty page: the navigation, its context processors run afresh (as on every
    request); and the queries it makes."""
    from django.template import RequestContext, engines

    engine = engines["django"].engine
    request = context["request"]
    processed = set()
    for processor in engine.template_context_processors:
        processed |= set(processor(request))
    own = {
        key: value for key, value in context.items() if key not in processed and key not in ("True", "False", "None")
    }
    template = engine.get_template("base.html")

    def render():
        return template.render(RequestContext(request, own))

    return mean_ms(render, repeat, time.thread_time), mean_ms(render, repeat), counted_queries(render)


def per_call_costs(organization_slug: str, calls: int = 2000) -> list[tuple[str, float]]:
    """CPU µs per call of what a row repeats: URL reversing, translation lookups, number formatting, escaping."""
    from django.template.base import render_value_in_context
    from django.template.context import Context
    from django.urls import reverse
    from django.utils import translation
    from django.utils.html import conditional_escape
    from markupsafe import escape

    from lodestar.core.templatetags.lodestar import org_url, progress_bar

    kwargs = {"org_slug": organization_slug, "objective_id": 123}
    context = Context({"organization": type("Org", (), {"slug": organization_slug})})
    pieces = [
        ("reverse('okrs:objective')", lambda: reverse("okrs:objective", kwargs=kwargs)),
        ("{% org_url %} (one reverse per page, cached)", lambda: org_url(context, "okrs:objective", objective_id=123)),
        ("Django: an int printed in a template (localize)", lambda: render_value_in_context(123, context)),
        ("Django: conditional_escape of a title", lambda: conditional_escape("Grow revenue in the DACH region")),
        ("Jinja2: markupsafe.escape of a title", lambda: escape("Grow revenue in the DACH region")),
        ("{% progress_bar %} (format_html)", lambda: progress_bar(0.42, "on_track", 0.5)),
    ]
    for language in ("en", "de"):
        pieces += [
            (f"gettext, {language}", lambda language=language: _in(language, translation.gettext, "Lead")),
            (f"ngettext, {language}", lambda language=language: _in(language, translation.ngettext, "%(counter)s aligned", "%(counter)s aligned", 3)),
        ]  # fmt: skip
    results = []
    for label, piece in pieces:
        piece()
        started = time.thread_time()
        for _ in range(calls):
            piece()
        results.append((label, (time.thread_time() - started) * 1e6 / calls))
    return results


def _in(language, function, *args):
    from django.utils import translation

    with translation.override(language):
        return function(*args)


# --- fragment caching -------------------------------------------------------------------------


def measure_fragment_cache(context: dict, repeat: int, rows: int = 50) -> list[tuple[str, float]]:
    """50 objective cards rendered, against 50 hits of a per-card fragment cache."""
    import hashlib
    import itertools

    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.db import transaction
    from django.template import Context
    from django.utils import translation

    cards = list(itertools.islice(itertools.cycle(context["objectives"]), rows))
    page = {**context, "objectives": cards}
    translation.activate(context.get("LANGUAGE_CODE", "en"))
    engine = django_engine(PROBE_TEMPLATES / "django")
    template, base = engine.get_template("probe/group.html"), engine.get_template("base.html")
    jinja_template = jinja_backend(PROBE_TEMPLATES / "jinja2").get_template("probe/group.html")

    def keys():  # the row's version, what the reader may do with it (check in or not), the language
        check_in_ids = context["check_in_ids"]
        return [
            f"card:{card.id}:{hashlib.md5(repr(card).encode()).hexdigest()}:{translation.get_language()}:"
            + ",".join(str(kr.id in check_in_ids) for kr in card.key_results)
            for card in cards
        ]

    names = keys()
    fragments = {  # each card's own markup
        name: rows_of(template.render(Context({**page, "objectives": [card]}, autoescape=True)))
        for name, card in zip(names, cards, strict=True)
    }
    memory = LocMemCache("render-probe", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
    memory.set_many(fragments)
    cpu = cpu_ms(
        {
            f"render {rows} cards, Django (today)": lambda: template.render(Context(page, autoescape=True)),
            "base.html": lambda: base.render(Context(page, autoescape=True)),
            f"render {rows} cards, Jinja2": lambda: jinja_template.render(jinja_context(page)),
            f"{rows} cache keys (row version as a hash of the row, check-in rights, language)": keys,
            f"local memory: {rows} × get (hits)": lambda: [memory.get(name) for name in names],
            "local memory: one get_many (hits)": lambda: memory.get_many(names),
        },
        repeat,
    )
    database = caches["default"]
    with transaction.atomic():  # the bench database is shared: the rows go with the rollback
        database.set_many(fragments, timeout=600)
        wall = interleaved_ms(
            {
                f"DB cache: {rows} × get (hits, {rows} queries; wall clock)": lambda: [database.get(n) for n in names],
                "DB cache: one get_many (hits, 1 query; wall clock)": lambda: database.get_many(names),
            },
            repeat,
        )
        transaction.set_rollback(True)
    cpu[f"render {rows} cards, Django (today)"] -= cpu.pop("base.html")
    figures = [
        *cpu.items(),
        *wall.items(),
        (f"kB per card fragment (mean of {rows})", sum(map(len, fragments.values())) / len(fragments) / 1000),
    ]
    translation.deactivate()
    return figures


# --- inventory for a move to Jinja2 -----------------------------------------------------------


def inventory() -> list[tuple[str, int]]:
    templates = [
        path
        for path in (ROOT / "lodestar").rglob("*")
        if path.is_file() and "templates" in path.relative_to(ROOT).parts and path.suffix in (".html", ".txt", ".xml")
    ]
    texts = {path: path.read_text(errors="replace") for path in templates}
    tags = "".join(path.read_text() for path in (ROOT / "lodestar").glob("*/templatetags/*.py"))
    tests = {path: path.read_text(errors="replace") for path in (ROOT / "tests").rglob("*.py")}
    overrides = [path for path in templates if _top(path) in ("account", "mfa", "socialaccount", "allauth")]

    def count(pattern, where):
        return sum(1 for text in where.values() if re.search(pattern, text))

    return [
        ("templates (lodestar/**/templates)", len(templates)),
        ("… of them e-mail/text templates (.txt)", sum(1 for path in templates if path.suffix == ".txt")),
        ("… using {% include %}", count(r"{%\s*include\b", texts)),
        ("… using {% extends %}", count(r"{%\s*extends\b", texts)),
        ("… using {% blocktranslate/blocktrans %}", count(r"{%\s*blocktrans", texts)),
        ("… using {% url %}", count(r"{%\s*url\b", texts)),
        ("… using a custom tag library ({% load %} beyond i18n/static/l10n)", count(r"{%\s*load\s+(?!(?:i18n|static|l10n|tz|cache)\s*%})", texts)),
        ("… using {% element %} (allauth's tags)", count(r"{%\s*(?:element|slot|setvar)\b", texts)),
        ("allauth overrides (account/, mfa/, socialaccount/, allauth/)", len(overrides)),
        ("custom filters", len(re.findall(r"@register\.filter", tags))),
        ("custom simple tags", len(re.findall(r"@register\.simple_tag", tags))),
        ("custom inclusion tags", len(re.findall(r"@register\.inclusion_tag", tags))),
        ("custom block/parsed tags", len(re.findall(r"@register\.tag\b", tags))),
        ("form widget / form templates (django/forms/)", sum(1 for path in templates if "forms" in path.parts and "django" in path.parts)),
        ("test files reading response.context", count(r"\.context\[|\.context\.get\(|response\.context\b", tests)),
        ("test files using assertTemplateUsed/templates", count(r"assertTemplateUsed|assertTemplateNotUsed|response\.templates", tests)),
    ]  # fmt: skip


def _top(path: Path) -> str:
    parts = path.parts
    return parts[parts.index("templates") + 1] if "templates" in parts else ""


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 1_000])
    parser.add_argument("--repeat", type=int, default=30, help="Renders per variant and page.")
    parser.add_argument("--requests", type=int, default=10, help="Profiled requests per page.")
    options = parser.parse_args()
    setup_django()
    from django.test import Client

    from lodestar.core.scoping import organization_scope
    from lodestar.orgs.models import Organization

    for people in options.people:
        organization = Organization.objects.get(slug=f"gen-{people}")
        with organization_scope(organization):
            person, paths = probe_pages(organization)
        client = Client()
        client.force_login(person.user)
        contexts = captured_contexts(client, paths)
        print(f"\n## gen-{people}: rows, mean CPU ms per render ({options.repeat} renders), busy member {person.pk}")
        print(
            "a Django today · b Jinja2 · c Django + URL prefixes · d Jinja2 + URL prefixes; same: output equals a's (en / de)"
        )
        print("page: the whole page template through Django as today (navigation, rest of the page), for scale")
        print(
            f"{'page':<10} {'rows':>5} {'page':>7} {'a':>7} {'b':>7} {'c':>7} {'d':>7}  {'a/row':>6} {'b/row':>6} "
            f"{'d/row':>6}  {'a/b':>5} {'a/c':>5} {'a/d':>5}  same"
        )
        with tempfile.TemporaryDirectory() as workdir, organization_scope(organization):
            for row in measure_rows(organization, contexts, options.repeat, Path(workdir)):
                ms, rows = row["ms"], max(row["rows"], 1)
                same = f"{row['same']['en']} / {row['same']['de']}"
                print(
                    f"{row['page']:<10} {row['rows']:>5} {ms['page']:>7.2f} {ms['a']:>7.2f} {ms['b']:>7.2f} "
                    f"{ms['c']:>7.2f} {ms['d']:>7.2f}  {ms['a'] / rows * 1000:>5.0f}µ {ms['b'] / rows * 1000:>5.0f}µ "
                    f"{ms['d'] / rows * 1000:>5.0f}µ  {ms['a'] / ms['b']:>5.2f} {ms['a'] / ms['c']:>5.2f} "
                    f"{ms['a'] / ms['d']:>5.2f}  {same}"
                )
        if people != options.people[0]:
            continue
        with organization_scope(organization):
            details(organization, client, paths, contexts, options)
    print("\n## Inventory for a move to Jinja2")
    for label, number in inventory():
        print(f"{label:<72} {number:>5}")


def details(organization, client, paths: dict[str, str], contexts: dict[str, dict], options) -> None:
    """Fragment caching, the navigation, per-call costs and the profile of requests, for one organization."""
    from django.utils import translation

    slug = organization.slug
    print(f"\n## {slug}: the map's company section by how it is reached, mean CPU ms")
    with translation.override(contexts["map"].get("LANGUAGE_CODE", "en")):
        for label, ms in nesting_effect(contexts["map"], options.repeat).items():
            print(f"{label:<72} {ms:>7.2f}")
    print(f"\n## {slug}: fragment cache for 50 cards (the group page's cards), mean ms (CPU unless wall clock)")
    for label, ms in measure_fragment_cache(contexts["group"], options.repeat):
        print(f"{label:<72} {ms:>7.2f}")
    nav_cpu, nav_wall, nav_queries = navigation_ms(contexts["home"], options.repeat)
    print(f"\n## {slug}: the navigation (base.html with an empty page, context processors run afresh)")
    print(f"{nav_cpu:.2f} ms CPU, {nav_wall:.2f} ms wall clock, {nav_queries} queries per page")
    print(f"\n## {slug}: per call, CPU µs")
    for label, microseconds in per_call_costs(slug):
        print(f"{label:<72} {microseconds:>7.1f}")
    for name, path in {REFERENCE: f"/{slug}/bench/reference/", **paths}.items():
        profile = profile_requests(client, path, options.requests)
        reverse = profile["reverse"] or {"calls": 0, "cumulative": 0}
        print(
            f"\n## {slug}: {name} — {profile['wall']:.1f} ms/request unprofiled, {profile['profiled']:.1f} profiled, "
            f"{profile['queries']} queries, reverse() {reverse['calls']:.0f}× ({reverse['cumulative']:.2f} ms), "
            f"gettext {profile['gettext']:.0f}×"
        )
        print(f"{'pieces: middleware, session, i18n, urls, context processors':<78} {'calls':>6} {'cum ms':>7}")
        for function in profile["pieces"]:
            print(f"  {function['where'][:76]:<76} {function['calls']:>6.0f} {function['cumulative']:>7.2f}")
        print(f"{'top other functions by own time':<78} {'calls':>6} {'own ms':>7}")
        for function in profile["other"]:
            print(f"  {function['where'][:76]:<76} {function['calls']:>6.0f} {function['own']:>7.2f}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
