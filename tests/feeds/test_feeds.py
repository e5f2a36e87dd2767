"""Automatic feeds: a key result or KPI updated by a secret URL that accepts a value, or by a
CSV/JSON data source polled on schedule. Each value becomes an authorless check-in (or KPI value)
marked with its source; a steady polled value is not recorded again within the week; failures
are kept on the feed and shown on the goal's page. Data sources are servers on 127.0.0.1."""

import datetime
import http.server
import re
import threading
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lodestar.feeds import reading
from lodestar.feeds import services as feeds
from lodestar.feeds.models import Feed
from lodestar.feeds.tasks import poll_feeds
from lodestar.kpis.models import KPIValue
from lodestar.okrs.models import CheckIn
from tests import factories
from tests.conftest import reload, signed_in

# --- a data source ---------------------------------------------------------------------------------


class DataSource(http.server.ThreadingHTTPServer):
    """Serves ``documents[path] = (status, body)``; anything else is a 404. Counts the GETs."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _DataSourceHandler)
        self.documents = {}
        self.gets = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _DataSourceHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.gets.append(self.path)
        status, body = self.server.documents.get(self.path, (404, b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if self.path.endswith(".json") else "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def source():
    server = DataSource()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def alerts_json(value) -> tuple[int, bytes]:
    return 200, b'{"data": {"alerts": %d}, "generated": "today"}' % value


CSV = b"day,alerts,owner\n2026-01-01,4,ops\n2026-01-02,9,ops\n2026-01-03,,ops\n"


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def goal(cast):
    """An active Engineering objective led by the lead, with a metric key result (0 → 100) the
    member owns; no feeds yet."""
    objective = factories.objective(
        cast.owner,
        timeframe=cast.quarter,
        title="Quiet nights",
        level="group",
        groups=[cast.engineering],
        lead=cast.lead,
    )
    return factories.metric(cast.owner, objective, owner=cast.member, title="Alerts handled")


def push_url(token: str) -> str:
    return reverse("api:feed_value", args=[token])


def push(client, token: str, value):
    return client.post(push_url(token), {"value": value}, content_type="application/json")


def poll_feed(cast, key_result, url, *, format="json", field_path="data.alerts", name="Pager export"):
    return feeds.create_poll_feed(
        actor=cast.member,
        target=key_result,
        name=name,
        url=url,
        format=format,
        field_path=field_path,
        every_minutes=60,
    )


def make_due(feed) -> None:
    """As if the next poll's time had come."""
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now() - datetime.timedelta(seconds=1))


def poll() -> int:
    """One run of the worker's task, here and now (on_commit does not run in these tests)."""
    return poll_feeds.call()


def values_of(key_result) -> list[Decimal]:
    return list(CheckIn.objects.filter(key_result=key_result).order_by("pk").values_list("value", flat=True))


def key_result_page(client, cast, key_result) -> str:
    url = reverse("okrs:key_result", kwargs={"org_slug": "acme", "key_result_id": key_result.pk})
    response = signed_in(client, cast.member).get(url)
    assert response.status_code == 200
    return response.content.decode()


def feeds_page_url(key_result, org="acme") -> str:
    return reverse("feeds:key_result_feeds", kwargs={"org_slug": org, "key_result_id": key_result.pk})


# --- a secret URL --------------------------------------------------------------------------------


def test_a_value_posted_to_the_secret_url_is_recorded_as_an_authorless_check_in(client, world):
    cast, key_result = world.cast, world.key_result
    feed, token = feeds.create_push_feed(actor=cast.member, target=key_result, name="Nightly script")

    response = push(client, token, 42)

    assert response.status_code == 201
    [recorded] = CheckIn.objects.filter(key_result=key_result, source="Nightly script")
    assert response.json() == {"feed": "Nightly script", "recorded": "check_in", "id": recorded.pk}
    assert (recorded.author, recorded.value, recorded.status_is_automatic) == (None, Decimal(42), True)
    assert recorded.effective_on == cast.today
    key_result = reload(key_result)
    assert key_result.current_value == Decimal(42)
    assert key_result.progress == pytest.approx(0.42)
    feed = reload(feed)
    assert feed.last_value == Decimal(42)
    assert feed.last_success_at is not None
    assert not feed.is_failing


def test_a_wrong_or_mangled_token_is_not_found_and_records_nothing(client, world):
    feed, token = feeds.create_push_feed(actor=world.cast.member, target=world.key_result, name="Nightly script")
    before = CheckIn.objects.count()
    assert push(client, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), 42).status_code == 404
    assert push(client, "lsf_" + "0" * 12 + "_secret", 42).status_code == 404
    assert push(client, "not-a-token", 42).status_code == 404
    assert CheckIn.objects.count() == before
    assert reload(feed).last_value is None


