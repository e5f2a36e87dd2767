"""The KPI pages: the board, one KPI with its history, updating it in place, pasting values, and
KPI health on the company, group and objective pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lodestar.kpis import services
from lodestar.kpis.models import KPI
from lodestar.okrs import services as okrs
from lodestar.okrs.models import Objective
from tests import factories
from tests.conftest import reload, signed_in

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tickets(cast):
    """The member's Engineering KPI, healthy at 55 (at most 60)."""
    kpi = services.create_kpi(
        actor=cast.owner, name="Open tickets", owner=cast.member, rule="at_most", rule_max=60, groups=[cast.engineering]
    )
    services.record_kpi_value(actor=cast.member, kpi=kpi, value=55, recorded_on=cast.today - datetime.timedelta(days=7))
    return kpi


def page(client, membership, path):
    response = signed_in(client, membership).get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_board_groups_kpis_by_group_or_owner_and_keeps_the_unhealthy_ones_on_request(client, cast, tickets):
    services.create_kpi(
        actor=cast.owner, name="Pipeline", owner=cast.sales, groups=[cast.sales_group, cast.engineering]
    )
    revenue = services.create_kpi(actor=cast.owner, name="Revenue", owner=cast.admin, rule="at_least", rule_min=400)
    services.record_kpi_value(actor=cast.admin, kpi=revenue, value=380)
    body = page(client, cast.viewer, "/acme/kpis/")
    assert body.count(">Pipeline</a>") == 2  # under both of its groups
    assert body.index("Engineering") < body.index("Sales") < body.index("No group")
    assert "2 healthy" in body and "1 unhealthy" in body and "at most 60" in body and "since" in body
    by_owner = page(client, cast.viewer, "/acme/kpis/?by=owner&health=unhealthy")
    assert "Revenue" in by_owner and "Open tickets" not in by_owner and "Ada Admin" in by_owner


def test_the_kpi_page_draws_the_history_against_the_goal_and_lists_every_value(client, cast, tickets):
    services.record_kpi_value(actor=cast.member, kpi=tickets, value=70, comment="Release week")
    body = page(client, cast.viewer, f"/acme/kpis/{tickets.pk}/")
    assert 'class="chart-band"' in body and "Healthy: at most 60" in body
    assert "Release week" in body and "Unhealthy" in body
    assert "Record a value" not in body  # a viewer may not


def test_a_value_recorded_with_htmx_updates_the_page_in_place(client, cast, tickets):
    signed_in(client, cast.member)
    url = f"/acme/kpis/{tickets.pk}/values/"
    response = client.post(url, {"value": "72", "recorded_on": "", "comment": "Spike"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="kpi-main">')
    assert "72" in body and "Unhealthy" in body and 'hx-swap-oob="true"' in body
    assert reload(tickets).current_value == 72
    wrong = client.post(url, {"value": "a lot", "recorded_on": "2026-02-30"}, **HTMX)
    assert wrong.status_code == 422 and wrong.content.decode().count('class="field-error"') == 2
    plain = client.post(url, {"value": "50", "recorded_on": cast.today.isoformat()})
    assert plain["Location"] == f"/acme/kpis/{tickets.pk}/"


def test_pasting_values_names_each_wrong_line_and_saves_nothing(client, cast, tickets):
    signed_in(client, cast.member)
    response = client.post(f"/acme/kpis/{tickets.pk}/values/import/", {"text": "2026-01-31,40\nsoon,41\n2026-02-28,x"})
    body = response.content.decode()
    assert response.status_code == 422 and "Line 2:" in body and "Line 3:" in body
    assert tickets.values.count() == 1
    response = client.post(f"/acme/kpis/{tickets.pk}/values/import/", {"text": "2026-01-31,40\n2026-02-28,45"})
    assert response.status_code == 302 and tickets.values.count() == 3


def test_company_group_and_objective_pages_show_kpi_health(client, cast, tickets):
    services.record_kpi_value(actor=cast.member, kpi=tickets, value=80)
    company = page(client, cast.viewer, "/acme/company/")
    assert "KPI health" in company and "1 unhealthy" in company and "Open tickets" in company
    group = page(client, cast.viewer, f"/acme/groups/{cast.engineering.pk}/")
    assert "Open tickets" in group and "Unhealthy" in group
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Support that delights", kpis=[tickets])
    body = page(client, cast.viewer, f"/acme/objectives/{objective.pk}/")
    assert "KPIs it aims to move" in body and "Open tickets" in body
    assert "Support that delights" in page(client, cast.viewer, f"/acme/kpis/{tickets.pk}/")


def test_an_objective_names_its_kpis_in_its_form(client, cast, tickets):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Support that delights")
    signed_in(client, cast.owner)
    form = client.get(f"/acme/objectives/{objective.pk}/edit/").content.decode()
    assert "KPIs it aims to move" in form and f'value="{tickets.pk}"' in form
    assert list(objective.kpis.all()) == []
    okrs.update_objective(actor=cast.owner, objective=objective, kpis=[tickets])
    assert list(reload(objective).kpis.all()) == [tickets]


def test_a_private_objective_is_not_listed_on_the_kpi_page_for_outsiders(client, cast, tickets):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Acquire a startup", kpis=[tickets])
    okrs.update_objective(actor=cast.owner, objective=objective, visibility=Objective.Visibility.PRIVATE)
    assert "Acquire a startup" not in page(client, cast.sales, f"/acme/kpis/{tickets.pk}/")
    assert "Acquire a startup" in page(client, cast.admin, f"/acme/kpis/{tickets.pk}/")


def test_kpi_pages_issue_the_same_queries_for_2_and_12_kpis_with_many_values(client, cast, tickets):
    def counts():
        signed_in(client, cast.member)
        result = []
        for path in (
            "/acme/kpis/",
            f"/acme/kpis/{tickets.pk}/",
            "/acme/company/",
            f"/acme/groups/{cast.engineering.pk}/",
        ):
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            result.append(len(queries))
        return result

    services.create_kpi(actor=cast.owner, name="Second", owner=cast.member, groups=[cast.engineering])
    few = counts()
    for index in range(10):
        kpi = services.create_kpi(
            actor=cast.owner, name=f"KPI {index}", owner=cast.member, rule="at_least", rule_min=10,
            cadence=KPI.Cadence.WEEKLY, groups=[cast.engineering],
        )  # fmt: skip
        text = "\n".join(f"{(cast.today - datetime.timedelta(days=7 * week)).isoformat()},{week}" for week in range(30))
        services.import_kpi_values(actor=cast.member, kpi=kpi, text=text)
        services.import_kpi_values(actor=cast.member, kpi=tickets, text=text)
    assert counts() == few


def test_the_kpi_pages_speak_german(client, cast, tickets):
    cast.member.user.language = "de"
    cast.member.user.save()
    body = page(client, cast.member, f"/acme/kpis/{tickets.pk}/")
    assert "Wert erfassen" in body and "höchstens 60" in body and "Gesund" in body
