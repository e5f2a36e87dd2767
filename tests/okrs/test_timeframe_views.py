"""Admins manage timeframes from the web: list, create, edit, make current."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lodestar.core.errors import NotAllowed
from lodestar.okrs import services
from lodestar.okrs.forms import add_months, default_end
from lodestar.okrs.models import Timeframe
from tests.conftest import reload, signed_in


def url(name, **kwargs):
    return reverse(f"okrs:{name}", kwargs={"org_slug": "acme", **kwargs})


def shown(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def timeframe_data(**overrides):
    return {
        "name": "Q1 2030",
        "kind": "quarter",
        "starts_on": "2030-01-01",
        "ends_on": "2030-03-31",
        "state": "planning",
        **overrides,
    }


def test_the_list_shows_every_timeframe_with_dates_kind_and_state(client, cast):
    page = signed_in(client, cast.admin).get(url("timeframes")).content.decode()
    assert "Current" in page and "Previous" in page
    assert "Quarter" in page and "Closed" in page and "Active" in page
    assert url("timeframe_edit", timeframe_id=cast.quarter.pk) in page
    assert url("timeframe_make_current", timeframe_id=cast.closed.pk) in page


def test_the_list_says_which_timeframe_is_current_by_date_until_one_is_marked(client, cast):
    signed_in(client, cast.admin)
    assert "Current (by date)" in client.get(url("timeframes")).content.decode()
    services.mark_current_timeframe(actor=cast.admin, timeframe=cast.closed)
    page = client.get(url("timeframes")).content.decode()
    assert "Current (by date)" not in page
    assert url("timeframe_make_current", timeframe_id=cast.closed.pk) not in page


def test_without_timeframes_the_list_offers_to_create_the_first(client, cast):
    Timeframe.objects.filter(organization=cast.acme).delete()
    page = signed_in(client, cast.admin).get(url("timeframes")).content.decode()
    assert "No timeframe yet" in page
    assert url("timeframe_create") in page


def test_admin_creates_a_quarter(client, cast):
    response = signed_in(client, cast.admin).post(url("timeframe_create"), timeframe_data())
    assert response.status_code == 302
    assert response["Location"] == url("timeframes")
    timeframe = Timeframe.objects.get(organization=cast.acme, name="Q1 2030")
    assert (timeframe.kind, timeframe.starts_on, timeframe.ends_on, timeframe.state, timeframe.is_current) == (
        "quarter",
        datetime.date(2030, 1, 1),
        datetime.date(2030, 3, 31),
        "planning",
        False,
    )
    assert shown(response) == ["Created the timeframe “Q1 2030”."]


@pytest.mark.parametrize(
    ("kind", "starts_on", "ends_on"),
    [("quarter", "2030-04-01", datetime.date(2030, 6, 30)), ("year", "2030-07-01", datetime.date(2031, 6, 30))],
)
def test_a_quarter_or_year_without_an_end_date_gets_one(client, cast, kind, starts_on, ends_on):
    signed_in(client, cast.admin).post(
        url("timeframe_create"), timeframe_data(name="Next", kind=kind, starts_on=starts_on, ends_on="")
    )
    assert Timeframe.objects.get(organization=cast.acme, name="Next").ends_on == ends_on


def test_a_custom_timeframe_needs_an_end_date(client, cast):
    response = signed_in(client, cast.admin).post(url("timeframe_create"), timeframe_data(kind="custom", ends_on=""))
    assert response.status_code == 422
    assert "Enter the date this timeframe ends." in response.content.decode()
    assert not Timeframe.objects.filter(name="Q1 2030").exists()


def test_an_end_before_the_start_gets_a_message_next_to_the_field(client, cast):
    response = signed_in(client, cast.admin).post(url("timeframe_create"), timeframe_data(ends_on="2029-12-01"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "The end date must be after the start date." in page
    assert 'class="field-error"' in page
    assert not Timeframe.objects.filter(name="Q1 2030").exists()


def test_a_duplicate_name_gets_a_message(client, cast):
    response = signed_in(client, cast.admin).post(url("timeframe_create"), timeframe_data(name="current"))
    assert response.status_code == 422
    assert "A timeframe with this name already exists." in response.content.decode()
    assert Timeframe.objects.filter(organization=cast.acme).count() == 2


@pytest.mark.parametrize("starts_on", ["2030-02-30", "soon", ""])
def test_an_impossible_date_gets_a_message(client, cast, starts_on):
    response = signed_in(client, cast.admin).post(url("timeframe_create"), timeframe_data(starts_on=starts_on))
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()


def this_quarters_start(today):
    return add_months(today.replace(day=1), -((today.month - 1) % 3))


def test_the_new_timeframe_form_suggests_the_quarter_of_today(client, cast):
    Timeframe.objects.filter(organization=cast.acme).delete()
    page = signed_in(client, cast.admin).get(url("timeframe_create")).content.decode()
    start = this_quarters_start(cast.today)
    assert f'value="{start.isoformat()}"' in page
    assert f'value="{default_end("quarter", start).isoformat()}"' in page
    assert f'value="Q{(start.month - 1) // 3 + 1} {start.year}"' in page


def test_the_suggestion_skips_a_quarter_that_exists_already(client, cast):
    Timeframe.objects.filter(organization=cast.acme).delete()
    start = this_quarters_start(cast.today)
    services.create_timeframe(
        actor=cast.owner,
        name=f"Q{(start.month - 1) // 3 + 1} {start.year}",
        starts_on=start,
        ends_on=start.replace(day=28),
    )
    page = signed_in(client, cast.admin).get(url("timeframe_create")).content.decode()
    assert f'value="{add_months(start, 3).isoformat()}"' in page


def test_admin_edits_a_timeframe(client, cast):
    quarter = cast.quarter
    response = signed_in(client, cast.admin).post(
        url("timeframe_edit", timeframe_id=quarter.pk),
        timeframe_data(
            name="This quarter",
            kind="custom",
            starts_on=quarter.starts_on.isoformat(),
            ends_on=(quarter.ends_on + datetime.timedelta(days=7)).isoformat(),
            state="closing",
        ),
    )
    assert response.status_code == 302
    quarter = reload(quarter)
    assert (quarter.name, quarter.kind, quarter.state) == ("This quarter", "custom", "closing")
    assert quarter.ends_on == cast.quarter.ends_on + datetime.timedelta(days=7)


def test_the_edit_form_shows_the_timeframe_as_it_is(client, cast):
    page = signed_in(client, cast.admin).get(url("timeframe_edit", timeframe_id=cast.quarter.pk)).content.decode()
    assert 'value="Current"' in page
    assert f'value="{cast.quarter.starts_on.isoformat()}"' in page


def test_renaming_a_timeframe_to_another_ones_name_gets_a_message(client, cast):
    quarter = cast.quarter
    response = signed_in(client, cast.admin).post(
        url("timeframe_edit", timeframe_id=quarter.pk),
        timeframe_data(name="Previous", starts_on=quarter.starts_on, ends_on=quarter.ends_on, state="active"),
    )
    assert response.status_code == 422
    assert "A timeframe with this name already exists." in response.content.decode()
    assert reload(quarter).name == "Current"


def test_make_current_switches_the_current_timeframe(client, cast):
    signed_in(client, cast.admin)
    response = client.post(url("timeframe_make_current", timeframe_id=cast.quarter.pk))
    assert response.status_code == 302
    assert response["Location"] == url("timeframes")
    client.post(url("timeframe_make_current", timeframe_id=cast.closed.pk))
    assert list(Timeframe.objects.filter(organization=cast.acme, is_current=True)) == [cast.closed]
    assert reload(cast.beta_quarter).is_current is False


def test_my_goals_opens_on_the_timeframe_made_current(client, cast):
    signed_in(client, cast.admin).post(url("timeframe_make_current", timeframe_id=cast.closed.pk))
    response = signed_in(client, cast.member).get(reverse("okrs:home", kwargs={"org_slug": "acme"}))
    assert response.context["timeframe"] == cast.closed
    assert "Previous" in response.content.decode()


def test_make_current_refuses_get(client, cast):
    response = signed_in(client, cast.admin).get(url("timeframe_make_current", timeframe_id=cast.quarter.pk))
    assert response.status_code == 405
    assert not Timeframe.objects.filter(is_current=True).exists()


def test_only_admins_mark_the_current_timeframe(cast):
    with pytest.raises(NotAllowed):
        services.mark_current_timeframe(actor=cast.lead, timeframe=cast.quarter)
    assert not Timeframe.objects.filter(is_current=True).exists()


@pytest.mark.parametrize("role", ["lead", "member", "viewer"])
def test_people_who_are_not_admins_get_403_on_every_timeframe_page(client, cast, role):
    signed_in(client, getattr(cast, role))
    for page in (url("timeframes"), url("timeframe_create"), url("timeframe_edit", timeframe_id=cast.quarter.pk)):
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Only admins can manage timeframes." in response.content.decode()
    assert client.post(url("timeframe_make_current", timeframe_id=cast.quarter.pk)).status_code == 403
    assert not Timeframe.objects.filter(is_current=True).exists()


def test_another_organizations_timeframe_is_not_found(client, cast):
    signed_in(client, cast.admin)
    assert client.get(url("timeframe_edit", timeframe_id=cast.beta_quarter.pk)).status_code == 404
    assert client.post(url("timeframe_make_current", timeframe_id=cast.beta_quarter.pk)).status_code == 404
    assert reload(cast.beta_quarter).is_current is False