def test_a_removed_feeds_url_stops_working(client, world):
    feed, token = feeds.create_push_feed(actor=world.cast.member, target=world.key_result, name="Nightly script")
    feeds.delete_feed(actor=world.cast.member, feed=feed)
    assert push(client, token, 42).status_code == 404


def test_a_value_sent_as_text_with_thousands_separators_is_read(client, world):
    _feed, token = feeds.create_push_feed(actor=world.cast.member, target=world.key_result, name="Zapier")
    assert push(client, token, "1,234.5").status_code == 201
    assert CheckIn.objects.get(source="Zapier").value == Decimal("1234.5")


def test_a_boolean_is_not_taken_for_a_number(client, world):
    # Both clean_number and reading.number refuse booleans: true must not become a check-in of 1.
    _feed, token = feeds.create_push_feed(actor=world.cast.member, target=world.key_result, name="Zapier")
    response = push(client, token, True)
    assert response.status_code == 422
    assert not CheckIn.objects.filter(source="Zapier").exists()
    assert reload(world.key_result).current_value == Decimal(5)


def test_text_that_is_no_number_is_refused_and_shown_on_the_key_result_page(client, world):
    cast, key_result = world.cast, world.key_result
    feed, token = feeds.create_push_feed(actor=cast.member, target=key_result, name="Zapier")

    response = push(client, token, "lots")

    assert response.status_code == 409  # well-formed, but only the server can tell it is no number
    assert "not a number" in str(response.json()["detail"])
    assert not CheckIn.objects.filter(source="Zapier").exists()
    feed = reload(feed)
    assert "“lots” is not a number" in feed.last_error
    assert feed.is_failing
    html = key_result_page(client, cast, key_result)
    assert "Zapier" in html
    assert "Failing" in html
    assert "“lots” is not a number" in html


def test_a_kpi_feed_records_a_kpi_value_with_its_source(client, world):
    cast, kpi = world.cast, world.kpi
    feed, token = feeds.create_push_feed(actor=cast.member, target=kpi, name="Helpdesk export")

    response = push(client, token, 44)

    assert response.status_code == 201
    assert response.json()["recorded"] == "kpi_value"
    recorded = KPIValue.objects.get(pk=response.json()["id"])
    assert (recorded.kpi, recorded.value, recorded.author, recorded.source) == (
        kpi,
        Decimal(44),
        None,
        "Helpdesk export",
    )
    assert reload(kpi).current_value == Decimal(44)
    assert reload(feed).last_value == Decimal(44)


# --- a polled data source ------------------------------------------------------------------------


def test_a_json_source_is_polled_and_its_value_recorded_then_polled_again_an_hour_later(cast, goal, source):
    source.documents["/metrics.json"] = alerts_json(12)
    feed = poll_feed(cast, goal, source.url("/metrics.json"))

    started = timezone.now()
    assert poll() == 1

    [recorded] = CheckIn.objects.filter(key_result=goal)
    assert (recorded.value, recorded.author) == (Decimal(12), None)
    assert "Pager export" in recorded.source
    assert "127.0.0.1" in recorded.source
    feed = reload(feed)
    assert feed.last_value == Decimal(12)
    assert abs(feed.next_poll_at - (started + datetime.timedelta(minutes=60))) < datetime.timedelta(minutes=1)
    assert reload(goal).current_value == Decimal(12)


def test_a_source_is_not_polled_again_before_it_is_due(cast, goal, source):
    source.documents["/metrics.json"] = alerts_json(12)
    poll_feed(cast, goal, source.url("/metrics.json"))
    assert poll() == 1

    assert poll() == 0
    assert source.gets == ["/metrics.json"]
    assert values_of(goal) == [Decimal(12)]


def test_a_steady_value_is_not_recorded_again_within_the_week_and_a_change_is(cast, goal, source):
    source.documents["/metrics.json"] = alerts_json(12)
    feed = poll_feed(cast, goal, source.url("/metrics.json"))
    poll()

    make_due(feed)
    assert poll() == 1
    assert len(source.gets) == 2
    assert values_of(goal) == [Decimal(12)]
    assert not reload(feed).is_failing

    source.documents["/metrics.json"] = alerts_json(15)
    make_due(feed)
    assert poll() == 1
    assert values_of(goal) == [Decimal(12), Decimal(15)]
    assert reload(feed).last_value == Decimal(15)


def test_a_steady_value_is_recorded_again_after_a_week(cast, goal, source):
    source.documents["/metrics.json"] = alerts_json(12)
    feed = poll_feed(cast, goal, source.url("/metrics.json"))
    poll()
    Feed.objects.filter(pk=feed.pk).update(last_recorded_at=timezone.now() - datetime.timedelta(days=8))

    make_due(feed)
    poll()

    assert values_of(goal) == [Decimal(12), Decimal(12)]


def test_a_csv_source_gives_the_named_columns_value_in_the_last_row_that_has_one(cast, goal, source):
    source.documents["/export.csv"] = (200, CSV)
    feed = poll_feed(cast, goal, source.url("/export.csv"), format="csv", field_path="alerts", name="Ops CSV")

    assert poll() == 1

    assert values_of(goal) == [Decimal(9)]
    assert "Ops CSV" in CheckIn.objects.get(key_result=goal).source
    assert reload(feed).last_value == Decimal(9)


# --- failures are visible ------------------------------------------------------------------------


def test_a_source_answering_500_records_nothing_and_the_failure_shows_on_the_key_result(client, cast, goal, source):
    source.documents["/metrics.json"] = (500, b"oops")
    feed = poll_feed(cast, goal, source.url("/metrics.json"))

    poll()

    assert values_of(goal) == []
    feed = reload(feed)
    assert "HTTP 500" in feed.last_error
    assert feed.is_failing
    html = key_result_page(client, cast, goal)
    assert "Pager export" in html
    assert "Failing" in html
    assert "The data source answered HTTP 500." in html


def test_a_document_without_the_field_records_nothing_and_says_which_field(client, cast, goal, source):
    source.documents["/metrics.json"] = (200, b'{"data": {"warnings": 3}}')
    feed = poll_feed(cast, goal, source.url("/metrics.json"))

    poll()

    assert values_of(goal) == []
    feed = reload(feed)
    assert "no field “alerts”" in feed.last_error
    assert feed.is_failing
    assert "no field “alerts”" in key_result_page(client, cast, goal)


def test_a_later_success_clears_the_failure(client, cast, goal, source):
    source.documents["/metrics.json"] = (500, b"oops")
    feed = poll_feed(cast, goal, source.url("/metrics.json"))
    poll()
    assert reload(feed).is_failing

    source.documents["/metrics.json"] = alerts_json(12)
    make_due(feed)
    poll()

    feed = reload(feed)
    assert not feed.is_failing
    assert values_of(goal) == [Decimal(12)]
    html = key_result_page(client, cast, goal)
    assert "Failing" not in html
    assert "Working" in html


def test_an_unreachable_source_is_a_failure_too(cast, goal):
    feed = poll_feed(cast, goal, "http://127.0.0.1:9/metrics.json")
    poll()
    feed = reload(feed)
    assert feed.is_failing
    assert feed.last_error
    assert values_of(goal) == []


# --- reading a value -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path", "expected"),
    [
        (b'{"data": {"metrics": {"revenue": 1200.5}}}', "data.metrics.revenue", "1200.5"),
        (b'{"results": [{"value": 1}, {"value": 2}, {"value": 3}]}', "results.0.value", "1"),
        (b'{"results": [{"value": 1}, {"value": 2}, {"value": 3}]}', "results.-1.value", "3"),
        (b'{"data": {"alerts": 12}}', "$.data.alerts", "12"),
        (b"[5, 6, 7]", "1", "6"),
        (b'{"data": {"alerts": "1,234.5"}}', "data.alerts", "1234.5"),
    ],
)
def test_value_at_follows_a_json_path(document, path, expected):
    assert reading.value_at(document, format="json", field_path=path) == Decimal(expected)


@pytest.mark.parametrize(
    ("document", "column", "expected"),
    [
        (b"day,alerts\n1,5\n2,7\n", "alerts", "7"),
        (b"day;alerts\n1;5\n2;7\n", "alerts", "7"),
        (b"day,alerts\n1,5\n2,7\n", "2", "7"),
        (b"day,alerts\n1,5\n2,7\n3,\n", "alerts", "7"),
        (b"\xef\xbb\xbfday,alerts\n1,5\n", "alerts", "5"),
        (b'day,revenue\n1,"1,234.5"\n', "revenue", "1234.5"),
    ],
)
def test_value_at_finds_a_csv_column_in_the_last_row_with_a_value(document, column, expected):
    assert reading.value_at(document, format="csv", field_path=column) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.5", "1234.5"), ("42 %", "42"), ("€ 10", "10"), ("-3.25", "-3.25"), ("$1,000,000", "1000000")],
)
def test_numbers_written_as_people_write_them_are_read(text, expected):
    assert reading.number(text, "value") == Decimal(expected)


@pytest.mark.parametrize(
    ("document", "format", "path", "message"),
    [
        (b'{"data": {}}', "json", "data.alerts", "The JSON has no field “alerts” there."),
        (b'{"data": {"alerts": "lots"}}', "json", "data.alerts", "“lots” is not a number."),
        (b'{"data": {"alerts": {"n": 1}}}', "json", "data.alerts", "The value at “data.alerts” is not a number."),
        (b'{"data": {"alerts": null}}', "json", "data.alerts", "The value at “data.alerts” is not a number."),
        (b'{"data": {"alerts": true}}', "json", "data.alerts", "The value at “data.alerts” is not a number."),
        (b'{"results": [1]}', "json", "results.4", "“4” is not a position in the list there."),
        (b"<html>Sign in</html>", "json", "data.alerts", "The answer is not valid JSON."),
        (b"day,alerts\n1,5\n", "csv", "tickets", "The CSV has no column “tickets”."),
        (b"day,alerts\n", "csv", "alerts", "The CSV has no rows under its header."),
        (b"day,alerts\n1,\n2,\n", "csv", "alerts", "The column “alerts” is empty."),
        (b"day,alerts\n1,n/a\n", "csv", "alerts", "“n/a” is not a number."),
    ],
)
def test_an_unreadable_document_says_why(document, format, path, message):
    with pytest.raises(reading.Unreadable) as raised:
        reading.value_at(document, format=format, field_path=path)
    assert str(raised.value) == message


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-inf"])
def test_not_a_number_and_infinity_are_refused(text):
    with pytest.raises(reading.Unreadable):
        reading.number(text, "value")


# --- who may set feeds up ------------------------------------------------------------------------


def test_a_viewer_and_a_member_who_may_not_check_in_get_403_on_the_feeds_page(client, world):
    cast = world.cast
    for person in (cast.viewer, cast.sales):
        response = signed_in(client, person).get(feeds_page_url(world.key_result))
        assert response.status_code == 403, person
    response = client.post(feeds_page_url(world.key_result), {"kind": "push", "push-name": "Sneaky"})
    assert response.status_code == 403
    assert not Feed.objects.filter(name="Sneaky").exists()


def test_a_beta_member_cannot_find_acmes_feeds_page(client, world):
    signed_in(client, world.cast.beta_member)
    assert client.get(feeds_page_url(world.key_result)).status_code == 404
    assert client.get(feeds_page_url(world.key_result, org="beta")).status_code == 404


def test_someone_who_may_not_check_in_cannot_set_up_a_feed_through_the_service(world):
    from lodestar.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        feeds.create_push_feed(actor=world.cast.sales, target=world.key_result, name="Sneaky")
    assert not Feed.objects.filter(name="Sneaky").exists()


def test_the_secret_url_is_shown_once_after_creating_a_push_feed_and_it_works(client, world):
    signed_in(client, world.cast.member)
    url = feeds_page_url(world.key_result)

    response = client.post(url, {"kind": "push", "push-name": "Nightly script"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    [shown] = set(re.findall(r"http://testserver/api/v1/feeds/lsf_[A-Za-z0-9_-]+", html))
    assert "The secret URL" in html
    assert "Nightly script" in html

    again = client.get(url).content.decode()
    assert "lsf_" not in again
    assert "The secret URL" not in again
    assert "Nightly script" in again

    token = shown.rsplit("/", 1)[1]
    assert push(client, token, 7).status_code == 201
    assert CheckIn.objects.get(source="Nightly script").value == Decimal(7)


def test_a_source_whose_path_has_umlauts_is_fetched(cast, goal, source):
    source.documents["/ums%C3%A4tze.json"] = alerts_json(7)
    poll_feed(cast, goal, source.url("/umsätze.json"))
    poll()
    assert values_of(goal) == [Decimal("7")]


def test_a_document_nested_too_deep_is_a_failure_on_the_feed_not_a_crash(cast, goal, source):
    source.documents["/deep.json"] = (200, b"[" * 100_000 + b"]" * 100_000)
    feed = poll_feed(cast, goal, source.url("/deep.json"), field_path="0")
    poll()
    feed.refresh_from_db()
    assert feed.is_failing and values_of(goal) == []


def test_a_value_with_more_than_four_decimals_is_not_recorded_again_on_every_poll(cast, goal, source):
    source.documents["/metrics.json"] = (200, b'{"data": {"alerts": 12.123456}}')
    feed = poll_feed(cast, goal, source.url("/metrics.json"))
    poll()
    make_due(feed)
    poll()
    assert values_of(goal) == [Decimal("12.1235")]
